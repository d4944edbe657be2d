import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from beacon.core.changelog import acting_as
from beacon.core.commandline import acting_user
from beacon.core.resources import get_resource, resource_kinds
from beacon.core.tabular import SpreadsheetError, read_sheet


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file. The whole file is checked first; any problem is printed "
        "as 'row N, column X: reason' on stderr, nothing is written and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=resource_kinds(importable_only=True))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--encoding",
            metavar="NAME",
            help="a CSV file's text encoding (e.g. big5); by default UTF-8 or GB18030, and a "
            "file in neither is refused",
        )
        parser.add_argument(
            "--user", help="import as this user: their scope applies and the change log names them"
        )

    # The CLI speaks English whatever LANGUAGE_CODE is: scripts parse its messages.
    @no_translations
    def handle(self, *args, kind, file, dry_run, user, encoding, **options):
        actor = acting_user(user)
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"{file}: {e.strerror}") from None
        try:
            sheet = read_sheet(data, encoding)
        except SpreadsheetError as e:
            self.stderr.write(f"{file}: {e}")
            sys.exit(1)
        resource = get_resource(kind)
        with acting_as(actor):
            result = resource.run(sheet, user=actor, dry_run=dry_run)
        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            self.stderr.write(f"{len(result.errors)} problem(s); nothing was written")
            sys.exit(1)
        prefix = "dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + result.summary())
