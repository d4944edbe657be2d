"""The generic view walk: every page of a model, for every role, against a table of scopes.

Shape after NetBox's ``utilities/testing/views.py``. A model's test class names the model,
writes down by hand what each role may do (a table copied from ``beacon.core.roles``, never
computed with ``beacon.core.permissions``: a test that derives its expectations from the code
under test cannot fail), says which of the conftest ``zone`` objects each scope reaches and
how to fill the model's form. ``ModelViewCases`` then walks list, search, filters, the HTMX
partial, export, detail, history, create, edit, delete and import for every role.

Scopes are labels for the conftest grants: ``ALL`` is the whole zone, ``P1`` is park P1
(the park officer's grant), ``E1`` is ``zone["p1_enterprise"]`` (the enterprise user's).
"""

from __future__ import annotations

import copy
import csv
import io
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from beacon.conftest import ROLES
from beacon.core.models import ChangeLogEntry

ACTIONS = ("view", "add", "change", "delete")
ALL, P1, E1 = "all", "P1", "E1"
NO = None

HTMX = {"HX-Request": "true"}
PER_PAGE = 50
SCOPE_ERROR = "The object would be outside your scope."
CHOICE_ERROR = "Select a valid choice. That choice is not one of the available choices."


def copied(value):
    """Fresh in-memory copies of fixture objects (a model's copy has its own field values)."""
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copied(v) for v in value]
    return copy.copy(value)


def home(zone):
    """The park and enterprise new records are filed under: inside every scope label."""
    return zone["p1"], zone["p1_enterprise"]


def away(zone, scope):
    """A park and enterprise just outside ``scope``, or None when nothing is outside it."""
    if scope == P1:
        return zone["p2"], zone["p2_enterprise"]
    if scope == E1:
        return zone["p1"], zone["p1_enterprises"][1]
    return None


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


# -- the walk ------------------------------------------------------------------------------


