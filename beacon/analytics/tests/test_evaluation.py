"""The scoring engine on small inputs whose results were worked out by hand.

Every expected number below comes from the arithmetic in the comment next to it, following
the rules in the issue (亩均效益综合评价), not from running the engine.
"""

from __future__ import annotations

from collections.abc import Set
from fractions import Fraction
from math import ceil, floor

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beacon.analytics.conditions import RuleError
from beacon.analytics.evaluation import NO_LAND, Evaluation, check_input, evaluate
from beacon.analytics.scheme import parse_scheme

# The repo's autouse fixtures are function-scoped but harmless for pure functions.
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

QUOTA = """\
classes:
  method: quota
  quota: {A: 0.20, B: 0.40, C: 0.35, D: 0.05}
"""


def scheme(indicators: str, classes: str = QUOTA, extra: str = "") -> str:
    return f"name: test\nyear: 2024\n{extra}indicators:\n{indicators}{classes}"


def run(text: str, rows: list[dict], schema: dict | None = None):
    frame = pl.DataFrame(rows, schema=schema, strict=False)
    return evaluate(parse_scheme(text), frame)


def by_uscc(evaluation) -> dict[str, dict]:
    return {row["uscc"]: row for row in evaluation.results.iter_rows(named=True)}


TAX_PER_MU = """\
  - key: tax_per_mu
    numerator: tax
    denominator: land_mu
    weight: 30
    method: ratio
    benchmark: 10
"""


# ---------------------------------------------------------------- worked examples, per method


def test_ratio_with_fixed_benchmark():
    rows = [
        {"uscc": "e1", "tax": 150.0, "land_mu": 10.0},  # x = 15
        {"uscc": "e2", "tax": 50.0, "land_mu": 10.0},  # x = 5
        {"uscc": "e3", "tax": 500.0, "land_mu": 10.0},  # x = 50
        {"uscc": "e4", "tax": -20.0, "land_mu": 10.0},  # x = -2
    ]
    out = by_uscc(run(scheme(TAX_PER_MU), rows))
    assert out["e1"]["tax_per_mu"] == 15
    assert out["e1"]["tax_per_mu_points"] == 45  # 30 × 15/10 = 30 × 1.5
    assert out["e2"]["tax_per_mu_points"] == 15  # 30 × 5/10
    assert out["e3"]["tax_per_mu_points"] == 150  # 30 × 50/10, no cap
    assert out["e4"]["tax_per_mu_points"] == 0  # 30 × max(-2/10, 0): points are ≥ 0
    assert out["e1"]["score"] == 45  # one indicator, no adjustment
    assert [out[u]["rank"] for u in ("e3", "e1", "e2", "e4")] == [1, 2, 3, 4]


def test_ratio_with_cap():
    text = scheme(TAX_PER_MU + "    cap: 2.0\n")
    rows = [
        {"uscc": "e1", "tax": 150.0, "land_mu": 10.0},  # 15/10 = 1.5 < 2
        {"uscc": "e2", "tax": 200.0, "land_mu": 10.0},  # 20/10 = 2, at the cap
        {"uscc": "e3", "tax": 500.0, "land_mu": 10.0},  # 50/10 = 5, capped at 2
    ]
    out = by_uscc(run(text, rows))
    assert out["e1"]["tax_per_mu_points"] == 45  # 30 × 1.5
    assert out["e2"]["tax_per_mu_points"] == 60  # 30 × 2
    assert out["e3"]["tax_per_mu_points"] == 60  # 30 × min(5, 2)


def test_aggregate_benchmark():
    text = scheme(TAX_PER_MU.replace("weight: 30", "weight: 20").replace("10\n", "aggregate\n"))
    rows = [
        {"uscc": "a", "tax": 300.0, "land_mu": 10.0},  # x = 30
        {"uscc": "b", "tax": 100.0, "land_mu": 20.0},  # x = 5
        {"uscc": "c", "tax": None, "land_mu": 5.0},  # no tax: indicator missing, not in Σ
        {"uscc": "d", "tax": 1000.0, "land_mu": 0.0},  # not rated, not in Σ
    ]
    evaluation = run(text, rows)
    # benchmark = Σ tax / Σ land over rated rows with the indicator = (300 + 100)/(10 + 20)
    assert evaluation.benchmarks["tax_per_mu"] == pytest.approx(40 / 3, rel=1e-12)
    out = by_uscc(evaluation)
    assert out["a"]["tax_per_mu_points"] == pytest.approx(45)  # 20 × 30/(40/3) = 20 × 2.25
    assert out["b"]["tax_per_mu_points"] == pytest.approx(7.5)  # 20 × 5/(40/3) = 20 × 0.375
    assert out["c"]["tax_per_mu"] is None
    assert out["c"]["tax_per_mu_points"] == 0  # missing: zero
    assert out["d"]["rated"] is False
    assert out["d"]["tax_per_mu_points"] is None


