"""Status and league tables over the database: the projects in a user's scope as the frames
``beacon supervise`` reads, and the same ``status`` function."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction

from beacon.analytics import supervision as engine
from beacon.core.changelog import acting_as
from beacon.core.permissions import restrict

from .models import KeyProject, LeagueTable, Milestone, ProgressReport


def frames(projects) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Projects, milestones, reports and monthly plans in the batch command's columns."""
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
            for c, n, p, a in Milestone.objects.filter(project__in=projects).values_list(
                "project__code", "name", "planned_date", "actual_date"
            )
        ],
        schema={"project_id": text, "milestone": text, "planned_date": text, "actual_date": text},
        orient="row",
    )
    reports = pl.DataFrame(
        [
            [c, m, None if v is None else str(v)]
            for c, m, v in ProgressReport.objects.filter(project__in=projects).values_list(
                "project__code", "month", "investment_completed"
            )
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


def project_status(user, as_of: dt.date, rules=engine.DEFAULT_RULES) -> dict:
    """The status of the key projects ``user`` may see, and their parks' league table."""
    projects = restrict(KeyProject.objects.all(), user)
    project_frame, milestones, reports, plan = frames(projects)
    return engine.status(
        project_frame, milestones, reports, as_of, rules, plan if plan.height else None
    )


def publish(user, as_of: dt.date) -> LeagueTable:
    """Freeze the zone's league table as of a date (a new one each time)."""
    result = project_status(user, as_of)
    with transaction.atomic(), acting_as(user):
        return LeagueTable.objects.create(
            as_of=as_of,
            parks=result["parks"],
            projects=result["projects"],
            rules=engine.DEFAULT_RULES_TEXT,
            published_by=user,
        )
