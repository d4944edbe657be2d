"""The audit logs kept whole by the database itself.

Triggers refuse every UPDATE and DELETE on the change log and the login logs, whoever
sends it: Beacon, the Django admin, a script, a database client. The one removal the
triggers let through is the archive's (``beacon audit archive``): inside its own
transaction it declares a cut-off, and a row older than that cut-off may then be deleted —
nothing younger, nothing updated. The declaration lasts until that transaction ends:

- PostgreSQL: ``SET LOCAL beacon.audit_release = '<cut-off>'``, a setting that reverts
  at the transaction's end.
- SQLite: the connection's ``beacon_audit_release()`` function, which Beacon registers on
  each of its connections and which answers the cut-off only while the archive holds it.
  A connection without the function (the ``sqlite3`` shell) cannot delete at all.

On PostgreSQL the application should also connect as a role without UPDATE and DELETE on
these tables (``runtime_grants``), so that even the triggers' owner is not the one serving.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connections, models, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain

# table -> the column whose time the archive's cut-off is compared with
GUARDED = {
    "auditlog_logentry": "timestamp",
    "core_loginrecord": "time",
    "core_loginfailure": "time",
    "core_auditanchor": "archived_at",
}
RELEASE_SETTING = "beacon.audit_release"
RELEASE_FUNCTION = "beacon_audit_release"
# where a SQLite connection holds the archive's cut-off while the archive runs
RELEASE_ATTRIBUTE = "beacon_audit_release"


def sqlite_time(moment: dt.datetime) -> str:
    # how Django stores an aware datetime in SQLite: UTC, without the offset
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


@receiver(connection_created, dispatch_uid="beacon.audit.release_function")
def add_release_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            RELEASE_FUNCTION,
            0,
            lambda: getattr(connection, RELEASE_ATTRIBUTE, None),
            deterministic=False,
        )


@contextlib.contextmanager
def releasing(before: dt.datetime, using: str = "default"):
    """Let rows older than ``before`` be deleted from the audit logs, inside this block's
    transaction only (the archive's)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("the audit logs are released only inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [RELEASE_SETTING, before.isoformat()])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [RELEASE_SETTING])
        return
    connection.ensure_connection()
    setattr(connection, RELEASE_ATTRIBUTE, sqlite_time(before))
    try:
        yield
    finally:
        setattr(connection, RELEASE_ATTRIBUTE, None)


def _refusal(table: str, verb: str) -> str:
    return f"{table} is append-only: {verb} refused (beacon audit archive is the one removal)"


POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION beacon_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    released text := NULLIF(current_setting('{RELEASE_SETTING}', true), '');
BEGIN
    IF TG_OP = 'DELETE' AND released IS NOT NULL
       AND (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < released::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused (beacon audit archive is the one removal)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def guard_sql(vendor: str, table: str, column: str) -> list[str]:
    """The statements that make ``table`` append-only (``column``: its rows' time)."""
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER beacon_append_only BEFORE UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION beacon_audit_append_only('{column}')"
        ]
    return [
        f"CREATE TRIGGER beacon_append_only_update_{table} BEFORE UPDATE ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{_refusal(table, 'UPDATE')}'); END",
        f"CREATE TRIGGER beacon_append_only_delete_{table} BEFORE DELETE ON {table}"
        f" WHEN {RELEASE_FUNCTION}() IS NULL OR OLD.{column} >= {RELEASE_FUNCTION}()"
        f" BEGIN SELECT RAISE(ABORT, '{_refusal(table, 'DELETE')}'); END",
    ]


def unguard_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS beacon_append_only ON {table}"]
    return [
        f"DROP TRIGGER IF EXISTS beacon_append_only_{verb}_{table}" for verb in ("update", "delete")
    ]


def guard(connection, tables: dict[str, str]) -> None:
    """Make ``tables`` (table -> time column) append-only (the migrations, ``audit guard``)."""
    statements = [POSTGRESQL_FUNCTION] if connection.vendor == "postgresql" else []
    for table, column in tables.items():
        statements += unguard_sql(connection.vendor, table)
        statements += guard_sql(connection.vendor, table, column)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)  # no parameters: the function's RAISE has a %