def test_lower_is_better():
    indicator = """\
  - key: {key}
    numerator: energy_tce
    denominator: value_added
    weight: 10
    method: ratio
    direction: lower_is_better
    benchmark: 0.5
"""
    text = scheme(indicator.format(key="capped") + "    cap: 1.5\n" + indicator.format(key="free"))
    rows = [
        {"uscc": "e1", "energy_tce": 25.0, "value_added": 100.0},  # x = 0.25
        {"uscc": "e2", "energy_tce": 0.0, "value_added": 100.0},  # x = 0
        {"uscc": "e3", "energy_tce": 50.0, "value_added": 100.0},  # x = 0.5
        {"uscc": "e4", "energy_tce": 75.0, "value_added": 100.0},  # x = 0.75
        {"uscc": "e5", "energy_tce": 150.0, "value_added": 100.0},  # x = 1.5
    ]
    for row in rows:
        row["land_mu"] = 10.0
    out = by_uscc(run(text, rows))
    # points = 10 × clamp(2 − x/0.5, 0, cap)
    expected_capped = {"e1": 15, "e2": 15, "e3": 10, "e4": 5, "e5": 0}
    # e1: 2 − 0.5 = 1.5; e2: 2 − 0 = 2 → 1.5; e3: 2 − 1 = 1; e4: 2 − 1.5 = 0.5; e5: 2 − 3 → 0
    expected_free = {"e1": 15, "e2": 20, "e3": 10, "e4": 5, "e5": 0}
    assert {u: out[u]["capped_points"] for u in out} == expected_capped
    assert {u: out[u]["free_points"] for u in out} == expected_free


def test_minmax():
    text = scheme(
        """\
  - key: rd_ratio
    numerator: rd_expense
    denominator: revenue
    weight: 10
    method: minmax
"""
    )
    rows = [
        {"uscc": "e1", "rd_expense": 10.0, "revenue": 10.0, "land_mu": 5.0},  # x = 1 (min)
        {"uscc": "e2", "rd_expense": 30.0, "revenue": 10.0, "land_mu": 5.0},  # x = 3
        {"uscc": "e3", "rd_expense": 50.0, "revenue": 10.0, "land_mu": 5.0},  # x = 5 (max)
        {"uscc": "e4", "rd_expense": 50.0, "revenue": 0.0, "land_mu": 5.0},  # zero denominator
        {"uscc": "e5", "rd_expense": 500.0, "revenue": 10.0, "land_mu": 0.0},  # not rated: x = 50
    ]
    out = by_uscc(run(text, rows))
    # min and max over rated rows: 1 and 5 (e5 is not rated, so 50 is not the max)
    assert out["e1"]["rd_ratio_points"] == 2  # 10 × (20 + 80 × 0/4)/100
    assert out["e2"]["rd_ratio_points"] == 6  # 10 × (20 + 80 × 2/4)/100 = 10 × 60/100
    assert out["e3"]["rd_ratio_points"] == 10  # 10 × (20 + 80 × 4/4)/100
    assert out["e4"]["rd_ratio"] is None  # zero denominator: missing
    assert out["e4"]["rd_ratio_points"] == 0  # missing: zero


def test_tiny_spreads_and_benchmarks_still_divide():
    # Polars divides by a number by multiplying by its reciprocal, which overflows below
    # about 1e-308: a min–max spread or a benchmark that small gave inf and NaN points.
    text = scheme(
        TAX_PER_MU.replace("benchmark: 10", "benchmark: aggregate")
        + """\
  - key: rd_ratio
    numerator: rd_expense
    denominator: revenue
    weight: 10
    method: minmax
"""
    )
    tiny = 2.2250738585e-313
    rows = [
        {"uscc": "lo", "tax": tiny, "land_mu": 1.0, "rd_expense": 0.0, "revenue": 1.0},
        {"uscc": "hi", "tax": tiny, "land_mu": 1.0, "rd_expense": tiny, "revenue": 1.0},
    ]
    evaluation = run(text, rows)
    assert evaluation.benchmarks["tax_per_mu"] == tiny  # Σ tax / Σ land = 2 tiny / 2
    out = by_uscc(evaluation)
    assert out["lo"]["tax_per_mu_points"] == out["hi"]["tax_per_mu_points"] == 30  # 30 × 1
    assert out["lo"]["rd_ratio_points"] == 2  # the bottom of 20–100 % of 10
    assert out["hi"]["rd_ratio_points"] == 10  # the top


