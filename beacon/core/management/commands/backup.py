from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from beacon.core.backup import BackupError, write_backup
from beacon.core.commandline import PASSPHRASE_VARIABLE, backup_passphrase


class Command(BaseCommand):
    help = (
        "Write every table of the database to a new backup file: a zip of one JSON-lines "
        "file per table and a manifest with each table's SHA-256 (docs/security-backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="the new backup file")
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help=f"encrypt with a passphrase from {PASSPHRASE_VARIABLE}, or asked for",
        )

    # The CLI speaks English whatever LANGUAGE_CODE is: scripts parse its messages.
    @no_translations
    def handle(self, *args, out, encrypt, **options):
        passphrase = backup_passphrase(new=True) if encrypt else None
        try:
            summary = write_backup(out, passphrase)
        except BackupError as e:
            raise CommandError(str(e)) from None
        except OSError as e:  # the disk full, the folder gone: no file is left behind
            raise CommandError(f"{out}: {e.strerror}; no backup was written") from None
        sealed = ", encrypted" if summary.encrypted else ""
        self.stdout.write(
            f"{out}: {summary.tables} tables, {summary.rows} rows{sealed}; "
            f"manifest sha256 {summary.sha256}"
        )
