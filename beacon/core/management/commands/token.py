from django.core.management.base import BaseCommand

from beacon.core.commandline import acting_user
from beacon.core.models import ApiToken


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
        user = acting_user(username)
        assert user is not None  # the username is a required argument
        _token, key = ApiToken.issue(user, description)
        self.stdout.write(key)
