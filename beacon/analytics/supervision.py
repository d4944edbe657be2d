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
evaluated over one row per project; ``DEFAULT_RULES_TEXT`` is the shipped default.
``status`` checks and computes; the command line calls the ``check_*`` functions itself to
report every file's problems at once, then ``supervise``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from .conditions import Condition, RuleError, all_hold, parse_condition
from .io import ISO_DATE, InputError, capped, require, text
from .yaml_lines import line_of, read_rule_file

STATUSES = ("green", "amber", "red")
_SEVERITY = {name: i for i, name in enumerate(STATUSES)}
PROJECT_COLUMNS = ("project_id", "name", "park", "total_investment", "start_date", "end_date")
MILESTONE_COLUMNS = ("project_id", "milestone", "planned_date", "actual_date")
REPORT_COLUMNS = ("project_id", "month", "investment_completed")
PLAN_COLUMNS = ("project_id", "month", "planned_investment")
ESCALATION_REASON = "red for three consecutive months: escalate"
# Composite of the park league table: weights of investment completion (capped at 1), the
# on-time share of due milestones and the share of green projects.
COMPOSITE_WEIGHTS = (0.4, 0.3, 0.3)

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

DEFAULT_RULES_TEXT = """\
version: 1
rules:
  - status: red
    reason: "investment lag {lag_points} points (planned {planned_pct}%,
      completed {completed_pct}%) > 30"
    escalate: true
    when:
      - {field: lag_points, op: ">", value: 30}
  - status: amber
    reason: "investment lag {lag_points} points (planned {planned_pct}%,
      completed {completed_pct}%) > 10"
    when:
      - {field: lag_points, op: ">", value: 10}
      - {field: lag_points, op: "<=", value: 30}
  - status: red
    reason: "milestone '{most_overdue_milestone}' {max_overdue_days} days overdue"
    when:
      - {field: max_overdue_days, op: ">", value: 30}
  - status: amber
    reason: "milestone '{most_overdue_milestone}' {max_overdue_days} days overdue"
    when:
      - {field: max_overdue_days, op: ">", value: 0}
      - {field: max_overdue_days, op: "<=", value: 30}
  - status: amber
    reason: "no report for {last_month}"
    when:
      - {field: reported_last_month, op: "==", value: false}
"""

_ISO_MONTH = r"^\d{4}-\d{2}$"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SupervisionError(InputError):
    """A projects, milestones, reports or plan table that cannot be used."""


# ---------------------------------------------------------------- the rule file


@dataclass(frozen=True)
class Rule:
    status: str
    reason: str
    when: tuple[Condition, ...]
    escalate: bool = False
    line: int = 0


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]
    escalation_reason: str = ESCALATION_REASON
    # how a reason names the status it gives ("…: red"); a zone's file may name them in
    # its language
    status_names: tuple[tuple[str, str], ...] = (("amber", "amber"), ("red", "red"))


def parse_rules(text: str) -> RuleSet:
    """A rule file: ``version: 1`` and ``rules``, each with ``status`` (amber or red),
    ``reason`` (``{field}`` fills in a project's value), ``when`` (conditions, all of which
    must hold) and optionally ``escalate: true`` (red rules only); optionally
    ``escalation_reason``, the reason an escalated project is given, and ``status_names``,
    the words for amber and red at the end of a reason. RuleError names the line."""
    raw = read_rule_file(text)
    unknown = set(raw) - {"version", "rules", "escalation_reason", "status_names"}
    if unknown:
        key = sorted(unknown)[0]
        raise RuleError(
            f"line {line_of(raw, key)}: unknown key '{key}'; "
            "keys are version, rules, escalation_reason, status_names"
        )
    if "version" not in raw:
        raise RuleError("line 1: the rule file needs 'version: 1'")
    if raw["version"] != 1 or isinstance(raw["version"], bool):
        raise RuleError(f"line {line_of(raw, 'version')}: version must be 1")
    items = raw.get("rules")
    if not isinstance(items, list) or not items:
        raise RuleError(f"line {line_of(raw, 'rules')}: 'rules' is a non-empty list")
    lines = getattr(items, "item_lines", [line_of(raw, "rules")] * len(items))
    escalation = raw.get("escalation_reason", ESCALATION_REASON)
    if not isinstance(escalation, str) or not escalation.strip():
        raise RuleError(f"line {line_of(raw, 'escalation_reason')}: escalation_reason is text")
    names = raw.get("status_names", {})
    if (
        not isinstance(names, dict)
        or set(names) - {"amber", "red"}
        or not all(isinstance(v, str) and v.strip() for v in names.values())
    ):
        raise RuleError(
            f"line {line_of(raw, 'status_names')}: status_names maps amber and red to words"
        )
    rules = tuple(_rule(item, at) for item, at in zip(items, lines, strict=True))
    named = tuple((status, str(names.get(status, status)).strip()) for status in ("amber", "red"))
    return RuleSet(1, rules, escalation.strip(), named)


