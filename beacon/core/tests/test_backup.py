"""``beacon backup`` and ``beacon restore``: every table comes back row for row, a damaged,
altered or foreign file is refused before anything is written, and a restore is recorded.

The rows are compared as the database driver returns them (``SELECT *``), not through the
backup's own reading, on a demo zone with a row in nearly every table.
"""

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from beacon.core import audit, sealed
from beacon.core import backup as backups
from beacon.core.api import throttling
from beacon.core.models import (
    ApiToken,
    AuditAnchor,
    BackupRecord,
    ChangeLogEntry,
    LoginFailure,
    ScopeGrant,
    User,
)
from beacon.core.tests.test_query_counts import made_elsewhere
from beacon.jobs import services as jobs
from beacon.registry.models import Enterprise, Park, Talent

PASSPHRASE = "correct horse battery staple"
# What a restore adds after the backup's rows: its record and the record's log entry.
RESTORE_ADDS = {"core_backuprecord", "auditlog_logentry"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small demo zone with every station, and a row in the tables it leaves empty."""
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beacon.chains.models import Chain, LinkMapping
    from beacon.chains.services import load_templates
    from beacon.demo.evaluation import build_demo_evaluation
    from beacon.demo.promotion import build_demo_promotion
    from beacon.demo.supervision import build_demo_supervision
    from beacon.demo.writer import build_demo_zone
    from beacon.promotion.models import Lead, LeadDocument

    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_zone(enterprises=60)
        build_demo_evaluation()
        build_demo_promotion()
        build_demo_supervision()
        admin = User.objects.get(username="admin")
        load_templates(admin)
        made_elsewhere(admin, tmp_path_factory.mktemp("candidates") / "companies.csv")
        ApiToken.issue(admin, "nightly export")
        group = Group.objects.create(name="unused")
        group.permissions.add(Permission.objects.first())
        admin.groups.add(group)
        admin.user_permissions.add(Permission.objects.last())
        LogEntry.objects.log_actions(admin.pk, [admin], ADDITION, single_object=True)
        Client().force_login(admin)  # a session
        login = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "admin"}
        login |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
        AccessLog.objects.create(**login)
        AccessFailureLog.objects.create(**login, locked_out=False)
        attempt = AccessAttempt.objects.create(
            **login, get_data="", post_data="", failures_since_start=1
        )
        AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
        chain, enterprise = Chain.objects.first(), Enterprise.objects.first()
        LinkMapping.objects.create(chain=chain, link="电池", enterprise=enterprise, include=True)
        LeadDocument.objects.create(
            lead=Lead.objects.first(),
            title="意向书",
            file="leads/2026/12/a.pdf",
            kind="pdf",
            size=9,
        )
        LoginFailure.objects.create(username="admin", ip_address="10.0.0.1", path="/login/")
        # a row in the anchors' table, for a log that has none: the chains stay as they are
        AuditAnchor.objects.create(
            log_table="no_log", chain_seq=1, chain_hash="0" * 64, rows=1, before=timezone.now()
        )
        TOTPDevice.objects.create(user=admin, name="phone")
        StaticDevice.objects.create(user=admin, name="backup").token_set.create(token="abc123")
        yield admin
        transaction.set_rollback(True)


def table_rows() -> dict[str, list]:
    """Every table's rows as the driver reads them, in a stable order."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = sorted(cursor.fetchall(), key=repr)
    return out


def manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read(backups.MANIFEST))


def checksums(path: Path) -> dict[str, str]:
    return {t["table"]: t["sha256"] for t in manifest(path)["tables"]}


def without_restore(rows: dict[str, list], before: dict[str, list]) -> dict[str, list]:
    """``rows`` without what the restore added after the backup's rows (ids above the
    highest the original had)."""
    out = dict(rows)
    with connection.cursor() as cursor:
        for table in RESTORE_ADDS:
            columns = connection.introspection.get_table_description(cursor, table)
            at = [c.name for c in columns].index("id")
            top = max((r[at] for r in before[table]), default=0)
            out[table] = [r for r in rows[table] if r[at] <= top]
    return out


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the backup ``source`` with ``change(name, data) -> data`` applied to each
    member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info)))
    return target


@pytest.fixture
def data(demo, db):
    return demo


