"""A run's score histogram and its scatter of taxes per mu against land used, drawn once
from its results and kept (``RunChart``), then added up for each user's scope.

The histogram's bins are the run's: over every rated score of the run, so a park's counts
add up to the zone's. The scatter draws at most ``SCATTER_POINTS`` rated results (more draw
as a blur, and weigh the page down: 20,000 points were 250 kB of it): every n-th in rank
order, so the sample keeps the shape of the whole run, the lowest classes too; a run that
rates fewer draws them all. Charts kept with more points (drawn before the bound was
lowered, or a user's parks added up) are thinned the same way when read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from django.db.models import Count
from django.db.models.signals import post_save

from beacon.core.permissions import restrict, restrict_kept

from .models import EvaluationResult, EvaluationRun, RunChart

# a thousand points show the shape of a province's run as well as more would (18 kB of the
# page; 5,000 took a fifth of its time to read and draw)
SCATTER_POINTS = 1_000


class Charts:
    """The charts of some results: how many, rated scores per bin, scatter points by class."""

    def __init__(self, bins: int, results: int = 0):
        self.results = results
        self.score_counts = [0] * bins
        self.scatter: dict[str, list[list[float]]] = {}

    def draw(self, scores: list[float], edges: list[float], rows: Iterable[tuple]) -> None:
        """Add ``scores`` to the histogram on ``edges`` and the (class, figures) ``rows`` to
        the scatter."""
        if scores and edges:
            counts, _edges = np.histogram(np.array(scores), bins=np.array(edges))
            self.score_counts = [a + int(b) for a, b in zip(self.score_counts, counts, strict=True)]
        for grade, figures in rows:
            land, tax = (figures or {}).get("land_mu"), (figures or {}).get("tax")
            if land and tax:  # log axes: no zero
                self.scatter.setdefault(grade, []).append([round(land, 2), round(tax / land, 2)])

    def add(self, other: Charts) -> None:
        self.results += other.results
        self.score_counts = [
            a + b for a, b in zip(self.score_counts, other.score_counts, strict=True)
        ]
        for grade, points in other.scatter.items():
            self.scatter.setdefault(grade, []).extend(points)


def score_edges(scores: list[float]) -> list[float]:
    """The histogram's bin edges over ``scores``: 5 to 20 bins, about five scores each."""
    if not scores:
        return []
    bins = min(20, max(5, len(scores) // 5))
    return np.histogram_bin_edges(np.array(scores), bins=bins).tolist()


def keep_charts(run: EvaluationRun) -> None:
    """Draw ``run``'s charts from its results, the whole run's and each park's, and keep
    them in place of any drawn before. Works on the migrations' models too."""
    results = run.results.order_by()
    per_park = dict(results.values_list("park").annotate(n=Count("pk")).values_list("park", "n"))
    rated = list(
        results.filter(rated=True)
        .order_by("rank", "enterprise_id")
        .values_list("park", "score", "final_class", "figures")
    )
    scores: dict[int, list[float]] = {park: [] for park in per_park}
    for park, score, _grade, _figures in rated:
        if score is not None:
            scores[park].append(score)
    edges = score_edges([score for mine in scores.values() for score in mine])
    if edges != run.score_edges:
        run.score_edges = edges
        run.save(update_fields=["score_edges"])
    bins = max(0, len(edges) - 1)
    charts = {park: Charts(bins, n) for park, n in per_park.items()}
    for park, chart in charts.items():
        chart.draw(scores[park], edges, [])
    step = max(1, math.ceil(len(rated) / SCATTER_POINTS))
    for park, _score, grade, figures in rated[::step]:
        charts[park].draw([], edges, [(grade, figures)])
    whole = Charts(bins)
    for chart in charts.values():
        whole.add(chart)
    kept = run.charts.model
    run.charts.all().delete()
    kept.objects.bulk_create(
        kept(
            run=run,
            park_id=park,
            results=chart.results,
            score_counts=chart.score_counts,
            scatter=chart.scatter,
        )
        for park, chart in [(None, whole), *charts.items()]
    )


def charts_for(run: EvaluationRun, user) -> Charts:
    """``run``'s charts over the results ``user`` may see: the kept whole run's, the sum of
    their parks', or, for a scope finer than a park, drawn from their few results."""
    bins = max(0, len(run.score_edges) - 1)
    kept = restrict_kept(RunChart.objects.filter(run=run), user, EvaluationResult)
    if kept is None:
        return _drawn(run, user, bins)
    whole = kept.filter(park=None).first()
    charts = Charts(bins)
    for piece in [whole] if whole is not None else kept:
        charts.add(_charts(piece, bins))
    step = math.ceil(sum(len(points) for points in charts.scatter.values()) / SCATTER_POINTS)
    if step > 1:
        charts.scatter = {grade: points[::step] for grade, points in charts.scatter.items()}
    return charts


def _charts(piece: RunChart, bins: int) -> Charts:
    charts = Charts(bins, piece.results)
    charts.score_counts = piece.score_counts
    charts.scatter = piece.scatter
    return charts


def _drawn(run: EvaluationRun, user, bins: int) -> Charts:
    results = restrict(run.results.all(), user)
    charts = Charts(bins, results.count())
    rated = results.filter(rated=True).order_by("rank", "enterprise_id")
    rows = list(rated.values_list("score", "final_class", "figures")[:SCATTER_POINTS])
    scores = list(rated.exclude(score=None).values_list("score", flat=True))
    charts.draw(scores, run.score_edges, [(grade, figures) for _s, grade, figures in rows])
    return charts


def _class_changed(sender, instance, created=False, raw=False, **kwargs):
    # A class moved by hand moves its point to another series of the scatter.
    if not created and not raw:
        keep_charts(instance.run)


def connect() -> None:
    post_save.connect(_class_changed, sender=EvaluationResult, dispatch_uid="evaluation-charts")
