"""Scoring enterprises by a scheme: indicator points, adjustments, vetoes, classes and ranks;
and the tables built on the results: per park (``park_results``) and per indicator
(``indicator_summary``).

Columnar throughout: every step is a Polars expression over all rows, so a million rows
cost what a few vectorised passes cost. The web runs and ``beacon evaluate`` both call
``evaluate``. For speed at that size: the reasons, vetoes and classes are carried as small
numbers and turned into text only for the output; the rank order is found by sorting the
key columns alone, and the output columns are then taken in that order once; and the
results come as a plan (``Evaluation.lazy``) that the command line streams to its file.
"""

from __future__ import annotations

import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from .conditions import RuleError, all_hold
from .io import MAX_PROBLEM_LINES
from .scheme import Classes, Indicator, Scheme

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

NO_LAND = "no land (land_mu missing or 0)"
NOT_IN_SCOPE = "not in scope: {}"


QUOTA_CLASSES = ("A", "B", "C", "D")
# Below TINY a number's reciprocal overflows; SCALE makes it a normal number again.
TINY = 1 / sys.float_info.max
SCALE = 2.0**600


class Evaluation:
    """What ``evaluate`` found: ``results``, one row per input row in rank order; the
    ``benchmarks`` by indicator key; the scheme's indicator keys; and every class a row can
    get, best first ("D" included: a veto gives it under any scheme).

    ``results`` is computed when first read; ``lazy()`` gives it as a plan instead, which a
    file sink can stream without holding all the results at once.
    """

    def __init__(
        self,
        results: pl.DataFrame | pl.LazyFrame,
        benchmarks: dict[str, float | None] | None = None,
        indicators: tuple[str, ...] = (),
        classes: tuple[str, ...] = QUOTA_CLASSES,
        counts: dict[str, int] | None = None,
    ):
        self._results = results
        self.benchmarks = {} if benchmarks is None else benchmarks
        self.indicators = indicators
        self.classes = classes
        self._counts = counts

    def __repr__(self) -> str:
        return f"Evaluation(classes={self.class_counts()}, benchmarks={self.benchmarks})"

    @property
    def results(self) -> pl.DataFrame:
        if isinstance(self._results, pl.LazyFrame):
            self._results = self._results.collect()  # and the plan is let go
        return self._results

    def lazy(self) -> pl.LazyFrame:
        return self._results.lazy()

    @property
    def rated(self) -> int:
        """How many rows are rated."""
        if self._counts is not None:
            return sum(self._counts.values())
        return int(self.results["rated"].sum())

    def class_counts(self) -> dict[str, int]:
        """Rated rows per class, by class name, classes without rows left out."""
        if self._counts is not None:
            return dict(self._counts)
        counts = (
            self.results.lazy()
            .filter(pl.col("rated"))
            .group_by("class")
            .len()
            .sort("class")
            .collect()
        )
        return dict(zip(counts["class"].to_list(), counts["len"].to_list(), strict=True))


def check_input(scheme: Scheme, frame: pl.DataFrame) -> None:
    """The input has every column the scheme names, numbers where it computes, one row per
    enterprise."""
    _check_columns(scheme, frame)
    _check_unique(frame, frame.select(_distinct_hashes()).item())


def _check_columns(scheme: Scheme, frame: pl.DataFrame) -> None:
    missing = sorted((scheme.fields() | {"uscc", "land_mu"}) - set(frame.columns))
    if missing:
        raise RuleError(f"the input has no column for: {', '.join(missing)}")
    numeric = {"land_mu"} | {i.numerator for i in scheme.indicators}
    numeric |= {i.denominator for i in scheme.indicators if i.denominator}
    _numbers_only(frame, sorted(numeric))


def _numbers_only(frame: pl.DataFrame, names: list[str]) -> None:
    """RuleError naming the first of the columns that does not hold numbers."""
    for name in names:
        dtype = frame.schema[name]
        if not dtype.is_numeric() and dtype != pl.Null:
            raise RuleError(f"not numbers ({dtype})", column=name)


def _distinct_hashes() -> pl.Expr:
    return pl.col("uscc").hash(seed=0).n_unique()