def test_a_restore_brings_back_every_table_after_changes(data, tmp_path):
    # an API request's tally and a cache entry, which the demo makes none of
    throttling.count("token:1", 1)
    cache.set("backed-up", "like any table")
    # a queued background job and a worker's heartbeat, which it makes none of either
    admin = User.objects.get(username="admin")
    jobs.enqueue(admin, "evaluation.run", "评价", scheme=1, year=2024, note="")
    jobs.register_worker("worker-1")
    original = table_rows()
    # a row in every table but the record of backups, which the backup itself adds to
    assert {t for t, rows in original.items() if not rows} == {"core_backuprecord"}
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    taken = checksums(path)
    assert set(taken) == set(original)  # every table of the database, none left out

    enterprise = Enterprise.objects.order_by("pk").first()
    enterprise.name = "改过的名称"
    enterprise.save()
    Talent.objects.order_by("pk").last().delete()
    Park.objects.create(zone=enterprise.park.zone, code="NEW", name="新园区")
    data.groups.clear()
    ScopeGrant.objects.order_by("pk").first().delete()
    assert table_rows() != original

    call_command("restore", str(path), "--yes")

    assert without_restore(table_rows(), original) == original
    again = tmp_path / "again.zip"
    call_command("backup", "--out", str(again))
    changed = {t for t, digest in checksums(again).items() if digest != taken[t]}
    assert changed == RESTORE_ADDS


def test_a_restore_refills_every_table_emptied(data, tmp_path):
    original = table_rows()
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    kept = "django_migrations"  # a restore checks the migrations against this table
    emptied = [t for t in original if t != kept]
    with connection.cursor() as cursor, backups._append_only_lifted(cursor, emptied):
        for table in emptied:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    assert all(not rows for t, rows in table_rows().items() if t != kept)

    call_command("restore", str(path), "--yes")

    assert without_restore(table_rows(), original) == original


APPEND_ONLY = {
    # what a trigger that keeps the change log append-only looks like on each database
    "sqlite": [
        "CREATE TRIGGER test_append_only BEFORE DELETE ON auditlog_logentry "
        "BEGIN SELECT RAISE(ABORT, 'append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'append-only'; END $$",
        "CREATE TRIGGER test_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry "
        "FOR EACH ROW EXECUTE FUNCTION test_refuse()",
        "CREATE TRIGGER test_no_truncate BEFORE TRUNCATE ON auditlog_logentry "
        "FOR EACH STATEMENT EXECUTE FUNCTION test_refuse()",
    ],
}


def test_a_restore_replaces_an_append_only_log_and_leaves_it_append_only(data, tmp_path):
    original = table_rows()
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    with connection.cursor() as cursor:
        for sql in APPEND_ONLY[connection.vendor]:
            cursor.execute(sql)
    Talent.objects.order_by("pk").first().delete()  # an entry more in the log

    call_command("restore", str(path), "--yes")

    assert without_restore(table_rows(), original) == original
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChangeLogEntry.objects.filter(pk=ChangeLogEntry.objects.first().pk).delete()


def test_a_restore_is_recorded_in_the_change_log(data, tmp_path, capsys):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    sha = capsys.readouterr().out.split("manifest sha256 ")[1].strip()
    last_before = ChangeLogEntry.objects.order_by("-id").first()

    call_command("restore", str(path), "--yes")

    record = BackupRecord.objects.get(kind="restore")
    assert record.manifest_sha256 == sha
    assert record.file == str(path.resolve())
    assert record.os_user and record.host
    assert record.rows == sum(t["rows"] for t in manifest(path)["tables"])
    assert f"#{last_before.pk}" in record.note
    assert timezone.now() - record.at < timedelta(hours=1)
    entry = ChangeLogEntry.objects.get_for_object(record).get()
    assert entry.action == ChangeLogEntry.Action.CREATE
    assert entry.changes["manifest_sha256"] == ["None", sha]
    # the entry follows the backup's own entries: the restored log ends with the restore,
    # and every log's hash chain is whole through it
    assert entry.pk == ChangeLogEntry.objects.order_by("-id").first().pk
    assert [r.broken for r in audit.verify()] == [None] * len(audit.chained_models())


def test_a_backup_is_recorded_and_readable_by_its_owner_only(data, tmp_path):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    assert path.stat().st_mode & 0o077 == 0
    record = BackupRecord.objects.get(kind="backup")
    assert record.file == str(path.resolve())
    assert record.manifest_sha256 == backups.open_backup(path, str).summary.sha256
    with pytest.raises(CommandError, match="exists: a backup never overwrites a file"):
        call_command("backup", "--out", str(path))


