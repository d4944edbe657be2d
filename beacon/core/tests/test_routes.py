"""Every route, for every role and an anonymous caller, in and out of scope.

The model walks (``beacon.core.testing``) try each model's generic pages and API endpoints.
Every other route of the URLconf (a station's own pages and actions, downloads, the audit
pages, the API's custom actions, the schema and docs, the Django admin) is written down
here by hand with the answer each caller gets. The tests fail when a route has no entry,
when an entry names no route, and when a caller's answer differs from the table.

Each row's cells follow ``CALLERS``. A cell is the status code of the request, or two
codes ``home/away`` for a route about one object: ``home`` is an object inside the scoped
roles' scope (park P1, team t1, the enterprise user's enterprise), ``away`` its twin
outside it (park P2, team t2). A refusal answers 404, exactly like an unknown object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from beacon.api_urls import router
from beacon.chains.tests.test_walk import Chains
from beacon.conftest import ROLES
from beacon.core.models import Role
from beacon.core.testing import ModelViewCases, Walk
from beacon.core.tests.test_walks import walks
from beacon.core.views.generic import ROUTES as PAGE_ROUTES
from beacon.evaluation.tests.test_walk import Evaluation
from beacon.jobs.models import Job
from beacon.jobs.services import ResultFile, finish
from beacon.promotion.models import LeadDocument
from beacon.promotion.tests.test_walk import Promotion
from beacon.supervision.tests.test_walk import Supervision

CALLERS = (
    "zone_admin",
    "park_officer",
    "promoter",
    "leader",
    "enterprise_user",
    "auditor",
    "system_admin",
    "security_admin",
    "anonymous",
)
HOME, AWAY = 0, 1
# the pages the model walks try (the template with the import)
WALKED_PAGES = ("list", "add", "import", "template", "detail", "edit", "delete", "history")

Builder = Callable[[dict, int], dict]


class Route(NamedTuple):
    """How to call a route on the walk's zone, and the answers expected."""

    # URL keyword arguments for the home or away side, or None for a route without any
    kwargs: Builder | None = None
    # GET and POST answers, one cell per caller ("" for a method the row does not try)
    get: str = ""
    post: str = ""
    # the body of a POST for the home or away side
    data: Builder | None = None
    # called with a Bearer token instead of a session
    api: bool = False


def lead(z, side):
    return {"pk": z["leads"][(0, 2)[side]].pk}


def result(z, side):
    enterprise = z[("p1_enterprise", "p2_enterprise")[side]]
    return {"pk": z["runs"][0].results.get(enterprise=enterprise).pk}


def one(key, index=0):
    """The zone-wide object ``z[key][index]`` on both sides: it has no scope of its own."""
    return lambda z, side: {"pk": (z[key][index] if index is not None else z[key]).pk}


