"""Scoring enterprises by a scheme: indicator points, adjustments, vetoes, classes and ranks.

Columnar throughout: every step is a Polars expression over all rows, so a million rows
cost what a few vectorised passes cost. The web runs and ``beacon evaluate`` both call
``evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import polars as pl

from .conditions import RuleError, all_hold
from .scheme import Indicator, Scheme

NO_LAND = "no land (land_mu missing or 0)"
NOT_IN_SCOPE = "not in scope: {}"


@dataclass
class Evaluation:
    results: pl.DataFrame
    benchmarks: dict[str, float | None] = field(default_factory=dict)

    def class_counts(self) -> dict[str, int]:
        rated = self.results.filter(pl.col("rated"))
        counts = rated.group_by("class").len().sort("class")
        return dict(zip(counts["class"].to_list(), counts["len"].to_list(), strict=True))


def check_input(scheme: Scheme, frame: pl.DataFrame) -> None:
    """The input has every column the scheme names, numbers where it computes, one row per
    enterprise."""
    missing = sorted((scheme.fields() | {"uscc", "land_mu"}) - set(frame.columns))
    if missing:
        raise RuleError(f"the input has no column for: {', '.join(missing)}")
    numeric = {"land_mu"} | {i.numerator for i in scheme.indicators}
    numeric |= {i.denominator for i in scheme.indicators if i.denominator}
    for name in sorted(numeric):
        if not frame.schema[name].is_numeric() and frame.schema[name] != pl.Null:
            raise RuleError(f"column {name}: not numbers ({frame.schema[name]})")
    if frame["uscc"].n_unique() != frame.height:
        duplicated = frame.filter(pl.col("uscc").is_duplicated())["uscc"].unique().sort().to_list()
        raise RuleError(
            f"column uscc: appears more than once: {', '.join(map(str, duplicated[:10]))}"
        )


def _ratio(ind: Indicator) -> pl.Expr:
    num = pl.col(ind.numerator).cast(pl.Float64)
    if ind.denominator is None:
        return num
    den = pl.col(ind.denominator).cast(pl.Float64)
    # A zero or missing denominator leaves the indicator missing.
    return pl.when(den.is_not_null() & (den != 0)).then(num / den).otherwise(None)


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def evaluate(scheme: Scheme, frame: pl.DataFrame) -> Evaluation:
    check_input(scheme, frame)
    land = pl.col("land_mu").cast(pl.Float64)
    reason = pl.when(land.is_null() | (land == 0)).then(pl.lit(NO_LAND))
    for condition in scheme.scope:
        reason = reason.when(~condition.expr()).then(
            pl.lit(NOT_IN_SCOPE.format(condition.describe()))
        )
    df = frame.with_columns(reason.otherwise(None).cast(pl.Utf8).alias("not_rated_reason"))
    df = df.with_columns(pl.col("not_rated_reason").is_null().alias("rated"))
    rated = pl.col("rated")

    df = df.with_columns(
        pl.when(rated).then(_ratio(ind)).otherwise(None).alias(ind.key) for ind in scheme.indicators
    )
    benchmarks: dict[str, float | None] = {}
    points = []
    for ind in scheme.indicators:
        x = pl.col(ind.key)
        if ind.method == "ratio":
            b = _benchmark(ind, df)
            benchmarks[ind.key] = b
            if b is None or b <= 0:
                p = pl.lit(None, dtype=pl.Float64)
            else:
                r = x / b
                if ind.direction == "lower_is_better":
                    p = (2 - r).clip(0, ind.cap)
                else:
                    p = r.clip(0, ind.cap)
                p = ind.weight * p
        else:
            stats = df.filter(rated).select(x.min().alias("lo"), x.max().alias("hi")).row(0)
            lo, hi = stats
            benchmarks[ind.key] = None
            if lo is None:
                p = pl.lit(None, dtype=pl.Float64)
            elif hi == lo:
                # Everyone equal: everyone at the top of the 20–100 scale.
                p = pl.when(x.is_not_null()).then(pl.lit(ind.weight)).otherwise(None)
            else:
                share = (
                    (x - lo) / (hi - lo)
                    if ind.direction != "lower_is_better"
                    else (hi - x) / (hi - lo)
                )
                p = ind.weight * (20 + 80 * share) / 100
        points.append(p.cast(pl.Float64).alias(f"{ind.key}_points"))
    df = df.with_columns(points)

    fills = []
    for ind in scheme.indicators:
        name = f"{ind.key}_points"
        if ind.missing == "average_points":
            mean = df.filter(rated & pl.col(name).is_not_null()).select(pl.col(name).mean()).item()
            fill = 0.0 if mean is None else mean
        else:
            fill = 0.0
        fills.append(pl.when(rated).then(pl.col(name).fill_null(fill)).otherwise(None).alias(name))
    df = df.with_columns(fills)

    adjustment = pl.lit(0.0)
    for adj in scheme.adjustments:
        adjustment = adjustment + pl.when(all_hold(adj.when)).then(adj.points).otherwise(0.0)
    veto = pl.lit(None, dtype=pl.Utf8)
    for v in reversed(scheme.vetoes):  # the first veto that applies gives the reason
        veto = pl.when(all_hold(v.when)).then(pl.lit(v.reason)).otherwise(veto)
    df = df.with_columns(
        pl.when(rated).then(adjustment).otherwise(None).alias("adjustment_points"),
        pl.when(rated).then(veto).otherwise(None).alias("veto_reason"),
    )
    df = df.with_columns(
        pl.when(rated)
        .then(
            pl.sum_horizontal(*(f"{i.key}_points" for i in scheme.indicators))
            + pl.col("adjustment_points")
        )
        .otherwise(None)
        .alias("score")
    )
    df = _classify(scheme, df)
    columns = ["uscc", "name", "park", "rated", "not_rated_reason", "score", "class", "rank"]
    for ind in scheme.indicators:
        columns += [ind.key, f"{ind.key}_points"]
    columns += ["adjustment_points", "veto_reason"]
    for optional in ("name", "park"):
        if optional not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.Utf8).alias(optional))
    return Evaluation(df.select(columns), benchmarks)


def _benchmark(ind: Indicator, df: pl.DataFrame) -> float | None:
    if not isinstance(ind.benchmark, str):
        return ind.benchmark
    rated = pl.col("rated") & pl.col(ind.key).is_not_null()
    if ind.benchmark == "aggregate":
        den = ind.denominator
        sums = (
            df.filter(rated)
            .select(
                pl.col(ind.numerator).cast(pl.Float64).sum().alias("num"),
                (pl.col(den).cast(pl.Float64).sum() if den else pl.len().cast(pl.Float64)).alias(
                    "den"
                ),
            )
            .row(0)
        )
        return sums[0] / sums[1] if sums[1] else None
    stat = pl.col(ind.key).mean() if ind.benchmark == "mean" else pl.col(ind.key).median()
    return df.filter(rated).select(stat).item()


def _classify(scheme: Scheme, df: pl.DataFrame) -> pl.DataFrame:
    classes = scheme.classes
    vetoed = pl.col("veto_reason").is_not_null()
    order = ["_vetoed", "score", *classes.tie_break, "uscc"]
    descending = [False, True, *([True] * len(classes.tie_break)), False]
    ranked = (
        df.filter(pl.col("rated"))
        .with_columns(vetoed.alias("_vetoed"))
        .sort(order, descending=descending, nulls_last=True)
        .with_columns(pl.int_range(1, pl.len() + 1).alias("rank"))
    )
    n = ranked.height
    vetoes = ranked["_vetoed"].sum()
    m = n - vetoes  # non-vetoed rows come first, so their rank is their position among them
    position = pl.col("rank")
    if classes.method == "quota":
        q = classes.quota
        top_a = _floor(n * q["A"])
        top_b = _floor(n * (q["A"] + q["B"]))
        bottom_d = max(_ceil(n * q["D"]) - vetoes, 0)
        grade = (
            pl.when(pl.col("_vetoed"))
            .then(pl.lit("D"))
            .when(position <= top_a)
            .then(pl.lit("A"))
            .when(position <= top_b)
            .then(pl.lit("B"))
            .when(position > m - bottom_d)
            .then(pl.lit("D"))
            .otherwise(pl.lit("C"))
        )
    else:
        grade = pl.when(pl.col("_vetoed")).then(pl.lit("D"))
        for name, minimum in classes.thresholds:
            grade = (
                grade.when(pl.col("score") >= minimum).then(pl.lit(name))
                if minimum is not None
                else grade.otherwise(pl.lit(name))
            )
    # Rated rows in rank order, then the others by code: no join, no sort over all rows.
    rated = ranked.with_columns(grade.alias("class")).drop("_vetoed")
    others = (
        df.filter(~pl.col("rated"))
        .sort("uscc")
        .with_columns(
            pl.lit(None, dtype=pl.Utf8).alias("class"), pl.lit(None, dtype=pl.Int64).alias("rank")
        )
    )
    return pl.concat(
        [rated.with_columns(pl.col("rank").cast(pl.Int64)), others], how="diagonal_relaxed"
    )
