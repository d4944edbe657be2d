"""Key-project supervision (重点项目督办): each project green, amber or red as of a date, with
its reasons, and a league table of the parks.

As of a date D: the completed share is the latest cumulative report with a month up to D's
month over the total investment; the planned share is the elapsed fraction of the project's
span (clipped to [0, 1]) or, with a monthly plan, the plan through D's month over the total.
The investment lag is planned less completed share, in percentage points (rounded to 0.1,
the value shown is the value judged). A milestone is due when planned on or before D, on
time when its actual date is on or before the planned one, overdue when past its planned
date without an actual date (by D). See docs/supervision-cli.md.

Status rules are a versioned YAML file in the condition language of ``conditions``,
evaluated over one row per project (``supervision_rules``: ``DEFAULT_RULES_TEXT`` is the
shipped default). ``status`` checks (``supervision_input``) and computes; the command line
calls the ``check_*`` functions itself to report every file's problems at once, then
``supervise``. Everything callers use is importable from here.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from .conditions import all_hold
from .supervision_input import (
    FIELDS,
    PROJECT_COLUMNS,
    SupervisionError,
    check_milestones,
    check_plan,
    check_projects,
    check_reports,
)
from .supervision_rules import (
    DEFAULT_RULES,
    DEFAULT_RULES_TEXT,
    ESCALATION_REASON,
    PLACEHOLDER,
    Rule,
    RuleSet,
    check_rules,
    parse_rules,
)

# What callers take from here, the parts in supervision_rules and supervision_input too.
__all__ = [
    "COMPOSITE_WEIGHTS",
    "DEFAULT_RULES",
    "DEFAULT_RULES_TEXT",
    "ESCALATION_REASON",
    "STATUSES",
    "RuleSet",
    "SupervisionError",
    "check_milestones",
    "check_plan",
    "check_projects",
    "check_reports",
    "judged",
    "league_table",
    "parse_rules",
    "project_fields",
    "status",
    "supervise",
]

STATUSES = ("green", "amber", "red")
_SEVERITY = {name: i for i, name in enumerate(STATUSES)}
# Composite of the park league table: weights of investment completion (capped at 1), the
# on-time share of due milestones and the share of green projects.
COMPOSITE_WEIGHTS = (0.4, 0.3, 0.3)


def _month_key(expr: pl.Expr) -> pl.Expr:
    return expr.dt.year().cast(pl.Int32) * 12 + expr.dt.month().cast(pl.Int32) - 1


def project_fields(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    plan: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per project (checked frames, in the projects' order) with every field of
    ``FIELDS`` as of ``as_of``, and the projects' other columns."""
    day = pl.lit(as_of, pl.Date)
    key = as_of.year * 12 + as_of.month - 1
    last = key - 1
    last_month = f"{last // 12:04d}-{last % 12 + 1:02d}"

    frame = (
        projects.lazy()
        .with_row_index("__order")
        .join(_latest_reports(reports, key), on="project_id", how="left")
    )
    frame, planned = _planned_share(frame, plan, day, key)
    frame = frame.join(_milestone_figures(milestones, day), on="project_id", how="left")

    share = planned.alias("__planned_raw")
    frame = frame.with_columns(
        share,
        pl.col("completed_investment").fill_null(0.0),
    ).with_columns(
        (pl.col("completed_investment") / pl.col("total_investment")).alias("__completed_raw"),
        (pl.col("__planned_raw") * pl.col("total_investment")).alias("planned_investment"),
    )
    started = pl.lit(last, pl.Int32) >= _month_key(pl.col("start_date"))
    frame = frame.with_columns(
        pl.col("__planned_raw").round(4).alias("planned_share"),
        pl.col("__completed_raw").round(4).alias("completed_share"),
        (pl.col("__planned_raw") * 100).round(1).alias("planned_pct"),
        (pl.col("__completed_raw") * 100).round(1).alias("completed_pct"),
        ((pl.col("__planned_raw") - pl.col("__completed_raw")) * 100).round(1).alias("lag_points"),
        *(
            pl.col(c).fill_null(0).cast(pl.Int64)
            for c in ("milestones_due", "milestones_on_time", "overdue_milestones")
        ),
        pl.col("max_overdue_days").fill_null(0).cast(pl.Int64),
        pl.lit(last_month).alias("last_month"),
        # no report is expected for a month before the project's start month
        pl.when(started).then(pl.col("__reported").fill_null(False)).alias("reported_last_month"),
    )
    extra = [c for c in projects.columns if c not in PROJECT_COLUMNS]
    return frame.sort("__order").select(*FIELDS, *extra).collect()