ROUTES: dict[str, Route] = {
    # name                                GET / POST, per caller in CALLERS' order
    "home": Route(get="200 200 200 200 200 200 200 200 302"),
    "login": Route(get="302 302 302 302 302 302 302 302 200"),
    "logout": Route(
        get="405 405 405 405 405 405 405 405 405", post="302 302 302 302 302 302 302 302 302"
    ),
    "password-change": Route(get="200 200 200 200 200 200 200 200 302"),
    "two-factor": Route(get="200 200 200 200 200 200 200 200 302"),
    "set_language": Route(
        post="302 302 302 302 302 302 302 302 302", data=lambda z, s: {"language": "en"}
    ),
    "core:logentry_list": Route(get="404 404 404 404 404 200 404 404 302"),
    "core:accesslog_list": Route(get="404 404 404 404 404 200 404 404 302"),
    "core:accessfailurelog_list": Route(get="404 404 404 404 404 200 404 404 302"),
    # evaluation
    "evaluation:scheme_download": Route(
        one("scheme", None),
        get="200/200 200/200 404/404 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    "evaluation:evaluationrun_official": Route(
        one("runs", 1),
        get="405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405 302/302",
        post="302/302 404/404 404/404 404/404 404/404 404/404 404/404 404/404 302/302",
    ),
    "evaluation:evaluationrun_export": Route(
        lambda z, s: {"pk": z["runs"][0].pk, "table": "results"},
        get="200/200 200/200 404/404 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    "evaluation:evaluationresult_pdf": Route(
        result, get="200/200 200/404 404/404 200/200 200/404 404/404 404/404 404/404 302/302"
    ),
    # promotion
    "promotion:board": Route(get="200 200 200 200 404 404 404 404 302"),
    "promotion:figures": Route(get="200 200 200 200 404 404 404 404 302"),
    "promotion:calendar": Route(get="200 404 200 200 404 404 404 404 302"),
    "promotion:lead_move": Route(
        lead,
        get="405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405 302/302",
        post="302/302 404/404 302/404 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {"stage": "contacted", "date": "2024-03-02"},
    ),
    "promotion:lead_claim": Route(
        lead,
        post="302/302 404/404 404/404 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {"other": z["leads"][1].pk, "keep": "this"},
    ),
    "promotion:lead_assign": Route(
        lead,
        post="302/302 404/404 404/404 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {"park": "P2"},
    ),
    "promotion:lead_attach": Route(
        lead,
        post="302/302 404/404 302/404 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {"title": "意向书", "file": ContentFile(b"%PDF-1.4\n", name="a.pdf")},
    ),
    "promotion:leaddocument": Route(
        lambda z, s: {"pk": z["documents"][s].pk},
        get="200/200 200/404 200/404 200/200 404/404 404/404 404/404 404/404 302/302",
        post="302/302 404/404 302/404 404/404 404/404 404/404 404/404 404/404 302/302",
    ),
    "promotion:parkentryrule_download": Route(
        lambda z, s: {"pk": z["entry_rules"][s].pk},
        get="200/200 200/200 200/200 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    # chains
    "chains:chain_download": Route(
        one("chain", None),
        get="200/200 200/200 200/200 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    "chains:link": Route(
        lambda z, s: {"pk": z["chain"].pk, "key": "cells"},
        get="200/200 200/200 200/200 200/200 404/404 404/404 404/404 404/404 302/302",
        # an enterprise outside the scope is no choice: the form's error, as for an unknown one
        post="302/302 302/302 404/404 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {
            "enterprise": z[("p1_enterprise", "p2_enterprise")[s]].uscc,
            "include": "no",
            "reason": "不生产电芯",
        },
    ),
    "chains:to_pipeline": Route(
        one("target_lists"),
        post="302/302 404/404 302/302 404/404 404/404 404/404 404/404 404/404 302/302",
        data=lambda z, s: {"team": "t1", "target": [z["targets"][0].pk]},
    ),
    # supervision
    "supervision:league": Route(
        get="200 200 404 200 404 404 404 404 302", post="302 404 404 404 404 404 404 404 302"
    ),
    "supervision:list": Route(get="200 200 404 200 404 404 404 404 302"),
    "supervision:reminders": Route(get="200 200 404 200 404 404 404 404 302"),
    "supervision:leaguetable_export": Route(
        one("league_tables"),
        get="200/200 200/200 404/404 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    "supervision:statusrules_download": Route(
        one("status_rules"),
        get="200/200 200/200 404/404 200/200 404/404 404/404 404/404 404/404 302/302",
    ),
    # background jobs: everyone's own; the zone administration's users' too
    "jobs:job_list": Route(get="200 200 200 200 200 200 200 200 302"),
    "jobs:job": Route(
        lambda z, s: {"pk": z["jobs"][s].pk},
        get="200/200 200/404 404/200 404/404 404/404 404/404 404/404 404/404 302/302",
    ),
    "jobs:job_download": Route(
        lambda z, s: {"pk": z["jobs"][s].pk},
        get="200/200 200/404 404/200 404/404 404/404 404/404 404/404 404/404 302/302",
    ),
    # the API beyond its endpoints' list and detail, which the endpoint walks try
    "api-root": Route(get="200 200 200 200 200 200 200 200 401", api=True),
    "promotion-leads-move": Route(
        lead,
        post="200/200 403/403 200/404 403/403 403/403 403/403 403/403 403/403 401/401",
        data=lambda z, s: {"stage": "contacted", "date": "2024-03-02"},
        api=True,
    ),
    "supervision-projects-status": Route(get="200 200 403 200 403 403 403 403 401", api=True),
    # for the API's users only: an anonymous browser is sent to the login page
    "api-schema": Route(get="200 200 200 200 200 200 200 200 401"),
    "api-docs": Route(get="200 200 200 200 200 200 200 200 302"),
    "api-redoc": Route(get="200 200 200 200 200 200 200 200 302"),
}