def test_an_encrypted_backup_round_trips(data, tmp_path, monkeypatch):
    monkeypatch.setenv("BEACON_BACKUP_PASSPHRASE", PASSPHRASE)
    original = table_rows()
    path = tmp_path / "zone.sealed"
    call_command("backup", "--out", str(path), "--encrypt")
    assert not zipfile.is_zipfile(path) and path.read_bytes().startswith(sealed.MAGIC)
    Talent.objects.order_by("pk").first().delete()

    call_command("restore", str(path), "--yes")

    assert without_restore(table_rows(), original) == original
    assert BackupRecord.objects.get(kind="restore").encrypted


def refused(path: Path, message: str) -> None:
    """The restore of ``path`` fails with ``message`` and leaves every table as it was."""
    before = table_rows()
    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(path), "--yes")
    assert "nothing was restored" in str(caught.value)
    assert table_rows() == before


def test_a_wrong_passphrase_is_refused(data, tmp_path, monkeypatch):
    monkeypatch.setenv("BEACON_BACKUP_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "zone.sealed"
    call_command("backup", "--out", str(path), "--encrypt")
    monkeypatch.setenv("BEACON_BACKUP_PASSPHRASE", PASSPHRASE + "!")
    refused(path, "wrong passphrase")


def test_an_altered_encrypted_file_is_refused(data, tmp_path, monkeypatch):
    monkeypatch.setenv("BEACON_BACKUP_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "zone.sealed"
    call_command("backup", "--out", str(path), "--encrypt")
    data_ = bytearray(path.read_bytes())
    data_[-100] ^= 1
    path.write_bytes(bytes(data_))
    refused(path, r"altered or damaged: chunk \d+ of \d+")


def test_a_corrupted_table_is_refused(data, tmp_path):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))

    def drop_a_row(name, data_):
        return data_.split(b"\n", 1)[1] if name == "tables/registry_enterprise.jsonl" else data_

    damaged = rewritten(path, tmp_path / "damaged.zip", drop_a_row)
    refused(damaged, "table registry_enterprise does not match its checksum")
    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(path.read_bytes()[:-5000])
    refused(truncated, "not a Beacon backup, or damaged")


def test_rows_the_database_refuses_roll_the_whole_restore_back(data, tmp_path):
    """A file whose checksums were made to match, with two rows of the same key."""
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    table = "registry_park"

    def doubled(name, data_):
        if name == f"tables/{table}.jsonl":
            return data_ + data_.split(b"\n", 1)[0] + b"\n"
        if name == backups.MANIFEST:
            found = json.loads(data_)
            with zipfile.ZipFile(path) as z:
                body = z.read(f"tables/{table}.jsonl")
            body += body.split(b"\n", 1)[0] + b"\n"
            for entry in found["tables"]:
                if entry["table"] == table:
                    entry["rows"] += 1
                    entry["sha256"] = backups.hashlib.sha256(body).hexdigest()
            return json.dumps(found).encode()
        return data_

    forged = rewritten(path, tmp_path / "forged.zip", doubled)
    refused(forged, f"table {table}, rows 1-\\d+: the database refused them")


def test_a_backup_of_other_migrations_is_refused(data, tmp_path):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))

    def older(name, data_):
        if name != backups.MANIFEST:
            return data_
        found = json.loads(data_)
        found["migrations"]["core"].remove("0010_backup_records")
        return json.dumps(found).encode()

    refused(
        rewritten(path, tmp_path / "older.zip", older),
        "other migrations than this database has.*Only in this database: core.0010_backup_records",
    )


def test_a_file_that_is_not_a_backup_is_refused(data, tmp_path):
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    refused(path, "not a Beacon backup, or damaged")


def test_check_verifies_and_writes_nothing(data, tmp_path, capsys):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    Talent.objects.order_by("pk").first().delete()
    before = table_rows()
    call_command("restore", str(path), "--check")
    assert "every checksum verified" in capsys.readouterr().out
    assert table_rows() == before


def test_without_yes_and_without_a_terminal_nothing_is_restored(data, tmp_path):
    path = tmp_path / "zone.zip"
    call_command("backup", "--out", str(path))
    refused(path.with_name("x.zip"), "No such file")
    with pytest.raises(CommandError, match="Add --yes"):
        call_command("restore", str(path))
