from rest_framework import serializers

from beacon.core.api.serializers import RuleFileSerializer, ScopedModelSerializer, SlugRelatedField
from beacon.registry.models import Enterprise

from ..models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme

BASE = ("id", "url", "created", "updated")


class SchemeSerializer(RuleFileSerializer, ScopedModelSerializer):
    class Meta:
        model = Scheme
        fields = (*BASE, "code", "name", "description", "version", "text")


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
