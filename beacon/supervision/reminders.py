"""Reminders: what a user has to do or to chase, as of a day.

Officers reaching projects park by park are reminded of the reports due for the last
complete month and of their issues past due; a project with a responsible officer reminds
that officer only. Users who reach the issues of the whole zone (the zone administration)
get the escalations instead: every issue past due, and every project the status rules
escalate (red at three month-ends running). The in-app list and ``beacon remind``'s emails
are the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from beacon.core.choices import ScopeKind
from beacon.core.models import User
from beacon.core.permissions import can, restrict, scope_kinds

from .current import on_day
from .models import KeyProject, ProgressReport, ProjectIssue


@dataclass(frozen=True)
class Reminder:
    kind: str  # report_due | issue_overdue | escalated
    project: KeyProject
    text: str
    due: dt.date
    url: str


def last_complete_month(today: dt.date) -> tuple[str, dt.date]:
    """The month a report is due for on ``today`` (YYYY-MM) and its last day."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return f"{end:%Y-%m}", end


def escalates_to(user) -> bool:
    """Whether ``user`` reaches the issues of the whole zone, so escalations go to them."""
    return ScopeKind.ZONE in scope_kinds(user, ProjectIssue, "change")


def reminders_for(user, today: dt.date) -> list[Reminder]:
    """The user's reminders as of ``today``, the oldest due first."""
    if escalates_to(user):
        found = _escalations(user, today)
    else:
        found = _reports_due(user, today) + _issues_overdue(user, today)
    return sorted(found, key=lambda r: (r.due, r.project.code, r.kind))


def _theirs(queryset, user, path: str = ""):
    # a project with a responsible officer is that officer's; one without is everyone's
    return queryset.filter(Q(**{f"{path}officer": user}) | Q(**{f"{path}officer": None}))


def _reports_due(user, today: dt.date) -> list[Reminder]:
    if not can(user, ProgressReport, "add"):
        return []
    month, month_end = last_complete_month(today)
    projects = _theirs(restrict(KeyProject.objects.all(), user, "view"), user).filter(
        start_date__lte=month_end, end_date__gte=month_end.replace(day=1)
    )
    missing = projects.exclude(reports__month=month).select_related("park")
    return [
        Reminder(
            "report_due",
            project,
            _("Monthly report for %(month)s due: %(project)s")
            % {"month": month, "project": project},
            month_end,
            project.get_absolute_url(),
        )
        for project in missing
    ]


def _overdue(user, today: dt.date):
    return (
        restrict(ProjectIssue.objects.all(), user, "view")
        .filter(resolved_on__isnull=True, due_date__lt=today)
        .select_related("project")
    )


def _issue_reminder(issue: ProjectIssue, kind: str, today: dt.date) -> Reminder:
    return Reminder(
        kind,
        issue.project,
        _("Issue overdue by %(days)s days (%(owner)s): %(issue)s — %(project)s")
        % {
            "days": (today - issue.due_date).days,
            "owner": issue.owner_unit,
            "issue": issue.description,
            "project": issue.project,
        },
        issue.due_date,
        issue.project.get_absolute_url(),
    )


def _issues_overdue(user, today: dt.date) -> list[Reminder]:
    issues = _theirs(_overdue(user, today), user, "project__")
    return [_issue_reminder(issue, "issue_overdue", today) for issue in issues]


def _escalations(user, today: dt.date) -> list[Reminder]:
    found = [_issue_reminder(issue, "escalated", today) for issue in _overdue(user, today)]
    for project in on_day(user, today, restrict(KeyProject.objects.all(), user)):
        if not project.current_status.escalate:
            continue
        found.append(
            Reminder(
                "escalated",
                project,
                _("Red for three months running: %(project)s") % {"project": project},
                today,
                project.get_absolute_url(),
            )
        )
    return found


def send_reminders(users, today: dt.date) -> list[tuple[str, int]]:
    """Email each user with an address their reminders, one message each; (address, count)
    for every message sent."""
    sent = []
    for user in users:
        if not user.email:
            continue
        found = reminders_for(user, today)
        if not found:
            continue
        lines = [f"- {r.text} ({r.due:%Y-%m-%d})" for r in found]
        send_mail(
            _("Beacon: %(count)s reminders") % {"count": len(found)},
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sent.append((user.email, len(found)))
    return sent


def remind(today: dt.date, dry_run: bool = False) -> list[str]:
    """What ``beacon remind`` does, daily: email every active user with an address their
    reminders (only list them on a dry run or without a mail server); the lines it reports,
    in the zone's language."""
    users = User.objects.filter(is_active=True).exclude(email="").order_by("username")
    lines = []
    with translation.override(settings.LANGUAGE_CODE):
        if dry_run or not settings.EMAIL_HOST:
            if not dry_run:
                lines.append("No mail server (BEACON_EMAIL_HOST): nothing sent.")
            for user in users:
                count = len(reminders_for(user, today))
                if count:
                    lines.append(f"{user.username} <{user.email}>: {count} reminders")
            return lines
        sent = send_reminders(users, today)
    lines.extend(f"sent {count} reminders to {address}" for address, count in sent)
    lines.append(f"{len(sent)} messages sent")
    return lines
