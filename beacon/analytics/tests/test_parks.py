"""The park results table and the indicator summary, on inputs worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from beacon.analytics.conditions import RuleError
from beacon.analytics.evaluation import evaluate, indicator_summary, park_results
from beacon.analytics.scheme import parse_scheme

# points = 1 × (tax/land_mu)/1: the score is the tax per mu
SCHEME = """\
name: parks
scope:
  - {field: above_scale, op: "==", value: true}
indicators:
  - {key: tax_mu, numerator: tax, denominator: land_mu, weight: 1, method: ratio, benchmark: 1}
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: pollution}
classes:
  method: threshold
  threshold: [{class: A, min_score: 100}, {class: B, min_score: 50}, {class: C, min_score: 20}, {class: D}]
"""  # noqa: E501

COLUMNS = ["uscc", "park", "above_scale", "land_mu", "tax", "value_added", "env_violation"]
ROWS = [
    ("a1", "P1", True, 10.0, 1500.0, 3000.0, False),  # score 150 → A
    ("a2", "P1", True, 20.0, 1200.0, 2000.0, False),  # score 60 → B
    ("a3", "P1", False, 5.0, 10000.0, 1.0, False),  # not rated: not in P1's sums
    ("b1", "P2", True, 10.0, 900.0, 1000.0, False),  # score 90 → B
    ("b2", "P2", True, 20.0, 1800.0, None, False),  # score 90 → B, no value added
    ("p1", "P0", True, 3.0, 270.0, 100.0, False),  # score 90 → B
    ("c1", "P4", True, 1.0, 200.0, 50.0, True),  # score 200, vetoed → D
    ("d1", "P5", False, 8.0, 800.0, 80.0, False),  # not rated: P5 has nothing rated
    ("e1", None, True, 10.0, 100.0, None, False),  # no park; score 10 → D
    ("f1", "P6", True, 10.0, None, 500.0, False),  # no tax: indicator missing, 0 points → D
]


def frame(rows=ROWS, columns=COLUMNS) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


def evaluated(text: str = SCHEME, data: pl.DataFrame | None = None):
    data = frame() if data is None else data
    return evaluate(parse_scheme(text), data), data


def test_park_results_sum_rank_and_count():
    evaluation, data = evaluated()
    table = park_results(evaluation, data)
    assert table.columns == [
        "park",
        "rank",
        "rated",
        "land_mu",
        "tax",
        "value_added",
        "tax_per_mu",
        "value_added_per_mu",
        "mean_score",
        "A",
        "B",
        "C",
        "D",
    ]
    rows = {row["park"]: row for row in table.iter_rows(named=True)}
    # Tax per mu: P4 200/1; P1 (1500 + 1200)/(10 + 20) = 90; P0 270/3 = 90;
    # P2 (900 + 1800)/(10 + 20) = 90; no park 100/10 = 10; P6 has no tax: missing.
    # Ties at 90 go by value added per mu: P1 (3000 + 2000)/30 = 166.7 first, then P0 100/3
    # and P2 1000/30 (b2 has none), equal, by park code: P0 before P2. P5 rated nothing.
    assert table["park"].to_list() == ["P4", "P1", "P0", "P2", None, "P6", "P5"]
    assert table["rank"].to_list() == [1, 2, 3, 4, 5, 6, None]
    assert rows["P1"] == {
        "park": "P1",
        "rank": 2,
        "rated": 2,
        "land_mu": 30.0,
        "tax": 2700.0,
        "value_added": 5000.0,
        "tax_per_mu": 90.0,
        "value_added_per_mu": pytest.approx(5000 / 30),
        "mean_score": 105.0,  # (150 + 60)/2
        "A": 1,
        "B": 1,
        "C": 0,
        "D": 0,
    }
    assert rows["P2"]["value_added"] == 1000.0  # b2 has none: the sum of those that have it
    assert rows["P0"]["value_added_per_mu"] == rows["P2"]["value_added_per_mu"] == 100 / 3
    assert (rows["P2"]["B"], rows["P2"]["mean_score"]) == (2, 90.0)
    # The vetoed row counts as D; its score (200) still counts in the mean.
    assert (rows["P4"]["D"], rows["P4"]["mean_score"], rows["P4"]["tax_per_mu"]) == (1, 200, 200)
    assert rows[None]["value_added"] is None and rows[None]["value_added_per_mu"] is None
    assert (rows["P6"]["tax"], rows["P6"]["tax_per_mu"], rows["P6"]["land_mu"]) == (None, None, 10)
    assert rows["P6"]["value_added_per_mu"] == 50.0
    assert rows["P5"] == {
        "park": "P5",
        "rank": None,
        "rated": 0,
        "land_mu": None,
        "tax": None,
        "value_added": None,
        "tax_per_mu": None,
        "value_added_per_mu": None,
        "mean_score": None,
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 0,
    }
    # Every rated row is in one park's counts.
    assert table.select(pl.sum_horizontal("A", "B", "C", "D")).to_series().to_list() == (
        table["rated"].to_list()
    )


VALUE_ADDED_SCHEME = """\
name: no tax
indicators:
  - {key: va_mu, numerator: value_added, denominator: land_mu, weight: 1, method: ratio, benchmark: 1}
