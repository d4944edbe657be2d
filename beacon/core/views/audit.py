"""The audit trail pages: the change log and the login log, read-only."""

import django_filters
from django.utils.translation import gettext_lazy as _

from beacon.core.models import ChangeLogEntry, LoginFailure, LoginRecord, logins

from ..tables import AccessFailureTable, AccessLogTable, LogEntryTable
from .generic import ObjectListView


class LogEntryFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Search"), field_name="object_repr", lookup_expr="icontains"
    )
    actor = django_filters.CharFilter(
        label=_("User"), field_name="actor__username", lookup_expr="iexact"
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="timestamp", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="timestamp", lookup_expr="date__lte"
    )

    class Meta:
        model = ChangeLogEntry
        fields = ["action"]


class LoginFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("User"), field_name="username", lookup_expr="icontains"
    )

    class Meta:
        model = LoginRecord
        fields: list[str] = []


class LoginFailureFilterSet(LoginFilterSet):
    class Meta:
        model = LoginFailure
        fields: list[str] = []


class ChangeLogView(ObjectListView):
    model = ChangeLogEntry
    filterset_class = LogEntryFilterSet
    table_class = LogEntryTable

    def get_queryset(self):
        return super().get_queryset().select_related("actor", "content_type")


class LoginLogView(ObjectListView):
    model = LoginRecord
    filterset_class = LoginFilterSet
    table_class = AccessLogTable

    def get_queryset(self):
        return logins(super().get_queryset())


class LoginFailureLogView(ObjectListView):
    model = LoginFailure
    filterset_class = LoginFailureFilterSet
    table_class = AccessFailureTable