def _check_unique(frame: pl.DataFrame, distinct_hashes: int) -> None:
    """Distinct hashes mean distinct codes, and counting 64-bit hashes is several times
    faster than counting strings; only when two hashes agree are the codes compared."""
    if distinct_hashes != frame.height and frame["uscc"].n_unique() != frame.height:
        raise RuleError(_duplicates(frame))


def _duplicates(frame: pl.DataFrame) -> str:
    """One line per repeated row, numbered as a spreadsheet shows it (the header is row 1),
    naming the row where the code first appears."""
    repeats = (
        frame.select("uscc")
        .with_row_index("row", offset=2)
        .with_columns(pl.col("row").first().over("uscc").alias("first"))
        .filter(pl.col("row") != pl.col("first"))
    )
    lines = [
        f"row {row}, column uscc: {'(empty)' if code is None else code} appears more than once"
        f" (also row {first})"
        for row, code, first in repeats.head(MAX_PROBLEM_LINES).iter_rows()
    ]
    if repeats.height > MAX_PROBLEM_LINES:
        more = repeats.height - MAX_PROBLEM_LINES
        lines.append(f"column uscc: {more} more repeated row{'s' if more > 1 else ''} not listed")
    return "\n".join(lines)


def _value(ind: Indicator, rated: pl.Expr) -> pl.Expr:
    """The indicator's value for rated rows; missing for the others."""
    num = pl.col(ind.numerator).cast(pl.Float64)
    if ind.denominator is None:
        return pl.when(rated).then(num).otherwise(None)
    den = pl.col(ind.denominator).cast(pl.Float64)
    # A zero or missing denominator leaves the indicator missing.
    return pl.when(rated & den.is_not_null() & (den != 0)).then(num / den).otherwise(None)


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


# Working columns of ``evaluate``, dropped before the results are returned: why a row is
# not rated, and which veto applies, as numbers.
REASON_CODE = "__beacon_reason"
VETO_CODE = "__beacon_veto"
DISTINCT = "__beacon_distinct"
ORDER = "__beacon_order"
INDEX = "__beacon_index"
CLASS_CODE = "__beacon_class"


def evaluate(scheme: Scheme, frame: pl.DataFrame) -> Evaluation:
    _check_columns(scheme, frame)  # and one row per code, checked with the statistics
    # Why a row is not rated, as a number: the first of these that applies. The text is
    # looked up only for the output, which is several times cheaper than building a column
    # of strings for every row and carrying it through the sort.
    reasons = [NO_LAND, *(NOT_IN_SCOPE.format(c.describe()) for c in scheme.scope)]
    land = pl.col("land_mu").cast(pl.Float64)
    code: Then | ChainedThen = pl.when(land.is_null() | (land == 0)).then(0)
    for i, condition in enumerate(scheme.scope, start=1):
        code = code.when(~condition.expr()).then(i)
    df = frame.with_columns(code.otherwise(None).cast(pl.UInt32).alias(REASON_CODE))
    df = df.with_columns(pl.col(REASON_CODE).is_null().alias("rated"))
    rated = pl.col("rated")

    df = df.with_columns(_value(ind, rated).alias(ind.key) for ind in scheme.indicators)
    # Every benchmark, minimum and maximum in one pass over the rated rows.
    stats = _statistics(scheme, df)
    _check_unique(frame, stats[DISTINCT])
    benchmarks = {
        i.key: _benchmark(i, stats) if i.method == "ratio" else None for i in scheme.indicators
    }
    # Points as expressions of the indicator's value: computed here for the score only, and
    # again from the values in rank order for the output.
    points = {i.key: _points(i, benchmarks[i.key], stats) for i in scheme.indicators}
    # A rated row without points gets zero, or the mean points of the rated rows that have
    # them (zero if none has). The others have none (their value is missing).
    fills = dict.fromkeys(points, 0.0)
    averaged = [i.key for i in scheme.indicators if i.missing == "average_points"]
    if averaged:
        means = df.select(
            points[k].filter(rated & points[k].is_not_null()).mean().alias(k) for k in averaged
        )
        fills |= {k: 0.0 if mean is None else mean for k, mean in means.row(0, named=True).items()}
    adjustment = pl.lit(0.0)
    for adj in scheme.adjustments:
        adjustment = adjustment + pl.when(all_hold(adj.when)).then(adj.points).otherwise(0.0)
    veto = pl.lit(None, dtype=pl.UInt32)
    for i in reversed(range(len(scheme.vetoes))):  # the first veto that applies gives the reason
        veto = pl.when(all_hold(scheme.vetoes[i].when)).then(i).otherwise(veto)
    df = df.with_columns(
        pl.when(rated).then(adjustment).otherwise(None).alias("adjustment_points"),
        pl.when(rated).then(veto).otherwise(None).cast(pl.UInt32).alias(VETO_CODE),
    )
    # Missing for the rows not rated, whose adjustment is missing.
    points_sum = pl.sum_horizontal(
        pl.when(rated).then(p.fill_null(fills[k])).otherwise(None) for k, p in points.items()
    )
    df = df.with_columns((points_sum + pl.col("adjustment_points")).alias("score"))
    for optional in ("name", "park"):
        if optional not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.Utf8).alias(optional))
    # What the ranking and the results take from here, in one chunk per column. A file read
    # in parts gives several, and taking rows across chunks in rank order costs four times
    # as much; the sums above were taken over the input as it came, as they always were.
    keys = [i.key for i in scheme.indicators]
    taken = ["uscc", "name", "park", REASON_CODE, VETO_CODE, "score", *keys, "adjustment_points"]
    tie_break = [f for f in dict.fromkeys(scheme.classes.tie_break) if f not in taken]
    df = df.select(*taken, *tie_break).rechunk()
    classes = tuple(dict.fromkeys([*QUOTA_CLASSES, *(n for n, _ in scheme.classes.thresholds)]))
    vetoes = [v.reason for v in scheme.vetoes]
    plan, counts = _rank(scheme, df, reasons, classes, vetoes, points, fills)
    return Evaluation(
        plan,
        benchmarks,
        indicators=tuple(i.key for i in scheme.indicators),
        classes=classes,
        counts=counts,
    )


