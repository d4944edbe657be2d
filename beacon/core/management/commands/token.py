from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from beacon.core import gate
from beacon.core.api.authentication import when
from beacon.core.commandline import acting_user
from beacon.core.models import ApiToken, User

COLUMNS = ("id", "prefix", "user", "state", "created", "expires", "last used", "revoked")


def days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError(f"{text!r} is not a number of days (1 or more)")
    return int(text)


class Command(BaseCommand):
    help = (
        "Manage API tokens: 'token create USERNAME [--days N]' prints a new token once (only "
        "its hash is kept), 'token list [USERNAME]' lists tokens without their secret, "
        "'token revoke ID' stops one."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="issue a token and print it")
        create.add_argument("username")
        create.add_argument("--description", default="")
        create.add_argument("--days", type=days, help="valid for N days (BEACON_TOKEN_DAYS)")
        listing = sub.add_parser("list", help="list the tokens, of one user or of everyone")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its id (from 'token list')")
        revoke.add_argument("token_id", metavar="ID", type=int)

    def handle(self, *args, verb, **options):
        getattr(self, verb)(**options)

    def create(self, *, username, description, days, **options):
        user = acting_user(username)
        assert user is not None  # the username is a required argument
        # The command line's own write (no user's scope), in the change log like any other.
        token, key = gate.write(None, "add", lambda: ApiToken.issue(user, description, days))
        # Only the key on standard output, so that `$(beacon token create …)` is the key.
        self.stdout.write(key)
        self.stderr.write(
            f"token {token.pk} ({token}) of {user.username} expires {when(token.expires)}",
            style_func=lambda text: text,
        )

    def list(self, *, username, **options):
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"unknown user {username!r}")
            tokens = tokens.filter(user=user)
        rows = [COLUMNS] + [
            (
                str(token.pk),
                token.prefix,
                token.user.username,
                token.state,
                when(token.created),
                when(token.expires),
                when(token.last_used) if token.last_used else "-",
                when(token.revoked) if token.revoked else "-",
            )
            for token in tokens
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
        for row in rows:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )

    def revoke(self, *, token_id, **options):
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"unknown token {token_id} (see 'beacon token list')")
        if token.revoked is not None:
            self.stdout.write(f"token {token_id} ({token}) was revoked on {when(token.revoked)}")
            return
        token.revoked = timezone.now()
        gate.save(None, token, "change")
        self.stdout.write(f"revoked token {token_id} ({token}) of {token.user.username}")
