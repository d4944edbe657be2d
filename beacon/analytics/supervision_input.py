"""The input of key-project supervision checked: projects, milestones, monthly reports and
a monthly plan, each parsed column by column, with every bad cell named by its row and
column (see ``supervision``)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from .io import ISO_DATE, InputError, capped, require, text

PROJECT_COLUMNS = ("project_id", "name", "park", "total_investment", "start_date", "end_date")
MILESTONE_COLUMNS = ("project_id", "milestone", "planned_date", "actual_date")
REPORT_COLUMNS = ("project_id", "month", "investment_completed")
PLAN_COLUMNS = ("project_id", "month", "planned_investment")
_ISO_MONTH = r"^\d{4}-\d{2}$"

# The fields every project has for the rules; other columns of the projects file are added
# as text (a column named like one of these is left out).
FIELDS = (
    "project_id",
    "name",
    "park",
    "total_investment",
    "planned_share",
    "completed_share",
    "planned_pct",
    "completed_pct",
    "lag_points",
    "planned_investment",
    "completed_investment",
    "milestones_due",
    "milestones_on_time",
    "overdue_milestones",
    "max_overdue_days",
    "most_overdue_milestone",
    "last_month",
    "last_report_month",
    "reported_last_month",
)


class SupervisionError(InputError):
    """A projects, milestones, reports or plan table that cannot be used."""


def _parse(frame: pl.DataFrame, kinds: dict[str, str]) -> pl.DataFrame:
    """Each column parsed by its kind, with ``__raw_<c>`` (trimmed text) and ``__bad_<c>``
    (the problem, or missing) beside it, and ``__row`` the spreadsheet row."""
    exprs = []
    for name, kind in kinds.items():
        col = pl.col(name)
        if frame.schema[name] == pl.Date:
            raw = col.cast(pl.String)
        elif isinstance(frame.schema[name], pl.Datetime):
            raw = col.dt.date().cast(pl.String)
        else:
            raw = text(col)
        empty = pl.lit("empty")
        shown = pl.format("'{}'", raw)
        bad: pl.Expr | None
        if kind in ("id", "text", "optional"):
            value, bad = raw, pl.when(raw.is_null()).then(empty) if kind != "optional" else None
        elif kind in ("date", "optional date"):
            value = pl.when(raw.str.contains(ISO_DATE)).then(raw.str.to_date(strict=False))
            bad = pl.when(raw.is_not_null() & value.is_null()).then(
                pl.format("not a date (YYYY-MM-DD): {}", shown)
            )
            if kind == "date":
                bad = pl.when(raw.is_null()).then(empty).otherwise(bad)
        elif kind == "month":
            value = pl.when(raw.str.contains(_ISO_MONTH)).then(
                (raw + "-01").str.to_date(strict=False)
            )
            bad = (
                pl.when(raw.is_null())
                .then(empty)
                .when(value.is_null())
                .then(pl.format("not a month (YYYY-MM): {}", shown))
            )
        else:  # "amount" and "positive amount"
            value = raw.str.replace_all(",", "").cast(pl.Float64, strict=False)
            low = value <= 0 if kind == "positive amount" else value < 0
            bad = (
                pl.when(raw.is_null())
                .then(empty)
                .when(value.is_null() | ~value.is_finite())
                .then(pl.format("not a number: {}", shown))
                .when(low)
                .then(
                    pl.format("must be above zero: {}", shown)
                    if kind == "positive amount"
                    else pl.format("must not be negative: {}", shown)
                )
            )
        exprs += [value.alias(name), raw.alias(f"__raw_{name}")]
        exprs.append((bad if bad is not None else pl.lit(None, pl.String)).alias(f"__bad_{name}"))
    return frame.with_row_index("__row", offset=2).select(pl.col("__row"), *exprs)


def _problems(parsed: pl.DataFrame, columns, extra: Iterable[tuple[int, str]] = ()) -> list:
    """(row, message) of every bad cell."""
    found = list(extra)
    for name in columns:
        bad = parsed.filter(pl.col(f"__bad_{name}").is_not_null())
        found += [
            (row, f"row {row}, column {name}: {msg}")
            for row, msg in bad.select("__row", f"__bad_{name}").iter_rows()
        ]
    return found


def _raise(found: list[tuple[int, str]]) -> None:
    if found:
        found.sort(key=lambda item: item[0])
        raise SupervisionError(capped([msg for _, msg in found], len(found)))


def _duplicates(parsed: pl.DataFrame, keys: list[str], column: str, what) -> list:
    firsts = parsed.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys)).with_columns(
        pl.col("__row").first().over(keys).alias("__first")
    )
    dup = firsts.filter(pl.col("__row") != pl.col("__first"))
    return [
        (
            r["__row"],
            f"row {r['__row']}, column {column}: {what(r)} appears more than once "
            f"(also row {r['__first']})",
        )
        for r in dup.iter_rows(named=True)
    ]


def _unknown(parsed: pl.DataFrame, project_ids) -> list:
    if project_ids is None:
        return []
    ids = pl.Series(list(project_ids), dtype=pl.String)
    bad = parsed.filter(
        pl.col("project_id").is_not_null() & ~pl.col("project_id").is_in(ids.implode())
    )
    return [
        (row, f"row {row}, column project_id: unknown project '{pid}'")
        for row, pid in bad.select("__row", "project_id").iter_rows()
    ]


def check_projects(frame: pl.DataFrame) -> pl.DataFrame:
    """The projects with ``total_investment`` a number above zero and the dates as dates,
    other columns as text; or SupervisionError naming every bad cell."""
    require(frame, PROJECT_COLUMNS, SupervisionError)
    kinds = {
        "project_id": "id",
        "name": "optional",
        "park": "id",
        "total_investment": "positive amount",
        "start_date": "date",
        "end_date": "date",
    }
    parsed = _parse(frame, kinds)
    found = _problems(parsed, kinds)
    found += _duplicates(parsed, ["project_id"], "project_id", lambda r: f"'{r['project_id']}'")
    backwards = parsed.filter(pl.col("end_date") < pl.col("start_date"))
    found += [
        (row, f"row {row}, column end_date: {end} is before the start_date {start}")
        for row, start, end in backwards.select("__row", "start_date", "end_date").iter_rows()
    ]
    _raise(found)
    extra = [c for c in frame.columns if c not in PROJECT_COLUMNS and c not in FIELDS]
    return pl.concat(
        [
            parsed.select(PROJECT_COLUMNS),
            frame.select(text(pl.col(c)).alias(c) for c in extra),
        ],
        how="horizontal",
    )


def check_milestones(frame: pl.DataFrame, project_ids=None) -> pl.DataFrame:
    require(frame, MILESTONE_COLUMNS, SupervisionError)
    kinds = {
        "project_id": "id",
        "milestone": "text",
        "planned_date": "date",
        "actual_date": "optional date",
    }
    parsed = _parse(frame, kinds)
    found = _problems(parsed, kinds) + _unknown(parsed, project_ids)
    found += _duplicates(
        parsed,
        ["project_id", "milestone"],
        "milestone",
        lambda r: f"'{r['milestone']}' of project '{r['project_id']}'",
    )
    _raise(found)
    return parsed.select(MILESTONE_COLUMNS)


def check_reports(frame: pl.DataFrame, project_ids=None) -> pl.DataFrame:
    """The reports with ``month`` as the first day of the month."""
    return _monthly(frame, REPORT_COLUMNS, project_ids)


def check_plan(frame: pl.DataFrame, project_ids=None) -> pl.DataFrame:
    return _monthly(frame, PLAN_COLUMNS, project_ids)


def _monthly(frame: pl.DataFrame, columns, project_ids) -> pl.DataFrame:
    require(frame, columns, SupervisionError)
    kinds = {"project_id": "id", "month": "month", columns[2]: "amount"}
    parsed = _parse(frame, kinds)
    found = _problems(parsed, kinds) + _unknown(parsed, project_ids)
    found += _duplicates(
        parsed,
        ["project_id", "month"],
        "month",
        lambda r: f"{r['__raw_month']} of project '{r['project_id']}'",
    )
    _raise(found)
    return parsed.select(columns)
