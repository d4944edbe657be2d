"""Runs over the registry: the frame, stored and frozen results, official runs, versions,
the ``beacon evaluate --year --scheme`` command, and identity with the batch CLI."""

import csv
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from beacon.analytics.cli import main as batch_evaluate
from beacon.analytics.conditions import RuleError
from beacon.core.models import ChangeLogEntry
from beacon.core.versions import save_version
from beacon.evaluation.models import AnnualFlag, EvaluationResult, EvaluationRun, SchemeVersion
from beacon.evaluation.services import (
    FRAME_COLUMNS,
    mark_official,
    registry_frame,
    run_evaluation,
)

from .conftest import EXPECTED_2023, SCHEME, hand_zone, make_scheme


def outcome(run, enterprises):
    by_enterprise = {r.enterprise_id: r for r in run.results.all()}
    return [
        (
            pytest.approx(by_enterprise[e.pk].score),
            by_enterprise[e.pk].final_class,
            by_enterprise[e.pk].rank,
        )
        for e in enterprises
    ]


def test_the_frame_has_the_batch_columns_and_the_registry_values(zone, users):
    enterprises = hand_zone(zone)
    AnnualFlag.objects.create(enterprise=enterprises[0], year=2023, flag="safety_incident")
    AnnualFlag.objects.create(enterprise=enterprises[1], year=2022, flag="safety_incident")
    frame = registry_frame(2023, users["zone_admin"])
    assert frame.columns == ["enterprise_id", *FRAME_COLUMNS]
    rows = {r["uscc"]: r for r in frame.iter_rows(named=True)}
    assert set(rows) == {e.uscc for e in enterprises}
    first = rows[enterprises[0].uscc]
    assert (first["park"], first["industry_code"], first["industry_section"]) == ("P1", "3841", "C")
    assert (first["tax"], first["land_mu"], first["employees"]) == (8_000_000.0, 50.0, 300.0)
    assert first["years_operating"] == 2023 - 2016
    assert first["high_tech"] is True and first["above_scale"] is False
    # a fact counts in its own year only
    assert [rows[e.uscc]["safety_incident"] for e in enterprises] == [True, False, False, False]


def test_a_park_officer_frame_holds_their_park_only(zone, users):
    frame = registry_frame(2023, users["park_officer"])
    assert sorted(frame["uscc"]) == sorted(e.uscc for e in zone["p1_enterprises"])


def test_a_run_stores_the_hand_computed_results(zone, users, scheme):
    enterprises = hand_zone(zone)
    run = run_evaluation(scheme, 2023, users["zone_admin"], note="first")
    assert (run.enterprises, run.rated, run.class_counts) == (
        4,
        4,
        {"A": 1, "B": 1, "C": 1, "D": 1},
    )
    assert run.version == scheme.current and not run.official
    assert run.benchmarks["tax_per_mu"] == 100000
    assert run.benchmarks["va_per_mu"] == pytest.approx(120_000_000 / 175)
    assert outcome(run, enterprises) == list(EXPECTED_2023)
    first = run.results.get(enterprise=enterprises[0])
    assert first.values == {
        "tax_per_mu": 160000.0,
        "tax_per_mu_points": 96.0,
        "va_per_mu": 600000.0,
        "va_per_mu_points": pytest.approx(35.0),
    }
    assert first.figures == {"land_mu": 50.0, "tax": 8_000_000.0, "value_added": 30_000_000.0}
    assert first.park == zone["p1"] and first.evaluated_class == "A"
    parks = {p["park"]: p for p in run.park_results}
    assert (parks["P1"]["rank"], parks["P1"]["rated"], parks["P1"]["tax_per_mu"]) == (1, 2, 130000)
    assert parks["P2"]["tax_per_mu"] == pytest.approx(3_500_000 / 75)
    assert (parks["P2"]["B"], parks["P2"]["D"]) == (1, 1)
    summary = run.indicator_summary
    assert summary["parks"]["P1"]["tax_per_mu"]["mean"] == 130000
    assert summary["zone"]["va_per_mu"]["median"] == 600000


def test_facts_adjust_and_veto_with_their_reasons(zone, users, scheme):
    enterprises = hand_zone(zone)
    AnnualFlag.objects.create(enterprise=enterprises[0], year=2023, flag="safety_incident")
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    # 131 - 10 = 121 falls behind 130
    assert outcome(run, enterprises)[:3] == [
        (pytest.approx(121.0), "B", 2),
        (95.0, "C", 3),
        (130.0, "A", 1),
    ]
    first = run.results.get(enterprise=enterprises[0])
    assert first.adjustments == [{"reason": "safety incident", "points": -10.0}]
    assert first.adjustment_points == -10
    AnnualFlag.objects.create(enterprise=enterprises[2], year=2023, flag="env_violation")
    vetoed = run_evaluation(scheme, 2023, users["zone_admin"]).results.get(
        enterprise=enterprises[2]
    )
    assert (vetoed.final_class, vetoed.rank, vetoed.veto_reason) == (
        "D",
        4,
        "environmental violation",
    )


