from django.core.management.base import BaseCommand, CommandError

from beacon.core.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Manage API tokens. 'token create USERNAME' prints a new token once; only its hash is kept."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="issue a token and print it")
        create.add_argument("username")
        create.add_argument("--description", default="")

    def handle(self, *args, verb, username, description="", **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"unknown user {username!r}") from None
        _token, key = ApiToken.issue(user, description)
        self.stdout.write(key)
