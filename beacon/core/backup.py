"""Backups of the whole database, and restores from them (``beacon backup``, ``beacon restore``).

A backup is a zip file: ``manifest.json`` and, for every table of the database (Beacon's,
Django's and the libraries', the many-to-many tables and ``django_migrations``), a
``tables/<table>.jsonl`` with one row per line, a JSON array in the order of the manifest's
columns, ordered by primary key. Values are written as Django reads them (decimals,
dates, times and UUIDs as text, binary data as base64), so a backup taken on SQLite
restores into PostgreSQL and back, and needs no database client program. The manifest
holds each table's row count and the SHA-256 of its file, and the applied migrations; the
SHA-256 of the manifest itself names the backup (printed, and kept in ``BackupRecord``).
Sealed with a passphrase (``beacon.core.sealed``), the whole zip is encrypted.

Both directions stream: a backup reads each table in chunks (server-side cursors on
PostgreSQL) inside one read-only snapshot and writes as it reads; a restore reads the file
line by line. Memory stays bounded whatever the number of rows.

A restore checks the whole file (every chunk of a sealed file, every table's checksum) and
that it fits this database (the same migrations, tables and columns) before it writes.
It then replaces every table in one transaction, resets PostgreSQL's sequences, checks
every link and records itself; any failure rolls it all back.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import importlib.metadata
import json
import os
import socket
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.duration import duration_iso_string

from .choices import BackupKind
from .models import BackupRecord, ChangeLogEntry
from .sealed import SealedReader, SealedWriter, SealError, is_sealed

FORMAT = "beacon-backup"
VERSION = 1
MANIFEST = "manifest.json"
BATCH = 2000  # rows per fetch and per insert
FLUSH = 1 << 20  # bytes of lines gathered before they are written to the zip
VENDORS = ("sqlite", "postgresql")


class BackupError(Exception):
    """A backup that cannot be written, or a file that cannot be restored: the message says
    why; the database is as it was."""


def models_with_tables() -> list[type[models.Model]]:
    """The model of every table Beacon's database holds, one per table, by table name."""
    found: dict[str, type[models.Model]] = {}
    # django_migrations' model is not an installed app's
    recorder = cast(type[models.Model], MigrationRecorder.Migration)
    for model in [*apps.get_models(include_auto_created=True), recorder]:
        meta = model._meta
        if meta.managed and not meta.proxy:
            found.setdefault(meta.db_table, model)
    return [found[table] for table in sorted(found)]


def _check_vendor() -> None:
    if connection.vendor not in VENDORS:
        raise BackupError(f"backups work on SQLite and PostgreSQL, not {connection.vendor}")


def _tables_without_model(known: list[type[models.Model]]) -> list[str]:
    names = {model._meta.db_table for model in known}
    return sorted(set(connection.introspection.table_names()) - names)


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _named(migrations: dict[str, list[str]]) -> set[str]:
    return {f"{app}.{name}" for app, names in migrations.items() for name in names}


