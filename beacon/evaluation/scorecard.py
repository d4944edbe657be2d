"""An enterprise's scorecard: each indicator's value, benchmark and points against its park
and the zone, the class, the rank and why; on screen and as a one-page PDF."""

from __future__ import annotations

import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from beacon.core.permissions import can, restrict

from .models import EvaluationResult


def indicator_label(indicator) -> str:
    label = indicator.label or {}
    if get_language() == "en":
        return label.get("en") or label.get("zh") or indicator.key
    return label.get("zh") or label.get("en") or indicator.key


def scorecard(result: EvaluationResult, user) -> dict:
    run = result.run
    parsed = run.version.parsed
    summary = run.indicator_summary or {}
    park_code = result.park.code
    park_stats = summary.get("parks", {}).get(park_code, {})
    zone_stats = summary.get("zone", {})
    indicators = []
    for ind in parsed.indicators:
        points = result.values.get(f"{ind.key}_points")
        indicators.append(
            {
                "key": ind.key,
                "label": indicator_label(ind),
                "formula": f"{ind.numerator} / {ind.denominator}"
                if ind.denominator
                else ind.numerator,
                "weight": ind.weight,
                "method": ind.method,
                "lower_is_better": ind.direction == "lower_is_better",
                "benchmark": run.benchmarks.get(ind.key),
                "value": result.values.get(ind.key),
                "points": points,
                "share": None if points is None or not ind.weight else 100 * points / ind.weight,
                "park": park_stats.get(ind.key, {}),
                "zone": zone_stats.get(ind.key, {}),
            }
        )
    park_row = next((p for p in run.park_results if p.get("park") == park_code), {})
    rated_total = sum(p.get("rated") or 0 for p in run.park_results)
    zone_mean = (
        sum((p.get("mean_score") or 0) * (p.get("rated") or 0) for p in run.park_results)
        / rated_total
        if rated_total
        else None
    )
    history = restrict(
        EvaluationResult.objects.filter(
            enterprise=result.enterprise, run__scheme=run.scheme_id, run__official=True
        ).exclude(pk=result.pk),
        user,
    ).select_related("run")
    years = sorted([*history, result], key=lambda r: (r.run.year, r.run_id))
    moves = []
    previous = None
    for r in years:
        moves.append({"result": r, "previous": previous, "current": r.pk == result.pk})
        previous = r.final_class or None
    return {
        "run": run,
        "scheme": run.scheme,
        "indicators": indicators,
        "park_mean_score": park_row.get("mean_score"),
        "park_rated": park_row.get("rated"),
        "zone_mean_score": zone_mean,
        "history": moves,
        "can_change_class": result.rated
        and can(user, EvaluationResult, "change")
        and restrict(EvaluationResult.objects.filter(pk=result.pk), user, "change").exists(),
    }


def _fmt(value, digits=2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def scorecard_pdf(result: EvaluationResult, card: dict) -> bytes:
    """One A4 page: the enterprise, its class and rank, why, then one line per indicator.

    Chinese text uses the PDF standard's Song typeface (STSong-Light), which every reader
    supplies, so nothing has to be embedded and the file stays small and offline.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=15, leading=20)
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=9, leading=13)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10)
    run, enterprise = card["run"], result.enterprise
    subtitle = _("%(scheme)s, %(year)s, run %(run)s%(official)s") % {
        "scheme": run.scheme.name,
        "year": run.year,
        "run": run.pk,
        "official": _(" (official)") if run.official else "",
    }
    flow = [
        Paragraph(f"{enterprise.name}", title),
        Paragraph(subtitle, body),
        Paragraph(f"USCC {enterprise.uscc}, {_('Park')}: {result.park}", body),
        Spacer(1, 4 * mm),
        Paragraph(_headline(result, run), title),
        Spacer(1, 3 * mm),
        *(Paragraph(line, body) for line in _why(result)),
        Spacer(1, 3 * mm),
        _indicator_table(result, card, cell),
        Spacer(1, 4 * mm),
        *(Paragraph(line, body) for line in _classes_by_year(card)),
    ]
    out = io.BytesIO()
    margin = 15 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{enterprise.uscc} {run.year}",
    )
    doc.build(flow)
    return out.getvalue()


def _headline(result: EvaluationResult, run) -> str:
    if not result.rated:
        return _("Not rated: %(reason)s") % {"reason": result.not_rated_reason}
    return _("Class %(cls)s, score %(score)s, rank %(rank)s of %(n)s") % {
        "cls": result.final_class,
        "score": _fmt(result.score),
        "rank": result.rank,
        "n": run.rated,
    }


def _why(result: EvaluationResult) -> list[str]:
    """The class change, the veto and the adjustments, as lines."""
    why = []
    if result.class_changed:
        why.append(
            _("Class changed from %(old)s: %(reason)s")
            % {"old": result.evaluated_class or "—", "reason": result.class_change_reason}
        )
    if result.veto_reason:
        why.append(_("Veto: %(reason)s") % {"reason": result.veto_reason})
    for adjustment in result.adjustments:
        why.append(
            _("Adjustment %(points)s: %(reason)s")
            % {"points": _fmt(adjustment["points"], 1), "reason": adjustment["reason"]}
        )
    return why


def _indicator_table(result: EvaluationResult, card: dict, cell):
    """One line per indicator, then the adjustments and the score."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    header = [
        _("Indicator"),
        _("Weight"),
        _("Value"),
        _("Benchmark"),
        _("Points"),
        _("Park mean"),
        _("Zone mean"),
    ]
    rows = [[Paragraph(h, cell) for h in header]]
    for ind in card["indicators"]:
        rows.append(
            [
                Paragraph(ind["label"], cell),
                _fmt(ind["weight"], 0),
                _fmt(ind["value"], 4),
                # the PDF standard's Song face has no en dash
                _fmt(ind["benchmark"], 4)
                if ind["method"] == "ratio"
                else _("min–max").replace("–", "-"),
                _fmt(ind["points"]),
                _fmt(ind["park"].get("mean"), 4),
                _fmt(ind["zone"].get("mean"), 4),
            ]
        )
    rows.append(
        [Paragraph(_("Adjustments"), cell), "", "", "", _fmt(result.adjustment_points), "", ""]
    )
    rows.append([Paragraph(_("Score"), cell), "", "", "", _fmt(result.score), "", ""])
    table = Table(rows, colWidths=[48 * mm, 14 * mm, 26 * mm, 24 * mm, 18 * mm, 24 * mm, 24 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "STSong-Light", 8),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEABOVE", (0, -2), (-1, -2), 0.3, colors.grey),
                ("ROWBACKGROUNDS", (0, 1), (-1, -3), [colors.white, colors.HexColor("#f4f6fa")]),
            ]
        )
    )
    return table


def _classes_by_year(card: dict) -> list[str]:
    """The official classes of the years before, when there are some."""
    history = [m for m in card["history"] if m["result"].run.official or m["current"]]
    if len(history) < 2:
        return []
    years = ", ".join(f"{m['result'].run.year} {m['result'].final_class or '—'}" for m in history)
    return [_("Classes by year: %(years)s") % {"years": years}]
