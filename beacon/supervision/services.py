"""Status and league tables over the database: the projects in a user's scope as the frames
``beacon supervise`` reads, and the same ``status`` function."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from beacon.analytics import supervision as engine
from beacon.core import gate
from beacon.core.permissions import restrict
from beacon.promotion.choices import Stage
from beacon.promotion.models import Lead

from .choices import DEFAULT_MILESTONES
from .models import KeyProject, LeagueTable, Milestone, StatusRules
from .shipped_rules import shipped_rules_text

# The earliest day a status is computed for: escalation looks back two month-ends.
FIRST_DAY = dt.date(1900, 1, 1)
# A project started from a lead without a known end is planned over two years.
DEFAULT_SPAN = dt.timedelta(days=730)


def free_signed_leads(project: KeyProject | None = None):
    """The signed leads that may become ``project`` (a new one if None): those no other key
    project carries on."""
    free = Lead.objects.projects().filter(key_project__isnull=True)
    if project is not None and project.lead_id:
        free = free | Lead.objects.filter(pk=project.lead_id)
    return free


def check_lead(lead, project: KeyProject | None = None) -> None:
    """ValidationError unless ``lead`` may become ``project``: a signed lead, no other
    project's (code "unique", a clash)."""
    if not Lead.objects.projects().filter(pk=lead.pk).exists():
        raise ValidationError(
            _("Lead %(lead)s is not signed: only a signed lead becomes a key project.")
            % {"lead": lead.pk}
        )
    if not free_signed_leads(project).filter(pk=lead.pk).exists():
        raise ValidationError(
            _("Lead %(lead)s is already a key project.") % {"lead": lead.pk}, code="unique"
        )


def open_key_project(project: KeyProject, user) -> KeyProject:
    """The one way a key project is made (from the form, the API, or a signed lead's panel):
    saved through the write gate with the default milestones, its status judged once."""
    from .current import judged_once  # current judges with this module's frames

    def work():
        with judged_once():
            project.save()
            plan_default_milestones(project)
        return project

    return gate.write(user, "add", work)


def plan_default_milestones(project: KeyProject) -> None:
    """Give a project without milestones the default ones, planned evenly over its span,
    named in the zone's language whoever makes the project."""
    if project.milestones.exists():
        return
    span = (project.end_date - project.start_date).days
    steps = len(DEFAULT_MILESTONES) + 1
    with translation.override(settings.LANGUAGE_CODE):
        for i, name in enumerate(DEFAULT_MILESTONES, start=1):
            Milestone.objects.create(
                project=project,
                name=str(name),
                planned_date=project.start_date + dt.timedelta(days=span * i // steps),
            )


def signed_on(lead) -> dt.date:
    """The date the lead was (last) signed, or the date of its current stage."""
    change = lead.stage_changes.filter(stage=Stage.SIGNED).order_by("-date").first()
    return change.date if change else lead.stage_date


def lead_defaults(lead) -> dict:
    """A key project's fields as the signed lead gives them (the hand-off from promotion)."""
    start = signed_on(lead)
    return {
        "lead": lead.pk,
        "code": f"KP-{start.year}-{lead.pk}",
        "name": lead.project,
        "park": lead.proposed_park_id,
        "category": "industrial",
        "total_investment": lead.planned_investment,
        "start_date": start,
        "end_date": start + DEFAULT_SPAN,
    }


def frames(projects) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Projects, milestones, reports and monthly plans in the batch command's columns (of
    the models ``projects`` is of: a migration passes its own)."""
    related = projects.model._meta
    milestone_model = related.get_field("milestones").related_model
    report_model = related.get_field("reports").related_model
    rows = list(
        projects.order_by("code").values_list(
            "code", "name", "park__code", "total_investment", "start_date", "end_date", "category"
        )
    )
    text = pl.String
    project_frame = pl.DataFrame(
        [[c, n, p, str(t), s.isoformat(), e.isoformat(), k] for c, n, p, t, s, e, k in rows],
        schema={
            "project_id": text,
            "name": text,
            "park": text,
            "total_investment": text,
            "start_date": text,
            "end_date": text,
            "category": text,
        },
        orient="row",
    )
    milestones = pl.DataFrame(
        [
            [c, n, p.isoformat(), a.isoformat() if a else None]
            for c, n, p, a in milestone_model.objects.filter(project__in=projects).values_list(
                "project__code", "name", "planned_date", "actual_date"
            )
        ],
        schema={"project_id": text, "milestone": text, "planned_date": text, "actual_date": text},
        orient="row",
    )
    reports = pl.DataFrame(
        [
            [c, m, str(v)]
            # a report filed without the investment figure gives none to judge by
            for c, m, v in report_model.objects.filter(
                project__in=projects, investment_completed__isnull=False
            ).values_list("project__code", "month", "investment_completed")
        ],
        schema={"project_id": text, "month": text, "investment_completed": text},
        orient="row",
    )
    plan = pl.DataFrame(
        [
            [code, month, str(amount)]
            for code, monthly in projects.values_list("code", "monthly_plan")
            for month, amount in (monthly or {}).items()
        ],
        schema={"project_id": text, "month": text, "planned_investment": text},
        orient="row",
    )
    return project_frame, milestones, reports, plan


def rule_version_in_force():
    """The latest version of the status rules in force, or None (then the shipped
    defaults apply)."""
    rules = StatusRules.objects.filter(in_force=True).first()
    return None if rules is None else rules.current


def rules_in_force() -> tuple:
    """(version or None, the rule file's text) that status follows now."""
    version = rule_version_in_force()
    if version is None:
        return None, shipped_rules_text(settings.LANGUAGE_CODE)
    return version, version.text


def check_rules_text(text: str) -> engine.RuleSet:
    """Parse a status rule file and check its fields against what every project has here
    (RuleError naming the line): the same check a status computation makes."""
    rules = engine.parse_rules(text)
    project_frame, milestones, reports, _plan = frames(KeyProject.objects.none())
    engine.status(project_frame, milestones, reports, dt.date.today(), rules)
    return rules


def project_status(user, as_of: dt.date, rules: str | None = None, projects=None) -> dict:
    """The status of the key projects ``user`` may see (of ``projects``, where given), and
    their parks' league table, by ``rules`` (a rule file's text) or the rules in force."""
    if rules is None:
        rules = rules_in_force()[1]
    projects = restrict(KeyProject.objects.all() if projects is None else projects, user)
    project_frame, milestones, reports, plan = frames(projects)
    return engine.status(
        project_frame, milestones, reports, as_of, rules, plan if plan.height else None
    )


def publish(user, as_of: dt.date) -> LeagueTable:
    """Freeze the zone's league table as of a date, with the rules it followed (a new
    table each time)."""
    version, text = rules_in_force()
    result = project_status(user, as_of, text)
    table = LeagueTable(
        as_of=as_of,
        parks=result["parks"],
        projects=result["projects"],
        rules=text,
        rule_version=version,
        published_by=user,
    )
    return gate.save(user, table)
