"""Key-project supervision (重点项目督办): projects, milestones with their baseline, monthly
progress reports, issues with owners, and frozen park league tables."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.core.links import object_url
from beacon.core.models import BeaconModel, Recorded, user_field
from beacon.core.versions import RuleFileVersion, VersionedMixin
from beacon.registry.models import Park, amount_field

from .choices import IssueKind, ProjectCategory, ProjectStatus

MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("A month is written YYYY-MM."))
# As much as a total investment holds (18 digits, 2 of them decimals).
MAX_AMOUNT = 10**16 - 1


def validate_monthly_plan(value) -> None:
    """``{"YYYY-MM": amount}`` with amounts from 0; each message names its month."""
    if not isinstance(value, dict):
        raise ValidationError(
            _('Give the plan as an object of months and amounts: {"2024-01": 5000000}.')
        )
    errors = []
    for month, amount in value.items():
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            errors.append(_("%(month)s: a month is written YYYY-MM.") % {"month": month})
        number = isinstance(amount, int | float) and not isinstance(amount, bool)
        if not number or not 0 <= amount <= MAX_AMOUNT:
            errors.append(
                _("%(month)s: the amount is a number from 0 to %(max)s.")
                % {"month": month, "max": MAX_AMOUNT}
            )
    if errors:
        raise ValidationError(errors)


class KeyProject(BeaconModel):
    """A key project: a signed lead carried on from the pipeline, or a project entered
    directly (government, infrastructure)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    lead = models.OneToOneField(
        "promotion.Lead",
        verbose_name=_("signed lead"),
        related_name="key_project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), related_name="key_projects", on_delete=models.PROTECT
    )
    category = models.CharField(
        _("category"), max_length=20, choices=ProjectCategory.choices, default="industrial"
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        related_name="key_projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    total_investment = models.DecimalField(
        _("total investment (yuan)"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # {"2024-01": 5000000, …}: planned investment by month; empty means spread evenly
    monthly_plan = models.JSONField(
        _("planned investment by month"),
        default=dict,
        blank=True,
        validators=[validate_monthly_plan],
    )

    scope_paths = {"park": "park"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return object_url("supervision:keyproject", self.pk)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class ProjectChild(BeaconModel):
    """What is filed under a key project, and reaches the scopes the project reaches."""

    scope_paths = {"park": "project__park"}

    change_log = Recorded(parent="project")

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class Milestone(ProjectChild):
    """A step with its planned and actual dates; the first planned date is kept as the
    baseline when the step is re-planned."""

    project = models.ForeignKey(
        KeyProject,
        verbose_name=_("key project"),
        related_name="milestones",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("milestone"), max_length=100)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["project", "planned_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="supervision_milestone_name",
                violation_error_message=_("This project already has a milestone of this name."),
            )
        ]

    def __str__(self):
        return f"{self.project.code} {self.name}"

    def save(self, *args, **kwargs):
        # the plan as first made stays the baseline, whatever is re-planned later
        if self.baseline_date is None:
            self.baseline_date = self.planned_date
        super().save(*args, **kwargs)


class ProgressReport(ProjectChild):
    """A month's report: cumulative investment completed, physical progress, people on site."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("key project"), related_name="reports", on_delete=models.CASCADE
    )
    month = models.CharField(_("month"), max_length=7, validators=[MONTH])
    investment_completed = amount_field(_("investment completed to date (yuan)"))
    physical_progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    workforce = models.PositiveIntegerField(_("workforce on site"), null=True, blank=True)
    text = models.TextField(_("progress"), blank=True)

    class Meta:
        ordering = ["project", "-month"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="supervision_report_month",
                violation_error_message=_("This project already has a report for this month."),
            )
        ]

    def __str__(self):
        return f"{self.project.code} {self.month}"


class ProjectIssue(ProjectChild):
    """A blocker with the unit that owns it, a due date and its resolution."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("key project"), related_name="issues", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IssueKind.choices)
    description = models.TextField(_("description"))
    owner_unit = models.CharField(_("owning unit"), max_length=200)
    due_date = models.DateField(_("due date"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "due_date", "pk"]
        verbose_name = _("project issue")
        verbose_name_plural = _("project issues")

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"


class StatusRules(VersionedMixin, BeaconModel):
    """A status rule file (the condition language of the evaluation schemes) kept as
    numbered versions; the set in force, its latest version, colours every project."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    in_force = models.BooleanField(
        _("in force"),
        default=False,
        help_text=_("The rules every project's status and the league tables follow."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("status rules")
        verbose_name_plural = _("status rules")
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"],
                condition=models.Q(in_force=True),
                name="supervision_statusrules_one_in_force",
                violation_error_message=_("Another set of status rules is in force."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return object_url("supervision:statusrules", self.pk)

    def save(self, *args, **kwargs):
        if self.in_force:
            # one set is in force: the one before is taken out, and that is logged too
            for before in StatusRules.objects.filter(in_force=True).exclude(pk=self.pk):
                before.in_force = False
                before.save(update_fields=["in_force", "updated"])
        super().save(*args, **kwargs)


class StatusRuleVersion(RuleFileVersion):
    """One saved text of a status rule file; never changed."""

    rules = models.ForeignKey(
        StatusRules,
        verbose_name=_("status rules"),
        related_name="versions",
        on_delete=models.CASCADE,
    )

    change_log = Recorded(parent="rules", exclude=("text",))

    class Meta:
        ordering = ["rules", "-number"]
        verbose_name = _("status rule version")
        verbose_name_plural = _("status rule versions")
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "number"],
                name="supervision_statusruleversion_number",
                violation_error_message=_("These rules already have a version with this number."),
            )
        ]

    def __str__(self):
        return f"{self.rules.code} v{self.number}"


class LeagueTable(BeaconModel):
    """A park league table as of a date, frozen when published: later edits to projects
    do not change it; publishing again makes a new one."""

    as_of = models.DateField(_("as of"))
    parks = models.JSONField(_("parks"), default=list)
    projects = models.JSONField(_("projects"), default=list)
    rules = models.TextField(_("status rules (YAML)"))
    rule_version = models.ForeignKey(
        StatusRuleVersion,
        verbose_name=_("status rule version"),
        related_name="league_tables",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    published_by = user_field(_("published by"))

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("league table")
        verbose_name_plural = _("league tables")

    def __str__(self):
        return f"{self.as_of} #{self.pk}"

    def get_absolute_url(self):
        return object_url("supervision:leaguetable", self.pk)


class CurrentStatus(models.Model):
    """A key project's status as of a day (today, when kept fresh), kept so that pages read
    it instead of judging every project: what the status rules in force give over the
    project's inputs, recomputed in the transaction of every write to them, and for every
    project once the day moves on (``beacon.supervision.current``). Read it through the
    project (``restrict`` on KeyProject): it reaches the scopes the project reaches."""

    project = models.OneToOneField(
        KeyProject,
        verbose_name=_("key project"),
        related_name="current_status",
        on_delete=models.CASCADE,
        primary_key=True,
    )
    as_of = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=5, choices=ProjectStatus.choices)
    # 0 red, 1 amber, 2 green: the supervision list's worst-first order, in SQL
    severity = models.PositiveSmallIntegerField(_("severity"))
    lag_points = models.FloatField(_("lag (points)"), null=True)
    reasons = models.JSONField(_("reasons"), default=list)
    escalate = models.BooleanField(_("escalated"), default=False)
    # what the park league table adds up, as the rules computed it
    milestones_due = models.IntegerField(_("milestones due"))
    milestones_on_time = models.IntegerField(_("milestones on time"))
    completed_investment = models.FloatField(_("investment completed (yuan)"))
    planned_investment = models.FloatField(_("investment planned to date (yuan)"))

    class Meta:
        verbose_name = _("current status")
        verbose_name_plural = _("current statuses")

    def __str__(self):
        return f"{self.project_id} {self.status} {self.as_of}"


class StatusRefresh(models.Model):
    """The one row saying as of which day, and by which rules (a digest of their text),
    every project's current status was last judged at once. A page that finds another day
    or other rules judges them all again; the row is also the lock two processes take
    before judging, so they do not both do it, nor a write and a full pass cross."""

    as_of = models.DateField(_("as of"))
    rules_digest = models.CharField(_("rules digest"), max_length=64)

    class Meta:
        verbose_name = _("status refresh")
        verbose_name_plural = _("status refreshes")

    def __str__(self):
        return f"{self.as_of} {self.rules_digest[:8]}"
