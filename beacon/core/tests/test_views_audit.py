"""The audit trail pages: only the auditor reads them, nobody edits or deletes an entry."""

import re

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from beacon.conftest import PASSWORD, ROLES
from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord, User
from beacon.core.testing import HTMX, post_data, result_count
from beacon.registry.models import Enterprise

pytestmark = pytest.mark.django_db

AUDIT_PAGES = ("/audit/changelog/", "/audit/logins/", "/audit/logins/failed/")


def table_cells(response) -> list[list[str]]:
    """The list table's rows, each cell as its text."""
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in body.split("<tr")[1:]
    ]


def log_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", AUDIT_PAGES)
def test_only_the_auditor_sees_the_audit_pages(client_for, role, path):
    client = client_for(role)
    expected = 200 if role == "auditor" else 404
    assert client.get(path).status_code == expected
    assert client.get(path, headers=HTMX).status_code == expected


@pytest.mark.parametrize("path", AUDIT_PAGES)
def test_audit_pages_need_a_login(client, path):
    response = client.get(path)
    assert (response.status_code, response.url) == (302, f"/login/?next={path}")


@pytest.mark.parametrize("path", AUDIT_PAGES)
def test_audit_pages_take_no_writes(client_for, path):
    auditor = client_for("auditor")
    for method in (auditor.post, auditor.put, auditor.patch, auditor.delete):
        assert method(path).status_code == 405


def test_no_page_edits_or_deletes_a_change_log_entry(zone, client_for):
    entry = ChangeLogEntry.objects.first()
    auditor = client_for("auditor")
    for suffix in ("", "edit/", "delete/"):
        assert auditor.get(f"/audit/changelog/{entry.pk}/{suffix}").status_code == 404
        assert auditor.post(f"/audit/changelog/{entry.pk}/{suffix}").status_code == 404
    assert ChangeLogEntry.objects.filter(pk=entry.pk).exists()


def test_change_log_shows_who_when_before_and_after(zone, client_for):
    enterprise = zone["p1_enterprise"]
    admin = client_for("zone_admin")
    url = f"/registry/enterprises/{enterprise.pk}/edit/"
    data = {**post_data(admin.get(url).context["form"]), "name_en": "Renamed Co."}
    assert admin.post(url, data).status_code == 302
    entry = ChangeLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Enterprise),
        object_pk=str(enterprise.pk),
        action=ChangeLogEntry.Action.UPDATE,
    )
    page = client_for("auditor").get("/audit/changelog/", {"actor": "zone_admin"})
    assert result_count(page) == 1
    assert table_cells(page) == [
        [
            timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            "zone_admin",
            "update",
            "Registry | enterprise",
            "Renamed Co.",
            f"name_en: {enterprise.name_en} → Renamed Co.",
            "127.0.0.1",
        ]
    ]


def test_change_log_search_finds_the_object(zone, client_for):
    parcel = zone["p2_parcel"]
    page = client_for("auditor").get("/audit/changelog/", {"search": parcel.code})
    assert [row[4] for row in table_cells(page)] == [parcel.code]


def test_failed_and_successful_logins_are_in_the_login_logs(users, client_for):
    anonymous = Client()
    assert log_in(anonymous, "leader", "wrong").status_code == 200
    assert log_in(anonymous, "leader", PASSWORD).status_code == 302
    auditor = client_for("auditor")
    failed = table_cells(auditor.get("/audit/logins/failed/"))
    assert [(row[1], row[2], row[4]) for row in failed] == [("leader", "127.0.0.1", "✘")]
    logins = table_cells(auditor.get("/audit/logins/"))
    # the auditor's own login is recorded as well (a test login, so without an address)
    assert [(row[1], row[2]) for row in logins] == [("auditor", "—"), ("leader", "127.0.0.1")]


def test_repeated_failures_lock_the_account(users, client_for, settings):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    statuses = [log_in(client, "leader", "wrong").status_code for _ in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    # locked: even the right password is refused now
    assert log_in(client, "leader", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # the lock is the account's: another user at the same address still gets in
    assert log_in(Client(), "promoter", PASSWORD).status_code == 302
    failures = LoginFailure.objects.filter(username="leader").order_by("time", "id")
    assert [f.locked_out for f in failures] == [False] * (limit - 1) + [True, True]
    failed = table_cells(client_for("auditor").get("/audit/logins/failed/"))
    assert [row[4] for row in failed] == ["✔", "✔"] + ["✘"] * (limit - 1)


# -- the Django admin ------------------------------------------------------------------------

LOG_ADMINS = (
    "core/changelogentry",
    "core/loginrecord",
    "core/loginfailure",
    "axes/accesslog",
    "axes/accessfailurelog",
)


@pytest.fixture
def log_records(zone):
    AccessLog.objects.create(username="leader", ip_address="127.0.0.1", user_agent="t")
    AccessFailureLog.objects.create(username="leader", ip_address="127.0.0.1", user_agent="t")
    return {
        "core/changelogentry": ChangeLogEntry.objects.first(),
        "core/loginrecord": LoginRecord.objects.create(kind="login", username="leader"),
        "core/loginfailure": LoginFailure.objects.create(username="leader"),
        "axes/accesslog": AccessLog.objects.get(username="leader"),
        "axes/accessfailurelog": AccessFailureLog.objects.get(username="leader"),
    }


@pytest.fixture
def staff_client(users):
    """A client for ``role`` made staff, as if a deployment let every role into the admin."""

    def make(role):
        if role == "superuser":
            user = User.objects.create_superuser("root", password=PASSWORD)
        else:
            user = users[role]
            user.is_staff = True
            user.save()
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return make


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
@pytest.mark.parametrize("admin", LOG_ADMINS)
def test_the_admin_lists_logs_only_to_readers_and_never_changes_them(
    log_records, staff_client, role, admin
):
    client, record = staff_client(role), log_records[admin]
    readable = role in ("auditor", "superuser")
    base = f"/admin/{admin}/"
    assert client.get(base).status_code == (200 if readable else 403)
    assert client.get(f"{base}{record.pk}/change/").status_code == (200 if readable else 403)
    assert client.post(f"{base}{record.pk}/change/", {"username": "x"}).status_code == 403
    assert client.get(f"{base}{record.pk}/delete/").status_code == 403
    assert client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    # no delete action is offered, so the changelist comes back with nothing done
    assert client.post(base, bulk).status_code == (200 if readable else 403)
    unchanged = type(record).objects.get(pk=record.pk)
    assert [getattr(unchanged, f.attname) for f in unchanged._meta.concrete_fields] == [
        getattr(record, f.attname) for f in record._meta.concrete_fields
    ]
