"""Query counts of every list, detail and history page (and the panels on it), on the demo
zone: a page reads the same number of queries whatever the number of rows it shows, and no
more than its committed baseline (``query_counts.json``). And on the same zone, every list
table's cells drawn as django-tables2 draws them.

A page that reads one query per row shows it here as a list of 50 rows costing more than
the same list of 2, or as an object's page (an enterprise with five years of figures and
its panels, a signed lead with its key project) costing more than the same page once the
rows referring to the object are thinned to one of each kind.

After a deliberate change, refresh the baselines with
``BEACON_UPDATE_SNAPSHOTS=1 pytest beacon/core/tests/test_query_counts.py`` and commit them.
"""

import json
import os
from pathlib import Path

import pytest
from auditlog.context import disable_auditlog
from django.db import connection, models, transaction
from django.db.models import Count, ProtectedError, RestrictedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BASELINES = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("BEACON_UPDATE_SNAPSHOTS") == "1"
FEW, MANY = 2, 50  # rows on a list page


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo zone with every station, a target list and a published league table
    besides, written once for the module, then undone."""
    from beacon.chains.services import load_templates
    from beacon.core.models import User
    from beacon.demo.evaluation import build_demo_evaluation
    from beacon.demo.promotion import build_demo_promotion
    from beacon.demo.supervision import build_demo_supervision
    from beacon.demo.writer import build_demo_zone

    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_zone(size="small")
        build_demo_evaluation()
        build_demo_promotion(size="small")
        build_demo_supervision(size="small")
        admin = User.objects.get(username="admin")
        load_templates(admin)
        made_elsewhere(admin, tmp_path_factory.mktemp("candidates") / "companies.csv")
        yield admin
        transaction.set_rollback(True)


def made_elsewhere(admin, candidates: Path) -> None:
    """What the demo leaves to its users: a chain's target list, some of it taken on as
    leads, and a frozen league table."""
    import datetime as dt

    from beacon.chains.models import Chain
    from beacon.chains.services import make_target_list, to_pipeline
    from beacon.promotion.models import Team
    from beacon.registry.tests.factories import make_uscc
    from beacon.supervision.services import publish

    chain = Chain.objects.order_by("key")[0]
    parsed = chain.parsed
    assert parsed is not None
    codes = sorted({code for link in parsed.links for code in link.industry_classes})
    header = "uscc,name,province,city,industry_code,business_scope,registered_capital,"
    rows = [
        f"{make_uscc(880000 + i)},候选企业{i}有限公司,广东省,广州市,{codes[i % len(codes)]},"
        f"制造,{10_000_000 * (i + 1)},2015-01-01,{i % 2},0"
        for i in range(60)
    ]
    candidates.write_text("\n".join([header + "founded,high_tech,listed", *rows]) + "\n")
    targets = make_target_list(chain, candidates, admin, top=20)
    to_pipeline(list(targets.targets.all()[:5]), Team.objects.order_by("code")[0], admin)
    publish(admin, dt.date.today())


@pytest.fixture
def client(demo, db, settings):
    settings.BEACON_MFA_REQUIRED = False
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(demo)
    return client


def pages():
    """(model, page) for every list, detail and history page registered by the stations."""
    import beacon.urls  # noqa: F401  (routing the pages registers them)
    from beacon.core.views.generic import PAGES

    return sorted(
        (
            (model, page)
            for model, names in PAGES.items()
            for page in ("list", "detail", "history")
            if page in names
        ),
        key=lambda pair: (pair[0]._meta.label_lower, pair[1]),
    )


def counted(client, url: str, query: dict | None = None) -> int:
    """Queries of a second request for ``url`` (the first warms the caches)."""
    assert client.get(url, query).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, url
    return len(queries)


def related_rows(model) -> models.QuerySet:
    """The model's objects, those most referred to by other rows first."""
    counts = {}
    for relation in model._meta.related_objects:
        if relation.one_to_many or relation.many_to_many:
            name = relation.get_accessor_name()
            # each relation counted in a subquery of its own, not in one join of every one
            counts[f"n_{name}"] = models.Subquery(
                model.objects.filter(pk=models.OuterRef("pk"))
                .annotate(n=Count(name, distinct=True))
                .values("n")[:1]
            )
    rows = model.objects.all()
    if not counts:
        return rows.order_by("pk")
    total = sum((models.F(key) for key in counts), models.Value(0))
    return rows.annotate(**counts).annotate(related=total).order_by("-related", "pk")


