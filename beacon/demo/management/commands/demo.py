import signal
import subprocess  # nosec B404
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from beacon.chains.services import load_templates
from beacon.core.management.commands.serve import serve
from beacon.core.models import User
from beacon.demo.accounts import DEMO_PASSWORD, demo_accounts
from beacon.demo.evaluation import build_demo_evaluation
from beacon.demo.promotion import build_demo_promotion
from beacon.demo.supervision import build_demo_supervision
from beacon.demo.writer import build_demo_zone, zone_is_empty
from beacon.settings import https_settings


class Command(BaseCommand):
    help = (
        "Create the data folder, migrate, load the demo zone if the database is empty, and serve."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--no-serve", action="store_true", help="build the demo zone and stop")

    def handle(self, *args, port, host, size, no_serve, **options):
        settings.BEACON_HOME.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if zone_is_empty():
            self.stdout.write(f"Building the {size} demo zone in {settings.BEACON_HOME} …")
            build_demo_zone(size=size, progress=True)
            self.stdout.write("Evaluating every year of figures …")
            build_demo_evaluation()
            self.stdout.write("Teams, activities and leads …")
            build_demo_promotion(size=size)
            self.stdout.write("Key projects, milestones, reports and issues …")
            build_demo_supervision(size=size)
            self.stdout.write("Industrial chains …")
            load_templates(User.objects.filter(username="admin").first())
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, scope in demo_accounts():
            self.stdout.write(f"  {username:<16} {role:<20} {scope}")
        self.stdout.write("")
        if not no_serve:
            # A demo is for looking around; `beacon serve` asks privileged roles for a code.
            settings.BEACON_MFA_REQUIRED = False
            # Served over plain HTTP at the address printed, with no proxy to end TLS.
            for name, value in https_settings(False).items():
                setattr(settings, name, value)
            # One background worker beside the server, for the jobs the pages queue.
            # Its own session: Ctrl+C stops the server, which then stops the worker, once.
            # (This interpreter with fixed arguments: nothing from outside is run.)
            worker = subprocess.Popen(  # nosec B603
                [sys.executable, "-m", "beacon.cli", "worker"], start_new_session=True
            )
            # A service manager's stop (SIGTERM) ends the demo as Ctrl+C does: worker too.
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
            try:
                serve(host, port, 8, self.stdout)
            finally:
                # SIGTERM lets a job at hand finish; one that does not in time is shown failed
                # by the next worker to start.
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
