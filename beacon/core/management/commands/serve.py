import gc
import os
from typing import cast

from django.conf import settings
from django.core.checks import run_checks
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from gunicorn.app.base import BaseApplication

from beacon.core.checks import PRODUCTION

# gthread: a thread waiting on the database or the network leaves the process free for
# another request; measured against sync workers in docs/deployment.md.
THREADS = 4
# A worker silent for this many seconds is restarted; with one thread (a sync worker) that
# cuts off a request running this long. Long work belongs in a job.
TIMEOUT = 120


class Command(BaseCommand):
    help = (
        "Serve Beacon for production with gunicorn, in several worker processes: refuses to "
        "start with DEBUG on, with a superuser, or with a demo account that still has the "
        "demo password. SIGTERM stops after the requests in flight; Ctrl-C stops at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="worker processes (default: the number of cores)",
        )
        parser.add_argument(
            "--threads", type=int, default=THREADS, help="threads per worker process"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=TIMEOUT,
            help="seconds a worker may be silent before it is restarted (with --threads 1, "
            "the longest a request may run)",
        )

    def handle(self, *args, host, port, workers, threads, timeout, **options):
        problems = production_problems()
        if problems:
            raise CommandError("not serving in production:\n  " + "\n  ".join(problems))
        serve(host, port, threads, self.stdout, workers=workers, timeout=timeout)


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


class Server(BaseApplication):
    """gunicorn run from inside this process, so that `beacon serve` is one command and the
    workers it forks keep whatever the caller set in ``settings`` before (``beacon demo``)."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        # What the application holds once loaded lives as long as the process: out of the
        # collector's reach, a full collection in a worker no longer walks it (measured:
        # up to 170 ms with every thread of the process stopped, a request in a hundred),
        # and the workers forked from here keep sharing its memory pages.
        gc.collect()
        gc.freeze()
        return application


def serve(
    host: str,
    port: int,
    threads: int,
    stdout,
    *,
    workers: int | None = None,
    timeout: int = TIMEOUT,
) -> None:
    workers = workers or os.cpu_count() or 1
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # A connection opened here (the checks, the demo's build) must not be shared by the
    # forked workers: each opens its own.
    connections.close_all()
    stdout.write(
        f"Beacon at http://{bind}/ ({workers} processes × {threads} threads; "
        f"data: {settings.BEACON_HOME})"
    )
    stdout.flush()
    Server(
        {
            "bind": [bind],
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": timeout,
            "preload_app": True,
            "proc_name": "beacon",
            # Only Django decides whether a request came over TLS, from the header named by
            # BEACON_PROXY_SSL_HEADER; gunicorn would otherwise trust X-Forwarded-Proto
            # from any local client.
            "forwarded_allow_ips": "",
            "secure_scheme_headers": {},
            # Nothing here uses gunicorn's control socket; two servers on one host would
            # share its default path.
            "control_socket_disable": True,
        }
    ).run()