EMISSION = """\
  - key: va_per_pollutant
    numerator: value_added
    denominator: pollutant_t
    weight: 10
    method: ratio
    benchmark: 100
    missing: {missing}
"""

EMISSION_ROWS = [
    {"uscc": "r1", "value_added": 2000.0, "pollutant_t": 10.0, "land_mu": 5.0},  # x = 200
    {"uscc": "r2", "value_added": 500.0, "pollutant_t": 10.0, "land_mu": 5.0},  # x = 50
    {"uscc": "r3", "value_added": 800.0, "pollutant_t": None, "land_mu": 5.0},  # missing den.
    {"uscc": "r4", "value_added": 800.0, "pollutant_t": 0.0, "land_mu": 5.0},  # zero den.
    {"uscc": "r5", "value_added": 1e6, "pollutant_t": 1.0, "land_mu": None},  # not rated
]


def test_missing_data_gets_average_points():
    out = by_uscc(run(scheme(EMISSION.format(missing="average_points")), EMISSION_ROWS))
    assert out["r1"]["va_per_pollutant_points"] == 20  # 10 × 200/100
    assert out["r2"]["va_per_pollutant_points"] == 5  # 10 × 50/100
    # the mean points of rated rows that have it: (20 + 5)/2; r5 is not rated, so not counted
    assert out["r3"]["va_per_pollutant"] is None
    assert out["r3"]["va_per_pollutant_points"] == 12.5
    assert out["r4"]["va_per_pollutant"] is None
    assert out["r4"]["va_per_pollutant_points"] == 12.5
    assert out["r5"]["va_per_pollutant_points"] is None
    assert out["r5"]["score"] is None


def test_missing_data_gets_zero():
    out = by_uscc(run(scheme(EMISSION.format(missing="zero")), EMISSION_ROWS))
    assert out["r1"]["va_per_pollutant_points"] == 20
    assert out["r3"]["va_per_pollutant_points"] == 0
    assert out["r4"]["va_per_pollutant_points"] == 0


def test_several_indicators_add_up():
    text = scheme(TAX_PER_MU + EMISSION.format(missing="zero"))
    rows = [{"uscc": "e1", "tax": 150.0, "land_mu": 10.0, "value_added": 300.0, "pollutant_t": 1}]
    (row,) = run(text, rows).results.iter_rows(named=True)
    # 30 × 15/10 + 10 × 300/100 = 45 + 30
    assert row["score"] == 75


# ------------------------------------------------------------- rated or not, adjustments, veto


def test_no_land_is_not_rated():
    rows = [
        {"uscc": "ok", "tax": 100.0, "land_mu": 10.0},
        {"uscc": "zero", "tax": 100.0, "land_mu": 0.0},
        {"uscc": "none", "tax": 100.0, "land_mu": None},
    ]
    evaluation = run(scheme(TAX_PER_MU), rows)
    out = by_uscc(evaluation)
    for uscc in ("zero", "none"):
        assert out[uscc]["rated"] is False
        assert out[uscc]["not_rated_reason"] == NO_LAND
        assert out[uscc]["score"] is None
        assert out[uscc]["class"] is None
        assert out[uscc]["rank"] is None
    assert out["ok"]["rated"] is True
    assert out["ok"]["not_rated_reason"] is None
    # Not-rated rows come last.
    assert evaluation.results["uscc"].to_list()[0] == "ok"
    assert evaluation.class_counts() == {"D": 1}  # n = 1: ⌈1 × 0.05⌉ = 1 D


def test_scope_failing_is_not_rated_with_its_reason():
    extra = """\
scope:
  - {field: above_scale, op: "==", value: true}
  - {field: land_mu, op: ">=", value: 3}
"""
    rows = [
        {"uscc": "in", "tax": 100.0, "land_mu": 10.0, "above_scale": True},
        {"uscc": "small", "tax": 100.0, "land_mu": 10.0, "above_scale": False},
        {"uscc": "unknown", "tax": 100.0, "land_mu": 10.0, "above_scale": None},
        {"uscc": "tiny", "tax": 100.0, "land_mu": 2.0, "above_scale": True},
    ]
    out = by_uscc(run(scheme(TAX_PER_MU, extra=extra), rows))
    assert out["in"]["rated"] is True
    assert out["small"]["rated"] is False
    assert out["small"]["not_rated_reason"] == "not in scope: above_scale == True"
    # A missing value never satisfies a condition.
    assert out["unknown"]["not_rated_reason"] == "not in scope: above_scale == True"
    assert out["tiny"]["not_rated_reason"] == "not in scope: land_mu >= 3"
    assert out["tiny"]["score"] is None


