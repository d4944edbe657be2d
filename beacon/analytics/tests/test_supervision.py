"""Key-project supervision on hand-built projects whose figures were worked out by hand from
the definitions in docs/supervision-cli.md."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from beacon.analytics.conditions import RuleError
from beacon.analytics.supervision import (
    DEFAULT_RULES,
    DEFAULT_RULES_TEXT,
    ESCALATION_REASON,
    SupervisionError,
    check_milestones,
    check_projects,
    check_reports,
    parse_rules,
    status,
)

S = pl.String


def projects(*rows, extra: dict | None = None) -> pl.DataFrame:
    """(project_id, park, total_investment, start_date, end_date) rows."""
    frame = pl.DataFrame(
        [
            (pid, f"name {pid}", park, str(total), start, end)
            for pid, park, total, start, end in rows
        ],
        schema=dict.fromkeys(
            ("project_id", "name", "park", "total_investment", "start_date", "end_date"), S
        ),
        orient="row",
    )
    return frame.with_columns(pl.Series(k, v, S) for k, v in (extra or {}).items())


def milestones(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema=dict.fromkeys(("project_id", "milestone", "planned_date", "actual_date"), S),
        orient="row",
    )


def reports(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        [(pid, month, str(amount)) for pid, month, amount in rows],
        schema=dict.fromkeys(("project_id", "month", "investment_completed"), S),
        orient="row",
    )


def plan(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        [(pid, month, str(amount)) for pid, month, amount in rows],
        schema=dict.fromkeys(("project_id", "month", "planned_investment"), S),
        orient="row",
    )


def one(result: dict, pid: str = "P") -> dict:
    return next(p for p in result["projects"] if p["project_id"] == pid)


# A 100-day project: as of 2024-03-01 (day 60) the linear planned share is 60%.
SPAN = ("2024-01-01", "2024-04-10")
MARCH_1 = date(2024, 3, 1)


# ---------------------------------------------------------------- investment lag


@pytest.mark.parametrize(
    "completed, lag, expected, reasons",
    [
        (500, 10.0, "green", []),
        (499, 10.1, "amber", ["investment lag 10.1 points (planned 60.0%, completed 49.9%) > 10"]),
        (300, 30.0, "amber", ["investment lag 30.0 points (planned 60.0%, completed 30.0%) > 10"]),
        (299, 30.1, "red", ["investment lag 30.1 points (planned 60.0%, completed 29.9%) > 30"]),
        (900, -30.0, "green", []),
    ],
)
def test_lag_thresholds(completed, lag, expected, reasons):
    result = status(
        projects(("P", "K", 1000, *SPAN)),
        milestones(),
        reports(("P", "2024-02", completed)),
        MARCH_1,
    )
    assert one(result) == {
        "project_id": "P",
        "status": expected,
        "lag_points": lag,
        "reasons": [f"{r}: {expected}" for r in reasons],
    }


def test_latest_report_up_to_the_month_counts_not_later_ones():
    # the March report counts as of 1 March; an April one does not
    result = status(
        projects(("P", "K", 1000, *SPAN)),
        milestones(),
        reports(("P", "2024-02", 100), ("P", "2024-03", 550), ("P", "2024-04", 1000)),
        MARCH_1,
    )
    assert one(result)["lag_points"] == 5.0


def test_planned_share_is_clipped_to_the_span():
    before = status(
        projects(("P", "K", 1000, "2024-06-01", "2024-12-31")), milestones(), reports(), MARCH_1
    )
    assert one(before) == {"project_id": "P", "status": "green", "lag_points": 0.0, "reasons": []}
    after = status(
        projects(("P", "K", 1000, "2023-01-01", "2023-12-31")),
        milestones(),
        reports(("P", "2024-02", 800)),
        MARCH_1,
    )
    assert one(after)["lag_points"] == 20.0


def test_a_monthly_plan_replaces_the_linear_share():
    # linear would be 60%; the plan through March is 100 + 200 + 100 = 400 of 1000
    frame = plan(
        ("P", "2024-01", 100), ("P", "2024-02", 200), ("P", "2024-03", 100), ("P", "2024-04", 600)
    )
    result = status(
        projects(("P", "K", 1000, *SPAN), ("Q", "K", 1000, *SPAN)),
        milestones(),
        reports(("P", "2024-02", 250), ("Q", "2024-02", 250)),
        MARCH_1,
        plan=frame,
    )
    assert one(result)["lag_points"] == 15.0
    assert one(result)["reasons"] == [
        "investment lag 15.0 points (planned 40.0%, completed 25.0%) > 10: amber"
    ]
    assert one(result, "Q")["lag_points"] == 35.0  # no plan rows: linear


# ---------------------------------------------------------------- milestones


@pytest.mark.parametrize(
    "planned, actual, expected, reasons",
    [
        ("2024-03-01", None, "green", []),  # due today: not yet overdue
        ("2024-02-29", None, "amber", ["milestone 'construction start' 1 days overdue: amber"]),
        ("2024-01-31", None, "amber", ["milestone 'construction start' 30 days overdue: amber"]),
        ("2024-01-30", None, "red", ["milestone 'construction start' 31 days overdue: red"]),
        ("2024-01-30", "2024-02-15", "green", []),  # met late: not overdue
        (
            "2024-01-30",
            "2024-03-02",
            "red",
            ["milestone 'construction start' 31 days overdue: red"],
        ),
    ],
)
def test_overdue_milestones(planned, actual, expected, reasons):
    result = status(
        projects(("P", "K", 1000, *SPAN)),
        milestones(("P", "construction start", planned, actual)),
        reports(("P", "2024-02", 600)),
        MARCH_1,
    )
    assert (one(result)["status"], one(result)["reasons"]) == (expected, reasons)


def test_the_most_overdue_milestone_is_named_and_milestones_counted():
    result = status(
        projects(("P", "K", 1000, *SPAN)),
        milestones(
            ("P", "design", "2024-02-20", None),
            ("P", "permit", "2024-01-20", None),
            ("P", "land", "2024-01-10", "2024-01-10"),
            ("P", "roof", "2024-03-01", None),
            ("P", "fit-out", "2024-05-01", None),
        ),
        reports(("P", "2024-02", 600)),
        MARCH_1,
    )
    assert one(result)["reasons"] == ["milestone 'permit' 41 days overdue: red"]
    park = result["parks"][0]
    assert (park["milestones_due"], park["milestones_on_time"]) == (4, 1)


# ---------------------------------------------------------------- reports


@pytest.mark.parametrize(
    "as_of, months, reasons",
    [
        (date(2024, 6, 1), ["2024-05"], []),
        (date(2024, 6, 1), ["2024-04"], ["no report for 2024-05: amber"]),
        (date(2024, 6, 1), ["2024-06"], ["no report for 2024-05: amber"]),
        (date(2024, 5, 31), ["2024-04"], []),
        (date(2024, 6, 30), ["2024-05"], []),
        (date(2024, 1, 15), ["2023-11"], ["no report for 2023-12: amber"]),
    ],
)
def test_report_for_the_last_complete_month(as_of, months, reasons):
    # planned and completed shares kept equal-ish by a long span and full reports
    result = status(
        projects(("P", "K", 1000, "2023-01-01", "2030-12-31")),
        milestones(),
        reports(*(("P", m, 1000) for m in months)),
        as_of,
    )
    assert one(result)["reasons"] == reasons


def test_no_report_expected_before_the_start_month():
    result = status(
        projects(("P", "K", 1000, "2024-06-01", "2024-12-31")),
        milestones(),
        reports(),
        date(2024, 6, 1),
    )
    assert one(result)["reasons"] == []


# ---------------------------------------------------------------- escalation


def test_red_three_month_ends_in_a_row_escalates():
    # 2024-01-01 to 2024-11-26 (330 days), nothing reported: planned share on 2024-06-15 is
    # 166/330 = 50.3%, on 31 May 151/330 = 45.8%, on 30 April 120/330 = 36.4%: all red.
    rows = projects(("P", "K", 1000, "2024-01-01", "2024-11-26"))
    months = [("P", m, 0) for m in ("2024-03", "2024-04", "2024-05")]
    result = status(rows, milestones(), reports(*months), date(2024, 6, 15))
    assert one(result)["escalate"] is True
    assert one(result)["reasons"] == [
        "investment lag 50.3 points (planned 50.3%, completed 0.0%) > 30: red",
        ESCALATION_REASON,
    ]
    # a report at the end of April brings April's lag to 36.4 - 10 = 26.4: not red then
    months[1] = ("P", "2024-04", 100)
    result = status(rows, milestones(), reports(*months), date(2024, 6, 15))
    assert "escalate" not in one(result)
    assert one(result)["status"] == "red"
    assert ESCALATION_REASON not in one(result)["reasons"]


def test_a_rule_file_names_its_statuses_and_escalation_in_its_own_words():
    text = DEFAULT_RULES_TEXT.replace(
        "version: 1\n",
        'version: 1\nescalation_reason: "连续三个月红灯"\nstatus_names: {amber: 黄灯, red: 红灯}\n',
    )
    rows = projects(("P", "K", 1000, "2024-01-01", "2024-11-26"))
    months = [("P", m, 0) for m in ("2024-03", "2024-04", "2024-05")]
    result = status(rows, milestones(), reports(*months), date(2024, 6, 15), text)
    assert one(result)["reasons"] == [
        "investment lag 50.3 points (planned 50.3%, completed 0.0%) > 30: 红灯",
        "连续三个月红灯",
    ]
    with pytest.raises(RuleError, match="line 2: status_names maps amber and red to words"):
        parse_rules("version: 1\nstatus_names: {green: 绿}\n" + text.split("\n", 3)[3])


# ---------------------------------------------------------------- league table


def test_league_table_composite_and_ties():
    rows = projects(
        ("A1", "B", 1000, *SPAN),  # planned 600, completed 300: amber (lag exactly 30)
        ("A2", "B", 1000, *SPAN),  # planned 600, completed 600: green
        ("C1", "C", 1000, *SPAN),  # same as B, so B and C tie
        ("C2", "C", 1000, *SPAN),
        ("Z1", "A", 1000, "2024-06-01", "2024-12-31"),  # nothing planned yet: green
    )
    result = status(
        rows,
        milestones(
            ("A1", "m1", "2024-02-01", "2024-01-31"),
            ("A1", "m2", "2024-02-10", "2024-02-11"),
            ("C1", "m1", "2024-02-01", "2024-01-31"),
            ("C1", "m2", "2024-02-10", "2024-02-11"),
        ),
        reports(
            ("A1", "2024-02", 300),
            ("A2", "2024-02", 600),
            ("C1", "2024-02", 300),
            ("C2", "2024-02", 600),
        ),
        MARCH_1,
    )
    # B: completion 900/1200 = 0.75, on time 1/2, green 1/2:
    # 0.4 * 0.75 + 0.3 * 0.5 + 0.3 * 0.5 = 0.6; A: nothing planned, none due, all green: 1.0
    assert result["parks"] == [
        {"park": "A", "projects": 1, "milestones_due": 0, "milestones_on_time": 0,
         "investment_completion": None, "red": 0, "amber": 0, "green": 1, "rank": 1,
         "composite": 1.0},
        {"park": "B", "projects": 2, "milestones_due": 2, "milestones_on_time": 1,
         "investment_completion": 0.75, "red": 0, "amber": 1, "green": 1, "rank": 2,
         "composite": 0.6},
        {"park": "C", "projects": 2, "milestones_due": 2, "milestones_on_time": 1,
         "investment_completion": 0.75, "red": 0, "amber": 1, "green": 1, "rank": 3,
         "composite": 0.6},
    ]  # fmt: skip


def test_investment_completion_is_capped_in_the_composite_only():
    result = status(
        projects(("P", "K", 1000, *SPAN)),
        milestones(),
        reports(("P", "2024-02", 1200)),
        MARCH_1,
    )
    park = result["parks"][0]
    assert (park["investment_completion"], park["composite"]) == (2.0, 1.0)


# ---------------------------------------------------------------- rule files

CUSTOM = """\
version: 1
rules:
  - status: red
    reason: "lag {lag_points} over 5"
    when:
      - {field: lag_points, op: ">", value: 5}
  - status: amber
    reason: "{category} project"
    when:
      - {field: category, op: "in", value: [manufacturing]}
