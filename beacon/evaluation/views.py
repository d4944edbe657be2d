"""Pages of the evaluation: schemes and versions, runs with their park table and charts,
enterprise scorecards with class changes, and the annual facts schemes test."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from beacon.analytics.conditions import RuleError
from beacon.core.downloads import TABLE_FORMATS, attachment, export, exporter, table_file
from beacon.core.permissions import can, restrict
from beacon.core.versions import VersionedObjectView
from beacon.core.views import generic
from beacon.core.views.generic import views_for
from beacon.registry.models import Park

from . import filtersets, forms, tables
from .charts import charts_for
from .jobs import queue_run
from .models import AnnualFlag, EvaluationResult, EvaluationRun, Scheme
from .scorecard import indicator_label, scorecard, scorecard_pdf
from .services import check_run, mark_official

# -- schemes -------------------------------------------------------------------------------


class SchemeView(VersionedObjectView):
    model = Scheme

    def get_extra_context(self, obj):
        user = self.request.user
        runs = restrict(obj.runs.all(), user).select_related("version")
        official = {r.year: r for r in runs if r.official}
        # Trends across years: the official run of each year, else the latest one.
        by_year: dict[int, EvaluationRun] = {}
        for run in runs.order_by("year", "pk"):
            if run.year not in official or run.official:
                by_year[run.year] = run
        trend = trend_data([by_year[y] for y in sorted(by_year)])
        return {
            **super().get_extra_context(obj),
            "runs": runs[:50],
            "trend": trend,
            "can_run": can(user, EvaluationRun, "add"),
        }


def zone_per_mu(run: EvaluationRun) -> tuple[float | None, float | None]:
    """The zone's tax and value added per mu over the run's rated enterprises."""
    land = sum(p.get("land_mu") or 0 for p in run.park_results)
    if not land:
        return None, None
    tax = sum(p.get("tax") or 0 for p in run.park_results)
    value_added = sum(p.get("value_added") or 0 for p in run.park_results)
    return round(tax / land, 2), round(value_added / land, 2)


def trend_data(runs: list[EvaluationRun]) -> dict:
    classes = sorted({c for r in runs for c in r.class_counts})
    per_mu = [zone_per_mu(r) for r in runs]
    return {
        "years": [str(r.year) for r in runs],
        "classes": [
            {
                "name": c,
                "data": [
                    round(100 * r.class_counts.get(c, 0) / r.rated, 1) if r.rated else 0
                    for r in runs
                ],
            }
            for c in classes
        ],
        "tax_per_mu": [t for t, _v in per_mu],
        "value_added_per_mu": [v for _t, v in per_mu],
        "labels": {
            "tax_per_mu": _("Taxes per mu (yuan)"),
            "value_added_per_mu": _("Value added per mu (yuan)"),
        },
    }


def enterprise_panel(enterprise, user):
    """The enterprise's classes in official runs, on its registry page."""
    if not can(user, EvaluationResult, "view"):
        return None
    results = (
        restrict(EvaluationResult.objects.filter(enterprise=enterprise, run__official=True), user)
        .select_related("run__scheme")
        .order_by("-run__year", "run__scheme__code")[:20]
    )
    return "evaluation/enterprise_panel.html", {"results": results}


# -- runs ----------------------------------------------------------------------------------


class RunStartView(generic.ObjectPermissionMixin, View):
    """Start a run from the UI: what can be checked at once is, then the run is queued as a
    background job (the service ``beacon evaluate --year --scheme`` calls) and the user
    follows it on the job's page."""

    model = EvaluationRun
    template_name = "evaluation/run_start.html"

    def form(self, data=None):
        schemes = restrict(Scheme.objects.all(), self.request.user)
        initial = {"scheme": self.request.GET.get("scheme")}
        return forms.RunForm(data, schemes=schemes, initial=initial)

    def get(self, request):
        self.require("add")
        return render(request, self.template_name, {**self.base_context(), "form": self.form()})

    def post(self, request):
        self.require("add")
        form = self.form(request.POST)
        if form.is_valid():
            scheme, year = form.cleaned_data["scheme"], form.cleaned_data["year"]
            try:
                check_run(scheme, year, request.user)
            except RuleError as e:
                for line in str(e).splitlines():
                    form.add_error(None, line)
            else:
                job = queue_run(request.user, scheme, year, note=form.cleaned_data["note"])
                messages.success(request, _("The run is queued; this page shows how it goes."))
                return redirect(job.get_absolute_url())
        context = {**self.base_context(), "form": form}
        return render(request, self.template_name, context, status=400)