class ModelViewCases:
    """Every page of ``model`` for every role. Subclasses fill in the attributes below."""

    model = None
    # role -> (view, add, change, delete): the scope each action reaches, or NO
    expected: dict[str, tuple] = {}
    # export/import columns that name a row; None when the model has no import/export table
    key_columns: tuple[str, ...] | None = None
    # the import template's header row, exactly
    template_headers: list[str] | None = None
    # field and new value an edit makes
    change: tuple[str, object] = ("name_en", "Renamed")
    # form errors when a new record is filed outside the user's scope
    refusal: dict = {"__all__": [SCOPE_ERROR]}

    def reach(self, zone, scope) -> list:
        """The conftest zone's objects of ``model`` inside ``scope``."""
        raise NotImplementedError

    def queries(self, zone) -> list[tuple[dict, list]]:
        """(filter or search parameters, the zone objects they match regardless of scope)."""
        raise NotImplementedError

    def row_key(self, obj) -> tuple[str, ...]:
        """How an export row names ``obj``, in ``key_columns`` order."""
        raise NotImplementedError

    def form_data(self, zone, park, enterprise) -> dict:
        """A valid new object filed under ``park`` (and ``enterprise`` where it has one)."""
        raise NotImplementedError

    def import_row(self, zone, park, enterprise) -> dict:
        """One row of an import file for a new object filed under ``park``/``enterprise``."""
        return {}

    def import_refusal(self, park, enterprise) -> str:
        """The one import error when a row is filed under ``park``/``enterprise``, out of scope."""
        return "row 2, column park: outside your scope"

    def spare(self, zone, park, enterprise):
        """A new object nothing refers to, filed under ``park``, for deleting."""
        raise NotImplementedError

    # -- fixtures ----------------------------------------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, django_db_setup, django_db_blocker):
        """The conftest zone, one user per role and their sessions, written once per class.

        Every test runs in a savepoint inside this class-wide transaction and gets its own
        copies of the objects, so nothing one test writes or changes reaches another.
        """
        from beacon.conftest import make_user, make_zone

        md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(PASSWORD_HASHERS=md5):
                zone = make_zone()
                users = {code: make_user(code, zone) for code in ROLES}
            # One handler for every client: each new one would load the middleware again,
            # and WhiteNoise's scan of the static files is most of a small request's time.
            handler = Client().handler
            sessions = {}
            for code, user in users.items():
                client = Client()
                client.handler = handler
                client.force_login(user)
                sessions[code] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield SimpleNamespace(zone=zone, users=users, sessions=sessions, handler=handler)
            transaction.set_rollback(True)

    @pytest.fixture
    def zone(self, built, db):
        return copied(built.zone)

    @pytest.fixture
    def users(self, built, db):
        return copied(built.users)

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
    def scopes(self, role) -> dict:
        return dict(zip(ACTIONS, self.expected[role], strict=True))

    def url(self, suffix, obj=None) -> str:
        opts = self.model._meta
        args = [] if obj is None else [obj.pk]
        return reverse(f"{opts.app_label}:{opts.model_name}{suffix}", args=args)

    def outside(self, zone, scope) -> list:
        if scope == ALL:
            return []
        reached = {o.pk for o in self.reach(zone, scope)}
        return [o for o in self.reach(zone, ALL) if o.pk not in reached]

    def shown(self, objects) -> list[int]:
        """The first page of ``objects`` in the list's default order."""
        pks = [o.pk for o in objects]
        return list(self.model.objects.filter(pk__in=pks).values_list("pk", flat=True)[:PER_PAGE])

    def sample(self, zone, scope) -> list:
        return ends(self.reach(zone, scope))

    # -- the tests ---------------------------------------------------------------------
    def test_table_names_every_shipped_role(self, db):
        from beacon.core.models import Role

        assert set(self.expected) == set(Role.objects.values_list("code", flat=True))

    def test_anonymous_is_sent_to_login(self, zone, client):
        obj = self.reach(zone, ALL)[0]
        for url in (self.url("_list"), self.url("", obj), self.url("_add")):
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
        assert table_pks(page, self.model) == self.shown(expected)
        partial = client.get(url, headers=HTMX)
        assert partial.status_code == 200
        assert "<html" not in partial.content.decode()
        assert result_count(partial) == len(expected)
        assert table_pks(partial, self.model) == self.shown(expected)

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
            assert table_pks(response, self.model) == self.shown(expected), params

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
        client, scope = client_for(role), self.scopes(role)["view"]
        if scope is NO:
            hidden, visible = self.sample(zone, ALL), []
        else:
            hidden, visible = self.outside(zone, scope), self.sample(zone, scope)
        for obj in visible:
            assert client.get(self.url("", obj)).status_code == 200
            assert client.get(self.url("_history", obj)).status_code == 200
        for obj in hidden:
            assert client.get(self.url("", obj)).status_code == 404
            assert client.get(self.url("_history", obj)).status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    def test_create_holds_the_scope_and_is_logged(self, zone, users, client_for, role):
        client, scope, url = client_for(role), self.scopes(role)["add"], self.url("_add")
        count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
        data = self.form_data(zone, *home(zone))
        if scope is NO:
            assert client.get(url).status_code == 404
            assert client.post(url, data).status_code == 404
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
            return
        assert client.get(url).status_code == 200
        if away(zone, scope) is not None:
            response = client.post(url, self.form_data(zone, *away(zone, scope)))
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
                assert client.post(url, {field: value}).status_code == 404
                assert self.model.objects.get(pk=obj.pk).updated == obj.updated
            return
        for obj in ends(self.outside(zone, scope)):
            url = self.url("_edit", obj)
            assert client.get(url).status_code == 404
            assert client.post(url, {field: value}).status_code == 404
            assert self.model.objects.get(pk=obj.pk).updated == obj.updated
        obj = self.reach(zone, scope)[0]
        url = self.url("_edit", obj)
        page = client.get(url)
        assert page.status_code == 200
        before = getattr(obj, field)
        response = client.post(url, {**post_data(page.context["form"]), field: value})
        assert response.status_code == 302, response.context["form"].errors
        assert response.url == obj.get_absolute_url()
        obj.refresh_from_db()
        assert getattr(obj, field) == value
        (entry,) = log_entries(obj, ChangeLogEntry.Action.UPDATE)
        assert entry.actor == users[role]
        assert entry.changes[field] == [str(before), str(value)]

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
        obj = self.spare(zone, *home(zone))
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
        count, logged = self.model.objects.count(), ChangeLogEntry.objects.count()
        row = self.import_row(zone, *home(zone))
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
        if away(zone, scope) is not None:
            park, enterprise = away(zone, scope)
            upload = csv_upload("away.csv", self.import_row(zone, park, enterprise))
            response = client.post(url, {"file": upload})
            assert response.status_code == 400
            errors = [str(e) for e in response.context["result"].errors]
            assert errors == [self.import_refusal(park, enterprise)]
            assert (self.model.objects.count(), ChangeLogEntry.objects.count()) == (count, logged)
        response = client.post(url, {"file": csv_upload("home.csv", row)})
        assert response.status_code == 200, response.context["result"].errors
        assert response.context["result"].created == 1
        obj = self.model.objects.latest("pk")
        assert [e.actor for e in log_entries(obj, ChangeLogEntry.Action.CREATE)] == [users[role]]
