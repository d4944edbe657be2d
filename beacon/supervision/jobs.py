"""Supervision's work in the background. Publishing a league table judges every key project
of the zone, longer than a page should wait on a full zone: the request queues it, and the
worker computes and keeps the table in one transaction (a worker that dies keeps no part of
it); the job links to the table. ``beacon remind --queue`` hands the daily reminders to a
worker the same way; the job's file lists what was sent, as the command prints it."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from beacon.jobs.services import ResultFile, enqueue, job_kind

from . import services
from .models import LeagueTable
from .reminders import remind

PUBLISH_LEAGUE_TABLE = "supervision.publish_league_table"
REMIND = "supervision.remind"


def queue_publish(user, as_of: dt.date):
    """Queue the publishing of the league table as of ``as_of``, for ``user``: the job."""
    label = _("League table as of %(date)s") % {"date": as_of}
    return enqueue(user, PUBLISH_LEAGUE_TABLE, label, as_of=as_of.isoformat())


@job_kind(PUBLISH_LEAGUE_TABLE)
def publish(job, progress, *, as_of: str) -> LeagueTable:
    progress(0, 1, _("Judging the key projects"))
    with transaction.atomic():
        table = services.publish(job.owner, dt.date.fromisoformat(as_of))
    progress(1, 1, _("%(count)s parks") % {"count": len(table.parks)})
    return table


def queue_reminders(user, today: dt.date, dry_run: bool = False):
    """Queue the day's reminders (``beacon remind``) as a job of ``user``."""
    label = _("Reminders of %(date)s") % {"date": today}
    return enqueue(user, REMIND, label, today=today.isoformat(), dry_run=dry_run)


@job_kind(REMIND)
def send(job, progress, *, today: str, dry_run: bool) -> ResultFile:
    progress(0, 1, _("Sending the reminders"))
    lines = remind(dt.date.fromisoformat(today), dry_run)
    progress(1, 1, _("What was sent is listed in the file"))
    content = "".join(f"{line}\n" for line in lines).encode()
    return ResultFile(f"reminders-{today}.txt", content)