# The Django admin, model by model: the changelist and the add page ("changelist/add") for
# each caller. Only the roles marked staff reach it; the logs are read on the audit pages.
ADMIN: dict[str, str] = {
    # the security administrator's accounts; the zone administration reads its park officers
    "core.user": "200/403 302/302 302/302 302/302 302/302 302/302 403/403 200/200 302/302",
    "auth.group": "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302",
    # the background tasks' queue (django-tasks-db's admin): no role's; the jobs page shows it
    "django_tasks_database.dbtaskresult": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "core.changelogentry": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "core.loginrecord": ("403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"),
    "core.loginfailure": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "axes.accessattempt": "403/403 302/302 302/302 302/302 302/302 302/302 403/403 200/403 302/302",
    "axes.accesslog": "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302",
    "axes.accessfailurelog": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "otp_totp.totpdevice": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "otp_static.staticdevice": (
        "403/403 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "registry.zone": "200/200 302/302 302/302 302/302 302/302 302/302 200/200 200/403 302/302",
    "registry.park": "200/200 302/302 302/302 302/302 302/302 302/302 200/200 200/403 302/302",
    "registry.industryclass": (
        "200/200 302/302 302/302 302/302 302/302 302/302 200/200 200/403 302/302"
    ),
    "registry.parcel": "200/200 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302",
    "registry.enterprise": (
        "200/200 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "registry.annualfigure": (
        "200/200 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "registry.innovationplatform": (
        "200/200 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302"
    ),
    "registry.talent": "200/200 302/302 302/302 302/302 302/302 302/302 403/403 403/403 302/302",
}
# the admin's own pages, which follow from the model pages above
ADMIN_SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "app_list",
    "autocomplete",
    "view_on_site",
}
ADMIN_MODEL_PAGES = {"changelist", "add", "change", "delete", "history"}
# django-otp's device admin adds a device's set-up pages, under its change permission
ADMIN_DEVICE_PAGES = {"otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"}
# Django's account admin adds the page that sets a password, under its change permission
ADMIN_ACCOUNT_PAGES = {"auth_user_password_change"}


def named_routes() -> dict[str, str]:
    """Every named route of the URLconf: name (with its namespace) -> pattern."""

    def walk(patterns, namespace=None, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, (namespace, p.namespace))) or None
                yield from walk(p.url_patterns, inner, prefix + str(p.pattern))
            elif p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    return dict(walk(get_resolver().url_patterns))


def walked_routes() -> set[str]:
    """The routes the model walks try: their generic pages and the router's endpoints."""
    names = {
        f"{basename}-{kind}" for _p, _v, basename in router.registry for kind in ("list", "detail")
    }
    for cls in walks():
        if issubclass(cls, ModelViewCases) and cls.model is not None:
            opts = cls.model._meta
            names |= {
                f"{opts.app_label}:{opts.model_name}{PAGE_ROUTES[page][1]}"
                for page in cls.pages
                if page in WALKED_PAGES
            }
    return names


def answer(client, method, url, route, zone, side) -> int:
    """The status of one call, which is then undone: each caller finds the zone as built."""
    call = getattr(client, method)
    with transaction.atomic():
        if route.data is None:
            response = call(url)
        elif route.api:
            response = call(url, route.data(zone, side), content_type="application/json")
        else:
            response = call(url, route.data(zone, side))
        transaction.set_rollback(True)
    return response.status_code


def cells(row: str) -> list[list[int]]:
    return [[int(code) for code in cell.split("/")] for cell in row.split()]


