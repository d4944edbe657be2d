"""Working a lead: dated stage moves, the hand-off to the registry, one claim per company,
and routing to the park that fits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from beacon.analytics.conditions import RuleError
from beacon.core.changelog import acting_as
from beacon.registry.choices import ParcelStatus
from beacon.registry.models import Enterprise, Park

from .choices import ORDER, ClaimStatus, Stage
from .models import Lead, ParkEntryRule, StageChange
from .rules import ROUTING_FIELDS, parse_entry_rule


class StageError(ValueError):
    """A stage move that cannot be made; the message says why."""


# -- stages --------------------------------------------------------------------------------


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
    with transaction.atomic(), acting_as(user):
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
        lead.stage, lead.stage_date = stage, date
        lead.dropped_reason = reason if stage == Stage.DROPPED else ""
        lead.save()
    return change


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
    enterprise = Enterprise.objects.filter(uscc=lead.uscc).first()
    if enterprise is None:
        enterprise = Enterprise(uscc=lead.uscc)
    enterprise.name = enterprise.name or lead.company
    enterprise.name_en = enterprise.name_en or lead.company_en
    if enterprise.pk is None:
        enterprise.industry_id = lead.industry_id
        enterprise.park_id = lead.proposed_park_id
    enterprise.full_clean()
    enterprise.save()
    lead.enterprise = enterprise
    return enterprise


def first_dates(leads) -> dict[int, dict[str, dt.date]]:
    """Per lead, the first date of each stage it reached."""
    out: dict[int, dict[str, dt.date]] = {}
    rows = StageChange.objects.filter(lead__in=leads).order_by("date", "pk")
    for lead_id, stage, date in rows.values_list("lead_id", "stage", "date"):
        out.setdefault(lead_id, {}).setdefault(stage, date)
    return out


# -- one claim per company -----------------------------------------------------------------

# Words every company name carries; two names that differ only in them name one company.
LEGAL_WORDS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "股份",
    "公司",
    "(中国)",
    "（中国）",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd",
    "company limited",
    "limited",
    "ltd",
    "inc.",
    "inc",
    "corporation",
    "corp.",
    "group",
    "co.",
)
SAME_NAME = 90  # rapidfuzz ratio (0–100) from which two normalised names are one company


def normalise_name(name: str) -> str:
    """A company name without legal-form words, spaces and punctuation, case-folded, with
    full-width characters made half-width (NFKC)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for word in LEGAL_WORDS:
        text = text.replace(unicodedata.normalize("NFKC", word), " ")
    return re.sub(r"[\s\W_]+", "", text)


@dataclass
class Claim:
    """An open lead of another team or park that may be the same company."""

    lead: Lead
    reason: str
    score: float = 100.0


def rival_claims(lead: Lead, limit: int = 5) -> list[Claim]:
    """Open leads, of another team or another proposed park, for the same company: the same
    USCC, or a name (Chinese or English) at least ``SAME_NAME`` alike once normalised."""
    others = Lead.objects.exclude(stage=Stage.DROPPED).select_related("team", "proposed_park")
    if lead.pk:
        others = others.exclude(pk=lead.pk)
    rivals = others.exclude(team=lead.team_id, proposed_park=lead.proposed_park_id)
    found: dict[int, Claim] = {}
    if lead.uscc:
        for other in rivals.filter(uscc=lead.uscc):
            found[other.pk] = Claim(other, _("same USCC %(uscc)s") % {"uscc": lead.uscc})
    names = [n for n in (normalise_name(lead.company), normalise_name(lead.company_en)) if n]
    if names:
        candidates = list(rivals.values_list("pk", "company", "company_en"))
        choices = {}
        for pk, company, company_en in candidates:
            for text in (company, company_en):
                if normalised := normalise_name(text):
                    choices[(pk, text)] = normalised
        for name in names:
            for _match, score, (pk, text) in process.extract(
                name, choices, scorer=fuzz.ratio, score_cutoff=SAME_NAME, limit=limit
            ):
                if pk not in found:
                    found[pk] = Claim(
                        others.get(pk=pk),
                        _("name %(name)s is %(score)s%% alike")
                        % {"name": text, "score": round(score)},
                        score,
                    )
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


def flag_claims(lead: Lead) -> list[Claim]:
    """Mark a saved lead as a possible duplicate for the zone administration to decide."""
    claims = rival_claims(lead)
    if claims and lead.claim != ClaimStatus.DECIDED:
        lead.claim = ClaimStatus.FLAGGED
        lead.possible_duplicate_of = claims[0].lead
        lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])
    return claims


