from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from beacon.core import audit


class Command(BaseCommand):
    help = "The audit logs: the PostgreSQL runtime role's grants."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        grant = sub.add_parser(
            "grant-runtime",
            help="print (or with --apply, run) the GRANTs of the role the application connects as",
        )
        grant.add_argument("role")
        grant.add_argument("--apply", action="store_true", help="run the statements now")

    def handle(self, *args, verb, **options):
        getattr(self, verb.replace("-", "_"))(**options)

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
