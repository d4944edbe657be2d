"""The generic walks: every page and every API endpoint of a model, for every role, against
a table of scopes written by hand.

Shape after NetBox's ``utilities/testing/views.py`` and ``utilities/testing/api.py``. A
model's test class names the model, writes down by hand what each role may do (a table
copied from ``beacon.core.roles``, never computed with ``beacon.core.permissions``: a test
that derives its expectations from the code under test cannot fail), says which of the zone's
objects each scope reaches and how to fill a new object. ``ModelViewCases`` then walks list,
search, filters, the HTMX partial, export, detail, history, create, edit, delete and import
for every role; ``EndpointCases`` walks the API's list, detail, update, create and delete.

Scopes are labels for the conftest grants: ``ALL`` is the whole zone, ``P1`` is park P1
(the park officer's grant), ``E1`` is ``zone["p1_enterprise"]`` (the enterprise user's) and
``T1`` is ``zone["t1"]`` (the promoter's team, which the promotion walks' ``populate`` makes
with ``zone["t2"]`` beside it). A new record is filed at a ``Place`` (park, enterprise, team):
``home`` is inside every label, ``away`` just outside one of them.

A model has the pages its walk writes down (``pages``); the walk asserts the others are not
served. Pages that are not the generic ones are left to the station's own tests with a
reason (``unwalked``). ``beacon/core/tests/test_walks.py`` fails when a model with pages or
an API route has no walk.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import re
from importlib import import_module
from types import SimpleNamespace
from typing import Any, ClassVar, NamedTuple

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from beacon.conftest import ROLES, make_user, make_zone
from beacon.core import audit
from beacon.core.models import ApiToken, ChangeLogEntry, Role
from beacon.core.views.generic import EVERY_PAGE, PAGES, ROUTES

ACTIONS = ("view", "add", "change", "delete")
ALL, P1, E1, T1 = "all", "P1", "E1", "T1"
NO = None

HTMX = {"HX-Request": "true"}
PER_PAGE = 50
SCOPE_ERROR = "The object would be outside your scope."
STALE_ERROR = (
    "Someone else saved this record after you opened it. Nothing of yours was saved yet: "
    "compare your values with the saved ones, then save again to keep yours."
)
CHOICE_ERROR = "Select a valid choice. That choice is not one of the available choices."

API_ROOT = "/api/v1"
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
API_SCOPE_ERROR = {"non_field_errors": [SCOPE_ERROR]}

# Every walk with a model, filled as the test modules are imported: the coverage test
# holds them against the pages and API routes there are.
WALKS: list[type] = []


def copied(value):
    """Fresh in-memory copies of fixture objects (a model's copy has its own field values)."""
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copied(v) for v in value]
    return copy.copy(value)


class Place(NamedTuple):
    """Where a new record is filed: the park, enterprise and team it would belong to."""

    park: Any
    enterprise: Any
    team: Any = None


def home(zone) -> Place:
    """Where new records are filed: inside every scope label."""
    return Place(zone["p1"], zone["p1_enterprise"], zone.get("t1"))


def away(zone, scope) -> Place | None:
    """Home moved just outside ``scope`` in the scope's own terms, or None when nothing is
    outside it."""
    here = home(zone)
    if scope == P1:
        return here._replace(park=zone["p2"], enterprise=zone["p2_enterprise"])
    if scope == E1:
        return here._replace(enterprise=zone["p1_enterprises"][1])
    if scope == T1:
        return here._replace(team=zone["t2"])
    return None


def registered_pages() -> dict[type, set[str]]:
    """Each model's pages, as ``model_urls`` registered them."""
    import_module(settings.ROOT_URLCONF)  # model_urls() fills PAGES as the URLconf loads
    return PAGES


# -- reading responses ---------------------------------------------------------------------


def table_pks(response, model) -> list[int]:
    """The objects a list table links to, in the order shown."""
    html = response.content.decode()
    body = html[html.index('id="result-count"') :]
    body = body[body.index("<tbody") : body.index("</tbody>")]
    link = re.compile(
        rf'href="{re.escape(reverse(f"{model._meta.app_label}:{model._meta.model_name}_list"))}'
        r'(\d+)/"'
    )
    return [int(m.group(1)) for row in body.split("<tr")[1:] if (m := link.search(row))]


