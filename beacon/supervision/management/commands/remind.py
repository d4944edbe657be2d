import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from beacon.core.models import User
from beacon.supervision.reminders import reminders_for, send_reminders


class Command(BaseCommand):
    help = (
        "Email every user with an address their reminders: reports due, issues overdue and, "
        "to the zone administration, escalations. Run it daily (cron); without "
        "BEACON_EMAIL_HOST it only lists what it would send."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day (YYYY-MM-DD), today by default")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args, as_of=None, dry_run=False, **options):
        try:
            today = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of {as_of!r}: a date is written YYYY-MM-DD") from None
        users = User.objects.filter(is_active=True).exclude(email="").order_by("username")
        with translation.override(settings.LANGUAGE_CODE):
            if dry_run or not settings.EMAIL_HOST:
                if not dry_run:
                    self.stdout.write("No mail server (BEACON_EMAIL_HOST): nothing sent.")
                for user in users:
                    count = len(reminders_for(user, today))
                    if count:
                        self.stdout.write(f"{user.username} <{user.email}>: {count} reminders")
                return
            sent = send_reminders(users, today)
        for address, count in sent:
            self.stdout.write(f"sent {count} reminders to {address}")
        self.stdout.write(f"{len(sent)} messages sent")
