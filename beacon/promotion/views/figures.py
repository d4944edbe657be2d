"""The funnel and cycle-time figures, signed investment against the year's target, and
leads left too long in a stage."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import CharField, Count, F, Min, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Cast, RowNumber
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from beacon.analytics import pipeline
from beacon.core.permissions import restrict
from beacon.core.views import generic

from ..choices import ORDER, Stage
from ..models import Lead, PromotionTarget, StageChange, Team

ROT_DAYS = 30
STUCK_SHOWN = 10  # leads named per team; the count is of them all


GROUPS = {
    "team": ("team__code", _("Team")),
    "park": ("proposed_park__code", _("Park")),
    "industry": ("industry__code", _("Industry class")),
    "source": ("source", _("Source")),
}


def history_frames(leads, groups=tuple(GROUPS)) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The stage history of ``leads`` as the figures read it, the first date of each stage
    a lead reached (one row per lead and stage, grouped in the database), and the leads
    table with the ``groups`` columns (None without), in the batch CLI's columns."""
    # the date as ISO text, parsed by polars in one pass rather than row by row
    firsts = (
        StageChange.objects.filter(lead__in=leads)
        .order_by()
        .values_list("lead_id", "stage")
        .annotate(first=Cast(Min("date"), CharField()))
    )
    rows = list(firsts)
    history = pl.DataFrame(
        {
            "lead_id": pl.Series([r[0] for r in rows], dtype=pl.Int64).cast(pl.String),
            "stage": pl.Series([r[1] for r in rows], dtype=pl.String),
            "date": pl.Series([r[2] for r in rows], dtype=pl.String).str.to_date("%Y-%m-%d"),
        }
    )
    if not groups:
        return history, None
    rows = list(leads.order_by().values_list("pk", *(GROUPS[name][0] for name in groups)))
    table = pl.DataFrame(
        {
            "lead_id": pl.Series([r[0] for r in rows], dtype=pl.Int64).cast(pl.String),
            **{
                name: pl.Series([r[i] for r in rows], dtype=pl.String)
                for i, name in enumerate(groups, start=1)
            },
        }
    )
    return history, table


class FiguresView(generic.ObjectPermissionMixin, View):
    """Funnel, conversion and cycle times (the batch CLI's figures, over the leads in
    scope), signed investment against the year's target, and leads left too long in a
    stage."""

    model = Lead

    def get(self, request):
        self.require("view")
        leads = self.restricted()
        asked, problems = figures_asked(request.GET)
        history, table = history_frames(leads, [asked["by"]] if asked["by"] else [])
        by, pairs = asked["by"], asked["pairs"]
        try:
            figures = pipeline.metrics(history, table, by, asked["start"], asked["end"], pairs)
        except pipeline.PipelineError as e:
            problems.append(str(e))
            figures = pipeline.metrics(
                history.clear(), None if table is None else table.clear(), by, pairs=pairs
            )
        context = {
            **self.base_context(),
            "figures": figures,
            "by": by,
            "group_label": GROUPS[by][1] if by else "",
            "groups": GROUPS,
            "params": asked["params"],
            "stages": [(code, Stage(code).label) for code in ORDER],
            "problems": problems,
            "cycle_rows": cycle_rows(figures),
            "group_rows": group_rows(figures),
            "target": signed_against_target(leads, asked["year"], request.user),
            "stuck": stuck_leads(leads, asked["rot_days"]),
            "rot_days": asked["rot_days"],
            "chart": {
                "stages": [str(Stage(s).label) for s in ORDER],
                "reached": [figures["reached"][s] for s in ORDER],
                "label": _("Leads that reached the stage"),
            },
        }
        return render(request, "promotion/figures.html", context)


