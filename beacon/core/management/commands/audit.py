import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection, transaction
from django.utils.translation import gettext as _

from beacon.core import audit


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("--before: %(value)s is not a date (YYYY-MM-DD)") % {"value": text}
        ) from error


class Command(BaseCommand):
    help = (
        "The audit logs: verify their hash chains, archive rows older than the retention "
        "period, the PostgreSQL runtime role's grants."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser(
            "verify", help="walk each log's hash chain and name the first broken row"
        )
        verify.add_argument(
            "--archive", type=Path, action="append", default=[], help="verify an archive file"
        )
        archive = sub.add_parser(
            "archive", help="move the rows before a date to a file and remove them"
        )
        archive.add_argument("--before", required=True, type=iso_date, metavar="YYYY-MM-DD")
        archive.add_argument("--out", type=Path)
        sub.add_parser("guard", help="put back the triggers that keep the logs append-only")
        grant = sub.add_parser(
            "grant-runtime",
            help="print (or with --apply, run) the GRANTs of the role the application connects as",
        )
        grant.add_argument("role")
        grant.add_argument("--apply", action="store_true", help="run the statements now")

    @no_translations  # the command line speaks English, like every other command
    def handle(self, *args, verb, **options):
        getattr(self, verb.replace("-", "_"))(**options)

    def verify(self, archive, **options):
        if archive:
            try:
                reports = [r for path in archive for r in audit.verify_archive(path)]
            except (OSError, audit.ArchiveRefused) as error:
                raise CommandError(str(error)) from error
        else:
            reports = audit.verify()
            for table in audit.missing_guards():
                raise CommandError(
                    _(
                        "%(table)s: its append-only triggers are missing (a migration rebuilt "
                        "the table?); put them back with 'beacon audit guard'"
                    )
                    % {"table": table}
                )
        for report in reports:
            if report.broken:
                raise CommandError(_("broken: %(where)s") % {"where": report.broken})
        for report in reports:
            self.stdout.write(
                _("%(table)s: %(rows)s rows, chain whole, last hash %(head)s")
                % {"table": report.table, "rows": report.rows, "head": report.head}
            )

    def archive(self, before, out, **options):
        out = out or Path(settings.BEACON_HOME) / f"audit-archive-{before.isoformat()}.jsonl"
        try:
            counts = audit.archive(before, out)
        except audit.ArchiveRefused as error:
            raise CommandError(str(error)) from error
        for table, rows in counts.items():
            self.stdout.write(
                _("%(table)s: %(rows)s rows archived") % {"table": table, "rows": rows}
            )
        self.stdout.write(_("written to %(file)s") % {"file": out})

    def guard(self, **options):
        audit.guard(connection, audit.GUARDED)

    def grant_runtime(self, role, apply, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                _("grant-runtime is for PostgreSQL: SQLite has no roles (its triggers still hold).")
            )
        statements = audit.runtime_grants(role)
        if apply:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        for statement in statements:
            self.stdout.write(f"{statement};")