def _points(ind: Indicator, benchmark: float | None, stats: dict) -> pl.Expr:
    """The indicator's points, from its value (missing where the value is)."""
    x = pl.col(ind.key)
    if ind.method == "ratio":
        if benchmark is None or benchmark <= 0:
            return pl.lit(None, dtype=pl.Float64)
        r = _over(x, benchmark)
        p = (2 - r).clip(0, ind.cap) if ind.direction == "lower_is_better" else r.clip(0, ind.cap)
        return (ind.weight * p).cast(pl.Float64)
    lo, hi = stats[f"{ind.key}:lo"], stats[f"{ind.key}:hi"]
    if lo is None:
        return pl.lit(None, dtype=pl.Float64)
    if hi == lo:
        # Everyone equal: everyone at the top of the 20–100 scale.
        return pl.when(x.is_not_null()).then(pl.lit(ind.weight)).otherwise(None).cast(pl.Float64)
    share = _over(x - lo if ind.direction != "lower_is_better" else hi - x, hi - lo)
    return (ind.weight * (20 + 80 * share) / 100).cast(pl.Float64)


def _over(value: pl.Expr, divisor: float) -> pl.Expr:
    """``value / divisor``. Polars divides by a number by multiplying by its reciprocal,
    which overflows for a subnormal divisor (a benchmark or a min–max spread below about
    1e-308) and gives inf or NaN; then both are first scaled up by 2**600, exactly."""
    if abs(divisor) >= TINY:
        return value / divisor
    return (value * SCALE) / (divisor * SCALE)


def _filled(name: str, rated: pl.Expr, fill: float) -> pl.Expr:
    points = pl.col(name)
    return pl.when(rated & points.is_null()).then(fill).otherwise(points).alias(name)


def _text(texts, number: pl.Expr) -> pl.Expr:
    """The text each row's number points to in ``texts``; missing where the number is."""
    return pl.lit(pl.Series(list(texts), dtype=pl.Utf8)).gather(number.cast(pl.UInt32))