def figures_asked(query) -> tuple[dict, list[str]]:
    """What the figures page is asked for (grouping, dates, pairs of stages, days in a
    stage, year), each wrong value replaced by its default with a problem to show."""
    problems = []
    try:
        start = pipeline.parse_day(query["from"]) if query.get("from") else None
        end = pipeline.parse_day(query["to"]) if query.get("to") else None
    except ValueError:
        start = end = None
        problems.append(_("Dates are written YYYY-MM-DD."))
    try:
        rot_days = max(1, int(query.get("rot_days") or ROT_DAYS))
    except ValueError:
        rot_days = ROT_DAYS
        problems.append(_("Days in a stage is a whole number."))
    # any two stages of the order, besides the command line's pairs
    pair = (query.get("pair_from"), query.get("pair_to"))
    pairs = pipeline.PAIRS
    if all(stage in ORDER for stage in pair) and pair[0] != pair[1]:
        pairs = tuple(dict.fromkeys((*pipeline.PAIRS, pair)))
    try:
        year = int(query.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    params = {
        "from": query.get("from", ""),
        "to": query.get("to", ""),
        "rot_days": rot_days,
        "year": year,
        "pair_from": pair[0] or "",
        "pair_to": pair[1] or "",
    }
    asked = {
        "by": query.get("by") if query.get("by") in GROUPS else None,
        "start": start,
        "end": end,
        "pairs": pairs,
        "rot_days": rot_days,
        "year": year,
        "params": params,
    }
    return asked, problems


def cycle_rows(figures: dict) -> list[dict]:
    """Days between each pair of stages, with the stages' names and the conversion rate."""
    labels = dict(Stage.choices)
    rates = {(c["from"], c["to"]): c["rate"] for c in figures["conversion"]}
    return [
        {
            **row,
            "from": labels[row["from"]],
            "to": labels[row["to"]],
            "rate": None
            if rates.get((row["from"], row["to"])) is None
            else 100 * rates[(row["from"], row["to"])],
        }
        for row in figures["cycle_days"]
    ]


def group_rows(figures: dict) -> list[dict]:
    """Per group (team, park…): leads, those that reached each stage, days to signing."""
    return [
        {
            "group": group["group"],
            "leads": group["leads"],
            "reached": [group["reached"][s] for s in ORDER],
            "signed_days": next(
                c["median"]
                for c in group["cycle_days"]
                if (c["from"], c["to"]) == (Stage.LEAD, Stage.SIGNED)
            ),
        }
        for group in figures.get("groups", [])
    ]


def signed_against_target(leads, year: int, user) -> dict:
    """Planned investment of the leads first signed in ``year`` against the year's targets
    the user can see (the zone's, or their teams')."""
    first_signed = StageChange.objects.filter(lead=OuterRef("pk"), stage=Stage.SIGNED)
    signed = (
        leads.order_by()
        .annotate(first=Subquery(first_signed.order_by("date").values("date")[:1]))
        .filter(first__gte=dt.date(year, 1, 1), first__lte=dt.date(year, 12, 31))
        .aggregate(total=Sum("planned_investment"), projects=Count("pk"))
    )
    total = signed["total"] or 0
    targets = restrict(PromotionTarget.objects.filter(year=year), user)
    zone = targets.filter(team__isnull=True).first()
    target = zone.signed_investment if zone else targets.aggregate(s=Sum("signed_investment"))["s"]
    return {
        "year": year,
        "signed": total,
        "projects": signed["projects"],
        "target": target,
        "share": round(100 * float(total) / float(target), 1) if target else None,
    }


def stuck_leads(leads, days: int) -> list[tuple[Team, int, list[Lead]]]:
    """Open leads, not yet in production, in the same stage for more than ``days`` days:
    per team, how many and the ``STUCK_SHOWN`` longest there, longest first."""
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    stuck = leads.exclude(stage__in=[Stage.DROPPED, Stage.IN_PRODUCTION]).filter(
        stage_date__lt=cutoff
    )
    counts = dict(stuck.order_by().values_list("team").annotate(n=Count("*")))
    place = Window(
        RowNumber(), partition_by=[F("team")], order_by=[F("stage_date").asc(), F("pk").asc()]
    )
    longest = (
        stuck.annotate(place=place)
        .filter(place__lte=STUCK_SHOWN)
        .select_related("team")
        .order_by("team__code", "stage_date", "pk")
    )
    out: dict[int, tuple[Team, int, list[Lead]]] = {}
    for lead in longest:
        out.setdefault(lead.team_id, (lead.team, counts[lead.team_id], []))[2].append(lead)
    return list(out.values())
