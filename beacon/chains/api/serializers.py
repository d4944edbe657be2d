from rest_framework import serializers

from beacon.core.api.serializers import ScopedModelSerializer

from ..models import Chain, Target, TargetList

BASE = ("id", "url", "created", "updated")


class ChainSerializer(ScopedModelSerializer):
    version = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Chain
        fields = (*BASE, "key", "name", "name_en", "description", "version", "text")

    def get_version(self, obj) -> int | None:
        current = obj.current
        return current.number if current else None

    def get_text(self, obj) -> str | None:
        """The YAML of the latest version."""
        current = obj.current
        return current.text if current else None


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