def test_every_route_has_an_entry():
    unlisted, stale = [], []
    admin_models = {m._meta.label_lower for m in admin.site._registry}
    for name in named_routes():
        if name.startswith("admin:"):
            page = name[len("admin:") :]
            if page in ADMIN_SITE_PAGES | ADMIN_DEVICE_PAGES | ADMIN_ACCOUNT_PAGES:
                continue
            model_page = next((p for p in ADMIN_MODEL_PAGES if page.endswith(f"_{p}")), None)
            if model_page:
                app_model = page[: -len(model_page) - 1]
                if not any(app_model == label.replace(".", "_") for label in admin_models):
                    unlisted.append(name)
            else:
                unlisted.append(name)
        elif name not in ROUTES and name not in walked_routes():
            unlisted.append(name)
    stale = [name for name in ROUTES if name not in named_routes()]
    assert (unlisted, stale) == ([], [])
    assert sorted(ADMIN) == sorted(admin_models)


@pytest.mark.django_db
def test_the_table_names_every_role_once():
    assert list(CALLERS[:-1]) == list(ROLES)
    assert set(ROLES) == set(Role.objects.values_list("code", flat=True))
    for name, route in ROUTES.items():
        for row in (route.get, route.post):
            assert not row or len(row.split()) == len(CALLERS), name
        assert route.get or route.post, name
    assert all(len(row.split()) == len(CALLERS) for row in ADMIN.values())


class TestRoutes(Walk):
    """Each row of ``ROUTES`` and ``ADMIN`` called by every caller."""

    expected = {role: () for role in ROLES}

    @classmethod
    def populate(cls, zone, users):
        for station in (Evaluation, Promotion, Chains, Supervision):
            station.populate(zone, users)
        zone["documents"] = [
            LeadDocument.objects.create(
                lead=zone["leads"][index],
                title="意向书",
                file=ContentFile(b"%PDF-1.4\n", name="letter.pdf"),
                kind="pdf",
                size=9,
            )
            for index in (0, 2)
        ]
        # an export each of the park officer (home) and of the promoter (away) ran as a job
        zone["jobs"] = []
        for owner in ("park_officer", "promoter"):
            job = Job.objects.create(
                owner=users[owner], kind="export", label="企业名录", language="zh-hans"
            )
            Job.objects.filter(pk=job.pk).update(state="running")
            finish(job, ResultFile("enterprises.csv", b"uscc,name\n"))
            zone["jobs"].append(job)

    def caller(self, built, role: str, api: bool) -> Client:
        if api:
            headers: dict[str, Any] = (
                {}
                if role == "anonymous"
                else {"HTTP_AUTHORIZATION": f"Bearer {built.tokens[role]}"}
            )
            client = Client(HTTP_ACCEPT_LANGUAGE="en", **headers)
        else:
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            if role != "anonymous":
                # a session of its own: a logout must not end the other tests' sessions
                client.force_login(built.users[role])
        client.handler = built.handler
        return client

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_route_answers_each_caller_as_written(self, built, zone, name):
        route = ROUTES[name]
        answered, expected = {}, {}
        for method, row in (("get", route.get), ("post", route.post)):
            if not row:
                continue
            for role, codes in zip(CALLERS, cells(row), strict=True):
                client = self.caller(built, role, route.api)
                for side, code in enumerate(codes):
                    url = reverse(name, kwargs=route.kwargs(zone, side) if route.kwargs else None)
                    answered[method, role, side] = answer(client, method, url, route, zone, side)
                    expected[method, role, side] = code
        assert answered == expected

    @pytest.mark.parametrize("label", sorted(ADMIN))
    def test_admin_answers_each_caller_as_written(self, built, db, label):
        # db: ordered with the database tests, before the browser tests that flush it
        app_model = label.replace(".", "_")
        answered, expected = {}, {}
        for role, codes in zip(CALLERS, cells(ADMIN[label]), strict=True):
            client = self.caller(built, role, api=False)
            for page, code in zip(("changelist", "add"), codes, strict=True):
                answered[role, page] = client.get(reverse(f"admin:{app_model}_{page}")).status_code
                expected[role, page] = code
        assert answered == expected
