import copy

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import (
    ProhibitSurrogateCharactersValidator,
    UniqueTogetherValidator,
    UniqueValidator,
)

from .. import existence, gate, permissions


def validate_storable_text(value) -> None:
    """Every string in ``value`` (parsed JSON, keys included) fits a database text column.

    PostgreSQL's text and jsonb hold no NUL, and an unpaired surrogate is not UTF-8; either
    would otherwise reach the database and come back as a server error.
    """
    # Iterative, so the deepest JSON the parser accepts cannot exhaust the stack here.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            ProhibitNullCharactersValidator()(item)
            ProhibitSurrogateCharactersValidator()(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


class SlugRelatedField(serializers.SlugRelatedField):
    """A related object chosen by its code; a code with NUL in it names nothing.

    PostgreSQL refuses to compare text containing NUL, so without the check such a code
    would be a server error instead of "does not exist".
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class JSONField(serializers.JSONField):
    """JSON whose every string a database can store (see ``validate_storable_text``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [validate_storable_text, *self.validators]


class RuleFileSerializer(serializers.Serializer):
    """A rule file's latest version, read in the API (a scheme, a chain, status rules)."""

    version = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    def get_version(self, obj) -> int | None:
        current = obj.current
        return current.number if current else None

    def get_text(self, obj) -> str | None:
        """The YAML of the latest version."""
        current = obj.current
        return current.text if current else None


WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change"}


class ScopedModelSerializer(serializers.ModelSerializer):
    """Related objects can only be chosen among those the user may see."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: JSONField,
    }

    url = serializers.SerializerMethodField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # Schema generation: the serializer as documented, for no one in particular.
            return
        action = WRITE_ACTIONS.get(request.method)
        access = gate.field_access(user, self.Meta.model, action or "view")
        self.fixed_fields = set()
        for name, field in self.fields.items():
            if action and not field.read_only and not access.may_set(field.source):
                # The role may not set it (an enterprise user's park or certifications).
                field.read_only = True
                self.fixed_fields.add(name)
            related = getattr(field, "child_relation", field)
            if isinstance(related, serializers.RelatedField) and related.queryset is not None:
                related.queryset = access.choices(field.source, related.queryset)
            for validator in field.validators:
                if isinstance(validator, UniqueValidator):
                    # a clash with a row out of sight is the neutral refusal of validate()
                    validator.queryset = permissions.restrict(validator.queryset, user, "view")

    def get_validators(self):
        validators = super().get_validators()
        user = getattr(self.context.get("request"), "user", None)
        if user is not None and user.is_authenticated:
            for validator in validators:
                if isinstance(validator, UniqueTogetherValidator):
                    validator.queryset = permissions.restrict(validator.queryset, user, "view")
        return validators

    def validate(self, attrs):
        """Refuse, rather than silently drop, a value the role may not change; refuse a
        record that would clash with one the user may not see as if there were none."""
        attrs = super().validate(attrs)
        self.refuse_hidden_clash(attrs)
        fixed = getattr(self, "fixed_fields", set())
        if fixed and isinstance(self.initial_data, dict):
            current = self.to_representation(self.instance) if self.instance else {}
            errors = {
                name: [_("Your role may not change this field.")]
                for name in sorted(fixed & set(self.initial_data))
                if self.initial_data[name] != current.get(name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def refuse_hidden_clash(self, attrs) -> None:
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            return
        model: type[models.Model] = self.Meta.model
        probe = copy.copy(self.instance) if self.instance is not None else model()
        names = {f.name for f in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in names:
                setattr(probe, name, value)
        hidden = existence.hidden_clashes(user, probe)
        if hidden:
            existence.report_attempt(user, hidden, "API")
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [existence.NEUTRAL]}
            )

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # Integer bounds come from the database in use (SQLite allows 64 bits everywhere);
        # the portable ranges keep the API, its validation and its schema the same on all.
        portable = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
        if portable is not None and not kwargs.get("read_only"):
            low, high = portable
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
        return field_class, kwargs

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url
