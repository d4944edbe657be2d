from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectCategory(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    INNOVATION = "innovation", _("Innovation platform")
    PUBLIC = "public", _("Public service")
    OTHER = "other", _("Other")


class IssueKind(models.TextChoices):
    LAND = "land", _("Land")
    PERMITS = "permits", _("Permits")
    FUNDING = "funding", _("Funding")
    UTILITIES = "utilities", _("Power and water")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


# The milestones a new project starts with, in order.
DEFAULT_MILESTONES = (
    _("Land supplied"),
    _("Permits"),
    _("Construction start"),
    _("Topping out"),
    _("Completion"),
    _("Production"),
)