def _plain(value: Any) -> Any:
    """A value JSON has no type for, as Django reads it back (``field.to_python``)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"a value of type {type(value).__name__} has no form in a backup")


def _line(row: tuple) -> bytes:
    # JSON values keep their keys' order: SQLite stores the text as written, and a restore
    # writes it back the same (PostgreSQL's jsonb has an order of its own, the same again).
    # ``default`` is called for the values JSON has no type for only.
    return json.dumps(row, ensure_ascii=False, default=_plain).encode("utf-8") + b"\n"


@contextmanager
def _snapshot():
    """One consistent view of every table for the whole backup, holding up no writer."""
    if connection.in_atomic_block:  # an enclosing transaction is the snapshot already
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # Beacon opens SQLite transactions IMMEDIATE, which would hold the write lock for
        # the whole backup; a deferred one reads a WAL snapshot and blocks nobody.
        mode = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def _write_table(archive: zipfile.ZipFile, model: type[models.Model]) -> dict:
    meta = model._meta
    fields = meta.concrete_fields
    digest, rows, buffer = hashlib.sha256(), 0, bytearray()
    member = f"tables/{meta.db_table}.jsonl"
    query = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
    # force_zip64: the size is not known before the table is read
    with archive.open(member, "w", force_zip64=True) as out:
        for row in query.iterator(chunk_size=BATCH):
            buffer += _line(row)
            rows += 1
            if len(buffer) >= FLUSH:
                digest.update(buffer)
                out.write(buffer)
                buffer.clear()
        digest.update(buffer)
        out.write(buffer)
    return {
        "table": meta.db_table,
        "model": meta.label_lower,
        "file": member,
        "columns": [f.column for f in fields],
        "rows": rows,
        "sha256": digest.hexdigest(),
    }


@dataclass(frozen=True)
class Summary:
    """What a backup holds, as its manifest says."""

    sha256: str  # the manifest's: it names the backup
    taken: datetime
    tables: int
    rows: int
    encrypted: bool

    @classmethod
    def of(cls, manifest: dict, sha256: str, encrypted: bool) -> Summary:
        taken = parse_datetime(manifest["created"])
        if taken is None:
            raise BackupError(f"the manifest's time {manifest['created']!r} is not a time")
        tables = manifest["tables"]
        rows = sum(t["rows"] for t in tables)
        return cls(sha256, taken, len(tables), rows, encrypted)


def _operator() -> tuple[str, str]:
    """The operating-system account and host a command runs as: who took or restored."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # an account without a name (a container's uid)
        user = f"uid {os.getuid()}"
    return user, socket.gethostname()


def _record(kind: str, path: Path, summary: Summary, note: str = "") -> BackupRecord:
    os_user, host = _operator()
    return BackupRecord.objects.create(
        kind=kind,
        os_user=os_user,
        host=host,
        file=str(path.resolve()),
        manifest_sha256=summary.sha256,
        taken=summary.taken,
        tables=summary.tables,
        rows=summary.rows,
        encrypted=summary.encrypted,
        note=note,
    )


def write_backup(out: Path, passphrase: str | None = None) -> Summary:
    """Write every table to a new backup file ``out`` (sealed with ``passphrase``, if given)
    and record it. The file appears whole or not at all, readable by its owner only."""
    _check_vendor()
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists: a backup never overwrites a file; name a new one")
    partial = out.with_name(out.name + ".partial")
    try:
        # 0600 from the first byte: a backup holds password hashes and second-factor keys
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(
            f"{partial} exists: another backup to {out} is running, or one was stopped; "
            "remove it if none is running"
        ) from None
    except OSError as e:
        raise BackupError(f"{out}: {e.strerror}") from None
    raw = os.fdopen(fd, "wb")
    try:
        sink = SealedWriter(raw, passphrase) if passphrase else raw
        with sink, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
            with _snapshot():
                known = models_with_tables()
                unknown = _tables_without_model(known)
                if unknown:
                    raise BackupError(
                        "the database holds tables Beacon does not know, which a backup "
                        f"could not restore: {', '.join(unknown)}"
                    )
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": timezone.now().isoformat(),
                    "beacon": importlib.metadata.version("beacon"),
                    "database": connection.vendor,
                    "migrations": applied_migrations(),
                    "tables": [_write_table(archive, model) for model in known],
                }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            archive.writestr(MANIFEST, data)
        os.replace(partial, out)
    except BaseException:
        raw.close()
        partial.unlink(missing_ok=True)
        raise
    summary = Summary.of(manifest, hashlib.sha256(data).hexdigest(), passphrase is not None)
    _record(BackupKind.BACKUP, out, summary)
    return summary


