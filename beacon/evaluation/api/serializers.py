from rest_framework import serializers

from beacon.core.api.serializers import ScopedModelSerializer, SlugRelatedField
from beacon.registry.models import Enterprise

from ..models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme

BASE = ("id", "url", "created", "updated")


class SchemeSerializer(ScopedModelSerializer):
    version = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = (*BASE, "code", "name", "description", "version", "text")

    def get_version(self, obj) -> int | None:
        current = obj.current
        return current.number if current else None

    def get_text(self, obj) -> str | None:
        """The YAML of the latest version."""
        current = obj.current
        return current.text if current else None


class EvaluationRunSerializer(ScopedModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # a plain integer: the related field's own range would differ by database in the schema
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = EvaluationRun
        fields = (
            *BASE,
            "scheme",
            "version",
            "year",
            "official",
            "note",
            "enterprises",
            "rated",
            "class_counts",
            "benchmarks",
            "park_results",
        )
        read_only_fields = fields


class EvaluationResultSerializer(ScopedModelSerializer):
    uscc = serializers.SlugRelatedField(source="enterprise", slug_field="uscc", read_only=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EvaluationResult
        fields = (
            *BASE,
            "run",
            "uscc",
            "park",
            "rated",
            "not_rated_reason",
            "score",
            "rank",
            "evaluated_class",
            "final_class",
            "class_change_reason",
            "values",
            "adjustment_points",
            "adjustments",
            "veto_reason",
            "figures",
        )
        read_only_fields = fields


class AnnualFlagSerializer(ScopedModelSerializer):
    uscc = SlugRelatedField(
        source="enterprise", slug_field="uscc", queryset=Enterprise.objects.all()
    )

    class Meta:
        model = AnnualFlag
        fields = (*BASE, "uscc", "year", "flag", "source", "note")
