"""Chains over the live registry: which enterprises belong to which link, the gaps, the
chain masters' missing suppliers, and target lists turned into leads.

The mapping and the ranking are ``beacon.analytics.chains`` and ``targeting``, the
functions the batch commands call, over frames built here from the registry. Which
enterprise is in which link is kept (``membership``); a chain map counts those rows in SQL,
as the user may see them.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from beacon.analytics import chains as engine
from beacon.analytics import targeting
from beacon.analytics.conditions import RuleError
from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.core.permissions import parks_in_scope, restrict, restrict_through
from beacon.promotion.choices import LeadSource, Stage
from beacon.promotion.models import Lead, Team
from beacon.promotion.services import open_leads
from beacon.registry.models import AnnualFigure, Enterprise

from .models import Chain, LinkMember, Target, TargetList

DATA = Path(__file__).resolve().parent / "data"


def known_classes() -> set[str]:
    return engine.load_known_classes()


def check_chain_text(text: str):
    """Parse a chain for the zone: RuleError names the line."""
    return engine.parse_chain(text, known_classes())


def registry_local(user=None) -> pl.DataFrame:
    """The registry's active enterprises ``user`` may see (all for the command line, user
    None) in the batch file's columns, with their latest output and tax: what a target list
    ranks against, and what the kept chain totals equal (the tests recompute them so)."""
    enterprises = Enterprise.objects.filter(status="active")
    figures = AnnualFigure.objects.all()
    if user is not None:
        enterprises, figures = restrict(enterprises, user), restrict(figures, user)
    rows = list(
        enterprises.order_by("uscc").values_list(
            "pk", "uscc", "name", "industry__code", "business_scope", "chain_master"
        )
    )
    frame = pl.DataFrame(
        rows,
        schema={
            "enterprise_id": pl.Int64,
            "uscc": pl.String,
            "name": pl.String,
            "industry_code": pl.String,
            "business_scope": pl.String,
            "chain_master": pl.Boolean,
        },
        orient="row",
    )
    latest = pl.DataFrame(
        list(figures.values_list("enterprise_id", "year", "industrial_output", "tax")),
        schema={
            "enterprise_id": pl.Int64,
            "year": pl.Int64,
            "output": pl.Float64,
            "tax": pl.Float64,
        },
        orient="row",
        strict=False,
    )
    latest = latest.sort("year").group_by("enterprise_id").last().drop("year")
    return frame.join(latest, on="enterprise_id", how="left")


def overrides(chain: Chain) -> pl.DataFrame:
    rows = list(chain.mappings.values_list("enterprise__uscc", "link", "include"))
    return pl.DataFrame(
        rows, schema={"uscc": pl.String, "link": pl.String, "include": pl.Boolean}, orient="row"
    )


def members(chain: Chain, user) -> QuerySet[LinkMember]:
    """The chain's link members among the active enterprises ``user`` may see."""
    return restrict_through(chain.members.filter(active=True), "enterprise", user)


def coverage(chain: Chain, user) -> dict:
    """The engine's coverage of the chain's current version (``engine.coverage``, without
    the membership) over the enterprises ``user`` may see: the kept totals of the parks
    the user sees whole, a few rows per park whatever the zone's size; for a scope of
    single enterprises, their kept members."""
    parsed = chain.parsed
    per_link, by_segment = _park_totals(chain, user) or _member_totals(chain, user)
    links = []
    for link in parsed.links:
        row = per_link.get(link.key, {})
        n = row.get("enterprises") or 0
        links.append(
            {
                "key": link.key,
                "status": parsed.status(n),
                "enterprises": n,
                "chain_masters": row.get("chain_masters") or 0,
                "segment": link.segment,
                "output": float(row.get("output") or 0),
                "tax": float(row.get("tax") or 0),
            }
        )
    present = sum(1 for row in links if row["status"] != "missing")
    return {
        "chain": parsed.key,
        "links": links,
        "gaps": [row["key"] for row in links if row["status"] != "strong"],
        "coverage": round(present / len(links), 4),
        "output_by_segment": {s: float(by_segment.get(s) or 0) for s in engine.SEGMENTS},
    }


def _park_totals(chain: Chain, user) -> tuple[dict, dict] | None:
    """Per link and per segment, the kept totals of the parks whose enterprises ``user``
    sees, all of them; None when the user's scope is not whole parks."""
    parks = parks_in_scope(user, Enterprise)
    figure_parks = parks_in_scope(user, AnnualFigure)
    if parks is False or figure_parks is False:
        return None
    if figure_parks is None or (parks is not None and parks <= figure_parks):
        sums = {"output": Sum("output"), "tax": Sum("tax")}
    elif not figure_parks or (parks is not None and not parks & figure_parks):
        sums = {}  # none of their figures
    else:
        return None  # the figures of some of them
    links, segments = chain.link_totals.order_by(), chain.segment_totals.order_by()
    if parks is not None:
        links, segments = links.filter(park__in=parks), segments.filter(park__in=parks)
    per_link = {
        row["link"]: row
        for row in links.values("link").annotate(
            enterprises=Sum("enterprises"), chain_masters=Sum("chain_masters"), **sums
        )
    }
    by_segment = (
        dict(segments.values("segment").annotate(o=Sum("output")).values_list("segment", "o"))
        if sums
        else {}
    )
    return per_link, by_segment