class Backup:
    """A backup file opened for a restore. Opening reads the manifest (and, for a sealed
    file, checks every chunk); ``verify`` checks the tables, ``check_fits`` the schema."""

    def __init__(self, path: Path, passphrase: Callable[[], str]):
        self.path = Path(path)
        try:
            sealed = is_sealed(self.path)
        except OSError as e:
            raise BackupError(f"{path}: {e.strerror}") from None
        source: Any = self.path
        if sealed:
            try:
                source = self._sealed = SealedReader(self.path, passphrase())
                source.check_all()
            except SealError as e:
                self.close()
                raise BackupError(f"{path}: {e}") from None
        try:
            self._zip = zipfile.ZipFile(source)
            data = self._zip.read(MANIFEST)
            self.manifest = json.loads(data)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
            self.close()
            raise BackupError(
                f"{path}: not a Beacon backup, or damaged (no readable manifest)"
            ) from None
        if self.manifest.get("format") != FORMAT or self.manifest.get("version") != VERSION:
            self.close()
            raise BackupError(
                f"{path}: not a Beacon backup of format version {VERSION} (format "
                f"{self.manifest.get('format')!r}, version {self.manifest.get('version')!r})"
            )
        try:
            self.summary = Summary.of(self.manifest, hashlib.sha256(data).hexdigest(), sealed)
        except (KeyError, TypeError) as e:
            self.close()
            raise BackupError(f"{path}: the manifest is damaged ({e})") from None

    _sealed: SealedReader | None = None
    _zip: zipfile.ZipFile | None = None

    def close(self) -> None:
        for opened in (self._zip, self._sealed):
            if opened is not None:
                opened.close()

    def __enter__(self) -> Backup:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def lines(self, entry: dict) -> Iterator[bytes]:
        assert self._zip is not None  # open until closed
        try:
            with self._zip.open(entry["file"]) as member:
                yield from member
        except KeyError:
            raise BackupError(f"{self.path}: {entry['file']} is missing") from None
        except (zipfile.BadZipFile, EOFError, SealError, OSError) as e:
            raise BackupError(f"{self.path}: {entry['file']} is damaged ({e})") from None

    def verify(self) -> None:
        """Every table's row count and checksum as the manifest says."""
        for entry in self.manifest["tables"]:
            digest, rows = hashlib.sha256(), 0
            for line in self.lines(entry):
                digest.update(line)
                rows += 1
            if digest.hexdigest() != entry["sha256"] or rows != entry["rows"]:
                raise BackupError(
                    f"{self.path}: table {entry['table']} does not match its checksum in the "
                    f"manifest ({rows} rows read, {entry['rows']} expected): the file was "
                    "altered or damaged"
                )

    def check_fits(self) -> None:
        """The database has the backup's migrations, tables and columns, no more, no less."""
        _check_vendor()
        here, there = applied_migrations(), self.manifest["migrations"]
        if here != there:
            only_there = sorted(_named(there) - _named(here))
            only_here = sorted(_named(here) - _named(there))
            raise BackupError(
                "the backup was taken at other migrations than this database has; migrate "
                "this database to the backup's first (beacon migrate APP MIGRATION). "
                f"Only in the backup: {', '.join(only_there) or 'none'}. "
                f"Only in this database: {', '.join(only_here) or 'none'}."
            )
        known = models_with_tables()
        ours = {m._meta.db_table: [f.column for f in m._meta.concrete_fields] for m in known}
        theirs = {t["table"]: t["columns"] for t in self.manifest["tables"]}
        missing = sorted(set(ours) - set(theirs)) + _tables_without_model(known)
        if missing:
            raise BackupError(f"the backup has no rows for table(s) {', '.join(missing)}")
        for table, columns in theirs.items():
            if ours.get(table) != columns:
                raise BackupError(
                    f"table {table} of the backup does not fit this database: its columns "
                    f"are {columns}, here {ours.get(table)}"
                )


def open_backup(path: Path, passphrase: Callable[[], str]) -> Backup:
    """Open a backup file; ``passphrase`` is asked for only if the file is sealed."""
    return Backup(path, passphrase)