def _statistics(scheme: Scheme, df: pl.DataFrame) -> dict[str, Any]:
    """The sums, means, medians, minima and maxima the indicators are scored against, each
    over the rated rows (with the indicator, for benchmarks), named ``<key>:<what>``."""
    rated = pl.col("rated")
    exprs = []
    for ind in scheme.indicators:
        x = pl.col(ind.key)
        having = rated & x.is_not_null()
        if ind.method != "ratio":
            exprs += [x.filter(rated).min().alias(f"{ind.key}:lo")]
            exprs += [x.filter(rated).max().alias(f"{ind.key}:hi")]
        elif ind.benchmark == "aggregate":
            num = pl.col(ind.numerator).cast(pl.Float64).filter(having).sum()
            if ind.denominator:
                den = pl.col(ind.denominator).cast(pl.Float64).filter(having).sum()
            else:
                den = having.sum().cast(pl.Float64)
            exprs += [num.alias(f"{ind.key}:num"), den.alias(f"{ind.key}:den")]
        elif ind.benchmark == "mean":
            exprs.append(x.filter(having).mean().alias(f"{ind.key}:mean"))
        elif ind.benchmark == "median":
            exprs.append(x.filter(having).median().alias(f"{ind.key}:median"))
    return df.select(*exprs, _distinct_hashes().alias(DISTINCT)).row(0, named=True)


def _benchmark(ind: Indicator, stats: dict[str, Any]) -> float | None:
    if not isinstance(ind.benchmark, str):
        return ind.benchmark
    if ind.benchmark == "aggregate":
        num, den = stats[f"{ind.key}:num"], stats[f"{ind.key}:den"]
        return num / den if den else None
    return stats[f"{ind.key}:{ind.benchmark}"]


def _order(scheme: Scheme, df: pl.DataFrame) -> tuple[pl.Series, int, int]:
    """Row numbers in the order of the results, and how many are rated and not vetoed,
    and rated and vetoed.

    Rated rows come first, those not vetoed before the vetoed, each by score (higher
    first), then the tie-break fields (higher first, missing last), then the code; the
    rows not rated follow by code. Only the key columns are sorted, each group on its own:
    sorting the wide frame, or by the vetoed flag first, costs several times more.
    """
    tie_break = scheme.classes.tie_break
    keys = df.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        pl.col(REASON_CODE).is_null().alias("_rated"),
        pl.col(VETO_CODE).is_not_null().alias("_vetoed"),
        pl.col("score").alias("_score"),
        *(pl.col(name).alias(f"_tie{i}") for i, name in enumerate(tie_break)),
        pl.col("uscc").alias("_uscc"),
    )
    rated, vetoed = pl.col("_rated"), pl.col("_vetoed")
    by = ["_score", *(f"_tie{i}" for i in range(len(tie_break))), "_uscc"]
    descending = [True, *([True] * len(tie_break)), False]
    # A rated row always has a score; with nulls_last=False on the first key Polars sorts by
    # it alone and compares the other keys only among ties (with True it encodes all keys).
    nulls_last = [False, *([True] * len(tie_break)), True]
    parts = [
        keys.filter(group).select(
            pl.col("_row").sort_by(by, descending=descending, nulls_last=nulls_last)
        )["_row"]
        for group in (rated & ~vetoed, rated & vetoed)
    ]
    parts.append(keys.filter(~rated).select(pl.col("_row").sort_by("_uscc"))["_row"])
    return pl.concat(parts), parts[0].len(), parts[1].len()


