"""Routing a lead to the park that fits: positioning, land, and the park's entry thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from beacon.analytics.conditions import RuleError
from beacon.registry.choices import ParcelStatus
from beacon.registry.models import Parcel, Park

from .entry_rules import ROUTING_FIELDS, parse_entry_rule
from .models import Lead, ParkEntryRuleVersion


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
    together are). A few queries for every park at once, however many the zone has."""
    parks = list(parks if parks is not None else Park.objects.all())
    figures = lead_figures(lead)
    industries: dict[int, list[str]] = {park.pk: [] for park in parks}
    through = Park.industries.through.objects.filter(park__in=parks)
    for park_id, code in through.values_list("park_id", "industryclass__code"):
        industries[park_id].append(code)
    need = lead.land_need_mu or Decimal(0)
    land = {
        row["park"]: row
        for row in Parcel.objects.filter(park__in=parks, status=ParcelStatus.AVAILABLE)
        .values("park")
        .annotate(
            fitting=Count("pk", filter=Q(area_mu__gte=need)), parcels=Count("pk"), mu=Sum("area_mu")
        )
        .order_by()
    }
    rules: dict[int, str] = {}  # each park's latest entry rule file
    versions = ParkEntryRuleVersion.objects.filter(rule__park__in=parks).order_by("rule", "-number")
    for park_id, text in versions.values_list("rule__park_id", "text"):
        rules.setdefault(park_id, text)
    fits = []
    for park in parks:
        fit = ParkFit(park)
        _positioning(fit, figures["industry_code"], industries[park.pk])
        _land(fit, need, land.get(park.pk))
        if park.pk in rules:
            _thresholds(fit, rules[park.pk], figures)
        fits.append(fit)
    return sorted(fits, key=lambda f: (not f.eligible, -f.score, f.park.code))


def _positioning(fit: ParkFit, code: str | None, codes: list[str]) -> None:
    if code and code in codes:
        fit.score += 3
        fit.reasons.append(_("positioning: the park is for class %(code)s") % {"code": code})
    elif code and any(c[:3] == code[:3] for c in codes):
        fit.score += 2
        fit.reasons.append(_("positioning: the park is for group %(code)s") % {"code": code[:3]})
    elif code and any(c[:2] == code[:2] for c in codes):
        fit.score += 1
        fit.reasons.append(_("positioning: the park is for division %(code)s") % {"code": code[:2]})
    else:
        fit.reasons.append(_("positioning: not among the park's industries"))


def _land(fit: ParkFit, need: Decimal, available: dict | None) -> None:
    """Points for the park's available parcels against the land the lead needs."""
    available = available or {"fitting": 0, "parcels": 0, "mu": None}
    fit.parcels = available["fitting"] if need else available["parcels"]
    mu = floatformat(need, -2)  # 100 mu, 37.5 mu
    if need and fit.parcels:
        fit.score += 2
        fit.reasons.append(
            _("land: %(n)s available parcels of %(mu)s mu or more") % {"n": fit.parcels, "mu": mu}
        )
    elif need and (available["mu"] or 0) >= need:
        fit.score += 1
        fit.reasons.append(
            _("land: only several available parcels together cover %(mu)s mu") % {"mu": mu}
        )
    elif need:
        fit.reasons.append(_("land: no available land for %(mu)s mu") % {"mu": mu})


def _thresholds(fit: ParkFit, text: str, figures: dict) -> None:
    """The park's entry thresholds the lead's project misses make the park ineligible."""
    try:
        conditions = parse_entry_rule(text)
    except RuleError as e:
        fit.reasons.append(_("entry rule cannot be read: %(error)s") % {"error": e})
        return
    frame = pl.DataFrame([figures], schema_overrides={k: pl.Float64 for k in ROUTING_FIELDS[:9]})
    held = frame.select(c.expr().alias(str(i)) for i, c in enumerate(conditions)).row(0)
    for condition, ok in zip(conditions, held, strict=True):
        if not ok:
            fit.eligible = False
            fit.reasons.append(
                _("entry threshold not met: %(condition)s (the lead: %(value)s)")
                % {"condition": condition.describe(), "value": figures.get(condition.field)}
            )
    if fit.eligible:
        fit.reasons.append(_("meets the park's entry thresholds"))
