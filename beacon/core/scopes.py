"""What a scope grant points at: each kind names the model and the field users type."""

from django.apps import apps

SCOPE_TARGETS = {
    "park": ("registry.Park", "code"),
    "enterprise": ("registry.Enterprise", "uscc"),
}


def register_scope_target(kind: str, model_label: str, key_field: str) -> None:
    """Apps that bring a new scope kind (teams, say) declare its target here."""
    SCOPE_TARGETS[kind] = (model_label, key_field)


def resolve_scope(kind: str, key: str) -> int | None:
    model_label, field = SCOPE_TARGETS[kind]
    model = apps.get_model(model_label)
    return model.objects.filter(**{field: key}).values_list("pk", flat=True).first()