def _member_totals(chain: Chain, user) -> tuple[dict, dict]:
    """Per link and per segment, the totals of the kept members ``user`` may see, with
    their latest figures the user may see."""
    scoped = members(chain, user)
    figures = restrict(AnnualFigure.objects.all(), user)
    latest = {}
    if not figures.query.is_empty():
        rows = figures.filter(enterprise=OuterRef("enterprise")).order_by("-year")
        latest = {
            "output": Subquery(rows.values("industrial_output")[:1]),
            "tax": Subquery(rows.values("tax")[:1]),
        }
    per_link = {
        row["link"]: row
        for row in scoped.order_by()
        .values("link")
        .annotate(
            enterprises=Count("pk"),
            chain_masters=Count("pk", filter=Q(chain_master=True)),
            **{name: Sum(value) for name, value in latest.items()},
        )
    }
    by_segment = {}
    if latest:
        # an enterprise in several links of a segment counts once there: its first row
        first = LinkMember.objects.filter(
            chain=chain, segment=OuterRef("segment"), enterprise=OuterRef("enterprise")
        ).order_by("pk")
        by_segment = dict(
            scoped.filter(pk=Subquery(first.values("pk")[:1]))
            .order_by()
            .values("segment")
            .annotate(output=Sum(latest["output"]))
            .values_list("segment", "output")
        )
    return per_link, by_segment


def excluded_usccs() -> set[str]:
    """Companies already in the registry or open in the pipeline: not targets."""
    registry = set(Enterprise.objects.values_list("uscc", flat=True))
    pipeline = set(
        Lead.objects.exclude(stage=Stage.DROPPED).exclude(uscc="").values_list("uscc", flat=True)
    )
    return registry | pipeline


def candidate_files() -> list[Path]:
    """The candidate company files an administrator has put in the data folder."""
    folder = Path(settings.BEACON_HOME) / "candidates"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".parquet"))


def make_target_list(chain: Chain, candidates: Path, user, **options) -> TargetList:
    """Rank the candidates for the chain's gaps (the same function as ``beacon chains
    target``) and keep the list."""
    version = chain.current
    if version is None:
        raise RuleError("the chain has no version")
    ranked = targeting.rank(
        chain.parsed,
        registry_local(None),
        candidates,
        exclude=excluded_usccs(),
        **options,
    )
    target_list = TargetList(
        chain=chain,
        version=version,
        candidates=candidates.name,
        parameters={k: v for k, v in options.items() if v not in (None, [], ())},
        made_by=user,
    )

    def work():
        target_list.save()
        bulk_create_logged(
            Target,
            [
                Target(
                    target_list=target_list,
                    link=row["link"],
                    rank=row["rank"],
                    uscc=row["uscc"][:18],
                    name=row["name"][:200],
                    province=(row["province"] or "")[:40],
                    city=(row["city"] or "")[:40],
                    industry_code=(row["industry_code"] or "")[:20],
                    score=row["score"],
                    reasons=(row["reasons"] or "")[:500],
                )
                for row in ranked.iter_rows(named=True)
            ],
        )
        return target_list

    return gate.write(user, "add", work)


def to_pipeline(targets, team: Team, user) -> list[Lead]:
    """Leads for ``targets`` not yet worked, owned by ``team``, source "chain gap", opened
    as every lead is (one claim per company checked)."""
    chosen = [t for t in targets if t.lead_id is None]

    def work():
        leads = open_leads(
            [
                Lead(
                    uscc=t.uscc,
                    company=t.name,
                    hq_province=t.province,
                    hq_city=t.city,
                    chain_link=f"{t.target_list.chain.key}:{t.link}",
                    project=t.name,
                    source=LeadSource.CHAIN_GAP,
                    source_note=str(t.target_list),
                    team=team,
                )
                for t in chosen
            ],
            user,
        )
        for target, lead in zip(chosen, leads, strict=True):
            target.lead = lead
            target.save(update_fields=["lead", "updated"])
        return leads

    return gate.write(user, "add", work)


def load_templates(user=None) -> list[Chain]:
    """The chain files shipped with Beacon, as chains (those not there yet)."""
    from beacon.core.versions import save_version

    made = []
    for path in sorted(DATA.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = check_chain_text(text)
        chain, created = Chain.objects.get_or_create(
            key=parsed.key,
            defaults={
                "name": parsed.name.get("zh", parsed.key),
                "name_en": parsed.name.get("en", ""),
            },
        )
        if created:
            save_version(chain, text, user, "template")
            made.append(chain)
    return made
