from rest_framework import serializers

from beacon.core.api.serializers import RuleFileSerializer, ScopedModelSerializer

from ..models import Chain, Target, TargetList

BASE = ("id", "url", "created", "updated")


class ChainSerializer(RuleFileSerializer, ScopedModelSerializer):
    class Meta:
        model = Chain
        fields = (*BASE, "key", "name", "name_en", "description", "version", "text")


class TargetListSerializer(ScopedModelSerializer):
    chain = serializers.SlugRelatedField(slug_field="key", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = TargetList
        fields = (*BASE, "chain", "version", "candidates", "parameters")
        read_only_fields = fields


class TargetSerializer(ScopedModelSerializer):
    class Meta:
        model = Target
        fields = (
            *BASE,
            "target_list",
            "link",
            "rank",
            "uscc",
            "name",
            "province",
            "city",
            "industry_code",
            "score",
            "reasons",
            "lead",
        )
        read_only_fields = fields