def _rule(raw, line: int) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: a rule is a mapping with status, reason and when")
    unknown = set(raw) - {"status", "reason", "when", "escalate"}
    if unknown:
        raise RuleError(f"line {line}: unknown key in a rule: {', '.join(sorted(unknown))}")
    status = raw.get("status")
    if status not in ("amber", "red"):
        raise RuleError(f"line {line_of(raw, 'status')}: status must be amber or red")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise RuleError(f"line {line_of(raw, 'reason')}: a rule needs a reason")
    when = raw.get("when")
    if not isinstance(when, list) or not when:
        raise RuleError(f"line {line_of(raw, 'when')}: 'when' is a non-empty list of conditions")
    at = getattr(when, "item_lines", [line_of(raw, "when")] * len(when))
    conditions = tuple(parse_condition(c, n, "when") for c, n in zip(when, at, strict=True))
    escalate = raw.get("escalate", False)
    if not isinstance(escalate, bool):
        raise RuleError(f"line {line_of(raw, 'escalate')}: escalate is true or false")
    if escalate and status != "red":
        raise RuleError(f"line {line_of(raw, 'escalate')}: only a red rule can escalate")
    return Rule(status, reason.strip(), conditions, escalate, line)


DEFAULT_RULES = parse_rules(DEFAULT_RULES_TEXT)


def check_rules(rules: RuleSet, schema: pl.Schema) -> None:
    """RuleError naming the line of a condition or reason whose field a project does not
    have, or a condition comparing a field with a value of another kind."""
    known = ", ".join(schema.names())
    for rule in rules.rules:
        for name in _PLACEHOLDER.findall(rule.reason):
            if name not in schema:
                raise RuleError(
                    f"line {rule.line}: unknown field '{name}' in the reason; fields are: {known}"
                )
        for c in rule.when:
            at = f"line {c.line or rule.line}"
            if c.field not in schema:
                raise RuleError(f"{at}: unknown field '{c.field}'; fields are: {known}")
            dtype = schema[c.field]
            values = c.value if isinstance(c.value, list) else [c.value]
            for value in values:
                if dtype == pl.Boolean:
                    ok = isinstance(value, bool)
                elif dtype.is_numeric():
                    ok = isinstance(value, int | float) and not isinstance(value, bool)
                else:
                    ok = isinstance(value, str)
                if not ok:
                    kind = (
                        "true or false"
                        if dtype == pl.Boolean
                        else "a number"
                        if dtype.is_numeric()
                        else "text"
                    )
                    raise RuleError(f"{at}, field {c.field}: the value must be {kind}")


# ---------------------------------------------------------------- checking the input


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


def _problems(parsed: pl.DataFrame, columns, extra: list[tuple[int, str]] = ()) -> list:
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


# ---------------------------------------------------------------- the figures


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

    latest = (
        reports.lazy()
        .with_columns(_month_key(pl.col("month")).alias("__key"))
        .filter(pl.col("__key") <= key)
        .group_by("project_id")
        .agg(
            pl.col("investment_completed").sort_by("__key").last().alias("completed_investment"),
            pl.col("month").max().dt.strftime("%Y-%m").alias("last_report_month"),
            (pl.col("__key") == last).any().alias("__reported"),
        )
    )
    frame = projects.lazy().with_row_index("__order").join(latest, on="project_id", how="left")

    span = (pl.col("end_date") - pl.col("start_date")).dt.total_days()
    elapsed = (day - pl.col("start_date")).dt.total_days()
    linear = (
        pl.when(span > 0)
        .then((elapsed / span).clip(0.0, 1.0))
        .otherwise((day >= pl.col("end_date")).cast(pl.Float64))
    )
    planned = linear
    if plan is not None:
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
        frame = frame.join(to_date, on="project_id", how="left")
        # A project without rows in the plan falls back to the linear share.
        planned = (
            pl.when(pl.col("__plan").is_not_null())
            .then(pl.col("__plan") / pl.col("total_investment"))
            .otherwise(linear)
        )

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
    per_project = m.group_by("project_id").agg(
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
    frame = frame.join(per_project, on="project_id", how="left")

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
    text = _PLACEHOLDER.sub(lambda m: _shown(row[m.group(1)]), rule.reason)
    return f"{text}: {names[rule.status]}"


def supervise(
    projects: pl.DataFrame,
    milestones: pl.DataFrame,
    reports: pl.DataFrame,
    as_of: date,
    rules: RuleSet = DEFAULT_RULES,
    plan: pl.DataFrame | None = None,
) -> dict:
    """The result of checked frames (see ``status``)."""
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
    return {
        "as_of": as_of.isoformat(),
        "projects": out_projects,
        "parks": league_table(fields.with_columns(statuses)),
    }


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
    if isinstance(rules, str):
        rules = parse_rules(rules)
    checked = check_projects(projects)
    ids = checked["project_id"]
    return supervise(
        checked,
        check_milestones(milestones, ids),
        check_reports(reports, ids),
        as_of,
        rules,
        None if plan is None else check_plan(plan, ids),
    )
