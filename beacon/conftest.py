"""Fixtures every test can use: a small zone with two parks, one user per role, and a
headless Chromium page for browser tests."""

import os
import shutil

import pytest
from django.test import Client, override_settings
from django.utils import translation

from beacon.core.models import Role, ScopeGrant, User
from beacon.registry.tests import factories
from beacon.settings import https_settings

# The walks' assertions are in a module of their own: rewritten, their failures show values.
pytest.register_assert_rewrite("beacon.core.testing")

ROLES = (
    "zone_admin",
    "park_officer",
    "promoter",
    "leader",
    "enterprise_user",
    "auditor",
    "system_admin",
    "security_admin",
)
PASSWORD = "Beacon-test-2024"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file of this run's, not memory: a background worker
    runs in a process of its own beside the tests (beacon/jobs/tests)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True, scope="session")
def faithful_restore():
    """A test with ``serialized_rollback`` starts from the rows the migrations wrote, put
    back one by one: the change log would record each as created anew (2,000 entries and
    their hash chain, two thirds of the restore's time), and the log restored with them
    would no longer be the one the migrations left."""
    from auditlog.context import disable_auditlog
    from django.db.backends.base.creation import BaseDatabaseCreation

    restore = BaseDatabaseCreation.deserialize_db_from_string

    def unlogged(creation, data):
        with disable_auditlog():
            restore(creation, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", unlogged)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def plain_http():
    # The test client and the live server speak plain HTTP, as `beacon demo` does;
    # beacon/core/tests/test_deployment.py checks the production settings.
    with override_settings(**https_settings(False)):
        yield


@pytest.fixture(autouse=True)
def second_factor_off(settings):
    # Most tests log in with force_login; beacon/core/tests/test_mfa.py turns it on.
    settings.BEACON_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def english_by_default():
    # LANGUAGE_CODE is zh-hans; tests that check messages outside a request (imports,
    # validators) read them in English unless they activate a language themselves.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def audit_logs_released_for_flush(request):
    """A test on a live server ends by emptying the database (on SQLite, row by row), which
    the audit logs' triggers refuse: such a test's connection may remove log rows. The
    emptying comes after every fixture's teardown, so each test sets the connection anew."""
    import datetime as dt

    from django.db import connection

    from beacon.core.audit import RELEASE_ATTRIBUTE, sqlite_time

    marker = request.node.get_closest_marker("django_db")
    released = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    everything = sqlite_time(dt.datetime.max.replace(tzinfo=dt.UTC))
    setattr(connection, RELEASE_ATTRIBUTE, everything if released else None)


@pytest.fixture
def zone(db):
    return make_zone()


def make_zone() -> dict:
    """Two parks, P1 and P2, each with a parcel, two enterprises and their figures."""
    zone = factories.ZoneFactory(code="demo")
    p1 = factories.ParkFactory(zone=zone, code="P1", name="新能源汽车产业园")
    p2 = factories.ParkFactory(zone=zone, code="P2", name="生物医药产业园")
    out = {"zone": zone, "p1": p1, "p2": p2}
    for park in (p1, p2):
        key = park.code.lower()
        out[f"{key}_parcel"] = factories.ParcelFactory(park=park)
        enterprises = factories.EnterpriseFactory.create_batch(2, park=park)
        out[f"{key}_enterprise"] = enterprises[0]
        out[f"{key}_enterprises"] = enterprises
        for e in enterprises:
            for year in (2022, 2023):
                factories.AnnualFigureFactory(enterprise=e, year=year)
        out[f"{key}_figure"] = enterprises[0].figures.get(year=2023)
        out[f"{key}_platform"] = factories.InnovationPlatformFactory(
            park=park, enterprise=enterprises[0]
        )
        out[f"{key}_talent"] = factories.TalentFactory(park=park, enterprise=enterprises[0])
    return out


def make_user(role_code: str, zone: dict | None = None, username: str | None = None) -> User:
    role = Role.objects.get(code=role_code)
    # as `beacon createuser` makes it: the role says who may use the Django admin
    user = User.objects.create_user(
        username=username or role_code, password=PASSWORD, role=role, is_staff=role.staff
    )
    if zone is not None:
        if role_code == "park_officer":
            ScopeGrant.objects.create(user=user, kind="park", object_id=zone["p1"].pk)
        if role_code == "enterprise_user":
            ScopeGrant.objects.create(
                user=user, kind="enterprise", object_id=zone["p1_enterprise"].pk
            )
    return user


@pytest.fixture
def users(zone):
    return {code: make_user(code, zone) for code in ROLES}


@pytest.fixture
def client_for(users):
    def make(role_code: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(users[role_code])
        return client

    return make


@pytest.fixture
def page(live_server):
    if not shutil.which(CHROMIUM):
        if os.environ.get("BEACON_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required (BEACON_REQUIRE_BROWSER is set)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# What a page must never do, recorded from before its first script runs: a Content-Security-
# Policy violation (the browser blocked something the page asked for) and a script from data
# that ran anyway (it sets window.__xss or opens a dialog).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
  + ` at ${e.sourceFile}:${e.lineNumber} ${e.sample}`), true);
"""


class Watched:
    """A page's CSP violations, console errors, uncaught errors and dialogs, per URL."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: error {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message):
        # a failed load (a 404 favicon) is the server's answer, not the page's doing
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{self.page.url}: console {message.text}")

    def _dialog(self, dialog):
        self.problems.append(f"{self.page.url}: dialog {dialog.message!r}")
        dialog.dismiss()

    def collect(self) -> list[str]:
        """Everything recorded so far on the current page, and whether data's script ran."""
        page = self.page
        state = page.evaluate("({violations: window.__violations || [], xss: window.__xss})")
        found = [f"{page.url}: CSP {v}" for v in state["violations"]]
        if state["xss"] is not None:
            found.append(f"{page.url}: a script from data ran (window.__xss = {state['xss']})")
        return self.problems + found


def log_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


# Shows the tooltip of the first items of every series of every chart on the page, the way a
# hover does, and answers each tooltip's HTML (ECharts puts it beside the chart's canvas).
HOVER = """
(limit) => {
  const shown = [];
  if (typeof echarts === 'undefined') return shown;
  for (const el of document.querySelectorAll('[_echarts_instance_]')) {
    const chart = echarts.getInstanceByDom(el);
    const series = chart.getOption().series || [];
    for (let s = 0; s < series.length; s++) {
      const count = chart.getModel().getSeriesByIndex(s).getData().count();
      for (let i = 0; i < Math.min(count, limit); i++) {
        chart.dispatchAction({type: 'showTip', seriesIndex: s, dataIndex: i});
        const tips = el.querySelectorAll(':scope > div:not(:first-child)');
        for (const tip of tips) shown.push(tip.innerHTML);
      }
    }
  }
  return shown;
}
"""

# Markup a tooltip may hold of its own; anything else in it came from data.
TOOLTIP_TAGS = {"div", "span", "b", "br"}


def hover_charts(page, limit: int = 20) -> list[str]:
    """The tooltips' HTML; fails when one holds an element its formatter did not make."""
    import re

    tooltips = page.evaluate(HOVER, limit)
    for html in tooltips:
        tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)) - TOOLTIP_TAGS
        assert not tags, f"{page.url}: a tooltip holds <{'>, <'.join(sorted(tags))}>: {html}"
    return tooltips
