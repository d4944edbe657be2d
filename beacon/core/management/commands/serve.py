from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
    """What makes this installation unfit to serve as production (MLPS level 3 baseline)."""
    from beacon.core.models import User
    from beacon.demo.accounts import DEMO_PASSWORD, DEMO_USERS

    problems = []
    if settings.DEBUG:
        problems.append("DEBUG is on (unset BEACON_DEBUG)")
    superusers = sorted(User.objects.filter(is_superuser=True).values_list("username", flat=True))
    if superusers:
        problems.append(f"superuser accounts exist: {', '.join(superusers)}")
    demo = [
        user.username
        for user in User.objects.filter(username__in=[name for name, _role in DEMO_USERS])
        if user.check_password(DEMO_PASSWORD)
    ]
    if demo:
        problems.append(
            f"demo accounts still have the demo password: {', '.join(demo)} "
            "(run the demo with 'beacon demo', or change or remove these accounts)"
        )
    return problems


def serve(host: str, port: int, threads: int, stdout) -> None:
    from waitress import serve as waitress_serve

    from beacon.wsgi import application

    stdout.write(f"Beacon at http://{host}:{port}/ (data: {settings.BEACON_HOME})")
    stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="Beacon")
