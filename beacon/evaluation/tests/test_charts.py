"""A run's kept charts show every role what drawing them from its results in scope shows,
follow a class change, and cost a run's page as many queries at 200 enterprises as at 20."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon.conftest import ROLES
from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.core.permissions import can, restrict
from beacon.evaluation import charts
from beacon.evaluation.models import EvaluationResult, RunChart
from beacon.evaluation.services import mark_official, run_evaluation
from beacon.registry.models import AnnualFigure, Enterprise
from beacon.registry.tests.factories import AnnualFigureFactory, EnterpriseFactory, make_uscc

from .conftest import hand_zone


def drawn_afresh(run, user) -> dict | None:
    """The run page's numbers as drawn from the results ``user`` sees, on the run's bins."""
    if not can(user, EvaluationResult, "view"):
        return None
    results = restrict(run.results.all(), user)
    rated = results.filter(rated=True)
    every = list(run.results.filter(rated=True).exclude(score=None).values_list("score", flat=True))
    mine = list(rated.exclude(score=None).values_list("score", flat=True))
    counts, edges = np.histogram(every, bins=min(20, max(5, len(every) // 5)))
    if mine:
        counts = np.histogram(mine, bins=edges)[0]
    scatter: dict = {}
    for grade, figures in rated.values_list("final_class", "figures"):
        land, tax = figures.get("land_mu"), figures.get("tax")
        if land and tax:
            scatter.setdefault(grade, []).append([round(land, 2), round(tax / land, 2)])
    return {
        "results": results.count(),
        "score_bins": [f"{edges[i]:.0f}–{edges[i + 1]:.0f}" for i in range(len(counts))]
        if mine
        else [],
        "score_counts": counts.tolist() if mine else [],
        "scatter": {c: sorted(points) for c, points in scatter.items()},
    }


def shown(client, run) -> dict | None:
    context = client.get(run.get_absolute_url()).context
    if not context["can_results"]:
        return None
    page = context["charts"]
    return {
        "results": context["result_count"],
        "score_bins": page["score_bins"],
        "score_counts": page["score_counts"],
        "scatter": {s["name"]: sorted(s["data"]) for s in page["scatter"] if s["data"]},
    }


@pytest.fixture
def run(zone, users, scheme):
    hand_zone(zone)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    mark_official(run)
    return run


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_charts_of_its_scope(zone, users, client_for, run, role):
    client = client_for(role)
    if client.get(run.get_absolute_url()).status_code == 404:
        return
    assert shown(client, run) == drawn_afresh(run, users[role])


def test_the_whole_run_draws_as_the_page_drew_it(zone, client_for, run):
    """The zone's histogram is numpy's over every rated score, as the page drew it."""
    scores = list(run.results.filter(rated=True).values_list("score", flat=True))
    counts, _edges = np.histogram(np.array(scores), bins=min(20, max(5, len(scores) // 5)))
    page = shown(client_for("zone_admin"), run)
    assert page["score_counts"] == counts.tolist() and sum(page["score_counts"]) == 4
    assert page["results"] == 4
    assert shown(client_for("park_officer"), run)["results"] == 2


def test_a_class_change_moves_its_point(zone, users, client_for, run):
    result = run.results.get(enterprise=zone["p1_enterprise"])
    before = shown(client_for("zone_admin"), run)["scatter"]
    result.final_class, result.class_change_reason = "D", "复核"
    gate.save(users["zone_admin"], result)
    after = shown(client_for("zone_admin"), run)["scatter"]
    assert len(after["D"]) == len(before["D"]) + 1 and "A" not in after
    for role in ("park_officer", "zone_admin"):
        assert shown(client_for(role), run) == drawn_afresh(run, users[role])


def test_a_scope_finer_than_a_park_is_drawn_from_its_own_results(zone, users, run):
    """No shipped role with such a scope sees a run's page; a deployment's role may."""
    mine = charts.charts_for(run, users["enterprise_user"])
    expected = drawn_afresh(run, users["enterprise_user"])
    assert (mine.results, mine.score_counts) == (1, expected["score_counts"])
    assert {c: sorted(p) for c, p in mine.scatter.items()} == expected["scatter"]


def test_charts_drawn_again_are_the_same(run):
    kept = {c.park_id: (c.results, c.score_counts, c.scatter) for c in run.charts.all()}
    assert set(kept) == {None, *run.results.values_list("park", flat=True)}
    RunChart.objects.filter(run=run).delete()
    charts.keep_charts(run)
    assert {c.park_id: (c.results, c.score_counts, c.scatter) for c in run.charts.all()} == kept


def add_enterprises(zone, n: int, start: int) -> None:
    firms = bulk_create_logged(
        Enterprise,
        [
            EnterpriseFactory.build(uscc=make_uscc(start + i), park=(zone["p1"], zone["p2"])[i % 2])
            for i in range(n)
        ],
    )
    bulk_create_logged(
        AnnualFigure,
        [
            AnnualFigureFactory.build(enterprise=e, year=2023, tax=1_000_000 + 7919 * i)
            for i, e in enumerate(firms)
        ],
    )


def test_a_large_run_samples_its_scatter_across_the_classes(zone, users, scheme, monkeypatch):
    add_enterprises(zone, 40, 3000)
    monkeypatch.setattr(charts, "SCATTER_POINTS", 10)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    whole = run.charts.get(park=None).scatter
    assert 5 < sum(len(points) for points in whole.values()) <= 10
    assert set(whole) == {"A", "B", "C", "D"}
    parks = run.charts.exclude(park=None)
    assert sorted(p for c in parks for points in c.scatter.values() for p in points) == sorted(
        p for points in whole.values() for p in points
    )


def run_page_queries(client, run) -> int:
    """The queries of a run's page once the session's and the cache's first reads are made."""
    client.get(run.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(run.get_absolute_url()).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["zone_admin", "park_officer", "leader"])
