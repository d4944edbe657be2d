"""The pipeline figures on small histories whose figures were worked out by hand.

Every expected number below comes from the dates in the history next to it, following the
definitions in docs/pipeline-metrics.md, not from running the engine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beacon.analytics.pipeline import (
    DROPPED,
    PAIRS,
    STAGES,
    PipelineError,
    check_history,
    check_leads,
    metrics,
)

# The repo's autouse fixtures are function-scoped but harmless for pure functions.
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

KNOWN = (
    "lead, contacted, negotiating, signed, land_supplied, construction_started, "
    "in_production, dropped"
)

HISTORY = [
    ("A", "lead", "2024-01-01"),
    ("A", "contacted", "2024-01-11"),  # lead → contacted 10 days
    ("A", "negotiating", "2024-01-31"),  # contacted → negotiating 20
    (
        "A",
        "signed",
        "2024-03-01",
    ),  # negotiating → signed 30 (2024 is a leap year); lead → signed 60
    ("B", "lead", "2024-01-05"),
    ("B", "signed", "2024-01-25"),  # skips contacted and negotiating; lead → signed 20
    ("B", "land_supplied", "2024-01-20"),  # dated before signed: reached, no days
    ("C", "lead", "2024-02-01"),
    ("C", "contacted", "2024-02-01"),  # same day: 0 days
    ("C", "dropped", "2024-02-10"),
    ("D", "lead", "2024-02-10"),
    ("D", "contacted", None),  # happened, date unknown: reached through negotiating, no days
    ("D", "negotiating", "2024-02-20"),
    ("E", "lead", "2024-03-01"),
    ("E", "lead", "2024-02-20"),  # the earliest lead date wins, not the first row
    ("E", "contacted", "2024-03-05"),
    ("E", "contacted", "2024-03-02"),  # lead → contacted 2024-02-20 → 03-02: 11 days
    ("F", "contacted", None),  # no dated row: in the count of leads, reached nothing
]

LEADS = [
    ("A", "east"),
    ("B", "west"),
    ("C", "east"),
    ("D", ""),  # empty: the null group
    ("E", "west"),
    ("G", "north"),  # not in the history: no group
]  # F is missing: the null group


def history(rows=HISTORY) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["lead_id", "stage", "date"], orient="row")


def leads(rows=LEADS) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["lead_id", "team"], orient="row")


def reached(*counts: int) -> dict[str, int]:
    return dict(zip(STAGES, counts, strict=True))


def rates(result: dict) -> dict[tuple[str, str], float | None]:
    return {(c["from"], c["to"]): c["rate"] for c in result["conversion"]}


def days(result: dict) -> dict[tuple[str, str], tuple]:
    return {
        (c["from"], c["to"]): (c["count"], c["mean"], c["median"], c["p90"])
        for c in result["cycle_days"]
    }


NO_DAYS = (0, None, None, None)


# ---------------------------------------------------------------- the worked example


def test_reached_counts_a_stage_for_any_later_dated_stage():
    result = metrics(history())
    assert result["leads"] == 6  # A–F, F with no dated row among them
    # A signed; B land_supplied (through skipped stages, and dated backwards); C contacted
    # (then dropped); D negotiating (contacted undated); E contacted; F nothing.
    assert result["reached"] == reached(5, 5, 3, 2, 1, 0, 0)


def test_conversion_is_reached_over_reached():
    assert rates(metrics(history())) == {
        ("lead", "contacted"): 1.0,  # 5 / 5
        ("contacted", "negotiating"): 0.6,  # 3 / 5
        ("negotiating", "signed"): 0.6667,  # 2 / 3
        ("signed", "land_supplied"): 0.5,  # 1 / 2
        ("land_supplied", "construction_started"): 0.0,  # 0 / 1
        ("construction_started", "in_production"): None,  # none reached it
        ("lead", "signed"): 0.4,  # 2 / 5
        ("signed", "construction_started"): 0.0,  # 0 / 2
        ("lead", "in_production"): 0.0,  # 0 / 5
    }


def test_cycle_days_from_first_dates_leaving_out_backward_steps():
    assert days(metrics(history())) == {
        # A 10, C 0, E 11 (D's contacted is undated): p90 at 0.9 × 2 = 1.8 → 10 + 0.8 × 1
        ("lead", "contacted"): (3, 7.0, 10.0, 10.8),
        ("contacted", "negotiating"): (1, 20.0, 20.0, 20.0),  # A
        ("negotiating", "signed"): (1, 30.0, 30.0, 30.0),  # A
        ("signed", "land_supplied"): NO_DAYS,  # B's is dated 5 days backwards
        ("land_supplied", "construction_started"): NO_DAYS,
        ("construction_started", "in_production"): NO_DAYS,
        # A 60, B 20: p90 at 0.9 → 20 + 0.9 × 40
        ("lead", "signed"): (2, 40.0, 40.0, 56.0),
        ("signed", "construction_started"): NO_DAYS,
        ("lead", "in_production"): NO_DAYS,
    }


def test_the_json_shape_is_the_contract():
    result = metrics(history())
    assert list(result) == ["leads", "reached", "conversion", "cycle_days"]
    assert list(result["reached"]) == list(STAGES)
    pairs = [
        ("lead", "contacted"),
        ("contacted", "negotiating"),
        ("negotiating", "signed"),
        ("signed", "land_supplied"),
        ("land_supplied", "construction_started"),
        ("construction_started", "in_production"),
        ("lead", "signed"),
        ("signed", "construction_started"),
        ("lead", "in_production"),
    ]
    assert list(PAIRS) == pairs
    assert [(c["from"], c["to"]) for c in result["conversion"]] == pairs
    assert [(c["from"], c["to"]) for c in result["cycle_days"]] == pairs
    assert all(list(c) == ["from", "to", "rate"] for c in result["conversion"])
    assert all(
        list(c) == ["from", "to", "count", "mean", "median", "p90"] for c in result["cycle_days"]
    )
    assert isinstance(result["cycle_days"][0]["mean"], float)
    assert isinstance(result["conversion"][0]["rate"], float)


def test_an_empty_history_has_no_rates_and_no_days():
    result = metrics(history([]))
    assert result["leads"] == 0
    assert result["reached"] == reached(0, 0, 0, 0, 0, 0, 0)
    assert all(c["rate"] is None for c in result["conversion"])
    assert all(c == {**c, "count": 0, "mean": None} for c in result["cycle_days"])


def test_stages_and_cells_are_read_trimmed_and_in_any_case():
    rows = [(" A ", " Lead ", " 2024-01-01 "), ("A", "CONTACTED", "2024-01-03")]
    result = metrics(history(rows))
    assert result["leads"] == 1
    assert days(result)[("lead", "contacted")] == (1, 2.0, 2.0, 2.0)


def test_lead_ids_stay_text():
    rows = [("007", "lead", "2024-01-01"), ("7", "lead", "2024-01-02")]
    assert metrics(history(rows))["leads"] == 2


def test_p90_interpolates_linearly():
    entered = date(2024, 1, 1)
    gaps = [0, 1, 2, 10, 30]
    rows = []
    for i, gap in enumerate(gaps):
        rows += [(f"L{i}", "lead", entered), (f"L{i}", "contacted", entered + timedelta(gap))]
    figures = days(metrics(history(rows)))[("lead", "contacted")]
    # sorted 0 1 2 10 30; 0.9 × 4 = 3.6 → 10 + 0.6 × (30 − 10) = 22
    assert figures == (5, 8.6, 2.0, 22.0)
    assert np.percentile(gaps, 90) == 22.0


def test_date_and_datetime_cells_are_dates():
    rows = [("A", "lead", date(2024, 1, 1)), ("A", "signed", date(2024, 1, 31))]
    as_dates = metrics(history(rows))
    as_times = metrics(
        history([(i, s, datetime(d.year, d.month, d.day, 17, 30)) for i, s, d in rows])
    )
    assert days(as_dates)[("lead", "signed")] == (1, 30.0, 30.0, 30.0)
    assert as_times == as_dates


# ---------------------------------------------------------------- selection and groups


def test_from_and_to_select_leads_by_their_first_lead_date_inclusive():
    # entered: A 01-01, B 01-05, C 02-01, D 02-10, E 02-20 (its earliest), F never
    result = metrics(history(), start=date(2024, 1, 5), end=date(2024, 2, 10))
    assert result["leads"] == 3  # B, C, D
    assert result["reached"] == reached(3, 3, 2, 1, 1, 0, 0)
    assert metrics(history(), start=date(2024, 2, 1))["leads"] == 3  # C, D, E; not F
    assert metrics(history(), end=date(2024, 1, 4))["leads"] == 1  # A
    assert metrics(history(), start=date(2024, 2, 21))["leads"] == 0


def test_groups_by_a_leads_column_with_missing_and_empty_values_last():
    result = metrics(history(), leads(), by="team")
    assert result["leads"] == 6 and result["reached"] == reached(5, 5, 3, 2, 1, 0, 0)
    groups = {g["group"]: g for g in result["groups"]}
    assert [g["group"] for g in result["groups"]] == ["east", "west", None]  # not north
    assert list(result["groups"][0]) == ["group", "leads", "reached", "conversion", "cycle_days"]
    # east: A and C
    assert groups["east"]["leads"] == 2
    assert groups["east"]["reached"] == reached(2, 2, 1, 1, 0, 0, 0)
    assert days(groups["east"])[("lead", "contacted")] == (2, 5.0, 5.0, 9.0)  # 10, 0
    assert rates(groups["east"])[("contacted", "negotiating")] == 0.5
    # west: B and E
    assert groups["west"]["reached"] == reached(2, 2, 1, 1, 1, 0, 0)
    assert days(groups["west"])[("lead", "contacted")] == (1, 11.0, 11.0, 11.0)  # E
    assert days(groups["west"])[("lead", "signed")] == (1, 20.0, 20.0, 20.0)  # B
    # null: D (empty team) and F (not in the leads table)
    assert groups[None]["leads"] == 2
    assert groups[None]["reached"] == reached(1, 1, 1, 0, 0, 0, 0)


def test_groups_follow_the_date_selection():
    result = metrics(history(), leads(), by="team", start=date(2024, 2, 1))
    assert [(g["group"], g["leads"]) for g in result["groups"]] == [
        ("east", 1),  # C
        ("west", 1),  # E
        (None, 1),  # D
    ]


def test_grouping_needs_the_leads_table_and_its_column():
    with pytest.raises(PipelineError, match="^grouping by team needs the leads table$"):
        metrics(history(), by="team")
    with pytest.raises(PipelineError, match="^missing column: park$"):
        metrics(history(), leads(), by="park")


# ---------------------------------------------------------------- bad input


def problems(call) -> list[str]:
    with pytest.raises(PipelineError) as e:
        call()
    return str(e.value).splitlines()


def test_every_bad_cell_is_named_in_row_order():
    rows = [
        ("A", "lead", "2024-01-01"),
        ("A", "contacted", "2024-13-01"),  # row 3
        ("", "signed", "2024-01-05"),  # row 4
        ("B", "signd", None),  # row 5
        ("C", "  ", "5/1/2024"),  # row 6
        ("D", DROPPED, "2024-1-5"),  # row 7: not YYYY-MM-DD
        (None, "lead", "2024-02-30"),  # row 8
    ]
    assert problems(lambda: check_history(history(rows))) == [
        "row 3, column date: not a date: '2024-13-01'",
        "row 4, column lead_id: empty",
        f"row 5, column stage: unknown stage 'signd'; stages are: {KNOWN}",
        f"row 6, column stage: empty; stages are: {KNOWN}",
        "row 6, column date: not a date: '5/1/2024'",
        "row 7, column date: not a date: '2024-1-5'",
        "row 8, column lead_id: empty",
        "row 8, column date: not a date: '2024-02-30'",
    ]


def test_many_problems_are_cut_short_with_a_count():
    rows = [("A", "lead", "someday")] * 23 + [("", "lead", "2024-01-01")] * 2
    lines = problems(lambda: check_history(history(rows)))
    assert len(lines) == 21
    assert lines[0] == "row 2, column date: not a date: 'someday'"
    assert lines[19] == "row 21, column date: not a date: 'someday'"
    assert lines[20] == "and 5 more problems"


def test_missing_columns_are_named():
    frame = pl.DataFrame({"id": ["A"], "stage": ["lead"]})
    assert problems(lambda: check_history(frame)) == [
        "missing column: lead_id",
        "missing column: date",
    ]


def test_the_leads_table_needs_one_row_per_lead():
    rows = [("A", "x"), ("B", "y"), ("A", "z"), (" ", "z"), ("B", "y"), ("A", "x")]
    assert problems(lambda: check_leads(leads(rows), "team")) == [
        "row 4, column lead_id: 'A' appears more than once (also row 2)",
        "row 5, column lead_id: empty",
        "row 6, column lead_id: 'B' appears more than once (also row 3)",
        "row 7, column lead_id: 'A' appears more than once (also row 2)",
    ]
    assert problems(lambda: check_leads(leads(), "source")) == ["missing column: source"]


# ---------------------------------------------------------------- properties


LEAD_IDS = st.sampled_from(["A", "B", "C", "D", "E", "F"])
ROWS = st.lists(
    st.tuples(
        LEAD_IDS,
        st.sampled_from([*STAGES, DROPPED]),
        st.one_of(st.none(), st.integers(0, 120).map(lambda d: date(2024, 1, 1) + timedelta(d))),
    ),
    max_size=40,
)


@PROPERTY
@given(ROWS)
def test_reached_never_grows_along_the_order_and_rates_are_shares(rows):
    result = metrics(history(rows))
    counts = list(result["reached"].values())
    assert counts == sorted(counts, reverse=True)
    assert counts[0] <= result["leads"] == len({lead for lead, _, _ in rows})
    for rate in result["conversion"]:
        assert rate["rate"] is None or 0.0 <= rate["rate"] <= 1.0
    for step in result["cycle_days"]:
        assert step["count"] <= result["reached"][step["to"]]


@PROPERTY
@given(ROWS, st.lists(st.sampled_from(["x", "y", ""]), min_size=6, max_size=6))
def test_groups_add_up_to_the_whole(rows, teams):
    table = leads(list(zip(["A", "B", "C", "D", "E", "F"], teams, strict=True)))
    result = metrics(history(rows), table, by="team")
    assert sum(g["leads"] for g in result["groups"]) == result["leads"]
    for stage in STAGES:
        assert sum(g["reached"][stage] for g in result["groups"]) == result["reached"][stage]
    for i, step in enumerate(result["cycle_days"]):
        assert sum(g["cycle_days"][i]["count"] for g in result["groups"]) == step["count"]


@PROPERTY
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30))
def test_days_agree_with_numpy(gaps):
    entered = date(2024, 1, 1)
    rows = []
    for i, gap in enumerate(gaps):
        rows += [(f"L{i}", "lead", entered), (f"L{i}", "contacted", entered + timedelta(gap))]
    _, mean, median, p90 = days(metrics(history(rows)))[("lead", "contacted")]
    assert mean == round(float(np.mean(gaps)), 4)
    assert median == round(float(np.median(gaps)), 4)
    assert p90 == round(float(np.percentile(gaps, 90)), 4)
