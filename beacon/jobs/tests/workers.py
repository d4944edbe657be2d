"""A real ``beacon worker`` in a process of its own, on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The URL of the database the tests run on, for a process of their own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "BEACON_HOME": str(settings.BEACON_HOME),
        "BEACON_DATABASE_URL": database_url(),
    }
    command = [sys.executable, "-m", "beacon.cli", "worker", "--no-startup-delay", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def run_worker(*args: str) -> str:
    """Run a worker over every queued job (``--batch``) and return what it printed."""
    worker = start_worker("--batch", *args)
    output, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, output.decode()
    return output.decode()