def _latest_reports(reports: pl.DataFrame, key: int) -> pl.LazyFrame:
    """Per project, the latest report up to the month numbered ``key`` (see ``_month_key``),
    its month, and ``__reported``: whether the month before has a report."""
    return (
        reports.lazy()
        .with_columns(_month_key(pl.col("month")).alias("__key"))
        .filter(pl.col("__key") <= key)
        .group_by("project_id")
        .agg(
            pl.col("investment_completed").sort_by("__key").last().alias("completed_investment"),
            pl.col("month").max().dt.strftime("%Y-%m").alias("last_report_month"),
            (pl.col("__key") == key - 1).any().alias("__reported"),
        )
    )


def _planned_share(
    frame: pl.LazyFrame, plan: pl.DataFrame | None, day: pl.Expr, key: int
) -> tuple[pl.LazyFrame, pl.Expr]:
    """The projects with the plan's sum through the month numbered ``key`` joined when there
    is a plan, and the planned share as of ``day``: that sum over the total investment, else
    the elapsed share of the project's span."""
    span = (pl.col("end_date") - pl.col("start_date")).dt.total_days()
    elapsed = (day - pl.col("start_date")).dt.total_days()
    linear = (
        pl.when(span > 0)
        .then((elapsed / span).clip(0.0, 1.0))
        .otherwise((day >= pl.col("end_date")).cast(pl.Float64))
    )
    if plan is None:
        return frame, linear
    to_date = (
        plan.lazy()
        .group_by("project_id")
        .agg(
            pl.col("planned_investment")
            .filter(_month_key(pl.col("month")) <= key)
            .sum()
            .alias("__plan")
        )
    )
    # A project without rows in the plan falls back to the linear share.
    planned = (
        pl.when(pl.col("__plan").is_not_null())
        .then(pl.col("__plan") / pl.col("total_investment"))
        .otherwise(linear)
    )
    return frame.join(to_date, on="project_id", how="left"), planned


def _milestone_figures(milestones: pl.DataFrame, day: pl.Expr) -> pl.LazyFrame:
    """Per project, its milestones due, on time and overdue as of ``day``, the most days one
    is overdue, and that milestone."""
    m = milestones.lazy().with_columns(
        (pl.col("planned_date") <= day).alias("__due"),
        (pl.col("actual_date").is_not_null() & (pl.col("actual_date") <= day)).alias("__met"),
    )
    m = m.with_columns(
        (
            pl.col("__due") & pl.col("__met") & (pl.col("actual_date") <= pl.col("planned_date"))
        ).alias("__on_time"),
        pl.when((pl.col("planned_date") < day) & ~pl.col("__met"))
        .then((day - pl.col("planned_date")).dt.total_days())
        .alias("__overdue"),
    )
    # sorted first, so each project's first overdue milestone is the most overdue one
    m = m.sort(["__overdue", "milestone"], descending=[True, False], nulls_last=True)
    return m.group_by("project_id").agg(
        pl.col("__due").sum().alias("milestones_due"),
        pl.col("__on_time").sum().alias("milestones_on_time"),
        pl.col("__overdue").count().alias("overdue_milestones"),
        pl.col("__overdue").max().alias("max_overdue_days"),
        # the most overdue; of equally overdue ones, the first by name
        pl.col("milestone")
        .filter(pl.col("__overdue").is_not_null())
        .first()
        .alias("most_overdue_milestone"),
    )


def _holds(frame: pl.DataFrame, rules: RuleSet) -> pl.DataFrame:
    return frame.select(all_hold(r.when).alias(f"__rule_{i}") for i, r in enumerate(rules.rules))


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _reason(rule: Rule, row: dict, names: dict[str, str]) -> str:
    text = PLACEHOLDER.sub(lambda m: _shown(row[m.group(1)]), rule.reason)
    return f"{text}: {names[rule.status]}"


def judge(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    rules: RuleSet = DEFAULT_RULES,
    plan: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, list[dict]]:
    """Checked frames judged by ``rules``: the project fields with their status
    (``__status``), and each project's item of ``status``'s result, in the projects' order."""
    fields = project_fields(projects, milestones, reports, as_of, plan)
    check_rules(rules, fields.schema)
    held = _holds(fields, rules)
    severity = pl.max_horizontal(
        pl.lit(0),
        *(
            pl.when(pl.col(f"__rule_{i}")).then(_SEVERITY[r.status]).otherwise(0)
            for i, r in enumerate(rules.rules)
        ),
    )
    escalating = [i for i, r in enumerate(rules.rules) if r.escalate]
    table = pl.concat([fields, held], how="horizontal").with_columns(
        severity.alias("__severity"), _escalation(projects, milestones, reports, as_of, rules, plan)
    )
    out_projects = []
    names = dict(rules.status_names)
    for row in table.iter_rows(named=True):
        reasons = [
            _reason(rule, row, names) for i, rule in enumerate(rules.rules) if row[f"__rule_{i}"]
        ]
        item = {
            "project_id": row["project_id"],
            "status": STATUSES[row["__severity"]],
            "lag_points": row["lag_points"],
            "reasons": reasons,
        }
        if escalating and row["__escalate"]:
            item["reasons"].append(rules.escalation_reason)
            item["escalate"] = True
        out_projects.append(item)
    statuses = pl.Series("__status", [p["status"] for p in out_projects], pl.String)
    return fields.with_columns(statuses), out_projects


