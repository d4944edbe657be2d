"""Per-mu benefit evaluation (亩均效益综合评价): schemes and their versions, frozen runs and
their results, and the yes/no facts schemes adjust and veto on."""

from functools import cached_property, lru_cache

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beacon.analytics.scheme import Scheme as ParsedScheme
from beacon.analytics.scheme import parse_scheme
from beacon.core.links import object_url
from beacon.core.models import BeaconModel, Recorded, user_field
from beacon.core.validators import validate_year
from beacon.core.versions import RuleFileVersion, VersionedMixin
from beacon.registry.models import Enterprise, Park

from .choices import FlagKind


class Scheme(VersionedMixin, BeaconModel):
    """An evaluation scheme, known by its code; its rules are the YAML of its latest version."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("evaluation:scheme", self.pk)


class SchemeVersion(RuleFileVersion):
    """One saved text of a scheme. Versions are never changed: an edit saves the next one,
    and a run keeps the version it used."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), related_name="versions", on_delete=models.CASCADE
    )

    change_log = Recorded(parent="scheme", exclude=("text",))

    class Meta:
        ordering = ["scheme", "-number"]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "number"],
                name="evaluation_schemeversion_number",
                violation_error_message=_("This scheme already has a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.scheme} v{self.number}"

    @cached_property
    def parsed(self) -> ParsedScheme:
        return parsed_text(self.text)


@lru_cache(maxsize=64)
def parsed_text(text: str) -> ParsedScheme:
    """A version's text parsed once per process: versions are never changed, and a run's
    page reads its scheme's (a fifth of the page's time, parsed on every view)."""
    return parse_scheme(text)


class EvaluationRun(BeaconModel):
    """One evaluation of a year's figures by one scheme version, frozen once made.

    A rerun is a new run; a zone marks one run per scheme and year official.
    """

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), related_name="runs", on_delete=models.PROTECT
    )
    version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        related_name="runs",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    official = models.BooleanField(_("official"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_by = user_field(_("started by"))
    enterprises = models.PositiveIntegerField(_("enterprises evaluated"), default=0)
    rated = models.PositiveIntegerField(_("enterprises rated"), default=0)
    class_counts = models.JSONField(_("class counts"), default=dict)
    benchmarks = models.JSONField(_("benchmarks"), default=dict)
    # per indicator: zone and park mean and median of the value, for the scorecards
    indicator_summary = models.JSONField(_("indicator summary"), default=dict)
    # the park results table as computed, rows in rank order
    park_results = models.JSONField(_("park results"), default=list)
    # the edges of the score histogram's bins, over the run's rated scores (RunChart)
    score_edges = models.JSONField(_("score histogram bins"), default=list)

    change_log = Recorded(include=("official", "note"))

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year"],
                condition=Q(official=True),
                name="evaluation_run_one_official",
                violation_error_message=_("This scheme already has an official run for this year."),
            )
        ]

    def __str__(self):
        return f"{self.scheme} {self.year} #{self.pk}"

    def get_absolute_url(self):
        return object_url("evaluation:evaluationrun", self.pk)


class EvaluationResult(BeaconModel):
    """One enterprise's result in a run: values, points, score, class, rank and the reasons.

    Everything but the final class is frozen with the run; a zone administrator may move an
    enterprise to another class (调档) with a reason, which is logged.
    """

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("run"), related_name="results", on_delete=models.CASCADE
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        related_name="evaluation_results",
        on_delete=models.PROTECT,
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), related_name="evaluation_results", on_delete=models.PROTECT
    )
    rated = models.BooleanField(_("rated"))
    not_rated_reason = models.CharField(_("why not rated"), max_length=300, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # A, B, C, D, or the names a threshold scheme gives its classes
    evaluated_class = models.CharField(_("class as evaluated"), max_length=20, blank=True)
    final_class = models.CharField(pgettext_lazy("evaluation", "class"), max_length=20, blank=True)
    class_change_reason = models.CharField(
        _("reason for the class change"), max_length=300, blank=True
    )
    # {indicator key: value, "<key>_points": points}
    values = models.JSONField(_("indicator values and points"), default=dict)
    adjustment_points = models.FloatField(_("adjustment points"), null=True, blank=True)
    # [{"reason": …, "points": …}] for each adjustment that applied
    adjustments = models.JSONField(_("adjustments"), default=list)
    # the figures the scheme computed with, as evaluated (yuan, mu, tce, t, people)
    figures = models.JSONField(_("figures used"), default=dict)
    veto_reason = models.CharField(_("veto"), max_length=300, blank=True)

    scope_paths = {"park": "park", "enterprise": "enterprise"}

    # the run's frozen output; what changes later, and is logged, is the class
    change_log = Recorded(
        parent="enterprise", include=("final_class", "class_change_reason"), frozen=True
    )

    class Meta:
        # The latest run first, by its id rather than its year and the enterprise's id rather
        # than its code: ordering by either relation would join and sort every result, where
        # evaluation_result_list gives a list's first page as it stands.
        ordering = ["-run_id", "rank", "enterprise_id"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "enterprise"],
                name="evaluation_result_run_enterprise",
                violation_error_message=_("This run already has a result for this enterprise."),
            )
        ]
        indexes = [
            models.Index(fields=["run", "rated", "rank"], name="evaluation_result_rank"),
            models.Index(fields=["-run", "rank", "enterprise"], name="evaluation_result_list"),
            # counts a park officer's results of a run (the list's pages) from the index alone
            models.Index(fields=["run", "park"], name="evaluation_result_run_park"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.run}"

    def get_absolute_url(self):
        return object_url("evaluation:evaluationresult", self.pk)

    @property
    def class_changed(self) -> bool:
        return self.final_class != self.evaluated_class


class RunChart(models.Model):
    """A frozen run's charts drawn over one park's results, or over the whole run's (no
    park): drawn once when the run is stored and again when a class is changed, so a run's
    page reads a few rows, not every score. A park officer's charts add up their parks'."""

    run = models.ForeignKey(EvaluationRun, related_name="charts", on_delete=models.CASCADE)
    park = models.ForeignKey(Park, related_name="+", on_delete=models.CASCADE, null=True)
    results = models.PositiveIntegerField()
    # rated results per bin of the run's score_edges
    score_counts = models.JSONField(default=list)
    # class -> [[land used, taxes per mu], …] of the run's scatter sample
    scatter = models.JSONField(default=dict)

    scope_paths = {"park": "park"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "park"], name="evaluation_runchart_park"),
            models.UniqueConstraint(
                fields=["run"], condition=Q(park=None), name="evaluation_runchart_whole_run"
            ),
        ]

    def __str__(self):
        return f"{self.run_id} {self.park_id or '*'}"


class AnnualFlag(BeaconModel):
    """A yes/no fact about an enterprise in a year, such as a major safety incident, from
    another department's records; schemes test it by its code."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), related_name="flags", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    flag = models.CharField(_("fact"), max_length=40, choices=FlagKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_paths = {"park": "enterprise__park", "enterprise": "enterprise"}

    change_log = Recorded(parent="enterprise")

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("annual fact")
        verbose_name_plural = _("annual facts")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "flag"],
                name="evaluation_annualflag_unique",
                violation_error_message=_("This fact is already recorded for this year."),
            )
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year} {self.get_flag_display()}"

    def get_absolute_url(self):
        return object_url("evaluation:annualflag", self.pk)