def test_results_are_frozen_and_a_rerun_is_a_new_run(zone, users, scheme):
    enterprises = hand_zone(zone)
    first = run_evaluation(scheme, 2023, users["zone_admin"])
    figure = enterprises[3].figures.get(year=2023)
    figure.tax = Decimal(20_000_000)
    figure.save()
    assert outcome(first, enterprises) == list(EXPECTED_2023)
    second = run_evaluation(scheme, 2023, users["zone_admin"])
    assert second.pk != first.pk
    assert outcome(second, enterprises)[3][1:] == ("A", 1)
    assert EvaluationRun.objects.count() == 2


def test_one_official_run_per_scheme_and_year(zone, users, scheme):
    hand_zone(zone)
    first, second = (run_evaluation(scheme, 2023, users["zone_admin"]) for _ in range(2))
    other_year = run_evaluation(scheme, 2022, users["zone_admin"])
    mark_official(first)
    mark_official(other_year)
    mark_official(second)
    official = EvaluationRun.objects.filter(official=True).values_list("pk", flat=True)
    assert sorted(official) == sorted([second.pk, other_year.pk])
    first.official = True
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


def test_a_run_that_cannot_be_made_writes_nothing(zone, users):
    hand_zone(zone)
    unknown = make_scheme(SCHEME.replace("field: env_violation", "field: river_pollution"), "bad")
    later = make_scheme("year: 2030\n" + SCHEME, "later")
    before = (EvaluationRun.objects.count(), EvaluationResult.objects.count())
    with pytest.raises(RuleError, match="unknown field 'river_pollution'"):
        run_evaluation(unknown, 2023, users["zone_admin"])
    with pytest.raises(RuleError, match="The scheme is for 2030; it cannot evaluate 2023"):
        run_evaluation(later, 2023, users["zone_admin"])
    with pytest.raises(RuleError, match="No enterprise has figures for 2019"):
        run_evaluation(make_scheme(code="empty"), 2019, users["zone_admin"])
    assert (EvaluationRun.objects.count(), EvaluationResult.objects.count()) == before


def test_versions_are_saved_only_when_the_text_changes(db, users):
    scheme = make_scheme(user=users["zone_admin"])
    assert save_version(scheme, SCHEME, users["zone_admin"]) is None
    second = save_version(scheme, SCHEME.replace("weight: 60", "weight: 50"), None, "less tax")
    assert (second.number, second.comment, scheme.current) == (2, "less tax", second)
    assert list(scheme.versions.values_list("number", flat=True)) == [2, 1]
    assert SchemeVersion.objects.get(number=1).created_by == users["zone_admin"]


def test_the_command_runs_a_stored_scheme(zone, users, scheme, capsys):
    enterprises = hand_zone(zone)
    call_command(
        "evaluate", "--year", "2023", "--scheme", "test", "--official", "--user", "zone_admin"
    )
    run = EvaluationRun.objects.get()
    assert run.official and run.started_by == users["zone_admin"]
    assert outcome(run, enterprises) == list(EXPECTED_2023)
    assert (
        "4 of 4 enterprises rated; classes: A 1, B 1, C 1, D 1; official" in capsys.readouterr().out
    )
    # by name as well as by code; the run is logged as the user's
    call_command("evaluate", "--year", "2022", "--scheme", "测试方案")
    assert EvaluationRun.objects.count() == 2
    entry = ChangeLogEntry.objects.get_for_object(run).get(action=ChangeLogEntry.Action.CREATE)
    assert entry.actor == users["zone_admin"]


def test_the_command_names_what_is_wrong(zone, scheme):
    with pytest.raises(CommandError, match="no scheme 'nope'; schemes: test"):
        call_command("evaluate", "--year", "2023", "--scheme", "nope")
    with pytest.raises(CommandError, match="scheme test has no version 7"):
        call_command("evaluate", "--year", "2023", "--scheme", "test", "--scheme-version", "7")
    with pytest.raises(CommandError, match="No enterprise has figures for 2019"):
        call_command("evaluate", "--year", "2019", "--scheme", "test")
    assert not EvaluationRun.objects.exists()


def test_the_web_run_and_the_batch_cli_give_identical_results(zone, users, scheme, tmp_path):
    hand_zone(zone)
    AnnualFlag.objects.create(enterprise=zone["p2_enterprise"], year=2023, flag="safety_incident")
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    (tmp_path / "scheme.yaml").write_text(scheme.current.text, encoding="utf-8")
    registry_frame(2023, users["zone_admin"]).drop("enterprise_id").write_csv(tmp_path / "in.csv")
    args = ["--scheme", str(tmp_path / "scheme.yaml"), "--input", str(tmp_path / "in.csv")]
    assert batch_evaluate([*args, "--output", str(tmp_path / "out.csv")]) == 0
    with open(tmp_path / "out.csv", encoding="utf-8") as f:
        batch = {row["uscc"]: row for row in csv.DictReader(f)}
    stored = run.results.select_related("enterprise")
    assert len(batch) == stored.count() == 4
    for result in stored:
        row = batch[result.enterprise.uscc]
        assert float(row["score"]) == result.score
        assert (row["class"], int(row["rank"])) == (result.evaluated_class, result.rank)
        for key, value in result.values.items():
            assert float(row[key]) == value
    assert pl.read_csv(tmp_path / "out.csv")["uscc"].to_list() == [
        r.enterprise.uscc for r in stored.order_by("rank")
    ]