def richest(model, user):
    """The object most referred to whose page shows every panel the stations add to it."""
    from beacon.core.views.generic import PANELS

    panels = PANELS.get(model, ())
    shown = (
        obj for obj in related_rows(model).iterator() if all(panel(obj, user) for panel in panels)
    )
    found = next(shown, None)
    assert found is not None, f"the demo has no {model._meta.label_lower} to show"
    return found


def thin(obj) -> None:
    """Leave one of each kind of row that refers to ``obj`` (the caller rolls it back; the
    deletions are not logged)."""
    with disable_auditlog():
        for relation in obj._meta.related_objects:
            _thin(obj, relation)


def _thin(obj, relation) -> None:
    if relation.one_to_many:
        rows = relation.related_model._base_manager.filter(**{relation.field.name: obj})
    elif relation.many_to_many:
        accessor = getattr(obj, relation.get_accessor_name())
        rows = accessor.through._base_manager.filter(**{accessor.source_field_name: obj})
    else:
        return
    kept = list(rows.order_by("pk").values_list("pk", flat=True)[:1])
    try:
        with transaction.atomic():
            rows.exclude(pk__in=kept).delete()
    except (ProtectedError, RestrictedError):
        pass  # rows others depend on stay, and count as many


def test_no_page_reads_a_query_per_row(client, demo):
    measured, growing = {}, []
    for model, page in pages():
        label = model._meta.label_lower
        name = f"{model._meta.app_label}:{model._meta.model_name}"
        if page == "list":
            url = reverse(f"{name}_list")
            few = counted(client, url, {"per_page": FEW})
            many = counted(client, url, {"per_page": MANY})
        else:
            # the same object with all its rows, then with one of each kind
            obj = richest(model, demo)
            url = reverse(f"{name}{'' if page == 'detail' else '_history'}", args=[obj.pk])
            many = counted(client, url)
            with transaction.atomic():
                thin(obj)
                few = counted(client, url)
                transaction.set_rollback(True)
        if many > few:
            growing.append(f"{label} {page}: {few} queries for few rows, {many} for many")
        measured[f"{label} {page}"] = many
    assert growing == [], "\n".join(growing)
    if UPDATE:
        BASELINES.write_text(json.dumps(measured, indent=2, sort_keys=True) + "\n")
    baselines = json.loads(BASELINES.read_text())
    assert set(measured) == set(baselines), "pages added or gone: refresh the baselines"
    grown = {
        page: f"{baselines[page]} → {count}"
        for page, count in measured.items()
        if count > baselines[page]
    }
    assert grown == {}, "more queries than the baseline; see the module's docstring"


def table_body(client, url: str) -> str:
    html = client.get(url, {"per_page": MANY}).content.decode()
    return html[html.index("<tbody") : html.index("</tbody>")]


def test_every_list_table_draws_its_cells_as_django_tables2_does(client, monkeypatch):
    from beacon.core.templatetags import beacon_tables

    urls = [
        reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
        for model, page in pages()
        if page == "list"
    ] + [reverse("supervision:list")]
    drawn = {url: table_body(client, url) for url in urls}
    assert sum(body.count("<td") for body in drawn.values()) > 2_000
    # every cell through the library's own path
    monkeypatch.setattr(beacon_tables, "_cell_functions", lambda table: {})
    differ = [url for url in urls if table_body(client, url) != drawn[url]]
    assert differ == []