def supervise(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    rules: RuleSet = DEFAULT_RULES,
    plan: pl.DataFrame | None = None,
) -> dict:
    """The result of checked frames (see ``status``)."""
    fields, out_projects = judge(projects, milestones, reports, as_of, rules, plan)
    return {"as_of": as_of.isoformat(), "projects": out_projects, "parks": league_table(fields)}


def _escalation(projects, milestones, reports, as_of, rules, plan) -> pl.Expr:
    """True where an escalating rule holds as of ``as_of`` and at the ends of the two months
    before its month."""
    escalating = [r for r in rules.rules if r.escalate]
    if not escalating:
        return pl.lit(False).alias("__escalate")
    end_1 = as_of.replace(day=1) - timedelta(days=1)
    end_2 = end_1.replace(day=1) - timedelta(days=1)
    held = None
    for day in (as_of, end_1, end_2):
        fields = project_fields(projects, milestones, reports, day, plan)
        now = fields.select(
            pl.any_horizontal(all_hold(r.when) for r in escalating).alias("x")
        ).to_series()
        held = now if held is None else held & now
    return pl.lit(held).alias("__escalate")


def league_table(fields: pl.DataFrame) -> list[dict]:
    """The parks of project fields with a ``__status`` column, best first (see the docs)."""
    w_inv, w_time, w_green = COMPOSITE_WEIGHTS
    status = pl.col("__status")
    parks = (
        fields.group_by("park")
        .agg(
            pl.len().alias("projects"),
            pl.col("milestones_due").sum(),
            pl.col("milestones_on_time").sum(),
            pl.col("completed_investment").sum().alias("__completed"),
            pl.col("planned_investment").sum().alias("__planned"),
            *((status == s).sum().alias(s) for s in ("red", "amber", "green")),
        )
        .with_columns(
            pl.when(pl.col("__planned") > 0)
            .then(pl.col("__completed") / pl.col("__planned"))
            .alias("__completion")
        )
        .with_columns(
            (
                w_inv * pl.col("__completion").clip(upper_bound=1.0).fill_null(1.0)
                + w_time
                * pl.when(pl.col("milestones_due") > 0)
                .then(pl.col("milestones_on_time") / pl.col("milestones_due"))
                .otherwise(1.0)
                + w_green * pl.col("green") / pl.col("projects")
            )
            .round(4)
            .alias("composite"),
            pl.col("__completion").round(4).alias("investment_completion"),
        )
        .sort(["composite", "park"], descending=[True, False])
        .with_row_index("rank", offset=1)
    )
    columns = (
        "park",
        "projects",
        "milestones_due",
        "milestones_on_time",
        "investment_completion",
        "red",
        "amber",
        "green",
        "rank",
        "composite",
    )
    return [
        {k: int(v) if k in ("rank",) else v for k, v in row.items()}
        for row in parks.select(columns).iter_rows(named=True)
    ]


def status(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    rules: RuleSet | str = DEFAULT_RULES,
    plan: pl.DataFrame | None = None,
) -> dict:
    """Check the frames (SupervisionError) and the rules (RuleError; text is parsed), then::

        {"as_of": "YYYY-MM-DD",
         "projects": [{"project_id", "status", "lag_points", "reasons", ["escalate": true]}],
         "parks": [{"park", "projects", "milestones_due", "milestones_on_time",
                    "investment_completion", "red", "amber", "green", "rank", "composite"}]}

    Projects are in the input's order, parks best first.
    """
    return supervise(*_checked(projects, milestones, reports, as_of, rules, plan))


def judged(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    rules: RuleSet | str = DEFAULT_RULES,
    plan: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, list[dict]]:
    """``judge`` after the checks of ``status``: what a caller keeps per project, the
    league table's fields with the status and the result's item."""
    return judge(*_checked(projects, milestones, reports, as_of, rules, plan))


def _checked(projects, milestones, reports, as_of, rules, plan) -> tuple:
    if isinstance(rules, str):
        rules = parse_rules(rules)
    checked = check_projects(projects)
    ids = checked["project_id"]
    return (
        checked,
        check_milestones(milestones, ids),
        check_reports(reports, ids),
        as_of,
        rules,
        None if plan is None else check_plan(plan, ids),
    )