THRESHOLDS = """\
classes:
  method: threshold
  threshold: [{class: A, min_score: 110}, {class: B, min_score: 90}, {class: C, min_score: 60}, {class: D}]
"""  # noqa: E501

SCORE_IS_TAX = """\
  - key: tax_per_mu
    numerator: tax
    denominator: land_mu
    weight: 100
    method: ratio
    benchmark: 100
"""  # points = 100 × (tax/1)/100 = tax when land_mu is 1


def test_adjustments_add_points_and_veto_gives_d():
    extra = ""
    rules = """\
adjustments:
  - {when: [{field: safety_incident, op: "==", value: true}], points: -10, reason: safety}
  - {when: [{field: hi_tech, op: "==", value: true}], points: 5, reason: high tech}
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: environmental violation}
  - {when: [{field: tax, op: ">", value: 150}], reason: second veto}
"""
    text = scheme(SCORE_IS_TAX, THRESHOLDS + rules, extra)
    rows = [
        # score 100 − 10 + 5 = 95 → B
        {"uscc": "e1", "tax": 100.0, "safety_incident": True, "hi_tech": True, "env_violation": 0},
        # score 100 − 10 = 90 → B (min_score is inclusive)
        {"uscc": "e2", "tax": 100.0, "safety_incident": True, "hi_tech": False, "env_violation": 0},
        # score 120 would be A, but vetoed → D; both vetoes hold, the first gives the reason
        {
            "uscc": "e3",
            "tax": 200.0,
            "safety_incident": False,
            "hi_tech": False,
            "env_violation": 1,
        },
        # no rule holds (missing values never hold): score 60 → C
        {"uscc": "e4", "tax": 60.0, "safety_incident": None, "hi_tech": None, "env_violation": 0},
    ]
    for row in rows:
        row["land_mu"] = 1.0
        row["env_violation"] = bool(row["env_violation"])
    out = by_uscc(run(text, rows))
    assert out["e1"]["adjustment_points"] == -5
    assert out["e1"]["score"] == 95
    assert out["e1"]["class"] == "B"
    assert out["e2"]["score"] == 90
    assert out["e2"]["class"] == "B"
    assert out["e3"]["score"] == 200
    assert out["e3"]["class"] == "D"
    assert out["e3"]["veto_reason"] == "environmental violation"
    assert out["e4"]["adjustment_points"] == 0
    assert out["e4"]["score"] == 60
    assert out["e4"]["class"] == "C"
    assert out["e4"]["veto_reason"] is None


def test_threshold_classes():
    scores = {"a1": 120, "a2": 110, "b1": 109.5, "b2": 90, "c1": 89, "c2": 60, "d1": 59, "d2": 0}
    rows = [{"uscc": u, "tax": float(s), "land_mu": 1.0} for u, s in scores.items()]
    evaluation = run(scheme(SCORE_IS_TAX, THRESHOLDS), rows)
    out = by_uscc(evaluation)
    assert {u: out[u]["score"] for u in scores} == pytest.approx(scores)
    assert {u: out[u]["class"] for u in scores} == {u: u[0].upper() for u in scores}
    assert [out[u]["rank"] for u in scores] == list(range(1, 9))
    assert evaluation.class_counts() == {"A": 2, "B": 2, "C": 2, "D": 2}


# ----------------------------------------------------------------------------- quota classes


def quota_rows(n: int, vetoed: Set[int] = frozenset()) -> list[dict]:
    """n rows with distinct scores: row i has score n − i (row 0 is best)."""
    return [
        {"uscc": f"u{i:04d}", "tax": float(n - i), "land_mu": 1.0, "bad": i in vetoed}
        for i in range(n)
    ]


VETO_BAD = """\
veto:
  - {when: [{field: bad, op: "==", value: true}], reason: bad}
"""


def quota_classes(n: int, vetoed: Set[int] = frozenset(), quota: str = QUOTA) -> list[str]:
    evaluation = run(scheme(SCORE_IS_TAX, quota + VETO_BAD), quota_rows(n, vetoed))
    out = by_uscc(evaluation)
    return [out[f"u{i:04d}"]["class"] for i in range(n)]