class RunView(generic.ObjectView):
    model = EvaluationRun

    def get_extra_context(self, run):
        user = self.request.user
        parsed = run.version.parsed
        can_results = can(user, EvaluationResult, "view")
        parks = {p.code: p for p in Park.objects.all()}
        class_names = [n for n, _m in parsed.classes.thresholds] or ["A", "B", "C", "D"]
        park_rows = [
            {
                **row,
                "park_name": str(parks[row["park"]]) if row["park"] in parks else row["park"],
                "class_cells": [row.get(c) or 0 for c in class_names],
            }
            for row in run.park_results
        ]
        indicators = [
            {
                "key": ind.key,
                "label": indicator_label(ind),
                "weight": ind.weight,
                "method": ind.method,
                "direction": ind.direction,
                "benchmark": run.benchmarks.get(ind.key),
                "benchmark_kind": ind.benchmark,
                "zone": run.indicator_summary.get("zone", {}).get(ind.key, {}),
            }
            for ind in parsed.indicators
        ]
        charts = {
            "classes": [{"name": c, "value": run.class_counts.get(c, 0)} for c in class_names],
            "parks": [r["park_name"] for r in park_rows],
            "park_classes": [
                {
                    "name": c,
                    "stack": "classes",
                    "data": [
                        round(100 * (r.get(c) or 0) / r["rated"], 1) if r["rated"] else 0
                        for r in park_rows
                    ],
                }
                for c in class_names
            ],
            "labels": {
                "enterprises": _("Enterprises"),
                "share": _("Share of rated enterprises (%)"),
                "land": _("Land used (mu)"),
                "tax_per_mu": _("Taxes per mu (yuan)"),
            },
        }
        drawn = charts_for(run, user) if can_results else None
        if drawn is not None:
            # no rated score in the user's scope: no bins to show
            edges = run.score_edges if any(drawn.score_counts) else []
            charts["score_bins"] = [
                f"{edges[i]:.0f}–{edges[i + 1]:.0f}" for i in range(len(edges) - 1)
            ]
            charts["score_counts"] = drawn.score_counts if edges else []
            charts["scatter"] = [{"name": c, "data": drawn.scatter.get(c, [])} for c in class_names]
        return {
            "parsed": parsed,
            "indicators": indicators,
            "park_rows": park_rows,
            "class_names": class_names,
            "charts": charts,
            "can_results": can_results,
            "result_count": drawn.results if drawn is not None else None,
            "can_mark_official": can(user, EvaluationRun, "change") and not run.official,
        }


class RunDeleteView(generic.ObjectDeleteView):
    """A run that is not official may be deleted (a mistaken one); the official run stays."""

    model = EvaluationRun

    def get_object(self, pk):
        return get_object_or_404(self.restricted("delete").filter(official=False), pk=pk)


class RunOfficialView(generic.ObjectPermissionMixin, View):
    model = EvaluationRun

    def post(self, request, pk):
        run = get_object_or_404(self.restricted("change"), pk=pk)
        mark_official(run, request.user)
        messages.success(request, _("Run %(run)s is now the official one.") % {"run": run.pk})
        return redirect(run.get_absolute_url())


def run_results_table(run: EvaluationRun, results) -> tuple[list[str], list[list]]:
    """The run's results in the batch CLI's columns, then the class change, in rank order."""
    keys = [ind.key for ind in run.version.parsed.indicators]
    headers = ["uscc", "name", "park", "rated", "not_rated_reason", "score", "class", "rank"]
    headers += [c for k in keys for c in (k, f"{k}_points")]
    headers += ["adjustment_points", "veto_reason", "evaluated_class", "class_change_reason"]
    rows = []
    ordered = results.select_related("enterprise", "park").order_by(
        "-rated", "rank", "enterprise__uscc"
    )
    for r in ordered.iterator(chunk_size=2000):
        rows.append(
            [
                r.enterprise.uscc,
                r.enterprise.name,
                r.park.code,
                r.rated,
                r.not_rated_reason,
                r.score,
                r.final_class,
                r.rank,
                *(r.values.get(c) for k in keys for c in (k, f"{k}_points")),
                r.adjustment_points,
                r.veto_reason,
                r.evaluated_class,
                r.class_change_reason,
            ]
        )
    return headers, rows


