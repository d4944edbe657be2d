from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassificationLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class ParcelStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    SUPPLIED = "supplied", _("Supplied")
    BUILT = "built", _("Built")


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    RD = "rd", _("Research and development")
    LOGISTICS = "logistics", _("Warehousing and logistics")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Mixed use")
    PUBLIC = "public", _("Public facilities")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED_OUT = "moved_out", _("Moved out")
    CLOSED = "closed", _("Closed")


class PlatformKind(models.TextChoices):
    LAB = "lab", _("Laboratory")
    INSTITUTE = "institute", _("Research institute")
    INCUBATOR = "incubator", _("Incubator")
    UNIVERSITY = "university", _("University")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class TalentKind(models.TextChoices):
    TALENT = "talent", _("Talent")
    STARTUP_TEAM = "startup_team", _("Start-up team")