@pytest.mark.parametrize(
    "n, a, b, c, d",
    [
        # A = ⌊0.2n⌋; B up to ⌊0.6n⌋; D = ⌈0.05n⌉; C the rest
        (1, 0, 0, 0, 1),  # ⌊0.2⌋ = 0, ⌊0.6⌋ = 0, ⌈0.05⌉ = 1
        (19, 3, 8, 7, 1),  # ⌊3.8⌋ = 3, ⌊11.4⌋ = 11 → 8 B, ⌈0.95⌉ = 1, C = 19 − 11 − 1
        (20, 4, 8, 7, 1),  # ⌊4⌋ = 4, ⌊12⌋ = 12 → 8 B, ⌈1⌉ = 1, C = 20 − 12 − 1
        (21, 4, 8, 7, 2),  # ⌊4.2⌋ = 4, ⌊12.6⌋ = 12 → 8 B, ⌈1.05⌉ = 2, C = 21 − 12 − 2
    ],
)
def test_quota_edges(n, a, b, c, d):
    assert quota_classes(n) == ["A"] * a + ["B"] * b + ["C"] * c + ["D"] * d


def test_quota_vetoes_count_towards_d():
    # n = 21, one veto: D = max(⌈1.05⌉ − 1, 0) = 1 non-vetoed D, plus the vetoed row.
    classes = quota_classes(21, vetoed={0})
    assert classes[0] == "D"
    # Non-vetoed rows 1..20 are positions 1..20: A 1–4, B 5–12, C 13–19, D 20.
    assert classes[1:] == ["A"] * 4 + ["B"] * 8 + ["C"] * 7 + ["D"] * 1


def test_quota_more_vetoes_than_d_quota():
    # n = 20, three vetoes (rows 0, 5, 19): D = max(⌈1⌉ − 3, 0) = 0 more D.
    # The 17 others, in order, fill A (⌊4⌋ = 4), then B up to position 12, then C.
    classes = quota_classes(20, vetoed={0, 5, 19})
    assert [classes[i] for i in (0, 5, 19)] == ["D", "D", "D"]
    others = [c for i, c in enumerate(classes) if i not in {0, 5, 19}]
    assert others == ["A"] * 4 + ["B"] * 8 + ["C"] * 5


def test_quota_few_rows_fill_a_and_b_first():
    # n = 10, five vetoes: A = ⌊2⌋ = 2, B up to ⌊6⌋ but only 5 non-vetoed rows, D 0 more.
    classes = quota_classes(10, vetoed={5, 6, 7, 8, 9})
    assert classes == ["A", "A", "B", "B", "B"] + ["D"] * 5


def test_quota_shares_are_exact_decimals():
    # In floats 0.29 × 100 = 28.999… and 0.07 × 100 = 7.000…01; in decimals 29 and 7.
    quota = """\
classes:
  method: quota
  quota: {A: 0.29, B: 0.41, C: 0.23, D: 0.07}
"""
    classes = quota_classes(100, quota=quota)
    # A ⌊29⌋ = 29, B up to ⌊70⌋ → 41, D ⌈7⌉ = 7, C 100 − 70 − 7 = 23
    assert classes == ["A"] * 29 + ["B"] * 41 + ["C"] * 23 + ["D"] * 7


def test_ties_broken_by_tie_break_higher_first_then_uscc():
    text = scheme(
        """\
  - key: points
    numerator: pts
    weight: 1
    method: ratio
    benchmark: 1
""",
        QUOTA + "  tie_break: [tax, revenue]\n",
    )
    rows = [
        {"uscc": "z", "pts": 50.0, "tax": 1.0, "revenue": 1.0},
        {"uscc": "d", "pts": 10.0, "tax": 5.0, "revenue": 1.0},
        {"uscc": "c", "pts": 10.0, "tax": 5.0, "revenue": 1.0},
        {"uscc": "b", "pts": 10.0, "tax": 5.0, "revenue": 9.0},
        {"uscc": "a", "pts": 10.0, "tax": 2.0, "revenue": 99.0},
    ]
    for row in rows:
        row["land_mu"] = 1.0
    results = run(text, rows).results
    # z has the best score; then tax 5 beats tax 2; among tax 5, revenue 9 beats 1;
    # c and d tie on everything: uscc ascending.
    assert results["uscc"].to_list() == ["z", "b", "c", "d", "a"]
    assert results["rank"].to_list() == [1, 2, 3, 4, 5]
    # n = 5: A ⌊1⌋ = 1, B up to ⌊3⌋, D ⌈0.25⌉ = 1, C the one left
    assert results["class"].to_list() == ["A", "B", "B", "C", "D"]


# --------------------------------------------------------------------------- property tests


def _monotone_scheme(benchmark: str, cap: str) -> str:
    return scheme(
        f"""\
  - key: tax_per_mu
    numerator: tax
    denominator: land_mu
    weight: 30
    method: ratio
    benchmark: {benchmark}
{cap}  - key: rd_ratio
    numerator: rd_expense
    denominator: revenue
    weight: 10
    method: minmax
    missing: average_points
"""
    )


amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)
firms = st.lists(
    st.fixed_dictionaries(
        {
            "tax": amounts,
            "land_mu": st.one_of(st.none(), st.floats(min_value=0.5, max_value=500)),
            "rd_expense": st.one_of(st.none(), amounts),
            "revenue": st.one_of(st.none(), st.floats(min_value=1, max_value=1e6)),
        }
    ),
    min_size=1,
    max_size=12,
)


@PROPERTY
@given(
    firms=firms,
    who=st.integers(min_value=0),
    more=st.floats(min_value=0, max_value=1e6),
    benchmark=st.sampled_from(["24.097", "aggregate"]),
    cap=st.sampled_from(["", "    cap: 2\n"]),
)
def test_more_tax_never_lowers_the_score(firms, who, more, benchmark, cap):
    # With a fixed benchmark the tax points are weight × x/b, rising with x. With the
    # aggregate benchmark B = (T + t)/L (T, L: the others' tax and land), the firm's ratio is
    # (t/l) × L/(T + t), which also rises with t (T ≥ 0) although everyone else's falls;
    # its other indicators do not depend on tax. So only the firm's own score is checked.
    text = _monotone_scheme(benchmark, cap)
    who %= len(firms)
    rows = [{"uscc": f"u{i:02d}", **f} for i, f in enumerate(firms)]
    richer = [dict(r) for r in rows]
    richer[who]["tax"] += more
    schema = {"uscc": pl.Utf8, **dict.fromkeys(firms[0], pl.Float64)}
    before = by_uscc(run(text, rows, schema))[f"u{who:02d}"]["score"]
    after = by_uscc(run(text, richer, schema))[f"u{who:02d}"]["score"]
    if before is None:
        assert after is None  # no land: not rated either way
    else:
        assert after >= before - 1e-9 * max(1.0, abs(before))


def expected_quota_counts(n: int, vetoes: int, shares: dict[str, Fraction]) -> dict[str, int]:
    """The issue's rule, independently: positions among the m non-vetoed ranked rows."""
    m = n - vetoes
    top_a = floor(n * shares["A"])
    top_b = floor(n * (shares["A"] + shares["B"]))
    bottom_d = max(ceil(n * shares["D"]) - vetoes, 0)
    counts = {"A": 0, "B": 0, "C": 0, "D": vetoes}
    for position in range(1, m + 1):
        if position <= top_a:
            counts["A"] += 1
        elif position <= top_b:
            counts["B"] += 1
        elif position > m - bottom_d:
            counts["D"] += 1
        else:
            counts["C"] += 1
    return {k: v for k, v in counts.items() if v}


@PROPERTY
@given(
    n=st.integers(min_value=1, max_value=60),
    data=st.data(),
    thousandths=st.lists(st.integers(min_value=0, max_value=1000), min_size=3, max_size=3),
)
def test_class_counts_match_the_quota_rule(n, data, thousandths):
    a, b, c = sorted(thousandths)
    parts = {"A": a, "B": b - a, "C": c - b, "D": 1000 - c}
    written = ", ".join(f"{k}: {v / 1000!r}" for k, v in parts.items())
    quota = f"classes:\n  method: quota\n  quota: {{{written}}}\n"
    vetoed = data.draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    scores = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))  # many ties
    rows = [
        {"uscc": f"u{i:04d}", "tax": float(s), "land_mu": 1.0, "bad": i in vetoed}
        for i, s in enumerate(scores)
    ]
    evaluation = run(scheme(SCORE_IS_TAX, quota + VETO_BAD), rows)
    shares = {k: Fraction(v, 1000) for k, v in parts.items()}
    assert evaluation.class_counts() == expected_quota_counts(n, len(vetoed), shares)
    results = evaluation.results
    assert sorted(results["rank"].to_list()) == list(range(1, n + 1))
    # Better classes never rank below worse ones among the non-vetoed, and scores fall.
    kept = results.filter(pl.col("veto_reason").is_null())
    assert kept["class"].to_list() == sorted(kept["class"].to_list())
    assert kept["score"].to_list() == sorted(kept["score"].to_list(), reverse=True)
    assert set(results.filter(pl.col("veto_reason").is_not_null())["class"]) <= {"D"}


# ----------------------------------------------------------------------------- scheme errors

GOOD = """\
name: demo
indicators:
  - key: tax_per_mu
    numerator: tax
    denominator: land_mu
    weight: 30
    method: ratio
    benchmark: 10
classes:
  method: quota
  quota: {A: 0.2, B: 0.4, C: 0.35, D: 0.05}
"""