@contextmanager
def _append_only_lifted(cursor, tables: list[str]):
    """Let the restore empty and refill tables that triggers keep append-only (the change
    log and the login logs), inside its own transaction only.

    This is the one place a restore passes those triggers. Every trigger on a restored
    table is lifted: on SQLite dropped and made again from its own SQL (SQLite's DDL is
    part of the transaction), on PostgreSQL disabled and enabled again (``ALTER TABLE …
    DISABLE TRIGGER USER``, which needs the tables' owner: run a restore as the role that
    runs ``beacon migrate``). Another connection never sees them lifted, and a failure
    rolls back with them in place.
    """
    qn = connection.ops.quote_name
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN (SELECT value FROM json_each(%s))",
            [json.dumps(tables)],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {qn(name)}")
        yield
        for _name, sql in triggers:
            cursor.execute(sql)
    else:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) AND c.relname = ANY(%s)",
            [tables],
        )
        guarded = [name for (name,) in cursor.fetchall()]
        # PostgreSQL alters (or truncates) no table with checks pending: the rows written
        # before in this transaction are checked now, and the rows written inside after
        connection.check_constraints()
        for table in guarded:
            cursor.execute(f"ALTER TABLE {qn(table)} DISABLE TRIGGER USER")
        yield
        connection.check_constraints()
        for table in guarded:
            cursor.execute(f"ALTER TABLE {qn(table)} ENABLE TRIGGER USER")


# The SQL below is built of table and column names from the models, quoted by the database
# backend, never of a backup's content (bandit B608); values are always parameters.


def _empty(cursor, tables: list[str]) -> None:
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)}")
    else:
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")  # nosec B608


# Fields whose value in JSON is the value the database driver takes.
AS_READ = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "FloatField",
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "FileField",
}


def _decoder(field) -> Callable[[Any], Any] | None:
    """How a column's JSON value becomes what the driver writes; None when it is already."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind in AS_READ:
        return None
    # the database's own wrapper, not the per-thread proxy: this runs for every value
    wrapper = connections[DEFAULT_DB_ALIAS]
    prepare, to_python = field.get_db_prep_save, field.to_python

    def decode(value):
        return None if value is None else prepare(to_python(value), wrapper)

    return decode


def _load(cursor, model: type[models.Model], backup: Backup, entry: dict) -> None:
    qn = connection.ops.quote_name
    table = entry["table"]
    fields = model._meta.concrete_fields
    decoders = [_decoder(f) for f in fields]
    into = f"{qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
    batch: list[list] = []
    first = 1  # the line number of the batch's first row

    def write():
        if connection.vendor == "postgresql":
            # COPY takes rows several times as fast as INSERTs, even pipelined
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {into} VALUES ({marks})", batch)  # nosec B608

    def insert():
        try:
            write()
        except DatabaseError as e:
            raise BackupError(
                f"table {table}, rows {first}-{first + len(batch) - 1}: the database refused "
                f"them ({e})"
            ) from None

    for number, line in enumerate(backup.lines(entry), 1):
        try:
            values = json.loads(line)
            batch.append([v if d is None else d(v) for d, v in zip(decoders, values, strict=True)])
        except (ValueError, TypeError, ValidationError) as e:
            raise BackupError(f"table {table}, row {number}: cannot be read ({e})") from None
        if len(batch) == BATCH:
            insert()
            first += len(batch)
            batch.clear()
    if batch:
        insert()


def restore(backup: Backup) -> BackupRecord:
    """Replace every row of the database with the backup's, in one transaction, and record
    the restore. ``verify`` and ``check_fits`` must have passed."""
    known = models_with_tables()
    by_table = {m._meta.db_table: m for m in known}
    tables = list(by_table)
    last = ChangeLogEntry.objects.order_by("-id").values_list("id", "timestamp").first()
    note = (
        f"replaced the data as of change-log entry #{last[0]} ({last[1].isoformat()})"
        if last
        else "replaced a database without change-log entries"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            with _append_only_lifted(cursor, tables):
                _empty(cursor, tables)
                for entry in backup.manifest["tables"]:
                    _load(cursor, by_table[entry["table"]], backup, entry)
                # here, for the message; the triggers come back only on rows that hold
                try:
                    connection.check_constraints()
                except DatabaseError as e:
                    raise BackupError(
                        f"the backup's rows break a link between tables: {e}"
                    ) from None
            for sql in connection.ops.sequence_reset_sql(no_style(), known):
                cursor.execute(sql)
            # the content types' ids are the backup's now; the cache holds this database's
            ContentType.objects.clear_cache()
            return _record(BackupKind.RESTORE, backup.path, backup.summary, note)
    except DatabaseError as e:
        raise BackupError(f"the restore failed and was rolled back: {e}") from None
