"""In headless Chromium, on a small demo zone, as the zone administration: the main flows of
every station ask for nothing the Content-Security-Policy refuses, in both languages; and with
a script planted in every text of the demo, no page of the navigation runs it, charts hovered.

Browser tests see only committed rows, so each test writes its own demo (a few minutes at most
on two cores: sixty enterprises, the small promotion and supervision)."""

import json
import re

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Length

from beacon.chains.models import Chain
from beacon.chains.services import load_templates
from beacon.conftest import Watched, hover_charts, log_in
from beacon.core import audit
from beacon.core.models import ChangeLogEntry, User
from beacon.core.versions import save_version
from beacon.demo.accounts import DEMO_PASSWORD
from beacon.demo.evaluation import build_demo_evaluation
from beacon.demo.promotion import build_demo_promotion
from beacon.demo.supervision import build_demo_supervision
from beacon.demo.writer import build_demo_zone
from beacon.evaluation.models import EvaluationRun
from beacon.registry.models import Enterprise
from beacon.supervision.models import KeyProject

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "\"'><svg onload=window.__xss=1>",
)

# Texts the payload is not planted in, and why: identifiers (slugs: codes and keys in URLs,
# the login name), secrets and machine-read texts (password hash, token hash, the change
# log's own columns, rule files, which a chain's link names stand in for below).
NOT_PLANTED = {
    ("core", "user"): {"username", "password", "email"},
    ("core", "apitoken"): {"key_hash", "prefix"},
    ("core", "changelogentry"): {"object_pk", "cid", "changes_text", "actor_email"},
}


def build_demo():
    build_demo_zone(enterprises=60)
    build_demo_evaluation()
    build_demo_promotion()
    build_demo_supervision()
    load_templates(User.objects.get(username="admin"))


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    page.wait_for_load_state("networkidle")


