"""The audit logs are append-only in the database itself, and only the archive removes."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from beacon.conftest import PASSWORD
from beacon.core import audit
from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord, User, logins

pytestmark = pytest.mark.django_db

LOGS = (ChangeLogEntry, LoginRecord, LoginFailure)


def refused(sql: str, params=()) -> str:
    """Run ``sql`` and answer the database's refusal (the test fails if it is let through)."""
    with pytest.raises(DatabaseError) as info, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(info.value)


@pytest.fixture
def log_rows(zone):
    old = timezone.now() - dt.timedelta(days=400)
    LoginRecord.objects.create(kind="login", username="anna", time=old)
    LoginFailure.objects.create(username="anna", time=old)
    return {model: model.objects.order_by("pk").first() for model in LOGS}


@pytest.mark.parametrize("model", LOGS, ids=lambda m: m._meta.db_table)
def test_no_row_of_a_log_is_updated_or_deleted_by_any_statement(log_rows, model):
    row, table = log_rows[model], model._meta.db_table
    message = refused(f"UPDATE {table} SET id = id WHERE id = %s", [row.pk])
    assert f"{table} is append-only: UPDATE refused" in message
    message = refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert f"{table} is append-only: DELETE refused" in message
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{"id": row.pk})
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", LOGS, ids=lambda m: m._meta.db_table)
def test_the_archive_release_lets_only_older_rows_go_and_only_in_its_transaction(log_rows, model):
    row, table = log_rows[model], model._meta.db_table
    time_column = audit.GUARDED[table]
    row_time = getattr(row, time_column)
    with transaction.atomic(), audit.releasing(row_time):
        # the cut-off is the row's own time: the row is not older, so it stays
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=row.pk).delete()
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(**{"id": row.pk})
    assert refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    with transaction.atomic(), audit.releasing(row_time + dt.timedelta(seconds=1)):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert not model.objects.filter(pk=row.pk).exists()
    # released no longer: the next row is kept
    newer = model.objects.order_by("pk").first()
    if newer is not None:
        assert refused(f"DELETE FROM {table} WHERE id = %s", [newer.pk])


@pytest.mark.django_db(transaction=True)
def test_the_release_is_refused_outside_a_transaction():
    with pytest.raises(RuntimeError):
        with audit.releasing(timezone.now()):
            pass


def test_a_logout_is_a_row_of_its_own_and_the_login_keeps_its_time(users):
    client = Client()
    client.post("/login/", {"username": "leader", "password": PASSWORD})
    login = LoginRecord.objects.get(username="leader")
    client.post("/logout/")
    rows = list(LoginRecord.objects.filter(username="leader").order_by("time", "id"))
    assert [r.kind for r in rows] == ["login", "logout"]
    assert rows[0] == login and rows[0].time == login.time
    assert rows[1].session_hash == login.session_hash != ""
    assert [(r.username, r.logout_time) for r in logins(LoginRecord.objects.all())] == [
        ("leader", rows[1].time)
    ]


def test_an_account_that_acted_is_not_deleted(users, zone):
    leader = users["zone_admin"]
    from beacon.core.changelog import acting_as

    with acting_as(leader):
        zone["p1"].name = "新能源汽车产业园二期"
        zone["p1"].save()
    assert ChangeLogEntry.objects.filter(actor=leader).exists()
    with pytest.raises(ProtectedError):
        leader.delete()
    assert User.objects.filter(pk=leader.pk).exists()


def test_the_runtime_grants_are_for_postgresql_only():
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL test below applies them")
    with pytest.raises(CommandError, match="grant-runtime is for PostgreSQL"):
        call_command("audit", "grant-runtime", "beacon_app")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_the_runtime_role_adds_to_the_logs_and_can_neither_change_nor_remove(log_rows):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE beacon_runtime_test NOLOGIN")
    call_command("audit", "grant-runtime", "beacon_runtime_test", "--apply", stdout=None)
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE beacon_runtime_test")
    try:
        for model in LOGS:
            table, row = model._meta.db_table, log_rows[model]
            for sql in (
                f"UPDATE {table} SET id = id WHERE id = %s",
                f"DELETE FROM {table} WHERE id = %s",
            ):
                assert f"permission denied for table {table}" in refused(sql, [row.pk])
            assert "permission denied" in refused(f"TRUNCATE {table}")
            # even inside a release: the runtime role may not delete at all
            with pytest.raises(DatabaseError), transaction.atomic():
                with audit.releasing(timezone.now()), connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
        # it serves: reads and writes the business tables and adds to the logs
        LoginRecord.objects.create(kind="login", username="anna")
        User.objects.filter(username="leader").update(first_name="L")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