classes:
  method: quota
  quota: {A: 0.25, B: 0.25, C: 0.25, D: 0.25}
"""  # noqa: E501


def test_park_results_without_a_tax_column():
    data = pl.DataFrame(
        {
            "uscc": ["q1", "q2", "q3", "q4", "q5"],
            "park": ["Q1", "Q2", "Q2", "Q3", "Q1"],
            "land_mu": [10.0, 10.0, 30.0, 0.0, 10.0],  # q4: no land, not rated
            "value_added": [100.0, 500.0, 300.0, 9.0, 100.0],
        }
    )
    evaluation, data = evaluated(VALUE_ADDED_SCHEME, data)
    table = park_results(evaluation, data)
    # Q2: (500 + 300)/(10 + 30) = 20 per mu; Q1: (100 + 100)/20 = 10; Q3: nothing rated.
    assert table.select("park", "rank", "rated", "value_added_per_mu").rows() == [
        ("Q2", 1, 2, 20.0),
        ("Q1", 2, 2, 10.0),
        ("Q3", None, 0, None),
    ]
    assert table["tax"].to_list() == [None, None, None]
    assert table["tax_per_mu"].to_list() == [None, None, None]
    assert table.schema["tax"] == pl.Float64


def test_park_results_without_tax_or_value_added_rank_by_park():
    data = pl.DataFrame(
        {"uscc": ["x", "y", "z"], "park": ["Z", "Y", "X"], "land_mu": [1.0, 2.0, 4.0]}
    ).with_columns(value=pl.lit(1.0))
    text = VALUE_ADDED_SCHEME.replace("numerator: value_added", "numerator: value")
    evaluation, data = evaluated(text, data)
    table = park_results(evaluation, data)
    assert table.select("park", "rank", "land_mu").rows() == [
        ("X", 1, 4.0),
        ("Y", 2, 2.0),
        ("Z", 3, 1.0),
    ]


def test_park_results_have_a_column_for_every_class_of_the_scheme():
    text = SCHEME.replace(
        "[{class: A, min_score: 100}, {class: B, min_score: 50}, {class: C, min_score: 20}, "
        "{class: D}]",
        "[{class: 优, min_score: 100}, {class: B, min_score: 50}, {class: 差}]",
    )
    evaluation, data = evaluated(text)
    table = park_results(evaluation, data)
    assert table.columns[-6:] == ["A", "B", "C", "D", "优", "差"]
    p1 = table.row(by_predicate=pl.col("park") == "P1", named=True)
    assert (p1["优"], p1["B"], p1["差"], p1["A"]) == (1, 1, 0, 0)
    # a veto gives D under any scheme
    assert table.row(by_predicate=pl.col("park") == "P4", named=True)["D"] == 1


def test_park_results_need_numbers():
    evaluation, data = evaluated()
    with pytest.raises(RuleError, match=r"column value_added: not numbers \(String\)"):
        park_results(evaluation, data.with_columns(pl.col("value_added").cast(pl.Utf8)))


TWO_INDICATORS = """\
name: summary
indicators:
  - {key: tax_mu, numerator: tax, denominator: land_mu, weight: 1, method: ratio, benchmark: 1}
  - {key: energy_mu, numerator: energy, denominator: land_mu, weight: 1, method: minmax}
classes:
  method: quota
  quota: {A: 0.25, B: 0.25, C: 0.25, D: 0.25}
"""


def test_indicator_summary():
    data = pl.DataFrame(
        {
            "uscc": ["s1", "s2", "s3", "s4", "s5", "s6", "s7"],
            "park": ["P1", "P1", "P1", "P2", "P2", "P3", None],
            "land_mu": [1.0, 2.0, 1.0, 10.0, 0.0, None, 5.0],
            "tax": [10.0, 40.0, 40.0, 30.0, 500.0, 7.0, 50.0],
            "energy": [1.0, None, 3.0, 8.0, 1.0, 1.0, 5.0],
        }
    )
    # tax_mu: s1 10, s2 20, s3 40, s4 3, s7 10; s5 and s6 have no land: not rated.
    # energy: s1 1, s2 missing, s3 3, s4 0.8, s7 1.
    summary = indicator_summary(evaluate(parse_scheme(TWO_INDICATORS), data))
    assert summary["zone"] == {
        "tax_mu": {"mean": 16.6, "median": 10.0},  # (10 + 20 + 40 + 3 + 10)/5 = 83/5
        "energy_mu": {"mean": pytest.approx(1.45), "median": 1.0},  # (1 + 3 + 0.8 + 1)/4
    }
    # Rows without a park count for the zone only; P3 has nothing rated.
    assert summary["parks"] == {
        "P1": {
            "tax_mu": {"mean": pytest.approx(70 / 3), "median": 20.0},
            "energy_mu": {"mean": 2.0, "median": 2.0},  # s2 has none: (1 + 3)/2
        },
        "P2": {"tax_mu": {"mean": 3.0, "median": 3.0}, "energy_mu": {"mean": 0.8, "median": 0.8}},
        "P3": {
            "tax_mu": {"mean": None, "median": None},
            "energy_mu": {"mean": None, "median": None},
        },
    }
    assert all(isinstance(v, float) for stats in summary["zone"].values() for v in stats.values())