def test_the_main_flows_meet_the_policy_in_both_languages(page, live_server):
    build_demo()
    base = live_server.url
    watched = Watched(page)
    log_in(page, live_server, "admin", DEMO_PASSWORD)
    seen = []

    def look(url=None, charts=True):
        if url is not None:
            visit(page, url)
        if charts:
            seen.extend(hover_charts(page))
        assert watched.collect() == []

    look(f"{base}/")
    # the registry: list, a search that HTMX answers, detail, edit and save
    visit(page, f"{base}/registry/enterprises/")
    enterprise = Enterprise.objects.order_by("pk").first()
    page.fill("#id_search", enterprise.name)
    page.wait_for_function("() => document.querySelectorAll('#object-table tbody tr').length === 1")
    page.click(f"#object-table tbody tr a[href='{enterprise.get_absolute_url()}']")
    page.wait_for_url(f"{base}{enterprise.get_absolute_url()}")
    look()
    page.click("text=Edit")
    page.fill("#id_business_scope", "新能源汽车动力电池系统研发、生产")
    page.click("#object-form button[type=submit]")
    page.wait_for_url(f"{base}{enterprise.get_absolute_url()}")
    look()
    run = EvaluationRun.objects.order_by("-pk").first()
    look(f"{base}{run.get_absolute_url()}")
    look(f"{base}{run.scheme.get_absolute_url()}")
    look(f"{base}/promotion/board/")
    look(f"{base}/promotion/figures/")
    look(f"{base}/promotion/activities/calendar/")
    chain = Chain.objects.get(key="biomedicine")
    look(f"{base}{chain.get_absolute_url()}")
    look(f"{base}/supervision/list/")
    look(f"{base}/supervision/league/")
    project = KeyProject.objects.filter(milestones__isnull=False).first()
    look(f"{base}{project.get_absolute_url()}")
    visit(page, f"{base}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    look(charts=False)
    look(f"{base}/admin/", charts=False)
    look(f"{base}/admin/registry/enterprise/{enterprise.pk}/change/", charts=False)
    # the language menu (a script of the page's own), then the dashboard in Chinese
    visit(page, f"{base}/")
    page.select_option("#language-form select", "zh-hans")
    page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")
    look()
    look(f"{base}{chain.get_absolute_url()}")
    look(f"{base}{project.get_absolute_url()}")
    # every kind of chart was hovered: bars, pies, lines, the chain graph, the Gantt
    assert len(seen) > 50


def test_redoc_shows_the_schema_and_loads_nothing_from_elsewhere(page, live_server, users):
    watched = Watched(page)
    users["zone_admin"]  # noqa: B018  the fixture's accounts include one who may read the API
    log_in(page, live_server, "zone_admin")
    visit(page, f"{live_server.url}/api/v1/redoc/")
    page.wait_for_selector("text=Beacon API")
    # Redoc's logo from its makers' server is the one thing refused, by design
    assert [p for p in watched.collect() if "cdn.redoc.ly" not in p] == []


def plant() -> int:
    """Every free text of the demo ends in a script; answers how many columns got one."""
    planted, changed = 0, set()
    for model in apps.get_models():
        # the logs refuse an UPDATE: the payload reaches them below, as new entries
        if not model.__module__.startswith("beacon.") or model._meta.db_table in audit.GUARDED:
            continue
        skip = NOT_PLANTED.get((model._meta.app_label, model._meta.model_name), set())
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField | models.TextField)
                or isinstance(field, models.SlugField)
                or field.choices
                or field.primary_key
                or field.name in skip
                or (field.name == "text" and model.__name__.endswith("Version"))
            ):
                continue
            payload = PAYLOADS[planted % len(PAYLOADS)]
            rows = model.objects.all()
            if field.max_length:
                room = field.max_length - len(payload)
                rows = rows.annotate(_length=Length(field.name)).filter(_length__lte=room)
            rows.update(**{field.name: Concat(F(field.name), Value(payload))})
            planted += 1
            changed.add(model)

    # each such model's first object changed in the change log, its name and values planted
    for model in changed:
        if (obj := model.objects.first()) is not None and auditlog.contains(model):
            ChangeLogEntry.objects.log_create(
                obj, action=ChangeLogEntry.Action.UPDATE, changes={"planted": list(PAYLOADS[:2])}
            )

    # a chain's names are in its file (a JSON string is a YAML string)
    def quoted(text: str, payload: str) -> str:
        return json.dumps(text + payload, ensure_ascii=False)

    for chain in Chain.objects.all():
        text = re.sub(
            r"name: \{zh: ([^,]+), en: ([^}]+)\}",
            lambda m: f"name: {{zh: {quoted(m[1], PAYLOADS[0])}, en: {quoted(m[2], PAYLOADS[2])}}}",
            chain.current.text,
        )
        save_version(chain, text, None)
    return planted


def test_a_script_planted_in_every_text_runs_on_no_page(page, live_server):
    build_demo()
    assert plant() > 60
    assert Chain.objects.get(key="biomedicine").parsed.links[0].name["zh"].endswith(PAYLOADS[0])
    base = live_server.url
    watched = Watched(page)
    log_in(page, live_server, "admin", DEMO_PASSWORD)

    def look(url):
        visit(page, url)
        hover_charts(page)
        assert watched.collect() == []

    menu = [a.get_attribute("href") for a in page.locator(".navbar .dropdown-item").all()]
    assert len(menu) > 15
    for url in [f"{base}/", *(f"{base}{href}" for href in menu)]:
        look(url)
        # and the first object the list shows
        first = page.locator("#object-table tbody tr a").first
        if first.count():
            look(f"{base}{first.get_attribute('href')}")
    for project in KeyProject.objects.filter(milestones__isnull=False)[:2]:
        look(f"{base}{project.get_absolute_url()}")
    for url in ("/promotion/board/", "/promotion/figures/", "/supervision/league/"):
        look(f"{base}{url}")
    # the planted text is shown, as text
    enterprise = Enterprise.objects.order_by("pk").first()
    visit(page, f"{base}{enterprise.get_absolute_url()}")
    assert any(enterprise.name.endswith(payload) for payload in PAYLOADS)
    assert enterprise.name in page.inner_text("body")