def test_a_run_page_reads_as_much_for_200_enterprises_as_for_20(
    zone, users, scheme, client_for, role
):
    client = client_for(role)
    add_enterprises(zone, 16, 4000)
    small = run_evaluation(scheme, 2023, users["zone_admin"])
    add_enterprises(zone, 180, 5000)
    large = run_evaluation(scheme, 2023, users["zone_admin"])
    assert large.results.count() == 200
    assert run_page_queries(client, large) == run_page_queries(client, small)


def test_charts_kept_with_more_points_than_the_bound_are_thinned_when_read(
    zone, users, scheme, monkeypatch
):
    add_enterprises(zone, 40, 6000)
    monkeypatch.setattr(charts, "SCATTER_POINTS", 40)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    kept = run.charts.get(park=None).scatter
    assert sum(len(points) for points in kept.values()) > 20
    monkeypatch.setattr(charts, "SCATTER_POINTS", 10)
    for role in ("zone_admin", "park_officer"):
        read = charts.charts_for(run, users[role]).scatter
        assert 0 < sum(len(points) for points in read.values()) <= 10
        # every point read is one kept, and each class keeps a share of its points
        assert all(p in kept[grade] for grade, points in read.items() for p in points)
    assert set(charts.charts_for(run, users["zone_admin"]).scatter) == set(kept)


def test_the_upgrade_draws_again_the_charts_kept_with_more_points_than_shown(
    zone, users, scheme, monkeypatch
):
    import importlib

    from django.apps import apps

    add_enterprises(zone, 40, 6000)
    monkeypatch.setattr(charts, "SCATTER_POINTS", 40)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    within = run_evaluation(scheme, 2023, users["zone_admin"])
    monkeypatch.setattr(charts, "SCATTER_POINTS", 10)
    charts.keep_charts(within)
    untouched = {c.pk for c in within.charts.all()}
    importlib.import_module("beacon.evaluation.migrations.0007_thin_run_charts").thin(apps, None)
    whole = run.charts.get(park=None).scatter
    assert 0 < sum(len(points) for points in whole.values()) <= 10
    parks = run.charts.exclude(park=None)
    assert sorted(p for c in parks for points in c.scatter.values() for p in points) == sorted(
        p for points in whole.values() for p in points
    )
    # a run already within the bound is left as it was
    assert {c.pk for c in within.charts.all()} == untouched
