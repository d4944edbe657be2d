"""Working a lead: the only way one is opened (from the form, the API, an import or a chain
gap), dated stage moves, and the hand-off to the registry.

Other stations open leads and read their stages through these functions, never by writing
``Lead`` or ``StageChange`` rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.registry import services as registry
from beacon.registry.models import Enterprise

from .choices import ORDER, ClaimStatus, Stage
from .claims import Check, flag_claims, keep_rivals
from .models import Lead, StageChange


class StageError(ValueError):
    """A stage move that cannot be made; the message says why."""


def open_lead(lead: Lead, user, check: Check | None = None) -> Lead:
    """Open one lead: see ``open_leads``; ``check`` is its rivals found by its form or
    request (``claims.check_rivals``)."""
    return open_leads([lead], user, None if check is None else [check])[0]


def open_leads(leads: Sequence[Lead], user, checks: list[Check] | None = None) -> list[Lead]:
    """Open new leads as ``user``: each starts in stage ``lead`` on its ``stage_date`` (today
    if none), with that first stage in its history, and one that may be a company another
    team or park is working is flagged for the zone administration to decide.

    Written in bulk through the write gate: every lead must be one the user may add.
    """
    today = timezone.localdate()
    for lead in leads:
        lead.stage, lead.stage_date = Stage.LEAD, lead.stage_date or today

    def work():
        opened = bulk_create_logged(Lead, list(leads))
        bulk_create_logged(
            StageChange,
            [
                StageChange(lead=lead, stage=Stage.LEAD, date=lead.stage_date, moved_by=user)
                for lead in opened
            ],
        )
        flag_claims(opened, checks)
        return opened

    return gate.write(user, "add", work)


def is_backwards(current: str, stage: str) -> bool:
    """A move to an earlier stage, or out of ``dropped`` (reopening)."""
    if current == Stage.DROPPED:
        return stage != Stage.DROPPED
    return stage in ORDER and ORDER.index(stage) < ORDER.index(current)


def move(lead: Lead, stage: str, date: dt.date, user, reason: str = "") -> StageChange:
    """Move ``lead`` to ``stage`` as of ``date`` (the day it happened), logged as ``user``'s.

    Dropping and moving backwards need a reason. Reaching production files the enterprise
    in the registry (or updates the one with the lead's code) and links the two.
    """
    reason = reason.strip()
    if stage not in Stage.values:
        raise StageError(_("Unknown stage: %(stage)s") % {"stage": stage})
    if stage == lead.stage:
        raise StageError(_("The lead is in this stage already."))
    if date > timezone.localdate():
        raise StageError(_("The date is in the future."))
    if stage == Stage.DROPPED and not reason:
        raise StageError(_("Say why the lead is dropped."))
    if is_backwards(lead.stage, stage) and not reason:
        raise StageError(_("Moving a lead back needs a reason."))

    def work():
        if stage == Stage.IN_PRODUCTION:
            file_enterprise(lead)
        change = StageChange.objects.create(
            lead=lead,
            stage=stage,
            date=date,
            previous_stage=lead.stage,
            reason=reason,
            moved_by=user,
        )
        reopened_or_dropped = Stage.DROPPED in (lead.stage, stage)
        lead.stage, lead.stage_date = stage, date
        lead.dropped_reason = reason if stage == Stage.DROPPED else ""
        lead.save()
        if reopened_or_dropped:
            keep_rivals([lead])
        return [lead, change]

    # the lead is changed and its history added to; each is judged by its own action
    return gate.write(user, lambda obj: "change" if obj is lead else "add", work)[1]


def propose_park(lead: Lead, park, user) -> Lead:
    """The zone administration proposes ``park`` for ``lead``; its rivals are found again,
    as a lead of the same team for the same park is none."""

    def work():
        lead.proposed_park = park
        lead.save()
        keep_rivals([lead])
        return lead

    return gate.write(user, "change", work)


def file_enterprise(lead: Lead) -> Enterprise:
    """The registry's enterprise for a lead in production: created from the lead, or the one
    with its code, linked both ways (``lead.enterprise``, ``enterprise.leads``)."""
    missing = [
        label
        for label, value in (
            (_("Unified Social Credit Code"), lead.uscc),
            (_("industry class"), lead.industry_id),
            (_("proposed park"), lead.proposed_park_id),
        )
        if not value
    ]
    if missing:
        raise StageError(
            _("To file the enterprise in the registry the lead needs: %(fields)s")
            % {"fields": ", ".join(str(m) for m in missing)}
        )
    lead.enterprise = registry.file_enterprise(
        lead.uscc, lead.company, lead.company_en, lead.industry_id, lead.proposed_park_id
    )
    return lead.enterprise


def first_dates(leads) -> dict[int, dict[str, dt.date]]:
    """Per lead, the first date of each stage it reached."""
    out: dict[int, dict[str, dt.date]] = {}
    rows = StageChange.objects.filter(lead__in=leads).order_by("date", "pk")
    for lead_id, stage, date in rows.values_list("lead_id", "stage", "date"):
        out.setdefault(lead_id, {}).setdefault(stage, date)
    return out


def decide_claim(keep: Lead, other: Lead, user, date: dt.date | None = None) -> None:
    """The zone administration's decision: ``keep`` keeps the company; ``other`` is dropped
    as its duplicate, so the project is counted once."""
    date = date or timezone.localdate()

    def work():
        reason = _("duplicate of lead %(lead)s, kept by team %(team)s") % {
            "lead": keep.pk,
            "team": keep.team,
        }
        if other.stage != Stage.DROPPED:
            move(other, Stage.DROPPED, date, user, reason)
        for lead in (keep, other):
            lead.refresh_from_db()
            lead.claim = ClaimStatus.DECIDED
            lead.possible_duplicate_of = None if lead == keep else keep
            lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])
        return [keep, other]

    gate.write(user, "change", work)