def unguard(connection, tables: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for statement in unguard_sql(connection.vendor, table):
                cursor.execute(statement)


def missing_guards(using: str = "default") -> list[str]:
    """The audit tables whose triggers are gone (SQLite drops a table's triggers when a
    migration rebuilds the table)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers"
                " WHERE trigger_name = 'beacon_append_only'"
            )
            present = {row[0]: 2 for row in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'beacon_append_only_%' GROUP BY tbl_name"
            )
            present = dict(cursor.fetchall())
    return [table for table in GUARDED if present.get(table, 0) < 2]


# axes' own logs, no longer written (the login log is core's): read-only to the runtime
VENDOR_LOGS = ("axes_accesslog", "axes_accessfailurelog")


def runtime_grants(role: str, using: str = "default") -> list[str]:
    """The GRANTs that let PostgreSQL role ``role`` serve Beacon without being able to
    change or remove a log row: every table read and written, the logs only read and
    added to. The role should own nothing (the tables' owner runs the migrations and the
    archive); run again after a migration that adds tables."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    logs = {*GUARDED, *VENDOR_LOGS}
    who = quote(role)
    statements = [f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}"]
    for table in sorted(tables):
        if table in logs:
            statements += [
                f"REVOKE ALL ON {quote(table)} FROM {who}",
                f"GRANT SELECT, INSERT ON {quote(table)} TO {who}",
            ]
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quote(table)} TO {who}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}")
    return statements


# -- the chain: verify ------------------------------------------------------------------------

RETENTION_DAYS = 183  # MLPS level 3 keeps audit records at least six months


@dataclass(frozen=True)
class Link:
    """One row as the chain sees it: where it is, what it links to, what it hashes to."""

    table: str
    id: object
    seq: int
    prev: str
    hash: str
    content: dict


@dataclass
class ChainReport:
    table: str
    rows: int = 0
    head: str = chain.GENESIS
    broken: str | None = None


def walk(table: str, links: Iterable[Link], start: tuple[int, str]) -> ChainReport:
    """Follow ``links`` (in chain order) from ``start`` (the place and hash before the
    first): the count and last hash, or the first broken row and what differs."""
    report = ChainReport(table)
    seq, prev = start
    before = None
    report.head = prev
    for link in links:
        where = _("%(table)s row id %(id)s (place %(seq)s)") % {
            "table": table,
            "id": link.id,
            "seq": link.seq,
        }
        if link.seq != seq + 1:
            report.broken = _(
                "%(where)s: place %(expected)s expected; the rows from %(expected)s to "
                "%(last)s are missing (removed)"
            ) % {"where": where, "expected": seq + 1, "last": link.seq - 1}
        elif link.prev != prev:
            report.broken = _(
                "%(where)s: its previous hash is not the hash of the row before it "
                "(%(before)s): that row was changed and its hash rewritten, or this link was"
            ) % {"where": where, "before": before or _("the archive anchor")}
        elif chain.row_hash(table, link.seq, link.prev, link.content) != link.hash:
            report.broken = _(
                "%(where)s: its content does not match its hash: the row was changed after it "
                "was written"
            ) % {"where": where}
        if report.broken:
            return report
        seq, prev, before = link.seq, link.hash, _("row id %(id)s") % {"id": link.id}
        report.rows += 1
        report.head = prev
    return report


def chained_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.db_table in chain.HASHED]


def stored_links(model, using: str = "default", **filters) -> Iterator[Link]:
    table = model._meta.db_table
    rows = model._base_manager.using(using).filter(**filters).order_by("chain_seq")
    for row in rows.iterator(chunk_size=2000):
        yield Link(table, row.pk, row.chain_seq, row.chain_prev, row.chain_hash, chain.content(row))


def verify(using: str = "default") -> list[ChainReport]:
    """Each log's chain walked from its last archive anchor (stops at the first break)."""
    return [
        walk(
            model._meta.db_table,
            stored_links(model, using),
            chain.anchored_start(model._meta.db_table, using),
        )
        for model in chained_models()
    ]


# -- the archive -----------------------------------------------------------------------------


class ArchiveRefused(Exception):
    pass


