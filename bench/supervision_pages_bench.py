"""Time the key-project supervision pages at a few numbers of key projects.

    BEACON_HOME=/tmp/beacon-supervision-pages python bench/supervision_pages_bench.py 20 600

For each number of projects: a fresh SQLite database under ``BEACON_HOME`` (emptied
first), the test zone of two parks, that many projects (six milestones and twelve monthly
reports each, started 400 days ago), and a zone administrator. Then, with Django's test
client, each page seven times after one first view (the day's first pass, where statuses
are kept): the median wall time and the number of queries of the supervision list, a
project's page and the league table. Run it with ``PYTHONPATH`` at an older checkout to
time that one on the same data.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path

PAGES = ("/supervision/list/", "project", "/supervision/league/")


def build_and_time(count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.BEACON_MFA_REQUIRED = False
    call_command("migrate", verbosity=0)
    from beacon.conftest import make_user, make_zone
    from beacon.supervision.models import KeyProject, Milestone, ProgressReport

    try:
        from beacon.supervision.current import judged_once
    except ImportError:  # a checkout that keeps no statuses
        judged_once = nullcontext
    zone = make_zone()
    admin = make_user("zone_admin", zone)
    today = dt.date.today()
    with judged_once():
        for i in range(count):
            project = KeyProject.objects.create(
                code=f"K{i:04}",
                name=f"项目{i}",
                park=zone["p1"] if i % 2 else zone["p2"],
                total_investment=Decimal(100_000_000),
                start_date=today - dt.timedelta(days=400),
                end_date=today + dt.timedelta(days=300),
            )
            for k in range(6):
                Milestone.objects.create(
                    project=project,
                    name=f"m{k}",
                    planned_date=project.start_date + dt.timedelta(days=100 * k),
                )
            for m in range(1, 13):
                day = today - dt.timedelta(days=31 * m)
                ProgressReport.objects.create(
                    project=project,
                    month=f"{day:%Y-%m}",
                    investment_completed=Decimal(5_000_000 * (13 - m)),
                )
    client = Client()
    client.force_login(admin)
    project_page = KeyProject.objects.order_by("code").first().get_absolute_url()
    client.get(PAGES[0], secure=True)
    for page in PAGES:
        url = project_page if page == "project" else page
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, secure=True)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        median = statistics.median(times) * 1000
        print(f"| {count:,} | {page} | {median:,.0f} ms | {len(queries)} |", flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        build_and_time(int(sys.argv[2]))
        return
    home = Path(os.environ["BEACON_HOME"])
    print("| projects | page | median of 7 | queries |\n|---:|---|---:|---:|")
    for count in [int(a) for a in sys.argv[1:]] or [20, 600]:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        # a fresh process per size: Django is set up once per database
        subprocess.run([sys.executable, __file__, "--one", str(count)], check=True)


if __name__ == "__main__":
    main()
