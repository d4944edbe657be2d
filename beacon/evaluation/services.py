"""Running a scheme over the registry: the figures as a frame, the run and its frozen results.

The scoring itself is ``beacon.analytics.evaluation.evaluate``, the same function
``beacon evaluate --input`` calls, over a frame with the batch file's column names, so a
web run and the CLI on the exported figures give the same results.
"""

from __future__ import annotations

import math

import polars as pl
from django.utils.translation import gettext as _

from beacon.analytics.conditions import RuleError, all_hold
from beacon.analytics.evaluation import evaluate, indicator_summary, park_results
from beacon.analytics.scheme import Scheme as ParsedScheme
from beacon.analytics.scheme import parse_scheme
from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.core.permissions import restrict
from beacon.registry.models import FIGURE_MEASURES, AnnualFigure, Park

from .charts import keep_charts
from .choices import FlagKind
from .models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme, SchemeVersion

ENTERPRISE_FLAGS = ("above_scale", "high_tech", "srdi", "little_giant", "chain_master")
# Every column a registry run's frame has, so the fields a scheme may name.
FRAME_COLUMNS = (
    "uscc",
    "name",
    "park",
    "industry_code",
    "industry_section",
    "years_operating",
    *ENTERPRISE_FLAGS,
    *FIGURE_MEASURES,
    *FlagKind.values,
)


def unknown_fields(parsed: ParsedScheme) -> list[str]:
    """Messages for the fields a scheme names that the registry does not have."""
    unknown = sorted(parsed.fields() - set(FRAME_COLUMNS))
    return [
        _("unknown field '%(field)s'; the registry has: %(known)s")
        % {"field": name, "known": ", ".join(FRAME_COLUMNS)}
        for name in unknown
    ]


def check_scheme_text(text: str) -> ParsedScheme:
    """Parse a scheme for use on the registry; RuleError names the line or the field."""
    parsed = parse_scheme(text)
    problems = unknown_fields(parsed)
    if problems:
        raise RuleError("\n".join(problems))
    return parsed


def registry_frame(year: int, user) -> pl.DataFrame:
    """One row per enterprise with figures for ``year`` that ``user`` may see (the whole zone
    for the operator's command line, ``user`` None), in the batch file's columns (amounts as
    floats, yuan)."""
    figures = AnnualFigure.objects.filter(year=year)
    if user is not None:
        figures = restrict(figures, user)
    figures = figures.order_by("enterprise__uscc").values_list(
        "enterprise_id",
        "enterprise__uscc",
        "enterprise__name",
        "enterprise__park__code",
        "enterprise__industry__code",
        "enterprise__industry__section",
        "enterprise__founded",
        *(f"enterprise__{flag}" for flag in ENTERPRISE_FLAGS),
        *FIGURE_MEASURES,
    )
    rows = list(figures)
    head = ["enterprise_id", "uscc", "name", "park", "industry_code", "industry_section", "founded"]
    columns = [*head, *ENTERPRISE_FLAGS, *FIGURE_MEASURES]
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    for name in FIGURE_MEASURES:
        data[name] = [None if v is None else float(v) for v in data[name]]
    data["years_operating"] = [None if d is None else year - d.year for d in data.pop("founded")]
    flagged: dict[str, set[int]] = {kind: set() for kind in FlagKind.values}
    for enterprise_id, kind in AnnualFlag.objects.filter(year=year).values_list(
        "enterprise_id", "flag"
    ):
        flagged[kind].add(enterprise_id)
    ids = data["enterprise_id"]
    for kind, members in flagged.items():
        data[kind] = [i in members for i in ids]
    schema = {
        "enterprise_id": pl.Int64,
        "years_operating": pl.Int64,
        **{name: pl.Float64 for name in FIGURE_MEASURES},
        **{name: pl.Boolean for name in (*ENTERPRISE_FLAGS, *FlagKind.values)},
    }
    return pl.DataFrame(data, schema_overrides=schema, strict=False).select(
        "enterprise_id", *FRAME_COLUMNS
    )


