from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationClass(models.TextChoices):
    """The classes (档次) a scheme puts enterprises in; threshold schemes use these names too."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class FlagKind(models.TextChoices):
    """Yes/no facts from other departments' records that schemes add, deduct or veto on.

    The code is the field name a scheme's conditions use (``{field: env_violation, op: "==",
    value: true}``).
    """

    SAFETY_INCIDENT = "safety_incident", _("Major safety incident")
    ENV_VIOLATION = "env_violation", _("Major environmental violation")
    TAX_VIOLATION = "tax_violation", _("Major tax violation")
    LAND_VIOLATION = "land_violation", _("Illegal land use")
    DISHONEST = "dishonest", _("Listed as a dishonest party subject to enforcement")
    NEW_NATIONAL_PLATFORM = "new_national_platform", _("New national-level innovation platform")
    NEW_BRAND = "new_brand", _("New well-known brand or standard set")
