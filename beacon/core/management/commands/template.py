from pathlib import Path

from django.core.management.base import BaseCommand

from beacon.core.resources import get_resource, resource_kinds
from beacon.core.tabular import write_table


class Command(BaseCommand):
    help = "Write an empty import template: the header row and one example row."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=resource_kinds(importable_only=True))
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--format", choices=["xlsx", "csv"], help="default: from the file name")

    def handle(self, *args, kind, out, format, **options):
        resource = get_resource(kind)
        fmt = format or ("csv" if out.suffix.lower() == ".csv" else "xlsx")
        out.write_bytes(write_table(fmt, resource.headers, [resource.example_row()], kind))
        self.stdout.write(f"template for {kind} written to {out}")
