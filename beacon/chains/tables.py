import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from beacon.core.tables import BaseTable, version_column

from .models import Chain, TargetList


class ChainTable(BaseTable):
    name = tables.Column(linkify=True)
    version = version_column()

    class Meta(BaseTable.Meta):
        model = Chain
        fields = ("key", "name", "name_en", "version", "updated")


class TargetListTable(BaseTable):
    id = tables.Column(verbose_name=_("list"), linkify=True)
    chain = tables.Column(linkify=True)
    created = tables.DateTimeColumn(verbose_name=_("made"), format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = TargetList
        fields = ("id", "chain", "candidates", "created", "made_by")
