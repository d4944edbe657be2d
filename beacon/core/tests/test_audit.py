"""The audit logs are append-only in the database itself, and only the archive removes."""

import datetime as dt
import io
import json
from importlib import import_module

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from beacon.conftest import PASSWORD
from beacon.core import audit, chain
from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord, User, logins
from beacon.core.testing import audit_unguarded

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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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


# -- the hash chain ---------------------------------------------------------------------------


def verify_fails() -> str:
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", stdout=io.StringIO())
    return str(info.value)


def verify_out(*args) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chained(zone, users):
    """Rows in every log, single and bulk, from the application's own paths."""
    Client().post("/login/", {"username": "leader", "password": "wrong"})
    client = Client()
    client.post("/login/", {"username": "leader", "password": PASSWORD})
    client.post("/logout/")
    from beacon.core.changelog import acting_as, bulk_create_logged
    from beacon.registry.tests import factories

    with acting_as(users["zone_admin"]):
        bulk_create_logged(type(zone["p1"]), [factories.ParkFactory.build(zone=zone["zone"])])
        zone["p2"].name = "生物医药产业园二期"
        zone["p2"].save()
    return {model: list(model.objects.order_by("chain_seq")) for model in LOGS}


def test_every_log_is_chained_in_one_order_and_verifies_whole(chained):
    for model, rows in chained.items():
        assert [r.chain_seq for r in rows] == list(range(1, len(rows) + 1))
        assert rows[0].chain_prev == chain.GENESIS
        assert [r.chain_prev for r in rows[1:]] == [r.chain_hash for r in rows[:-1]]
        assert len(rows) >= 1, model
    out = verify_out()
    for model, rows in chained.items():
        table = model._meta.db_table
        assert f"{table}: {len(rows)} rows, chain whole, last hash {rows[-1].chain_hash}" in out


def test_a_changed_row_is_named(chained):
    row = chained[ChangeLogEntry][3]
    with audit_unguarded(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s", ["forged", row.pk]
        )
    assert verify_fails() == (
        f"broken: auditlog_logentry row id {row.pk} (place {row.chain_seq}): its content does "
        "not match its hash: the row was changed after it was written"
    )


def test_a_changed_row_whose_hash_was_rewritten_is_named_by_the_next(chained):
    rows = chained[LoginRecord]
    forged = rows[0]
    forged.username = "someone-else"
    forged_hash = chain.expected_hash(forged)
    with audit_unguarded(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_loginrecord SET username = %s, chain_hash = %s WHERE id = %s",
            ["someone-else", forged_hash, forged.pk],
        )
    assert verify_fails() == (
        f"broken: core_loginrecord row id {rows[1].pk} (place 2): its previous hash is not the "
        f"hash of the row before it (row id {forged.pk}): that row was changed and its hash "
        "rewritten, or this link was"
    )


def test_a_removed_row_is_named(chained):
    rows = chained[ChangeLogEntry]
    with audit_unguarded(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [rows[1].pk])
    assert verify_fails() == (
        f"broken: auditlog_logentry row id {rows[2].pk} (place 3): place 2 expected; the rows "
        "from 2 to 2 are missing (removed)"
    )


def test_missing_triggers_fail_the_verification_until_put_back(chained):
    audit.unguard(connection, {"core_loginfailure": "time"})
    assert "core_loginfailure: its append-only triggers are missing" in verify_fails()
    call_command("audit", "guard")
    assert "chain whole" in verify_out()
    assert refused("DELETE FROM core_loginfailure")