def _number(value):
    """JSON has no NaN: a missing float is stored as null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def check_run(scheme: Scheme, year: int, user, version: SchemeVersion | None = None):
    """What a run of ``scheme`` over ``year`` needs, checked before anything is computed (a
    request asks before it queues the run): the parsed version. RuleError says what is
    missing."""
    version = version or scheme.current
    if version is None:
        raise RuleError(_("The scheme has no version to run."))
    parsed = check_scheme_text(version.text)
    if parsed.year is not None and parsed.year != year:
        raise RuleError(
            _("The scheme is for %(scheme_year)s; it cannot evaluate %(year)s.")
            % {"scheme_year": parsed.year, "year": year}
        )
    figures = AnnualFigure.objects.filter(year=year)
    if not (figures if user is None else restrict(figures, user)).exists():
        raise RuleError(_("No enterprise has figures for %(year)s.") % {"year": year})
    return version, parsed


def run_evaluation(
    scheme: Scheme,
    year: int,
    user,
    version: SchemeVersion | None = None,
    note: str = "",
    progress=None,
) -> EvaluationRun:
    """Evaluate ``year`` by ``scheme`` (its current version unless one is given) and store the
    run with one result per enterprise, in one transaction. RuleError when the scheme or the
    figures cannot be used. ``progress(done, total, step)``, where given, hears of each of
    the three steps (reading the figures, scoring, storing) before it starts."""
    report = progress or (lambda done, total, step: None)
    version, parsed = check_run(scheme, year, user, version)
    report(0, 3, _("Reading the figures"))
    frame = registry_frame(year, user)
    if frame.height == 0:
        raise RuleError(_("No enterprise has figures for %(year)s.") % {"year": year})
    report(1, 3, _("Scoring %(count)s enterprises") % {"count": frame.height})
    evaluation = evaluate(parsed, frame)
    parks = park_results(evaluation, frame)
    report(2, 3, _("Storing the run"))
    run = EvaluationRun(
        scheme=scheme,
        version=version,
        year=year,
        note=note,
        started_by=user,
        enterprises=frame.height,
        rated=int(evaluation.results["rated"].sum()),
        class_counts=evaluation.class_counts(),
        benchmarks={k: _number(v) for k, v in evaluation.benchmarks.items()},
        indicator_summary=indicator_summary(evaluation),
        park_results=[
            {k: _number(v) for k, v in row.items()} for row in parks.iter_rows(named=True)
        ],
    )

    def work():
        run.save()
        bulk_create_logged(EvaluationResult, list(_results(run, parsed, frame, evaluation)))
        keep_charts(run)
        return run

    return gate.write(user, "add", work)


def _results(run, parsed: ParsedScheme, frame: pl.DataFrame, evaluation):
    """The run's result rows: the engine's values, points, class and rank for each
    enterprise, with the figures and adjustments that made them."""
    ids = dict(zip(frame["uscc"].to_list(), frame["enterprise_id"].to_list(), strict=True))
    park_ids = dict(Park.objects.values_list("code", "pk"))
    keys = [i.key for i in parsed.indicators]
    value_columns = [c for k in keys for c in (k, f"{k}_points")]
    used = sorted(({"land_mu", "tax", "value_added"} | parsed.fields()) & set(FIGURE_MEASURES))
    applied = adjustments_applied(parsed, frame)
    inputs = {
        uscc: dict(zip(used, values, strict=True))
        for uscc, *values in frame.select("uscc", *used).iter_rows()
    }
    for row in evaluation.results.iter_rows(named=True):
        grade = row["class"] or ""
        yield EvaluationResult(
            run=run,
            enterprise_id=ids[row["uscc"]],
            park_id=park_ids[row["park"]],
            rated=row["rated"],
            not_rated_reason=row["not_rated_reason"] or "",
            score=_number(row["score"]),
            rank=row["rank"],
            evaluated_class=grade,
            final_class=grade,
            values={c: _number(row[c]) for c in value_columns},
            adjustment_points=_number(row["adjustment_points"]),
            adjustments=applied.get(row["uscc"], []) if row["rated"] else [],
            figures=inputs[row["uscc"]],
            veto_reason=row["veto_reason"] or "",
        )


def adjustments_applied(parsed: ParsedScheme, frame: pl.DataFrame) -> dict[str, list[dict]]:
    """For the scorecard's "why": the adjustments whose conditions hold, by USCC."""
    if not parsed.adjustments:
        return {}
    held = frame.select(
        "uscc", *(all_hold(a.when).alias(f"_{i}") for i, a in enumerate(parsed.adjustments))
    )
    out: dict[str, list[dict]] = {}
    for i, adjustment in enumerate(parsed.adjustments):
        for uscc in held.filter(pl.col(f"_{i}"))["uscc"].to_list():
            out.setdefault(uscc, []).append(
                {"reason": adjustment.reason, "points": adjustment.points}
            )
    return out


def mark_official(run: EvaluationRun, user=None) -> None:
    """Make ``run`` the official one of its scheme and year (and no other)."""

    def work():
        changed = list(
            EvaluationRun.objects.filter(
                scheme=run.scheme_id, year=run.year, official=True
            ).exclude(pk=run.pk)
        )
        for other in changed:
            other.official = False
            other.save(update_fields=["official", "updated"])
        run.official = True
        run.save(update_fields=["official", "updated"])
        return [*changed, run]

    gate.write(user, "change", work)