PARK_COLUMNS = [
    "rank",
    "park",
    "rated",
    "land_mu",
    "tax",
    "value_added",
    "tax_per_mu",
    "value_added_per_mu",
    "mean_score",
]


class RunExportView(generic.ObjectPermissionMixin, View):
    """``results``: every result in the user's scope with the indicator columns; ``parks``:
    the park table. XLSX or CSV."""

    model = EvaluationRun

    def get(self, request, pk, table):
        run = get_object_or_404(self.restricted("view"), pk=pk)
        fmt = request.GET.get("format", "xlsx")
        if fmt not in TABLE_FORMATS or table not in ("results", "parks"):
            raise Http404
        if table == "results":
            if not can(request.user, EvaluationResult, "view"):
                raise Http404
            rows = restrict(run.results.all(), request.user).count()
        else:
            rows = len(run.park_results)
        what = _("results") if table == "results" else _("park table")
        label = _("Export: run %(run)s, %(table)s (%(format)s)") % {
            "run": run.pk,
            "table": what,
            "format": fmt.upper(),
        }
        return export(request.user, RUN_EXPORT, rows, label, run=run.pk, table=table, fmt=fmt)


RUN_EXPORT = "evaluation.run"


@exporter(RUN_EXPORT)
def run_file(user, *, run: int, table: str, fmt: str) -> tuple[str, bytes]:
    """A run's results or park table as ``user`` sees it, at once or in a worker."""
    found = restrict(EvaluationRun.objects.select_related("scheme", "version"), user).get(pk=run)
    if table == "results":
        headers, rows = run_results_table(found, restrict(found.results.all(), user))
    else:
        classes = [n for n, _m in found.version.parsed.classes.thresholds] or list("ABCD")
        headers = [*PARK_COLUMNS, *classes]
        rows = [[row.get(h) for h in headers] for row in found.park_results]
    name = slugify(f"{found.scheme.code}-{found.year}-run{found.pk}-{table}")
    return table_file(fmt, headers, rows, name, table)


# -- results -------------------------------------------------------------------------------


class ResultView(generic.ObjectView):
    """The enterprise scorecard."""

    model = EvaluationResult
    template_name = "evaluation/scorecard.html"

    def get_extra_context(self, result):
        return scorecard(result, self.request.user)


class ClassChangeView(generic.ObjectEditView):
    model = EvaluationResult
    form_class = forms.ClassChangeForm


class ScorecardPdfView(generic.ObjectPermissionMixin, View):
    model = EvaluationResult

    def get(self, request, pk):
        result = get_object_or_404(self.restricted("view"), pk=pk)
        pdf = scorecard_pdf(result, scorecard(result, request.user))
        name = f"scorecard-{result.enterprise.uscc}-{result.run.year}-run{result.run_id}.pdf"
        return attachment(pdf, name)


class ResultListView(generic.RelatedListView):
    model = EvaluationResult
    filterset_class = filtersets.EvaluationResultFilterSet
    table_class = tables.EvaluationResultTable
    related = ("enterprise", "park", "run", "run__scheme")


SCHEME = views_for(
    Scheme,
    filtersets.SchemeFilterSet,
    tables.SchemeTable,
    forms.SchemeForm,
    pages=("list", "add", "detail", "edit", "delete", "history", "download"),
    detail=SchemeView,
)
RUN = views_for(
    EvaluationRun,
    filtersets.EvaluationRunFilterSet,
    tables.EvaluationRunTable,
    related=("scheme", "version"),
    pages=("list", "add", "detail", "delete", "history"),
    add=RunStartView,
    detail=RunView,
    delete=RunDeleteView,
)
RESULT = views_for(
    EvaluationResult,
    pages=("list", "detail", "edit", "history"),
    list=ResultListView,
    detail=ResultView,
    edit=ClassChangeView,
)

ANNUAL_FLAG = views_for(
    AnnualFlag,
    filtersets.AnnualFlagFilterSet,
    tables.AnnualFlagTable,
    forms.AnnualFlagForm,
    related=("enterprise",),
)
