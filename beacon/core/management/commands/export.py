from pathlib import Path

from django.core.management.base import BaseCommand

from beacon.core.commandline import acting_user
from beacon.core.permissions import restrict
from beacon.core.resources import get_resource, resource_kinds
from beacon.core.tabular import write_table


class Command(BaseCommand):
    help = "Export a kind of record to XLSX or CSV, with the same columns an import takes."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=resource_kinds())
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--user", help="export what this user may see")

    def handle(self, *args, kind, format, out, user, **options):
        resource = get_resource(kind)
        queryset = resource.model.objects.all()
        if user:
            queryset = restrict(queryset, acting_user(user), "view")
        count = queryset.count()
        out.write_bytes(write_table(format, resource.headers, resource.export_rows(queryset), kind))
        self.stdout.write(f"{count} rows written to {out}")