def _rank(
    scheme: Scheme,
    df: pl.DataFrame,
    reasons: list[str],
    names: tuple[str, ...],
    vetoes: list[str],
    points: dict[str, pl.Expr],
    fills: dict[str, float],
) -> tuple[pl.LazyFrame, dict[str, int]]:
    """The results in rank order as a plan that adds the points, class, rank and the texts
    of the not-rated reason and the veto; and the class counts. Streamed to a file, the plan
    never holds the finished results all at once.
    """
    classes = scheme.classes
    order, m, vetoed = _order(scheme, df)
    n = m + vetoed  # rated rows: the first m not vetoed, then the vetoed
    keys = [i.key for i in scheme.indicators]
    # One gather of what the output takes from each row, in rank order; the points are
    # computed again from the values rather than taken: the same arithmetic, and a third
    # fewer columns to take in random order.
    taken = ["uscc", "name", "park", "score", *keys, "adjustment_points", REASON_CODE, VETO_CODE]
    ranked = df.select(pl.col(taken).gather(order))
    if classes.method == "quota":
        grade, counts = _quota_classes(classes, names, m, vetoed, order.len())
    else:
        grade, counts = _threshold_classes(classes, names, m, vetoed, ranked)

    values = [c for k in keys for c in (k, f"{k}_points")]
    row = pl.col(INDEX).cast(pl.Int64)
    plan = (
        ranked.with_columns(grade.alias(CLASS_CODE))
        .lazy()
        .with_row_index(INDEX)
        .with_columns(
            _text(reasons, pl.col(REASON_CODE)).alias("not_rated_reason"),
            _text(vetoes, pl.col(VETO_CODE)).alias("veto_reason"),
            *(p.alias(f"{k}_points") for k, p in points.items()),
        )
        .with_columns(_filled(f"{k}_points", row < n, fill) for k, fill in fills.items())
        .select(
            "uscc",
            "name",
            "park",
            (row < n).alias("rated"),
            "not_rated_reason",
            "score",
            _text(names, pl.col(CLASS_CODE)).alias("class"),
            pl.when(row < n).then(row + 1).otherwise(None).alias("rank"),
            *values,
            "adjustment_points",
            "veto_reason",
        )
    )
    return plan, counts


def _quota_classes(
    classes: Classes, names: tuple[str, ...], m: int, vetoed: int, rows: int
) -> tuple[pl.Series, dict[str, int]]:
    """Each row's class in rank order, as its place in ``names`` (its text is looked up at
    the end), and the class counts: of ``rows``, the first m rated and not vetoed, then the
    vetoed, then the rows not rated (no class).

    In rank order the classes are runs: the top positions among the m rows not vetoed are
    A, then B, then C, with the bottom ones D (A and B first when they overlap it); then
    the vetoed rows, all D.
    """
    number = {name: i for i, name in enumerate(names)}
    n = m + vetoed
    q = classes.quota
    a_end = min(_floor(n * q["A"]), m)
    b_end = min(_floor(n * (q["A"] + q["B"])), m)
    d_start = max(m - max(_ceil(n * q["D"]) - vetoed, 0), b_end)
    runs = [("A", a_end), ("B", b_end - a_end), ("C", d_start - b_end), ("D", n - d_start)]
    grade = pl.concat(
        [
            *(pl.repeat(number[name], size, dtype=pl.UInt32, eager=True) for name, size in runs),
            pl.repeat(None, rows - n, dtype=pl.UInt32, eager=True),
        ]
    )
    return grade, {name: size for name, size in sorted(runs) if size}


def _threshold_classes(
    classes: Classes, names: tuple[str, ...], m: int, vetoed: int, ranked: pl.DataFrame
) -> tuple[pl.Series, dict[str, int]]:
    """As ``_quota_classes``, each rated row not vetoed by the first threshold its score
    reaches, in the rows ``ranked``."""
    number = {name: i for i, name in enumerate(names)}
    n = m + vetoed
    index = pl.int_range(pl.len(), dtype=pl.Int64)
    grade = pl.when(index >= n).then(None).when(index >= m).then(number["D"])
    *reached, (rest, _) = classes.thresholds  # the last class takes the rest (scheme)
    for name, minimum in reached:
        grade = grade.when(pl.col("score") >= minimum).then(number[name])
    codes = ranked.select(grade.otherwise(number[rest]).cast(pl.UInt32)).to_series()
    tally = codes.drop_nulls().value_counts()
    return codes, dict(sorted((names[code], count) for code, count in tally.iter_rows()))


# ------------------------------------------------------------------------ park and zone tables

PARK_FIGURES = ("land_mu", "tax", "value_added")
PARK_COLUMNS = (
    "park",
    "rank",
    "rated",
    *PARK_FIGURES,
    "tax_per_mu",
    "value_added_per_mu",
    "mean_score",
)


