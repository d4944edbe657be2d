"""``beacon worker``: run background jobs (django-tasks-db's worker, with a heartbeat)."""

import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from beacon.jobs import services


class Heartbeat(threading.Thread):
    """Refreshes the worker's row while it runs a job, and fails the jobs of dead workers."""

    def __init__(self, worker_id: str):
        super().__init__(name="beacon-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(settings.BEACON_WORKER_HEARTBEAT):
            try:
                services.heartbeat(self.worker_id)
            except DatabaseError:
                pass  # busy (SQLite's one writer) or away: the next beat tries again
            finally:
                connection.close()


class Command(DatabaseWorker):
    help = (
        "Run a background worker: it takes the queued jobs from the database one at a time. "
        "SIGTERM or Ctrl+C let the job at hand finish first; run several for more at once."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Restarting on a code change would stop a job half-way.
        parser.set_defaults(reload=False)

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        services.register_worker(worker_id)
        services.fail_jobs_of_dead_workers(own=worker_id)
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            services.unregister_worker(worker_id)