def result_count(response) -> int:
    match = re.search(r'id="result-count">(\d+) results?<', response.content.decode())
    assert match is not None, "no result count on the page"
    return int(match.group(1))


def read_export(response) -> list[dict]:
    """The rows of a CSV or XLSX download, as dicts keyed by the header row (all text)."""
    if response["Content-Type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    headers, body = rows[0], rows[1:]
    # a read-only worksheet leaves out a row's empty cells at the end
    return [dict(zip(headers, row + [""] * (len(headers) - len(row)), strict=True)) for row in body]


def post_data(form) -> dict:
    """What a browser would send back for ``form`` as rendered."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def csv_upload(name: str, *rows: dict):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = name
    return upload


def ends(objects: list) -> list:
    """The first and the last of ``objects``.

    Listed in fixture order, these are the nearest to a scope's edge (the same park's other
    enterprise) and the farthest from it (the other park's last record).
    """
    return objects[:1] + objects[1:][-1:]


def log_entries(obj, action) -> list[ChangeLogEntry]:
    return list(ChangeLogEntry.objects.get_for_object(obj).filter(action=action))


def listed(client: Client, url: str) -> tuple[int, list[int]]:
    """An API list's ``count`` and the ids of every row, following the ``next`` links."""
    count: int | None = None
    ids: list[int] = []
    page = f"{url}{'&' if '?' in url else '?'}limit=1000"
    while page:
        response = client.get(page)
        assert response.status_code == 200, response.content
        body = response.json()
        count = body["count"] if count is None else count
        ids += [row["id"] for row in body["results"]]
        page = body["next"]
    assert count is not None
    return count, ids


def pks(objects) -> list[int]:
    return sorted(obj.pk for obj in objects)


def not_found(model) -> dict:
    return {"detail": f"No {model.__name__} matches the given query."}


def not_allowed(method: str) -> dict:
    return {"detail": f'Method "{method.upper()}" not allowed.'}


# -- what both walks share -----------------------------------------------------------------


class Walk:
    """A model, what each role may do with it, and the zone both walks read it in."""

    model: type[Model] | None = None
    # role -> (view, add, change, delete): the scope each action reaches, or NO
    expected: dict[str, tuple] = {}
    # field and new value an edit makes
    change: tuple[str, object] = ("name_en", "Renamed")
    # other fields an edit must send with ``change`` (a class change, its reason)
    change_with: ClassVar[dict] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            WALKS.append(cls)

    @classmethod
    def populate(cls, zone: dict, users: dict) -> None:
        """Add the station's records to the conftest ``zone`` (teams, leads, projects…)."""

    def reach(self, zone, scope) -> list:
        """The zone's objects of ``model`` inside ``scope``."""
        raise NotImplementedError

    def spare(self, zone, at: Place):
        """A new object nothing refers to, filed at ``at``, for deleting."""
        raise NotImplementedError

    def vacate(self, zone, at: Place) -> None:
        """Make room for a new object at ``at`` where only one may be (a park's entry rule)."""

    # -- fixtures ----------------------------------------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker):
        """The conftest zone with the station's records, one user per role, their sessions
        and API tokens, written once per class.

        Every test runs in a savepoint inside this class-wide transaction and gets its own
        copies of the objects, so nothing one test writes or changes reaches another.
        """
        md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(PASSWORD_HASHERS=md5):
                zone = make_zone()
                users = {code: make_user(code, zone) for code in ROLES}
            cls.populate(zone, users)
            # One handler for every client: each new one would load the middleware again,
            # and WhiteNoise's scan of the static files is most of a small request's time.
            handler = Client().handler
            sessions, tokens = {}, {}
            for code, user in users.items():
                client = Client()
                client.handler = handler
                client.force_login(user)
                sessions[code] = client.cookies[settings.SESSION_COOKIE_NAME].value
                tokens[code] = ApiToken.issue(user)[1]
            yield SimpleNamespace(
                zone=zone, users=users, sessions=sessions, tokens=tokens, handler=handler
            )
            transaction.set_rollback(True)

    @pytest.fixture
    def zone(self, built, db):
        return copied(built.zone)

    @pytest.fixture
    def users(self, built, db):
        return copied(built.users)

    # -- helpers -----------------------------------------------------------------------
    def scopes(self, role) -> dict:
        return dict(zip(ACTIONS, self.expected[role], strict=True))

    def outside(self, zone, scope) -> list:
        if scope == ALL:
            return []
        reached = {o.pk for o in self.reach(zone, scope)}
        return [o for o in self.reach(zone, ALL) if o.pk not in reached]

    def sample(self, zone, scope) -> list:
        return ends(self.reach(zone, scope))

    def test_table_names_every_shipped_role(self, db):
        assert set(self.expected) == set(Role.objects.values_list("code", flat=True))


# -- the pages -----------------------------------------------------------------------------

# Each test of the page walk, and the pages it walks (any of them).
PAGE_TESTS = {
    "test_list_shows_exactly_the_scope": ("list",),
    "test_search_and_filters_keep_to_the_scope": ("list",),
    "test_export_holds_the_scope_and_the_filters": ("list",),
    "test_detail_and_history_hold_the_scope": ("detail", "history"),
    "test_create_holds_the_scope_and_is_logged": ("add",),
    "test_edit_holds_the_scope_and_is_logged": ("edit",),
    "test_a_stale_edit_shows_both_values_and_writes_nothing": ("edit",),
    "test_delete_holds_the_scope_and_is_logged": ("delete",),
    "test_import_holds_the_scope_and_is_logged": ("import",),
}


class ModelViewCases(Walk):
    """Every page of ``model`` for every role. Subclasses fill in the attributes below."""

    # the model's pages, written down by hand; the walk holds them against the URLconf
    pages: tuple[str, ...] = EVERY_PAGE
    # pages the model has that are not the generic ones: page -> why the walk leaves it
    # to the station's own tests
    unwalked: ClassVar[dict[str, str]] = {}
    # export/import columns that name a row; None when the model has no import/export table
    key_columns: tuple[str, ...] | None = None
    # the import template's header row, exactly
    template_headers: list[str] | None = None
    # form errors when a new record is filed outside the user's scope
    refusal: ClassVar[dict] = {"__all__": [SCOPE_ERROR]}
    # False where the list's rows link elsewhere than to the rows' own pages (a milestone's
    # row to its project): the rows shown are then read from the rendered table
    rows_link_here = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A test of pages the model does not have is not collected at all (rather than
        # skipped): test_pages_it_lacks_are_not_served holds that they are not there.
        for name, pages in PAGE_TESTS.items():
            if not any(page in cls.pages and page not in cls.unwalked for page in pages):
                setattr(cls, name, None)
        if set(EVERY_PAGE) <= set(cls.pages):
            cls.test_pages_it_lacks_are_not_served = None

    def queries(self, zone) -> list[tuple[dict, list]]:
        """(filter or search parameters, the zone objects they match regardless of scope)."""
        raise NotImplementedError

    def row_key(self, obj) -> tuple[str, ...]:
        """How an export row names ``obj``, in ``key_columns`` order."""
        raise NotImplementedError

    def form_data(self, zone, at: Place) -> dict:
        """A valid new object filed at ``at``."""
        raise NotImplementedError

    def import_row(self, zone, at: Place) -> dict:
        """One row of an import file for a new object filed at ``at``."""
        return {}

    def import_refusal(self, zone, at: Place) -> str:
        """The one import error when a row is filed at ``at``, outside the scope."""
        return "row 2, column park: outside your scope"

    # -- fixtures ----------------------------------------------------------------------
    @pytest.fixture
    def client_for(self, built, db):
        def make(role):
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            client.handler = built.handler
            client.cookies[settings.SESSION_COOKIE_NAME] = built.sessions[role]
            return client

        return make

    @pytest.fixture
    def client(self, built, db):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.handler = built.handler
        return client

    # -- helpers -----------------------------------------------------------------------
    def url(self, suffix, obj=None) -> str:
        assert self.model is not None
        opts = self.model._meta
        args = [] if obj is None else [obj.pk]
        return reverse(f"{opts.app_label}:{opts.model_name}{suffix}", args=args)

    def queued_from_page(self, client, role, owner, data: dict, kind: str) -> dict | None:
        """Post ``data`` to the add page as ``role``: where the role may add, the page queues
        one background job of ``kind`` owned by ``owner`` and shows it, and its parameters
        are returned; elsewhere both the page and the post are 404 and nothing is queued.
        Either way no object is made in the request."""
        from beacon.jobs.models import Job

        assert self.model is not None
        url, before = self.url("_add"), self.model._default_manager.count()
        params = None
        if self.scopes(role)["add"] is NO:
            assert client.get(url).status_code == 404
            assert client.post(url, data).status_code == 404
            assert not Job.objects.exists()
        else:
            assert client.get(url).status_code == 200
            response = client.post(url, data)
            job = Job.objects.get()
            assert response.status_code == 302 and response.url == job.get_absolute_url()
            assert (job.owner, job.kind, job.state) == (owner, kind, "queued")
            params = job.params
        assert self.model._default_manager.count() == before
        return params

    def walked(self, page) -> bool:
        return page in self.pages and page not in self.unwalked

    def shown(self, objects) -> list[int]:
        """The first page of ``objects`` in the list's default order."""
        assert self.model is not None
        pks = [o.pk for o in objects]
        rows = self.model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
        return list(rows[:PER_PAGE])

    def rows(self, response) -> list[int]:
        """The objects a list page shows, in order."""
        if self.rows_link_here:
            return table_pks(response, self.model)
        return [row.record.pk for row in response.context["table"].page.object_list]

    def would_be(self, page, obj) -> str:
        """The path ``page`` would have if the model had it."""
        route, _suffix = ROUTES[page]
        return self.url("_list") + route.replace("<int:pk>", str(obj.pk))

    # -- the tests ---------------------------------------------------------------------
    def test_pages_are_those_written_down(self, db):
        assert registered_pages().get(self.model, set()) == set(self.pages)

    def test_pages_it_lacks_are_not_served(self, zone, client_for):
        lacking = [page for page in EVERY_PAGE if page not in self.pages]
        obj = self.reach(zone, ALL)[0]
        opts = self.model._meta
        paths = []
        for page in lacking:
            suffix = ROUTES[page][1]
            args = [obj.pk] if "<int:pk>" in ROUTES[page][0] else []
            with pytest.raises(NoReverseMatch):
                reverse(f"{opts.app_label}:{opts.model_name}{suffix}", args=args)
            paths.append(self.would_be(page, obj))
        for role in ROLES:
            client = client_for(role)
            for path in paths:
                assert client.get(path).status_code == 404, (role, path)
                assert client.post(path).status_code == 404, (role, path)
        # nor offered to the role that may do everything
        admin = client_for("zone_admin")
        shown = [self.url("_list")] + ([self.url("", obj)] if "detail" in self.pages else [])
        for url in shown:
            html = admin.get(url).content.decode()
            for path in paths:
                assert f'href="{path}' not in html, (url, path)

    def test_anonymous_is_sent_to_login(self, zone, client):
        obj = self.reach(zone, ALL)[0]
        urls = {"list": self.url("_list")}
        if "detail" in self.pages:
            urls["detail"] = self.url("", obj)
        if "add" in self.pages:
            urls["add"] = self.url("_add")
        for url in urls.values():
            response = client.get(url)
            assert response.status_code == 302
            assert response.url == f"{reverse('login')}?next={url}"

    @pytest.mark.parametrize("role", ROLES)
    def test_list_shows_exactly_the_scope(self, zone, client_for, role):
        client, scope, url = client_for(role), self.scopes(role)["view"], self.url("_list")
        if scope is NO:
            assert client.get(url).status_code == 404
            assert client.get(url, headers=HTMX).status_code == 404
            return
        expected = self.reach(zone, scope)
        page = client.get(url)
        assert page.status_code == 200
        assert "<html" in page.content.decode()
        assert result_count(page) == len(expected)
        assert self.rows(page) == self.shown(expected)
        partial = client.get(url, headers=HTMX)
        assert partial.status_code == 200
        assert "<html" not in partial.content.decode()
        assert result_count(partial) == len(expected)
        assert self.rows(partial) == self.shown(expected)

    @pytest.mark.parametrize("role", ROLES)
    def test_search_and_filters_keep_to_the_scope(self, zone, client_for, role):
        client, scope, url = client_for(role), self.scopes(role)["view"], self.url("_list")
        if scope is NO:
            assert client.get(url, self.queries(zone)[0][0], headers=HTMX).status_code == 404
            return
        reached = {o.pk for o in self.reach(zone, scope)}
        for params, matched in self.queries(zone):
            expected = [o for o in matched if o.pk in reached]
            response = client.get(url, params, headers=HTMX)
            assert response.status_code == 200, params
            assert "<html" not in response.content.decode()
            assert result_count(response) == len(expected), params
            assert self.rows(response) == self.shown(expected), params

    @pytest.mark.parametrize("role", ROLES)
    def test_export_holds_the_scope_and_the_filters(self, zone, client_for, role):
        client, scope, url = client_for(role), self.scopes(role)["view"], self.url("_list")
        if scope is NO or self.key_columns is None:
            for fmt in ("csv", "xlsx"):
                assert client.get(url, {"export": fmt}).status_code == 404
            return
        queries = [({}, self.reach(zone, ALL)), *self.queries(zone)]
        # XLSX goes through the same rows as CSV; two of its queries are enough.
        downloads = [("csv", q) for q in queries] + [("xlsx", q) for q in queries[:2]]
        reached = {o.pk for o in self.reach(zone, scope)}
        for fmt, (params, matched) in downloads:
            response = client.get(url, {**params, "export": fmt})
            assert response.status_code == 200
            expected = sorted(self.row_key(o) for o in matched if o.pk in reached)
            rows = read_export(response)
            assert sorted(tuple(r[c] for c in self.key_columns) for r in rows) == expected

    @pytest.mark.parametrize("role", ROLES)
    def test_detail_and_history_hold_the_scope(self, zone, client_for, role):
        suffixes = [s for page, s in (("detail", ""), ("history", "_history")) if self.walked(page)]
        client, scope = client_for(role), self.scopes(role)["view"]
        if scope is NO:
            hidden, visible = self.sample(zone, ALL), []
        else:
            hidden, visible = self.outside(zone, scope), self.sample(zone, scope)
        for obj in visible:
            for suffix in suffixes:
                assert client.get(self.url(suffix, obj)).status_code == 200, suffix
        for obj in hidden:
            for suffix in suffixes:
                assert client.get(self.url(suffix, obj)).status_code == 404, suffix

    @pytest.mark.parametrize("role", ROLES)
    def test_create_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        client, scope, url = client_for(role), self.scopes(role)["add"], self.url("_add")
        self.vacate(zone, home(zone))
        count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
        data = self.form_data(zone, home(zone))
        if scope is NO:
            assert client.get(url).status_code == 404
            assert client.post(url, data).status_code == 404
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
            return
        assert client.get(url).status_code == 200
        if (there := away(zone, scope)) is not None:
            self.vacate(zone, there)
            count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
            response = client.post(url, self.form_data(zone, there))
            assert response.status_code == 200
            assert response.context["form"].errors == self.refusal
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
        assert self.model.objects.count() == count + 1
        obj = self.model.objects.latest("pk")
        assert response.url == obj.get_absolute_url()
        assert [e.actor for e in log_entries(obj, ChangeLogEntry.Action.CREATE)] == [users[role]]

    @pytest.mark.parametrize("role", ROLES)
    def test_edit_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        client, scope = client_for(role), self.scopes(role)["change"]
        field, value = self.change
        if scope is NO:
            view = self.scopes(role)["view"]
            for obj in self.sample(zone, ALL if view is NO else view):
                url = self.url("_edit", obj)
                assert client.get(url).status_code == 404
                assert client.post(url, {field: value, **self.change_with}).status_code == 404
                assert self.model.objects.get(pk=obj.pk).updated == obj.updated
            return
        for obj in ends(self.outside(zone, scope)):
            url = self.url("_edit", obj)
            assert client.get(url).status_code == 404
            assert client.post(url, {field: value, **self.change_with}).status_code == 404
            assert self.model.objects.get(pk=obj.pk).updated == obj.updated
        obj = self.reach(zone, scope)[0]
        url = self.url("_edit", obj)
        page = client.get(url)
        assert page.status_code == 200
        # every input is styled as Tabler's (StyledModelForm)
        assert all(f.field.widget.attrs.get("class") for f in page.context["form"].visible_fields())
        before = getattr(obj, field)
        data = {**post_data(page.context["form"]), field: value, **self.change_with}
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
        assert response.url == obj.get_absolute_url()
        obj.refresh_from_db()
        assert getattr(obj, field) == value
        (entry,) = log_entries(obj, ChangeLogEntry.Action.UPDATE)
        assert entry.actor == users[role]
        assert entry.changes[field] == [str(before), str(value)]

    def test_a_stale_edit_shows_both_values_and_writes_nothing(self, zone, client_for):
        """Two people open the same edit form; the second to save is shown what the first
        saved beside their own values, and saves again knowingly."""
        role = next(r for r in ROLES if self.scopes(r)["change"] is not NO)
        client, (field, value) = client_for(role), self.change
        obj = self.reach(zone, self.scopes(role)["change"])[0]
        before = getattr(obj, field)
        assert before != value
        url = self.url("_edit", obj)
        data = {**post_data(client.get(url).context["form"]), **self.change_with}
        first = self.model.objects.get(pk=obj.pk)  # the first one saves meanwhile
        setattr(first, field, value)
        first.save()
        response = client.post(url, data)
        assert response.status_code == 200
        form = response.context["form"]
        assert form.non_field_errors() == [STALE_ERROR]
        assert {d.name for d in response.context["conflict"]} == {field, *self.change_with}
        assert getattr(self.model.objects.get(pk=obj.pk), field) == value
        response = client.post(url, post_data(form))
        assert response.status_code == 302, response.context["form"].errors
        assert getattr(self.model.objects.get(pk=obj.pk), field) == before

    @pytest.mark.parametrize("role", ROLES)
    def test_delete_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        client, scope = client_for(role), self.scopes(role)["delete"]
        view = self.scopes(role)["view"]
        hidden = (
            self.sample(zone, ALL if view is NO else view)
            if scope is NO
            else ends(self.outside(zone, scope))
        )
        for obj in hidden:
            url = self.url("_delete", obj)
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404
            assert self.model.objects.filter(pk=obj.pk).exists()
        if scope is NO:
            return
        obj = self.spare(zone, home(zone))
        url = self.url("_delete", obj)
        assert client.get(url).status_code == 200
        response = client.post(url)
        assert response.status_code == 302
        assert response.url == self.url("_list")
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert [e.actor for e in log_entries(obj, ChangeLogEntry.Action.DELETE)] == [users[role]]

    @pytest.mark.parametrize("role", ROLES)
    def test_import_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        client, scope = client_for(role), self.scopes(role)["add"]
        url, template = self.url("_import"), self.url("_template")
        self.vacate(zone, home(zone))
        count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
        row = self.import_row(zone, home(zone))
        if scope is NO or self.key_columns is None:
            for page in (url, f"{template}?format=csv", f"{template}?format=xlsx"):
                assert client.get(page).status_code == 404
            assert client.post(url, {"file": csv_upload("home.csv", row)}).status_code == 404
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
            return
        assert client.get(url).status_code == 200
        for fmt in ("csv", "xlsx"):
            response = client.get(template, {"format": fmt})
            assert response.status_code == 200
            assert list(read_export(response)[0]) == self.template_headers
        if (there := away(zone, scope)) is not None:
            self.vacate(zone, there)
            count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
            upload = csv_upload("away.csv", self.import_row(zone, there))
            response = client.post(url, {"file": upload})
            assert response.status_code == 400
            errors = [str(e) for e in response.context["result"].errors]
            assert errors == [self.import_refusal(zone, there)]
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
        response = client.post(url, {"file": csv_upload("home.csv", row)})
        assert response.status_code == 200, response.context["result"].errors
        assert response.context["result"].created == 1
        obj = self.model.objects.latest("pk")
        assert [e.actor for e in log_entries(obj, ChangeLogEntry.Action.CREATE)] == [users[role]]


# -- the API -------------------------------------------------------------------------------


class EndpointCases(Walk):
    """Every role through ``/api/v1/<route>/``: a role without the action at all is answered
    403; an object outside its scope is answered 404 (and never counted), and a new object
    filed outside it is a 400. Every write is logged as the token's user's. A read-only
    endpoint answers a write 405 to a role that has the action, 403 to one that has not, and
    changes nothing."""

    # the router's prefix, e.g. "registry/parks"
    route: str = ""
    # written down by hand: the endpoint takes no writes
    read_only = False
    # narrows the list to what ``reach`` returns
    list_query = ""

    def payload(self, zone, at: Place) -> dict:
        """A new object filed at ``at``; the answer echoes every key."""
        raise NotImplementedError

    def away_error(self, zone, at: Place) -> dict:
        """The 400 answer to a new object filed at ``at``, outside the user's scope."""
        if getattr(self.model, "scope_paths", {}).get("park") == "park":
            # Parks the user may not file into are not choices.
            return {"park": [f"Object with code={at.park.code} does not exist."]}
        return API_SCOPE_ERROR

    @pytest.fixture
    def api(self, built, db):
        """A client that authenticates as ``role`` with a Bearer token, in English."""

        def make(role: str) -> Client:
            key = built.tokens[role]
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
            client.handler = built.handler
            return client

        return make

    @property
    def endpoint(self) -> str:
        return f"{API_ROOT}/{self.route}/"

    @pytest.mark.parametrize("role", ROLES)
    def test_role_keeps_to_its_actions_and_scope(self, zone, users, api, role, subtests):
        client = api(role)
        checks = [self.check_reads]
        if self.read_only:
            checks.append(self.check_no_writes)
        else:
            checks += [self.check_update, self.check_create, self.check_delete]
        # One test per role and endpoint, so the zone is read once for all checks.
        for check in checks:
            with subtests.test(check.__name__):
                check(zone, client, role, users[role])

    def check_reads(self, zone, client, role, actor):
        """Lists count exactly the scope; details outside it are 404."""
        scope = self.scopes(role)["view"]
        url = self.endpoint
        if scope is NO:
            response = client.get(url)
            assert (response.status_code, response.json()) == (403, FORBIDDEN)
            detail = client.get(f"{url}{self.reach(zone, ALL)[0].pk}/")
            assert (detail.status_code, detail.json()) == (403, FORBIDDEN)
            return
        inside = self.reach(zone, scope)
        count, ids = listed(client, f"{url}?{self.list_query}" if self.list_query else url)
        assert (count, sorted(ids)) == (len(inside), pks(inside))
        for obj in inside[:1] + inside[-1:]:
            detail = client.get(f"{url}{obj.pk}/")
            assert (detail.status_code, detail.json()["id"]) == (200, obj.pk)
        for obj in self.outside(zone, scope):
            detail = client.get(f"{url}{obj.pk}/")
            assert (detail.status_code, detail.json()) == (404, not_found(self.model))

    def check_no_writes(self, zone, client, role, actor):
        """Every write is refused: 405 to a role with the action, 403 to one without."""
        rights = self.scopes(role)
        target = self.reach(zone, ALL)[-1]
        before, count = target.updated, self.model.objects.count()
        for method, action, url in (
            ("post", "add", self.endpoint),
            ("put", "change", f"{self.endpoint}{target.pk}/"),
            ("patch", "change", f"{self.endpoint}{target.pk}/"),
            ("delete", "delete", f"{self.endpoint}{target.pk}/"),
        ):
            response = getattr(client, method)(url, {}, "application/json")
            expected = (403, FORBIDDEN) if rights[action] is NO else (405, not_allowed(method))
            assert (response.status_code, response.json()) == expected, method
        assert self.model.objects.count() == count
        assert self.model.objects.get(pk=target.pk).updated == before

    def check_update(self, zone, client, role, actor):
        """Changes inside the scope are saved; outside it they are 404 and change nothing."""
        scope = self.scopes(role)["change"]
        field, value = self.change
        url = self.endpoint
        if scope is NO:
            target = self.reach(zone, ALL)[-1]
            before = getattr(target, field)
            response = client.patch(f"{url}{target.pk}/", {field: value}, "application/json")
            assert (response.status_code, response.json()) == (403, FORBIDDEN)
            target.refresh_from_db()
            assert getattr(target, field) == before
            return
        inside = self.reach(zone, scope)
        target = inside[-1]
        before = getattr(target, field)
        read_at = client.get(f"{url}{target.pk}/")["ETag"]
        response = client.patch(
            f"{url}{target.pk}/", {field: value}, "application/json", HTTP_IF_MATCH=read_at
        )
        assert (response.status_code, response.json()[field]) == (200, value)
        assert response["ETag"] not in ("", read_at)
        target.refresh_from_db()
        assert getattr(target, field) == value
        (entry,) = log_entries(target, ChangeLogEntry.Action.UPDATE)
        assert (entry.actor, list(entry.changes)) == (actor, [field])
        # a second write at the version read before the first is refused, and names the
        # version there is now
        stale = client.patch(
            f"{url}{target.pk}/", {field: before}, "application/json", HTTP_IF_MATCH=read_at
        )
        current = response["ETag"]
        assert (stale.status_code, stale.json()) == (
            409,
            {"detail": STALE_ERROR, "version": current.strip('"')},
        )
        assert stale["ETag"] == current
        target.refresh_from_db()
        assert getattr(target, field) == value
        for obj in self.outside(zone, scope):
            before = getattr(obj, field)
            response = client.patch(f"{url}{obj.pk}/", {field: value}, "application/json")
            assert (response.status_code, response.json()) == (404, not_found(self.model))
            obj.refresh_from_db()
            assert getattr(obj, field) == before

    def check_create(self, zone, client, role, actor):
        """New objects are filed inside the scope; one filed outside it is a 400."""
        scope = self.scopes(role)["add"]
        url = self.endpoint
        self.vacate(zone, home(zone))
        before = self.model.objects.count()
        data = self.payload(zone, home(zone))
        response = client.post(url, data, "application/json")
        if scope is NO:
            assert (response.status_code, response.json()) == (403, FORBIDDEN)
            assert self.model.objects.count() == before
            return
        assert response.status_code == 201, response.content
        created = response.json()
        assert {k: created[k] for k in data} == data
        obj = self.model.objects.get(pk=created["id"])
        assert [e.actor for e in log_entries(obj, ChangeLogEntry.Action.CREATE)] == [actor]
        if (there := away(zone, scope)) is not None:
            self.vacate(zone, there)
            before = self.model.objects.count()
            response = client.post(url, self.payload(zone, there), "application/json")
            assert (response.status_code, response.json()) == (400, self.away_error(zone, there))
            assert self.model.objects.count() == before

    def check_delete(self, zone, client, role, actor):
        """Deletes inside the scope go through; outside it they are 404 and delete nothing."""
        scope = self.scopes(role)["delete"]
        url = self.endpoint
        spare = self.spare(zone, home(zone))
        response = client.delete(f"{url}{spare.pk}/")
        if scope is NO:
            assert (response.status_code, response.json()) == (403, FORBIDDEN)
            assert self.model.objects.filter(pk=spare.pk).exists()
            return
        assert (response.status_code, response.content) == (204, b"")
        assert not self.model.objects.filter(pk=spare.pk).exists()
        assert [e.actor for e in log_entries(spare, ChangeLogEntry.Action.DELETE)] == [actor]
        for obj in self.outside(zone, scope):
            response = client.delete(f"{url}{obj.pk}/")
            assert (response.status_code, response.json()) == (404, not_found(self.model))
            assert self.model.objects.filter(pk=obj.pk).exists()


@contextlib.contextmanager
def audit_unguarded():
    """The audit logs without their triggers, inside the test's transaction: as they were
    before a migration made them append-only, or as someone with the tables' owner's
    rights could make them."""
    audit.unguard(connection, audit.GUARDED)
    try:
        yield
    finally:
        audit.guard(connection, audit.GUARDED)
