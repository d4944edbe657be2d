"""The audit logs as export tables (export only: nothing imports into a log)."""

from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord, logins

from .resources import Column, Resource, register

# Stable words, not translated labels: an export is data that scripts read.
ACTION_CODES = {
    ChangeLogEntry.Action.CREATE: "create",
    ChangeLogEntry.Action.UPDATE: "update",
    ChangeLogEntry.Action.DELETE: "delete",
    ChangeLogEntry.Action.ACCESS: "access",
}


@register
class ChangeLogResource(Resource):
    kind = "changelog"
    model = ChangeLogEntry
    importable = False
    key = ("id",)
    select_related = ("actor", "content_type")
    columns = (
        Column("id"),
        Column("timestamp"),
        Column("user", value=lambda e: e.actor.username if e.actor else ""),
        Column("action", value=lambda e: ACTION_CODES.get(e.action, str(e.action))),
        Column("object_type", value=lambda e: e.content_type.model),
        Column("object_id", attr="object_pk"),
        Column("object", attr="object_repr"),
        Column("changes", value=lambda e: _changes_text(e.changes)),
        Column("address", attr="remote_addr"),
    )


def _changes_text(changes) -> str:
    if not isinstance(changes, dict):
        return ""
    parts = []
    for field, change in changes.items():
        if isinstance(change, dict) and change.get("type") == "m2m":
            parts.append(f"{field}: {change['operation']} {', '.join(change['objects'])}")
        elif isinstance(change, list | tuple) and len(change) == 2:
            parts.append(f"{field}: {_blank(change[0])} -> {_blank(change[1])}")
    return "; ".join(parts)


def _blank(value) -> str:
    # auditlog writes an empty value as None or the string "None"
    return "" if value in (None, "None") else str(value)


LOGIN_COLUMNS = (
    Column("id"),
    Column("attempt_time", attr="time"),
    *(Column(n) for n in ("username", "ip_address", "user_agent")),
)


@register
class LoginResource(Resource):
    kind = "logins"
    model = LoginRecord
    importable = False
    key = ("id",)
    columns = (*LOGIN_COLUMNS, Column("logout_time"))

    def export_rows(self, queryset, chunk: int = 2000):
        return super().export_rows(logins(queryset), chunk)


@register
class FailedLoginResource(Resource):
    kind = "failed-logins"
    model = LoginFailure
    importable = False
    key = ("id",)
    columns = (*LOGIN_COLUMNS, Column("locked_out"))
