import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beacon.core.changelog import bulk_create_logged
from beacon.core.models import Role, ScopeGrant, User
from beacon.core.scopes import resolve_scope


class Command(BaseCommand):
    help = (
        "Create a user with a role and, for scoped roles, the parks (or other objects) it reaches."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role", required=True, help="role code, e.g. zone_admin, park_officer"
        )
        parser.add_argument(
            "--park", action="append", default=[], metavar="CODE", help="park code (repeatable)"
        )
        parser.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="CODE",
            help="promotion team code (repeatable): the user is a member and reaches its leads",
        )
        parser.add_argument(
            "--enterprise", metavar="USCC", help="the enterprise of an enterprise user"
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="the password (default: asked for; BEACON_PASSWORD is read too)"
        )

    def handle(self, *args, username, role, park, team, enterprise, email, password, **options):
        import os

        try:
            role_obj = Role.objects.get(code=role)
        except Role.DoesNotExist:
            codes = ", ".join(Role.objects.values_list("code", flat=True))
            raise CommandError(f"unknown role {role!r}; roles are: {codes}") from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        grants = [("park", code) for code in park] + [("team", code) for code in team]
        if enterprise:
            grants.append(("enterprise", enterprise))
        resolved = []
        for kind, key in grants:
            obj_id = resolve_scope(kind, key)
            if obj_id is None:
                raise CommandError(f"unknown {kind} {key!r}")
            resolved.append((kind, obj_id))
        password = password or os.environ.get("BEACON_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
        user = User(username=username, email=email, role=role_obj, is_staff=role_obj.staff)
        try:
            validate_password(password, user)
        except ValidationError as refused:
            raise CommandError(f"password refused: {' '.join(refused.messages)}") from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            bulk_create_logged(
                ScopeGrant,
                [ScopeGrant(user=user, kind=kind, object_id=obj_id) for kind, obj_id in resolved],
            )
        self.stdout.write(f"created {username} ({role_obj.code})")