def test_the_migration_chains_the_rows_written_before_as_the_application_does(chained):
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("beacon.core.migrations.0007_audit_hash_chain")
    state = MigrationLoader(connection).project_state(("core", "0007_audit_hash_chain")).apps
    with audit_unguarded(), connection.cursor() as cursor:
        for model in LOGS:
            cursor.execute(
                f"UPDATE {model._meta.db_table}"
                " SET chain_seq = -id, chain_prev = '', chain_hash = ''"
            )
        migration.chain_rows(state, None)
    for model, rows in chained.items():
        assert list(model.objects.order_by("chain_seq")) == rows
        assert [r.chain_hash for r in model.objects.order_by("chain_seq")] == [
            r.chain_hash for r in rows
        ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_chain_one_after_the_other():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def write(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    LoginRecord.objects.create(kind="login", username=f"w{n}-{i}")
                    LoginFailure.objects.create(username=f"w{n}-{i}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert LoginRecord.objects.count() == LoginFailure.objects.count() == 40
    assert "core_loginrecord: 40 rows, chain whole" in verify_out()


# -- retention and the archive ----------------------------------------------------------------


def archive(before, out) -> str:
    stdout = io.StringIO()
    call_command("audit", "archive", "--before", str(before), "--out", str(out), stdout=stdout)
    return stdout.getvalue()


@pytest.fixture
def aged(zone):
    """Login rows 400 and 300 days old, then one of today; failures old and new."""
    now = timezone.now()
    old = [now - dt.timedelta(days=400), now - dt.timedelta(days=300)]
    rows = [
        LoginRecord.objects.create(kind="login", username=f"u{i}", time=t)
        for i, t in enumerate(old)
    ]
    rows.append(LoginRecord.objects.create(kind="login", username="today"))
    LoginFailure.objects.create(username="old", time=old[0])
    LoginFailure.objects.create(username="new")
    return rows


def test_the_archive_refuses_a_date_that_takes_rows_younger_than_183_days(aged, tmp_path):
    latest = audit.latest_archivable()
    assert latest == timezone.localdate() - dt.timedelta(days=183)
    too_late = latest + dt.timedelta(days=1)
    with pytest.raises(CommandError) as info:
        archive(too_late, tmp_path / "a.jsonl")
    assert str(info.value) == (
        f"refused: --before {too_late} would take rows younger than 183 days, which are kept; "
        f"the latest date allowed today is {latest}"
    )
    assert LoginRecord.objects.count() == 3 and not (tmp_path / "a.jsonl").exists()
    with pytest.raises(CommandError, match="--before: 2026-13-01 is not a date"):
        archive("2026-13-01", tmp_path / "a.jsonl")


def test_the_archive_moves_old_rows_to_a_file_that_verifies_and_the_rest_still_verifies(
    aged, tmp_path
):
    out = tmp_path / "audit.jsonl"
    kept_changes = ChangeLogEntry.objects.count()
    printed = archive(audit.latest_archivable(), out)
    assert "core_loginrecord: 2 rows archived" in printed
    assert "core_loginfailure: 1 rows archived" in printed
    assert "auditlog_logentry: 0 rows archived" in printed
    assert list(LoginRecord.objects.values_list("username", flat=True)) == ["today"]
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["new"]
    # the anchor is a recorded change itself
    assert ChangeLogEntry.objects.count() == kept_changes + 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    archived = [line for line in lines if line.get("log") == "core_loginrecord" and "row" in line]
    assert [(a["id"], a["seq"], a["row"]["username"]) for a in archived] == [
        (aged[0].pk, 1, "u0"),
        (aged[1].pk, 2, "u1"),
    ]
    remaining = verify_out()
    assert "core_loginrecord: 1 rows, chain whole" in remaining
    assert "core_loginrecord: 2 rows, chain whole" in verify_out("--archive", str(out))
    # the chain goes on from the remaining rows
    LoginRecord.objects.create(kind="logout", username="today")
    assert "core_loginrecord: 2 rows, chain whole" in verify_out()
    # nothing is left to take the second time; the same file is not overwritten
    with pytest.raises(CommandError, match="exists already"):
        archive(audit.latest_archivable(), out)
    assert "core_loginrecord: 0 rows archived" in archive(
        audit.latest_archivable(), tmp_path / "again.jsonl"
    )
    assert "chain whole" in verify_out("--archive", str(tmp_path / "again.jsonl"))


def test_a_log_archived_whole_chains_on_from_its_anchor(zone, tmp_path):
    LoginFailure.objects.create(username="old", time=timezone.now() - dt.timedelta(days=200))
    archive(audit.latest_archivable(), tmp_path / "a.jsonl")
    assert not LoginFailure.objects.exists()
    LoginFailure.objects.create(username="new")
    row = LoginFailure.objects.get()
    assert row.chain_seq == 2
    assert "core_loginfailure: 1 rows, chain whole" in verify_out()


def test_an_old_row_chained_after_a_young_one_stays_so_the_rest_is_whole(zone, tmp_path):
    LoginRecord.objects.create(kind="login", username="young")
    LoginRecord.objects.create(
        kind="login", username="late", time=timezone.now() - dt.timedelta(days=300)
    )
    assert "core_loginrecord: 0 rows archived" in archive(
        audit.latest_archivable(), tmp_path / "a.jsonl"
    )
    assert LoginRecord.objects.count() == 2


def test_a_changed_archive_file_is_named(aged, tmp_path):
    out = tmp_path / "audit.jsonl"
    archive(audit.latest_archivable(), out)
    lines = out.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if '"username": "u1"' in line)
    lines[at] = lines[at].replace('"u1"', '"forged"')
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError) as info:
        verify_out("--archive", str(out))
    assert str(info.value) == (
        f"broken: core_loginrecord row id {aged[1].pk} (place 2): its content does not match "
        "its hash: the row was changed after it was written"
    )
    cut = [line for line in lines if '"forged"' not in line]
    out.write_text("\n".join(cut) + "\n")
    with pytest.raises(CommandError, match="rows are missing from its end"):
        verify_out("--archive", str(out))


def test_the_archive_refuses_to_move_a_broken_chain(aged, tmp_path):
    with audit_unguarded(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_loginrecord SET username = 'x' WHERE id = %s", [aged[0].pk])
    with pytest.raises(CommandError, match="refused: the chain is broken, core_loginrecord row"):
        archive(audit.latest_archivable(), tmp_path / "a.jsonl")
    assert LoginRecord.objects.count() == 3 and not (tmp_path / "a.jsonl").exists()


def test_a_row_loaded_back_keeps_its_links_and_the_chain_still_verifies(chained):
    from django.core import serializers

    rows = chained[LoginRecord]
    dumped = serializers.serialize("json", rows)
    with audit_unguarded():
        LoginRecord.objects.all().delete()
    for loaded in serializers.deserialize("json", dumped):
        loaded.save()
    assert [
        (r.pk, r.chain_seq, r.chain_hash) for r in LoginRecord.objects.order_by("chain_seq")
    ] == [(r.pk, r.chain_seq, r.chain_hash) for r in rows]
    assert f"core_loginrecord: {len(rows)} rows, chain whole" in verify_out()