def park_results(evaluation: Evaluation, frame: pl.DataFrame) -> pl.DataFrame:
    """One row per park: its rated enterprises' land, tax and value added, tax and value added
    per mu, mean score and class counts, ranked by tax per mu.

    ``frame`` is the input of ``evaluate``; its ``land_mu``, ``tax`` and ``value_added`` are
    joined to the results by ``uscc``. Each sum is over the park's rated rows that have the
    figure, and missing when none has it or the input has no such column. Tax and value
    added per mu are the sums divided by the land's sum (missing when that is 0 or missing).
    Parks with rated rows are ranked 1..n by tax per mu, then value added per mu (higher
    first, missing last), then park code; parks with no rated row follow, unranked, with
    missing figures. Rows without a park are one more park, whose code is missing.
    Columns: park, rank, rated, land_mu, tax, value_added, tax_per_mu, value_added_per_mu,
    mean_score, then a count per class: A, B, C, D and any other class the scheme names.
    """
    classes = list(evaluation.classes) or list(QUOTA_CLASSES)
    taken = [c for c in classes if c in PARK_COLUMNS]
    if taken:
        raise RuleError(f"class {taken[0]}: the park table already has a column of that name")
    present = [name for name in PARK_FIGURES if name in frame.columns]
    _numbers_only(frame, present)
    figures = frame.select("uscc", *(pl.col(name).cast(pl.Float64) for name in present))
    rated = pl.col("rated")

    def total(name: str) -> pl.Expr:
        if name not in present:
            return pl.lit(None, dtype=pl.Float64).alias(name)
        values = pl.col(name).filter(rated)
        return pl.when(values.count() > 0).then(values.sum()).otherwise(None).alias(name)

    def per_mu(name: str) -> pl.Expr:
        land = pl.col("land_mu")
        return pl.when(land != 0).then(pl.col(name) / land).otherwise(None)

    # Eager, as in ``evaluate``: the in-memory engine adds each group's figures in the same
    # order on every run.
    parks = (
        evaluation.results.select("uscc", "park", "rated", "score", "class")
        .join(figures, on="uscc", how="left")
        .group_by("park")
        .agg(
            rated.sum().cast(pl.Int64).alias("rated"),
            *(total(name) for name in PARK_FIGURES),
            pl.col("score").filter(rated).mean().cast(pl.Float64).alias("mean_score"),
            *(
                (rated & (pl.col("class") == name)).sum().cast(pl.Int64).alias(name)
                for name in classes
            ),
        )
        .with_columns(
            per_mu("tax").alias("tax_per_mu"), per_mu("value_added").alias("value_added_per_mu")
        )
    )
    ranked = parks.filter(pl.col("rated") > 0).sort(
        ["tax_per_mu", "value_added_per_mu", "park"],
        descending=[True, True, False],
        nulls_last=True,
    )
    unranked = parks.filter(pl.col("rated") == 0).sort("park", nulls_last=True)
    ranks = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    return pl.concat(
        [
            ranked.with_columns(ranks.alias("rank")),
            unranked.with_columns(pl.lit(None, dtype=pl.Int64).alias("rank")),
        ]
    ).select(*PARK_COLUMNS, *classes)


def indicator_summary(evaluation: Evaluation) -> dict:
    """The mean and median of each indicator over the rated rows, for the zone and for each
    park: ``{"zone": {key: {"mean": x, "median": y}}, "parks": {park: {key: {...}}}}``.

    Values are floats, or None where no rated row has the indicator (a park with nothing
    rated has None throughout). Rows without a park count for the zone only: a park is
    named by its code, and JSON keys are text.
    """
    results = evaluation.results
    keys = list(evaluation.indicators) or results.columns[8:-2:2]
    rated = pl.col("rated")
    stats = []
    for i, key in enumerate(keys):
        values = pl.col(key).filter(rated).cast(pl.Float64)
        stats += [values.mean().alias(f"{i}:mean"), values.median().alias(f"{i}:median")]

    def summary(row: dict) -> dict:
        return {
            key: {
                "mean": _float(row[f"{i}:mean"]),
                "median": _float(row[f"{i}:median"]),
            }
            for i, key in enumerate(keys)
        }

    zone = results.select(stats).row(0, named=True)
    parks = results.filter(pl.col("park").is_not_null()).group_by("park").agg(stats).sort("park")
    return {
        "zone": summary(zone),
        "parks": {row["park"]: summary(row) for row in parks.iter_rows(named=True)},
    }


def _float(value) -> float | None:
    """A statistic for JSON: NaN (from NaN in the input) is missing, like no value."""
    if value is None or value != value:
        return None
    return float(value)