def test_the_good_scheme_parses():
    parsed = parse_scheme(GOOD)
    assert parsed.indicators[0].weight == 30
    assert parsed.fields() == {"tax", "land_mu"}


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("method: ratio", "method: ranking", "line 7, indicator tax_per_mu, method"),
        ("weight: 30", "weight: thirty", "line 6, indicator tax_per_mu, weight: must be a number"),
        ("weight: 30", 'weight: "30"', "line 6, indicator tax_per_mu, weight: must be a number"),
        ("weight: 30", "weight: true", "line 6, indicator tax_per_mu, weight: must be a number"),
        ("D: 0.05}", "D: 0.06}", "line 11: quota shares sum to 1.01, not 1"),
        ("D: 0.05}", "D: 0.049}", "line 11: quota shares sum to 0.999, not 1"),
        ("benchmark: 10", "benchmark: average", "line 8, indicator tax_per_mu, benchmark"),
        ("benchmark: 10", "benchmark: 0", "line 8, indicator tax_per_mu, benchmark: must be above"),
        ("method: quota", "method: ranking", "line 10: classes.method must be quota or threshold"),
    ],
)
def test_scheme_errors_name_the_line(old, new, message):
    assert old in GOOD
    with pytest.raises(RuleError) as error:
        parse_scheme(GOOD.replace(old, new))
    assert message in str(error.value)


def test_only_the_last_threshold_class_leaves_out_min_score():
    # such a scheme used to parse, and evaluate failed on it with an AttributeError
    text = scheme(
        SCORE_IS_TAX,
        "classes:\n  method: threshold\n  threshold:\n"
        "    - {class: A}\n    - {class: B, min_score: 50}\n    - {class: C}\n",
    )
    with pytest.raises(RuleError, match=r"^line 13: class A needs a min_score \(only the last"):
        parse_scheme(text)


def test_duplicate_indicator_key():
    second = """\
  - key: tax_per_mu
    numerator: tax
    weight: 10
    benchmark: 1
"""
    text = GOOD.replace("classes:", second + "classes:")
    # the duplicate's own line: the second indicator starts on line 9
    with pytest.raises(RuleError, match=r"line 9: indicator key 'tax_per_mu' appears twice"):
        parse_scheme(text)


@pytest.mark.parametrize(
    "section, message",
    [
        ("veto:\n  - {reason: everyone}\n", "line 10: each veto needs at least one condition"),
        ("adjustments:\n  - 5\n", "line 10: each adjustment is a mapping with 'when'"),
    ],
)
def test_adjustments_and_vetoes_need_conditions(section, message):
    with pytest.raises(RuleError) as error:
        parse_scheme(GOOD.replace("classes:", section + "classes:"))
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("key", ["tax", "land_mu", "score", "rank", "uscc", "adjustment"])
def test_indicator_key_must_not_take_a_column_name(key):
    # 'tax' would overwrite the input column it is computed from (the aggregate benchmark
    # then summed ratios); 'adjustment' would give 'adjustment_points'.
    with pytest.raises(RuleError, match=f"line 3: indicator key '{key}' is already a column"):
        parse_scheme(GOOD.replace("key: tax_per_mu", f"key: {key}"))


def test_duplicate_yaml_key():
    with pytest.raises(RuleError, match="line 7: 'weight' appears twice"):
        parse_scheme(GOOD.replace("    method: ratio", "    weight: 5"))


@pytest.mark.parametrize(
    "condition, message",
    [
        ('{field: above_scale, op: "=", value: true}', "line 3, field above_scale: op must be"),
        ('{field: above_scale, op: "~=", value: true}', "line 3, field above_scale: op must be"),
        ('{field: park, op: "in", value: P1}', "line 3, field park: 'in' needs a list"),
        ('{field: park, op: "==", value: [P1]}', "line 3, field park: '==' needs a single"),
        ('{op: "==", value: 1}', "line 3: a condition needs a field"),
        ('{field: park, op: "=="}', "line 3, field park: a condition needs a value"),
        ('{field: park, op: "==", value: 1, x: 2}', "line 3: unknown key in a condition: x"),
    ],
)
def test_bad_conditions(condition, message):
    text = GOOD.replace("indicators:", f"scope:\n  - {condition}\nindicators:")
    with pytest.raises(RuleError) as error:
        parse_scheme(text)
    assert message in str(error.value)


# ------------------------------------------------------------------------------ input errors


def test_check_input_missing_column():
    frame = pl.DataFrame({"uscc": ["a"], "land_mu": [1.0]})
    with pytest.raises(RuleError, match="the input has no column for: tax"):
        check_input(parse_scheme(GOOD), frame)


