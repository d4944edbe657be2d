import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection

from beacon.core.backup import BackupError, open_backup, restore
from beacon.core.commandline import backup_passphrase


class Command(BaseCommand):
    help = (
        "Replace every row of the database with a backup's, in one transaction. The whole "
        "file is checked first (checksums, passphrase, migrations); the restore is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="replace without asking")
        parser.add_argument(
            "--check",
            action="store_true",
            help="check the file and that it fits this database; write nothing",
        )

    # The CLI speaks English whatever LANGUAGE_CODE is: scripts parse its messages.
    @no_translations
    def handle(self, *args, file, yes, check, **options):
        try:
            with open_backup(file, lambda: backup_passphrase(new=False)) as backup:
                backup.verify()
                backup.check_fits()
                s = backup.summary
                self.stdout.write(
                    f"{file}: backup of {s.taken.isoformat()}, {s.tables} tables, {s.rows} rows"
                    f"{', encrypted' if s.encrypted else ''}; manifest sha256 {s.sha256}; "
                    "every checksum verified"
                )
                if check:
                    return
                if not yes:
                    self.confirm()
                record = restore(backup)
        except BackupError as e:
            raise CommandError(f"{e}; nothing was restored") from None
        self.stdout.write(f"restored {s.rows} rows into {self.database()} ({record.note})")

    def database(self) -> str:
        return f"{connection.vendor} database {connection.settings_dict['NAME']}"

    def confirm(self) -> None:
        question = f"Replace every row of the {self.database()} with the backup's? Type yes: "
        if not sys.stdin.isatty():
            raise CommandError(f"{question.split('?')[0]}? Add --yes (no terminal to ask at)")
        if input(question).strip().lower() != "yes":
            raise CommandError("nothing was restored")
