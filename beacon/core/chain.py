"""The audit logs' hash chain: each row carries the SHA-256 of its content and of the row
before it, so an edited, removed or inserted row breaks the chain from that row on.

A log's rows are chained in one writer order, ``chain_seq`` 1, 2, 3 …: the row's place is
taken under a lock held to the end of the writing transaction (PostgreSQL: a transaction
advisory lock per log; SQLite: the database's one write lock, taken at ``BEGIN IMMEDIATE``),
so two transactions never chain onto the same row. A unique index on ``chain_seq`` would
refuse a fork all the same.

The content hashed is a fixed list of columns per log (``HASHED``), not whatever the model
has today: a column a later version adds would otherwise change the hash of every row
written before it. The functions here work on historical models too, for the migrations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models

GENESIS = "0" * 64

# table -> the columns (attnames) each row's hash covers, in the order they are hashed
HASHED: dict[str, tuple[str, ...]] = {
    "auditlog_logentry": (
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "serialized_data",
        "action",
        "changes_text",
        "changes",
        "actor_id",
        "actor_email",
        "cid",
        "remote_addr",
        "remote_port",
        "timestamp",
        "additional_data",
        "parent_type_id",
        "parent_id",
    ),
    "core_loginrecord": (
        "kind",
        "time",
        "username",
        "ip_address",
        "user_agent",
        "path",
        "session_hash",
    ),
    "core_loginfailure": ("time", "username", "ip_address", "user_agent", "path", "locked_out"),
}


def _canonical(field: models.Field, value):
    """A column's value as it reads back from either database, for hashing."""
    if value is None:
        return None
    if not isinstance(field, models.JSONField):
        value = field.to_python(value)
    if isinstance(field, models.DateTimeField):
        # to the millisecond, as Django's JSON (dumpdata, a backup) keeps a time: a row
        # dumped and loaded back still matches its hash
        return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    if isinstance(field, models.JSONField):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    if isinstance(field, models.GenericIPAddressField):
        return field.get_prep_value(value)
    if isinstance(value, bool | int):
        return value
    return str(value)


def content(row: models.Model) -> dict:
    """The hashed columns of ``row`` and their canonical values."""
    fields = {f.attname: f for f in row._meta.concrete_fields}
    names = HASHED[row._meta.db_table]
    return {name: _canonical(fields[name], getattr(row, name)) for name in names}


def row_hash(table: str, seq: int, prev: str, values: dict) -> str:
    text = json.dumps(
        {"table": table, "seq": seq, "prev": prev, "row": values},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def expected_hash(row: Any) -> str:
    """What ``row``'s ``chain_hash`` must be, given its place and the hash before it."""
    return row_hash(row._meta.db_table, row.chain_seq, row.chain_prev, content(row))


def lock_key(table: str) -> int:
    """The advisory lock key of a log's chain (stable across processes, fits a bigint)."""
    return zlib.crc32(f"beacon.chain.{table}".encode())


def hold(model: type[models.Model], using: str = "default") -> None:
    """Take the log's writer lock until the current transaction ends (PostgreSQL; SQLite's
    one write lock is taken when the transaction begins)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(model._meta.db_table)])


def chain_tail(model: type[models.Model], using: str) -> tuple[int, str]:
    """The last chained row's place and hash, with the log's writer lock taken: must be
    called inside the transaction that inserts the next rows."""
    hold(model, using)
    table = model._meta.db_table
    last = (
        model._base_manager.using(using)
        .order_by("-chain_seq")
        .values_list("chain_seq", "chain_hash")
        .first()
    )
    return last if last is not None else anchored_start(table, using)


def anchored_start(table: str, using: str) -> tuple[int, str]:
    """The place and hash a log's first row follows: the genesis, or the last archived row's."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT chain_seq, chain_hash FROM core_auditanchor WHERE log_table = %s"
            " ORDER BY chain_seq DESC LIMIT 1",
            [table],
        )
        found = cursor.fetchone()
    return (found[0], found[1]) if found else (0, GENESIS)


def link(rows: Sequence[Any], seq: int, prev: str) -> None:
    """Give ``rows`` their places after ``(seq, prev)`` and their hashes, in order."""
    for row in rows:
        seq += 1
        row.chain_seq, row.chain_prev = seq, prev
        row.chain_hash = prev = expected_hash(row)