def decide_claim(keep: Lead, other: Lead, user, date: dt.date | None = None) -> None:
    """The zone administration's decision: ``keep`` keeps the company; ``other`` is dropped
    as its duplicate, so the project is counted once."""
    date = date or timezone.localdate()
    with transaction.atomic():
        reason = _("duplicate of lead %(lead)s, kept by team %(team)s") % {
            "lead": keep.pk,
            "team": keep.team,
        }
        if other.stage != Stage.DROPPED:
            move(other, Stage.DROPPED, date, user, reason)
        with acting_as(user):
            for lead in (keep, other):
                lead.refresh_from_db()
                lead.claim = ClaimStatus.DECIDED
                lead.possible_duplicate_of = None if lead == keep else keep
                lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])


# -- park routing --------------------------------------------------------------------------


def lead_figures(lead: Lead) -> dict:
    """The lead's project as the fields entry rules test (yuan per mu where it has land)."""

    def number(value):
        return None if value is None else float(value)

    land = number(lead.land_need_mu)

    def per_mu(value):
        return None if value is None or not land else float(value) / land

    return {
        "planned_investment": number(lead.planned_investment),
        "expected_output": number(lead.expected_output),
        "expected_tax": number(lead.expected_tax),
        "expected_jobs": number(lead.expected_jobs),
        "land_need_mu": land,
        "floor_space_need_m2": number(lead.floor_space_need_m2),
        "investment_per_mu": per_mu(lead.planned_investment),
        "output_per_mu": per_mu(lead.expected_output),
        "tax_per_mu": per_mu(lead.expected_tax),
        "industry_code": lead.industry.code if lead.industry_id else None,
        "industry_section": lead.industry.section if lead.industry_id else None,
    }


@dataclass
class ParkFit:
    park: Park
    score: int = 0
    eligible: bool = True
    reasons: list[str] = field(default_factory=list)
    parcels: int = 0


def route(lead: Lead, parks=None) -> list[ParkFit]:
    """The parks ranked by fit for ``lead``: those whose entry thresholds it meets first,
    then by points: positioning 3 (the park is for the lead's class), 2 (its group) or 1
    (its division); land 2 when an available parcel is large enough (1 when only several
    together are)."""
    parks = list(parks if parks is not None else Park.objects.all())
    industries = {p.pk: list(p.industries.values_list("code", flat=True)) for p in parks}
    need = lead.land_need_mu or Decimal(0)
    mu = floatformat(need, -2)  # 100 mu, 37.5 mu
    figures = lead_figures(lead)
    frame = pl.DataFrame([figures], schema_overrides={k: pl.Float64 for k in ROUTING_FIELDS[:9]})
    rules = {r.park_id: r for r in ParkEntryRule.objects.filter(park__in=parks)}
    fits = []
    for park in parks:
        fit = ParkFit(park)
        code = figures["industry_code"]
        codes = industries[park.pk]
        if code and code in codes:
            fit.score += 3
            fit.reasons.append(_("positioning: the park is for class %(code)s") % {"code": code})
        elif code and any(c[:3] == code[:3] for c in codes):
            fit.score += 2
            fit.reasons.append(
                _("positioning: the park is for group %(code)s") % {"code": code[:3]}
            )
        elif code and any(c[:2] == code[:2] for c in codes):
            fit.score += 1
            fit.reasons.append(
                _("positioning: the park is for division %(code)s") % {"code": code[:2]}
            )
        else:
            fit.reasons.append(_("positioning: not among the park's industries"))
        available = park.parcels.filter(status=ParcelStatus.AVAILABLE)
        fit.parcels = available.filter(area_mu__gte=need).count() if need else available.count()
        if need and fit.parcels:
            fit.score += 2
            fit.reasons.append(
                _("land: %(n)s available parcels of %(mu)s mu or more")
                % {"n": fit.parcels, "mu": mu}
            )
        elif need and (available.aggregate(total=Sum("area_mu"))["total"] or 0) >= need:
            fit.score += 1
            fit.reasons.append(
                _("land: only several available parcels together cover %(mu)s mu") % {"mu": mu}
            )
        elif need:
            fit.reasons.append(_("land: no available land for %(mu)s mu") % {"mu": mu})
        rule = rules.get(park.pk)
        if rule is not None:
            try:
                conditions = parse_entry_rule(rule.conditions)
            except RuleError as e:
                fit.reasons.append(_("entry rule cannot be read: %(error)s") % {"error": e})
                conditions = ()
            held = (
                frame.select(c.expr().alias(str(i)) for i, c in enumerate(conditions)).row(0)
                if conditions
                else ()
            )
            for condition, ok in zip(conditions, held, strict=True):
                if not ok:
                    fit.eligible = False
                    fit.reasons.append(
                        _("entry threshold not met: %(condition)s (the lead: %(value)s)")
                        % {"condition": condition.describe(), "value": figures.get(condition.field)}
                    )
            if conditions and fit.eligible:
                fit.reasons.append(_("meets the park's entry thresholds"))
        fits.append(fit)
    return sorted(fits, key=lambda f: (not f.eligible, -f.score, f.park.code))
