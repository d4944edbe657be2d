from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    """How far a permission rule reaches: the whole zone, or rows tied to the user's grants."""

    ZONE = "zone", _("Whole zone")
    PARK = "park", _("Own parks")
    TEAM = "team", _("Own team")
    ENTERPRISE = "enterprise", _("Own enterprise")


# A rule's scope that reaches the rows a user owns (a job they started), through the model's
# scope path to its owner; no grant names it, so it is not a ScopeKind a grant may hold.
OWN = "own"


class Action(models.TextChoices):
    VIEW = "view", _("View")
    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")


class BackupKind(models.TextChoices):
    BACKUP = "backup", _("Backup")
    RESTORE = "restore", _("Restore")