"""


def test_a_custom_rule_file_replaces_the_defaults():
    result = status(
        projects(
            ("P", "K", 1000, *SPAN),
            ("Q", "K", 1000, *SPAN),
            extra={"category": ["manufacturing", "services"]},
        ),
        milestones(("Q", "m", "2023-01-01", None)),
        reports(("P", "2024-02", 540), ("Q", "2024-02", 600)),
        MARCH_1,
        rules=CUSTOM,
    )
    assert one(result)["reasons"] == ["lag 6.0 over 5: red", "manufacturing project: amber"]
    assert one(result, "Q") == {"project_id": "Q", "status": "green", "lag_points": 0.0,
                                "reasons": []}  # fmt: skip


def test_the_default_rules_are_the_shipped_text():
    assert parse_rules(DEFAULT_RULES_TEXT) == DEFAULT_RULES
    assert [r.status for r in DEFAULT_RULES.rules] == ["red", "amber", "red", "amber", "amber"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules: []\n", "line 1: the rule file needs 'version: 1'"),
        ("version: 2\nrules: []\n", "line 1: version must be 1"),
        ("version: 1\nrules: []\n", "line 2: 'rules' is a non-empty list"),
        ("version: 1\ncolour: red\nrules: []\n",
         "line 2: unknown key 'colour'; keys are version, rules, escalation_reason, status_names"),
        ("version: 1\nrules:\n  - status: blue\n    reason: x\n    when: []\n",
         "line 3: status must be amber or red"),
        ("version: 1\nrules:\n  - status: red\n    reason: x\n    when: []\n",
         "line 5: 'when' is a non-empty list of conditions"),
        ("version: 1\nrules:\n  - status: red\n    reason: x\n    when:\n"
         "      - {field: lag_points, op: '=~', value: 3}\n",
         "line 6, field lag_points: op must be one of ==, !=, <, <=, >, >=, in, not in"),
        ("version: 1\nrules:\n  - status: amber\n    reason: x\n    escalate: true\n"
         "    when: [{field: lag_points, op: '>', value: 1}]\n",
         "line 5: only a red rule can escalate"),
        ("version: 1\nrules:\n  - status: red\n    reason: x\n    colour: 1\n    when: []\n",
         "line 3: unknown key in a rule: colour"),
    ],
)  # fmt: skip
def test_rule_file_errors_name_the_line(text, message):
    with pytest.raises(RuleError) as e:
        parse_rules(text)
    assert str(e.value) == message


def test_broken_yaml_names_the_line():
    with pytest.raises(RuleError, match=r"^line 3: not valid YAML \("):
        parse_rules("version: 1\nrules: [\n")


@pytest.mark.parametrize(
    "when, reason, message",
    [
        ("{field: lag, op: '>', value: 1}", "x", "line 6: unknown field 'lag'; fields are: "),
        ("{field: lag_points, op: '>', value: 1}", "{lagg}",
         "line 3: unknown field 'lagg' in the reason; fields are: "),
        ("{field: lag_points, op: '>', value: '1'}", "x",
         "line 6, field lag_points: the value must be a number"),
        ("{field: reported_last_month, op: '==', value: 0}", "x",
         "line 6, field reported_last_month: the value must be true or false"),
    ],
)  # fmt: skip
def test_unknown_fields_and_kinds_are_errors(when, reason, message):
    text = (
        f"version: 1\nrules:\n  - status: red\n    reason: '{reason}'\n    when:\n      - {when}\n"
    )
    rules = parse_rules(text)
    with pytest.raises(RuleError) as e:
        status(projects(("P", "K", 1000, *SPAN)), milestones(), reports(), MARCH_1, rules)
    assert str(e.value).startswith(message)


# ---------------------------------------------------------------- bad input


def test_project_problems_name_row_and_column():
    frame = projects(
        ("P", "K", 1000, *SPAN),
        ("P", "K", "lots", "2024-13-01", "2024-02-01"),
        ("Q", "", 0, "2024-03-01", "2024-02-01"),
    )
    with pytest.raises(SupervisionError) as e:
        check_projects(frame)
    assert str(e.value).splitlines() == [
        "row 3, column total_investment: not a number: 'lots'",
        "row 3, column start_date: not a date (YYYY-MM-DD): '2024-13-01'",
        "row 3, column project_id: 'P' appears more than once (also row 2)",
        "row 4, column park: empty",
        "row 4, column total_investment: must be above zero: '0'",
        "row 4, column end_date: 2024-02-01 is before the start_date 2024-03-01",
    ]


def test_missing_columns():
    with pytest.raises(SupervisionError) as e:
        check_projects(projects(("P", "K", 1000, *SPAN)).drop("park", "end_date"))
    assert str(e.value).splitlines() == ["missing column: park", "missing column: end_date"]


def test_milestone_and_report_problems():
    ids = pl.Series(["P"])
    with pytest.raises(SupervisionError) as e:
        check_milestones(
            milestones(("X", "m", "2024-01-01", None), ("P", "m", "20240101", "soon")), ids
        )
    assert str(e.value).splitlines() == [
        "row 2, column project_id: unknown project 'X'",
        "row 3, column planned_date: not a date (YYYY-MM-DD): '20240101'",
        "row 3, column actual_date: not a date (YYYY-MM-DD): 'soon'",
    ]
    with pytest.raises(SupervisionError) as e:
        check_reports(reports(("P", "2024-5", 1), ("P", "2024-05", -1), ("P", "2024-05", 2)), ids)
    assert str(e.value).splitlines() == [
        "row 2, column month: not a month (YYYY-MM): '2024-5'",
        "row 3, column investment_completed: must not be negative: '-1'",
        "row 4, column month: 2024-05 of project 'P' appears more than once (also row 3)",
    ]
