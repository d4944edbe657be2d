from functools import lru_cache

import django_tables2 as tables
import django_tables2.utils
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord

_signature = django_tables2.utils.signature


@lru_cache(maxsize=4096)
def _function_signature(function, bound: bool):
    args, keywords = _signature(function)
    return (args[1:] if bound else args), keywords


def _cached_signature(fn):
    # django-tables2 inspects the signature of a render function for every cell it draws
    # (400 times for a page of 50 rows), a third of a list page's time; a bound method is
    # a new object each time, so the cache is keyed by its function.
    function = getattr(fn, "__func__", None)
    if function is None:
        return _function_signature(fn, False)
    return _function_signature(function, True)


django_tables2.utils.signature = _cached_signature

# Numbers are right-aligned, so digits of a column line up.
NUMERIC = {"td": {"class": "numeric"}, "th": {"class": "numeric"}}


def amount_column(verbose_name, accessor=None):
    """A column of amounts (yuan, mu, people)."""
    return tables.Column(verbose_name=verbose_name, accessor=accessor, attrs=NUMERIC)


def version_column():
    """A rule file's latest version number (annotated by its list, not read per row)."""
    return tables.Column(verbose_name=_("version"), accessor="latest_version", orderable=False)


class BaseTable(tables.Table):
    """Every list table: linked first column, Tabler styling, sortable headers."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped"}
        template_name = "core/table.html"


def render_changes(changes: dict | None):
    # The same rendering as an object's history tab.
    return render_to_string("core/inc/changes.html", {"changes": changes or {}})


class LogEntryTable(BaseTable):
    timestamp = tables.DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s")
    actor = tables.Column(verbose_name=_("User"), default=_("system"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Type"), orderable=False)
    object_repr = tables.Column(verbose_name=_("Object"))
    changes = tables.Column(verbose_name=_("Before → after"), orderable=False)
    remote_addr = tables.Column(verbose_name=_("Address"))

    class Meta(BaseTable.Meta):
        model = ChangeLogEntry
        fields = (
            "timestamp",
            "actor",
            "action",
            "content_type",
            "object_repr",
            "changes",
            "remote_addr",
        )
        order_by = ("-timestamp",)

    def render_action(self, record):
        return record.get_action_display()

    def render_changes(self, value):
        return render_changes(value)


class AccessLogTable(BaseTable):
    time = tables.DateTimeColumn(verbose_name=_("Login time"), format="Y-m-d H:i:s")
    logout_time = tables.DateTimeColumn(verbose_name=_("Logout time"), format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        model = LoginRecord
        fields = ("time", "username", "ip_address", "user_agent", "logout_time")
        order_by = ("-time",)


class AccessFailureTable(BaseTable):
    time = tables.DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        model = LoginFailure
        fields = ("time", "username", "ip_address", "user_agent", "locked_out")
        order_by = ("-time",)