def latest_archivable(today: dt.date | None = None) -> dt.date:
    """The latest ``--before`` date that takes no row younger than the retention period."""
    return (today or timezone.localdate()) - dt.timedelta(days=RETENTION_DAYS)


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def archive(before: dt.date, out: Path, using: str = "default") -> dict[str, int]:
    """Move each log's rows older than ``before`` (local midnight) to ``out`` (JSON lines)
    and remove them; the rows left chain on from an anchor that records the last one
    archived. Answers the rows archived per log."""
    latest = latest_archivable()
    if before > latest:
        raise ArchiveRefused(
            _(
                "refused: --before %(before)s would take rows younger than %(days)s days, "
                "which are kept; the latest date allowed today is %(latest)s"
            )
            % {"before": before, "days": RETENTION_DAYS, "latest": latest}
        )
    if out.exists():
        raise ArchiveRefused(_("refused: %(file)s exists already") % {"file": out})
    for report in verify(using):
        if report.broken:
            raise ArchiveRefused(
                _("refused: the chain is broken, %(broken)s") % {"broken": report.broken}
            )
    from .models import AuditAnchor  # the models stand on this module's chain

    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    partial = out.with_name(out.name + ".partial")
    counts = {}
    try:
        with transaction.atomic(using=using), partial.open("w", encoding="utf-8") as file:
            file.write(_line({"archive": "beacon audit", "before": before.isoformat()}))
            with releasing(cutoff, using):
                for model in chained_models():
                    table = model._meta.db_table
                    # the writer lock: no row joins the chain while its start is archived
                    chain.chain_tail(model, using)
                    seq, prev = chain.anchored_start(table, using)
                    file.write(_line({"log": table, "start": {"seq": seq, "hash": prev}}))
                    time_column = GUARDED[table]
                    young = (
                        model._base_manager.using(using)
                        .filter(**{f"{time_column}__gte": cutoff})
                        .order_by("chain_seq")
                        .values_list("chain_seq", flat=True)
                        .first()
                    )
                    # the chain's beginning up to its first young row, so what stays is whole
                    old = {f"{time_column}__lt": cutoff}
                    if young is not None:
                        old["chain_seq__lt"] = young
                    rows = 0
                    for link in stored_links(model, using, **old):
                        file.write(
                            _line(
                                {
                                    "log": table,
                                    "id": link.id,
                                    "seq": link.seq,
                                    "prev": link.prev,
                                    "hash": link.hash,
                                    "row": link.content,
                                }
                            )
                        )
                        seq, prev, rows = link.seq, link.hash, rows + 1
                    file.write(
                        _line({"log": table, "end": {"seq": seq, "hash": prev, "rows": rows}})
                    )
                    counts[table] = rows
                    if rows:
                        model._base_manager.using(using).filter(chain_seq__lte=seq).delete()
                        AuditAnchor.objects.using(using).create(
                            log_table=table,
                            chain_seq=seq,
                            chain_hash=prev,
                            rows=rows,
                            before=cutoff,
                            file=str(out),
                        )
            file.flush()
            os.fsync(file.fileno())
            partial.rename(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


def verify_archive(path: Path) -> list[ChainReport]:
    """Walk each log's rows in an archive file from its start anchor to its end anchor."""
    by_log: dict[str, dict] = {}
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, 1):
            try:
                record = json.loads(text)
            except ValueError as error:
                raise ArchiveRefused(
                    _("%(file)s line %(line)s: not JSON (%(error)s)")
                    % {"file": path, "line": number, "error": error}
                ) from error
            if "log" not in record:
                continue
            entry = by_log.setdefault(record["log"], {"start": None, "end": None, "links": []})
            if "start" in record or "end" in record:
                key = "start" if "start" in record else "end"
                entry[key] = record[key]
            else:
                entry["links"].append(
                    Link(
                        record["log"],
                        record["id"],
                        record["seq"],
                        record["prev"],
                        record["hash"],
                        record["row"],
                    )
                )
    reports = []
    for table, entry in by_log.items():
        start, end = entry["start"], entry["end"]
        if start is None or end is None:
            report = ChainReport(
                table, broken=_("%(table)s: the archive's anchors are missing") % {"table": table}
            )
        else:
            report = walk(table, entry["links"], (start["seq"], start["hash"]))
            if not report.broken and (report.head, report.rows) != (end["hash"], end["rows"]):
                report.broken = _(
                    "%(table)s: the archive ends at %(head)s after %(rows)s rows, its end anchor "
                    "says %(hash)s after %(count)s: rows are missing from its end"
                ) % {
                    "table": table,
                    "head": report.head,
                    "rows": report.rows,
                    "hash": end["hash"],
                    "count": end["rows"],
                }
        reports.append(report)
    return reports
