"""The investment-promotion pipeline in figures: how many leads reach each stage, how many of
them go on from one stage to another, and how many days each step takes.

A history has one row per stage a lead reached: ``lead_id``, ``stage``, ``date`` (which may
be empty: the stage happened, when is not known). A lead has *reached* a stage if it has a
dated row for that stage or for any later one in ``STAGES`` (``dropped`` is in no order).
The days from stage X to stage Y are the first Y date less the first X date, for the leads
with both where Y is not earlier; conversion is the leads that reached Y over those that
reached X. See docs/pipeline-metrics.md.

Columnar throughout: one group-by finds every lead's first date at each stage and the
furthest stage it reached, and every figure is then an aggregation over that one row per
lead, for the whole selection and per group alike. ``beacon pipeline metrics`` and the web
app call the same functions: ``metrics`` checks and computes; the command line calls
``check_history`` and ``check_leads`` itself to report the problems of both files at once.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from .io import ISO_DATE, MAX_PROBLEM_LINES, InputError, capped, require, text

STAGES = (
    "lead",
    "contacted",
    "negotiating",
    "signed",
    "land_supplied",
    "construction_started",
    "in_production",
)
DROPPED = "dropped"
# Every step of the order, then the long ones the zone reports on; a pair the contract
# names twice (signed → land_supplied is both) is reported once, in its first place.
PAIRS = tuple(
    dict.fromkeys(
        (
            *zip(STAGES, STAGES[1:], strict=False),
            ("lead", "signed"),
            ("signed", "land_supplied"),
            ("signed", "construction_started"),
            ("lead", "in_production"),
        )
    )
)
GROUPINGS = ("team", "park", "industry", "source")
HISTORY_COLUMNS = ("lead_id", "stage", "date")

# ``dropped`` is numbered after the ordered stages, so "reached" comparisons never see it.
_STAGE_NUMBER = {name: i for i, name in enumerate((*STAGES, DROPPED))}
_EPOCH = date(1970, 1, 1)
# Working columns of the one-row-per-lead table: the first date at each stage, as days
# since 1970 (integer arithmetic is cheaper than durations), and the furthest stage reached.
_FIRST = [f"__first_{name}" for name in STAGES]
_FURTHEST = "__furthest"
_BAD_DATE = "__bad_date"
_GROUP = "__group"  # not the grouping column's own name, which could be a figure's


class PipelineError(InputError):
    """A history or leads table, or a selection of them, that cannot be used."""


# ---------------------------------------------------------------- checking the input


def check_history(frame: pl.DataFrame) -> pl.DataFrame:
    """The history as ``lead_id`` (text), ``stage`` (its number in ``STAGES``, ``dropped``
    after them) and ``date`` (missing where the cell is empty); or PipelineError naming every
    bad cell. Other columns are left out."""
    require(frame, HISTORY_COLUMNS, PipelineError)
    stage, _ = _per_value(frame["stage"], _stage_number)
    checked = frame.select(_lead_id(frame["lead_id"]), stage.alias("stage"), *_dates(frame["date"]))
    flags = {
        "lead_id": pl.col("lead_id").is_null(),
        "stage": pl.col("stage").is_null(),
        "date": pl.col(_BAD_DATE),
    }
    problems = checked.select(pl.sum_horizontal(f.sum() for f in flags.values())).item()
    if problems:
        raise PipelineError(_history_problems(frame, checked, flags, problems))
    return checked.drop(_BAD_DATE)


def _stage_number(text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().replace_strict(
        _STAGE_NUMBER, default=None, return_dtype=pl.UInt8
    )


def _iso_date(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(ISO_DATE)).then(text.str.to_date("%Y-%m-%d", strict=False))


def _per_value(column: pl.Series, convert) -> tuple[pl.Expr, pl.DataFrame]:
    """``convert`` of each cell's trimmed text (missing where empty), worked out once per
    distinct value: stages and dates repeat a few thousand values millions of times, and
    trimming and parsing them row by row costs several times as much. Also the table of
    distinct values: ``raw``, ``given`` (not empty) and ``value``."""
    raw = pl.col(column.name).cast(pl.String)
    values = column.cast(pl.String).drop_nulls().unique()
    trimmed = text(pl.lit(values))
    table = pl.select(
        values.alias("raw"), trimmed.is_not_null().alias("given"), convert(trimmed).alias("value")
    )
    expr = raw.replace_strict(
        table["raw"], table["value"], default=None, return_dtype=table["value"].dtype
    )
    return expr, table


def _dates(column: pl.Series) -> list[pl.Expr]:
    """The column as dates, and whether each cell is bad: date cells (a spreadsheet's, or a
    database's) as they are, the time of day dropped; text only in the form YYYY-MM-DD."""
    name = column.name
    if column.dtype in (pl.Date, pl.Null):
        return [pl.col(name).cast(pl.Date), pl.lit(False).alias(_BAD_DATE)]
    if isinstance(column.dtype, pl.Datetime):
        return [pl.col(name).dt.date(), pl.lit(False).alias(_BAD_DATE)]
    day, table = _per_value(column, _iso_date)
    bad = table.filter(pl.col("given") & pl.col("value").is_null())["raw"]
    flag = pl.col(name).cast(pl.String).is_in(bad.implode()) if bad.len() else pl.lit(False)
    return [day.alias(name), flag.alias(_BAD_DATE)]


def _lead_id(column: pl.Series) -> pl.Expr:
    """The ids as trimmed text, missing where empty; trimmed only when some need it, since
    millions of distinct ids cannot be worked out once per value."""
    ids = pl.col(column.name).cast(pl.String)
    if column.dtype == pl.String and not column.str.contains(r"(^\s)|(\s$)|(^$)").any():
        return ids.alias("lead_id")
    return text(ids).alias("lead_id")


def _history_problems(frame, checked, flags, total: int) -> str:
    """The first bad rows' problems, in row order, then how many more there are."""
    bad = (
        checked.with_row_index("row", offset=2)
        .with_columns(**{f"__bad_{k}": f for k, f in flags.items()})
        .filter(pl.any_horizontal(f"__bad_{k}" for k in flags))
        .head(MAX_PROBLEM_LINES)
    )
    raw = frame[(bad["row"] - 2).to_list()].select(
        text(pl.col(name).cast(pl.String)) for name in HISTORY_COLUMNS
    )
    known = ", ".join((*STAGES, DROPPED))
    lines = []
    for flagged, cells in zip(bad.iter_rows(named=True), raw.iter_rows(named=True), strict=True):
        row = flagged["row"]
        if flagged["__bad_lead_id"]:
            lines.append(f"row {row}, column lead_id: empty")
        if flagged["__bad_stage"]:
            if cells["stage"] is None:
                lines.append(f"row {row}, column stage: empty; stages are: {known}")
            else:
                lines.append(
                    f"row {row}, column stage: unknown stage '{cells['stage']}'; "
                    f"stages are: {known}"
                )
        if flagged["__bad_date"]:
            lines.append(f"row {row}, column date: not a date: '{cells['date']}'")
    return capped(lines, total)


def check_leads(frame: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
    """The leads table as ``lead_id`` and, with ``by``, that column as text (missing where
    empty); or PipelineError naming every empty or repeated lead_id."""
    require(frame, ("lead_id", by) if by else ("lead_id",), PipelineError)
    ids = frame.select(_lead_id(frame["lead_id"])).with_row_index("row", offset=2)
    bad = ids.with_columns(
        pl.col("row").first().over("lead_id").alias("first"),
    ).filter(pl.col("lead_id").is_null() | (pl.col("row") != pl.col("first")))
    if bad.height:
        lines = [
            f"row {row}, column lead_id: empty"
            if lead is None
            else f"row {row}, column lead_id: '{lead}' appears more than once (also row {first})"
            for row, lead, first in bad.head(MAX_PROBLEM_LINES).iter_rows()
        ]
        raise PipelineError(capped(lines, bad.height))
    columns = [ids["lead_id"]]
    if by:
        columns.append(frame.select(text(pl.col(by)).alias(by)).to_series())
    return pl.DataFrame(columns)


def parse_day(text: str) -> date:
    """A date given as YYYY-MM-DD; ValueError otherwise (``date.fromisoformat`` alone also
    takes 20240105 and week dates)."""
    if not re.fullmatch(ISO_DATE, text.strip()):
        raise ValueError(text)
    return date.fromisoformat(text.strip())


# ---------------------------------------------------------------- the figures


def metrics(
    history: pl.DataFrame,
    leads: pl.DataFrame | None = None,
    by: str | None = None,
    start: date | None = None,
    end: date | None = None,
    pairs=PAIRS,
) -> dict:
    """The pipeline figures of the leads in ``history`` (checked here) that entered ``lead``
    between ``start`` and ``end`` (inclusive; either may be left out), and with ``by``, per
    value of that column of ``leads`` too. See ``figures`` for the result."""
    if by is not None and leads is None:
        raise PipelineError(f"grouping by {by} needs the leads table")
    checked = check_leads(leads, by) if leads is not None else None
    return figures(check_history(history), checked, by, start, end, pairs)


def figures(
    history: pl.DataFrame,
    leads: pl.DataFrame | None = None,
    by: str | None = None,
    start: date | None = None,
    end: date | None = None,
    pairs=PAIRS,
) -> dict:
    """The figures of a history checked by ``check_history``, and with ``by``, of a leads
    table checked by ``check_leads``::

        {"leads": N, "reached": {stage: count}, "conversion": [{"from", "to", "rate"}],
         "cycle_days": [{"from", "to", "count", "mean", "median", "p90"}],
         "groups": [{"group": value, "leads": ..., ...}]}  # only with ``by``

    Groups are sorted by value, the leads without one (missing from ``leads``, or empty
    there) last, as group None; only groups with selected leads are listed. ``pairs`` are
    the (from, to) stages of ``conversion`` and ``cycle_days``: the command line's, unless
    a page asks for another pair too.
    """
    if start is not None and end is not None and start > end:
        raise PipelineError(f"the start {start} is after the end {end}")
    table = _selected(_per_lead(history), start, end)
    if by is None:
        return _summary(table.select(_aggregations(pairs)).collect().row(0, named=True), pairs)
    if leads is None or by not in leads.columns:
        raise PipelineError(f"grouping by {by} needs a leads table with that column")
    # Each lead once, for the whole and for the groups.
    selected = table.collect()
    whole = _summary(selected.select(_aggregations(pairs)).row(0, named=True), pairs)
    groups = (
        selected.lazy()
        .join(leads.lazy().select("lead_id", pl.col(by).alias(_GROUP)), on="lead_id", how="left")
        .group_by(_GROUP)
        .agg(_aggregations(pairs))
        .sort(_GROUP, nulls_last=True)
        .collect()
    )
    whole["groups"] = [
        {"group": row[_GROUP], **_summary(row, pairs)} for row in groups.iter_rows(named=True)
    ]
    return whole


def _per_lead(history: pl.DataFrame) -> pl.LazyFrame:
    """One row per lead: its first date at each ordered stage (missing without a dated row)
    and the furthest ordered stage it has a dated row for (missing if none)."""
    day = pl.col("date").cast(pl.Int32)
    stage = pl.col("stage")
    return (
        history.lazy()
        .group_by("lead_id")
        # when/then rather than filter: a fifth faster, as it needs no gather per group
        .agg(pl.when(stage == i).then(day).min().alias(_FIRST[i]) for i in range(len(STAGES)))
        .with_columns(
            pl.max_horizontal(
                pl.when(pl.col(first).is_not_null()).then(pl.lit(i, pl.Int8))
                for i, first in enumerate(_FIRST)
            ).alias(_FURTHEST)
        )
    )


def _selected(table: pl.LazyFrame, start: date | None, end: date | None) -> pl.LazyFrame:
    """The leads that entered ``lead`` within the bounds; all of them without bounds."""
    entered = pl.col(_FIRST[0])
    if start is not None:
        table = table.filter(entered >= (start - _EPOCH).days)
    if end is not None:
        table = table.filter(entered <= (end - _EPOCH).days)
    return table


def _aggregations(pairs=PAIRS) -> list[pl.Expr]:
    """Every figure of a set of leads as one aggregation each, named for ``_summary``."""
    exprs = [pl.len().alias("leads")]
    # A lead that reached a stage reached every earlier one.
    exprs += [(pl.col(_FURTHEST) >= i).sum().alias(name) for i, name in enumerate(STAGES)]
    for x, y in dict.fromkeys(pairs):
        days = pl.col(_FIRST[STAGES.index(y)]) - pl.col(_FIRST[STAGES.index(x)])
        # A step dated backwards is left out of the days, not of "reached".
        kept = days.filter(days >= 0)
        key = f"{x}>{y}"
        exprs += [
            kept.count().alias(f"{key}:count"),
            kept.mean().alias(f"{key}:mean"),
            kept.median().alias(f"{key}:median"),
            kept.quantile(0.9, interpolation="linear").alias(f"{key}:p90"),
        ]
    return exprs


def _summary(row: dict, pairs=PAIRS) -> dict:
    """The figures of one set of leads, shaped as ``figures`` returns them."""
    reached = {name: int(row[name]) for name in STAGES}
    conversion = [
        {"from": x, "to": y, "rate": _rounded(reached[y] / reached[x] if reached[x] else None)}
        for x, y in pairs
    ]
    cycle_days = [
        {
            "from": x,
            "to": y,
            "count": int(row[f"{x}>{y}:count"]),
            **{what: _rounded(row[f"{x}>{y}:{what}"]) for what in ("mean", "median", "p90")},
        }
        for x, y in pairs
    ]
    return {
        "leads": int(row["leads"]),
        "reached": reached,
        "conversion": conversion,
        "cycle_days": cycle_days,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
