from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectCategory(models.TextChoices):
    INDUSTRIAL = "industrial", pgettext_lazy("project category", "Industrial")
    INFRASTRUCTURE = "infrastructure", pgettext_lazy("project category", "Infrastructure")
    INNOVATION = "innovation", pgettext_lazy("project category", "Innovation platform")
    PUBLIC = "public", pgettext_lazy("project category", "Public service")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    """A key project's status from its schedule variance, worst first."""

    RED = "red", _("red")
    AMBER = "amber", _("amber")
    GREEN = "green", _("green")


class IssueKind(models.TextChoices):
    LAND = "land", _("Land")
    PERMITS = "permits", _("Permits")
    FUNDING = "funding", _("Funding")
    UTILITIES = "utilities", _("Power and water")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


# The milestones a new project starts with, in order.
DEFAULT_MILESTONES = (
    pgettext_lazy("milestone", "Land supplied"),
    pgettext_lazy("milestone", "Permits"),
    pgettext_lazy("milestone", "Construction start"),
    pgettext_lazy("milestone", "Topping out"),
    pgettext_lazy("milestone", "Completion"),
    pgettext_lazy("milestone", "Production"),
)
