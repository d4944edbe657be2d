from django.utils.translation import gettext_lazy as _

from beacon.core.filtersets import BaseFilterSet, id_filter

from .models import Chain, Target, TargetList


class ChainFilterSet(BaseFilterSet):
    search_fields = ("key", "name", "name_en", "description")

    class Meta:
        model = Chain
        fields = []


class TargetListFilterSet(BaseFilterSet):
    search_fields = ("chain__key", "chain__name", "candidates")

    class Meta:
        model = TargetList
        fields = ["chain"]


class TargetFilterSet(BaseFilterSet):
    search_fields = ("name", "uscc", "reasons")
    target_list = id_filter(_("Target list"), "target_list")

    class Meta:
        model = Target
        fields = ["link"]
