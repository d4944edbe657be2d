from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beacon.core.models import User
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
            actor = (
                User.objects.filter(username=user, is_active=True).select_related("role").first()
            )
            if actor is None:
                raise CommandError(f"unknown user {user!r}")
            queryset = restrict(queryset, actor, "view")
        count = queryset.count()
        out.write_bytes(write_table(format, resource.headers, resource.export_rows(queryset), kind))
        self.stdout.write(f"{count} rows written to {out}")