def test_check_input_non_numeric_column():
    frame = pl.DataFrame({"uscc": ["a"], "land_mu": [1.0], "tax": ["lots"]})
    with pytest.raises(RuleError, match=r"column tax: not numbers \(String\)"):
        check_input(parse_scheme(GOOD), frame)


def test_check_input_duplicate_uscc():
    frame = pl.DataFrame(
        {"uscc": ["b", "a", "b", "a", "c", "b"], "land_mu": [1.0] * 6, "tax": [1] * 6}
    )
    with pytest.raises(RuleError) as error:
        check_input(parse_scheme(GOOD), frame)
    # Rows as a spreadsheet numbers them: the header is row 1, so "b" first is row 2.
    assert str(error.value).splitlines() == [
        "row 4, column uscc: b appears more than once (also row 2)",
        "row 5, column uscc: a appears more than once (also row 3)",
        "row 7, column uscc: b appears more than once (also row 2)",
    ]


def test_check_input_duplicate_uscc_lists_twenty_rows():
    codes = ["x"] * 23 + ["y", "z", "y"]  # 22 repeats of x (rows 3–24), one of y (row 27)
    frame = pl.DataFrame({"uscc": codes, "land_mu": [1.0] * 26, "tax": [1] * 26})
    with pytest.raises(RuleError) as error:
        check_input(parse_scheme(GOOD), frame)
    lines = str(error.value).splitlines()
    assert len(lines) == 21
    assert lines[0] == "row 3, column uscc: x appears more than once (also row 2)"
    assert lines[19] == "row 22, column uscc: x appears more than once (also row 2)"
    assert lines[20] == "column uscc: 3 more repeated rows not listed"


def test_check_input_distinct_codes_pass():
    # Many rows, all distinct: the hash check passes them without comparing the codes.
    frame = pl.DataFrame({"uscc": [f"91{i:016d}" for i in range(5000)], "land_mu": 1.0, "tax": 1})
    check_input(parse_scheme(GOOD), frame)
    with pytest.raises(RuleError, match=r"^row 5002, column uscc: 910000000000000007 appears"):
        check_input(parse_scheme(GOOD), frame.vstack(frame.slice(7, 1)))


def test_evaluate_checks_its_input():
    frame = pl.DataFrame({"uscc": ["a", "a"], "land_mu": [1.0, 1.0], "tax": [1, 2]})
    with pytest.raises(RuleError, match="uscc"):
        evaluate(parse_scheme(GOOD), frame)


# ------------------------------------------------------------------------- results as a plan


def test_the_plan_streams_what_the_results_hold(tmp_path):
    text = scheme(TAX_PER_MU + EMISSION.format(missing="average_points"), QUOTA + VETO_BAD)
    rows = [
        {"uscc": f"u{i:02d}", "tax": float(i % 7), "land_mu": float(i % 3), "bad": i == 4}
        | {"value_added": float(i), "pollutant_t": None if i % 5 == 0 else 2.0}
        for i in range(40)
    ]
    evaluation = run(text, rows)
    evaluation.lazy().sink_parquet(tmp_path / "out.parquet")
    streamed = pl.read_parquet(tmp_path / "out.parquet")
    assert streamed.equals(evaluation.results)
    assert evaluation.rated == evaluation.results["rated"].sum() == 26  # land_mu 0 for 14
    assert sum(evaluation.class_counts().values()) == 26


def test_an_input_in_several_chunks_is_evaluated_the_same():
    text = scheme(TAX_PER_MU, QUOTA + "  tie_break: [revenue]\n")
    rows = [
        {"uscc": f"u{i:03d}", "tax": float(i % 9), "land_mu": 1.0 + i % 2, "revenue": float(i)}
        for i in range(100)
    ]
    whole = pl.DataFrame(rows)
    parts = pl.concat([whole.slice(0, 30), whole.slice(30, 45), whole.slice(75)], rechunk=False)
    assert parts.n_chunks() == 3
    one = evaluate(parse_scheme(text), whole)
    several = evaluate(parse_scheme(text), parts)
    assert several.results.equals(one.results)
    assert several.class_counts() == one.class_counts() == {"A": 20, "B": 40, "C": 35, "D": 5}


def test_an_evaluation_made_from_results():
    results = run(scheme(TAX_PER_MU), [{"uscc": "a", "tax": 1.0, "land_mu": 1.0}]).results
    made = Evaluation(results, {"tax_per_mu": 10.0})
    assert made.results is results
    assert made.lazy().collect().equals(results)
    assert (made.rated, made.class_counts()) == (1, {"D": 1})
