from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A lead's stages, in order, then ``dropped``; the codes are the batch CLI's."""

    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    LAND_SUPPLIED = "land_supplied", _("Land supplied")
    CONSTRUCTION_STARTED = "construction_started", _("Construction started")
    IN_PRODUCTION = "in_production", _("In production")
    DROPPED = "dropped", _("Dropped")


# The order a lead moves through; ``dropped`` is outside it.
ORDER = [s for s in Stage.values if s != Stage.DROPPED]


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    RECEPTION = "reception", _("Reception")
    CONFERENCE = "conference", _("Promotion conference")
    EXPO = "expo", _("Expo")
    ONLINE = "online", _("Online meeting")


class LeadSource(models.TextChoices):
    ACTIVITY = "activity", _("Promotion activity")
    PORTAL = "portal", _("Portal inquiry")
    REFERRAL = "referral", _("Referral")
    CHAIN_GAP = "chain_gap", _("Chain-gap target list")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    CLEAR = "clear", _("Clear")
    FLAGGED = "flagged", _("Possible duplicate, for the zone administration to decide")
    DECIDED = "decided", _("Decided by the zone administration")
