from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Beacon with waitress (production: no demo data; DEBUG stays off)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        serve(host, port, threads, self.stdout)


def serve(host: str, port: int, threads: int, stdout) -> None:
    from waitress import serve as waitress_serve

    from beacon.wsgi import application

    stdout.write(f"Beacon at http://{host}:{port}/ (data: {settings.BEACON_HOME})")
    stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="Beacon")
