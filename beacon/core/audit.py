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

from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# table -> the column whose time the archive's cut-off is compared with
GUARDED = {
    "auditlog_logentry": "timestamp",
    "core_loginrecord": "time",
    "core_loginfailure": "time",
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


def guard(schema_editor, tables: dict[str, str]) -> None:
    """Make ``tables`` (table -> time column) append-only (used by the migrations)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
    for table, column in tables.items():
        for statement in unguard_sql(vendor, table) + guard_sql(vendor, table, column):
            schema_editor.execute(statement, params=None)


def unguard(schema_editor, tables: dict[str, str]) -> None:
    for table in tables:
        for statement in unguard_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)


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
