import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from beacon.core.models import User
from beacon.supervision.jobs import queue_reminders
from beacon.supervision.reminders import remind


class Command(BaseCommand):
    help = (
        "Email every user with an address their reminders: reports due, issues overdue and, "
        "to the zone administration, escalations. Run it daily (cron); without "
        "BEACON_EMAIL_HOST it only lists what it would send. With --queue, a worker does it "
        "as a job of --user (the first active zone administrator by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day (YYYY-MM-DD), today by default")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")
        parser.add_argument(
            "--queue", action="store_true", help="queue it for a worker; print the job's id"
        )
        parser.add_argument(
            "--user",
            help="with --queue, the user who owns the job (first active zone administrator "
            "by default)",
        )

    def handle(self, *args, as_of=None, dry_run=False, queue=False, user=None, **options):
        try:
            today = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of {as_of!r}: a date is written YYYY-MM-DD") from None
        if user and not queue:
            raise CommandError("--user names the owner of a queued job: give --queue too")
        if queue:
            job = queue_reminders(self.owner(user), today, dry_run=dry_run)
            self.stdout.write(str(job.pk))
            return
        for line in remind(today, dry_run):
            self.stdout.write(line)

    def owner(self, username: str | None) -> User:
        active = User.objects.filter(is_active=True)
        if username:
            try:
                return active.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"--user {username!r}: no such active user") from None
        admin = active.filter(role__code="zone_admin").order_by("pk").first()
        if admin is None:
            raise CommandError("no active zone administrator to own the job: give --user")
        return admin
