from typing import cast

from django.conf import settings
from django.core.checks import run_checks
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from beacon.core.checks import PRODUCTION


class Command(BaseCommand):
    help = (
        "Serve Beacon with waitress for production: refuses to start with DEBUG on, with a "
        "superuser, or with a demo account that still has the demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        problems = production_problems()
        if problems:
            raise CommandError("not serving in production:\n  " + "\n  ".join(problems))
        serve(host, port, threads, self.stdout)


def production_problems() -> list[str]:
    """What makes this installation unfit to serve as production: what every app's
    production checks report, ordered by check id (the check registry is a set)."""
    found = run_checks(
        tags=[PRODUCTION], include_deployment_checks=True, databases=[DEFAULT_DB_ALIAS]
    )
    return [
        f"{message.msg} ({message.hint})" if message.hint else message.msg
        # str: every production check gives its messages an id
        for message in sorted(found, key=lambda message: cast(str, message.id))
    ]


def serve(host: str, port: int, threads: int, stdout) -> None:
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    application = get_wsgi_application()

    stdout.write(f"Beacon at http://{host}:{port}/ (data: {settings.BEACON_HOME})")
    stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="Beacon")
