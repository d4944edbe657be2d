"""Time each page of the load benchmark's mix one request at a time, in process: what one
request of it costs the application, with no other request beside it.

    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_load_large \\
        python bench/page_bench.py [--home /tmp/beacon-pages] [--size large] [--repeat 15]

Django's test client logs in the demo's zone administrator (``admin``) and park officer
(``park1``) and requests each page of ``load_bench.PAGES`` once to warm up, then
``--repeat`` times; it prints, per page and user, the median and the fastest request in ms
and the page's size in bytes, as Markdown. The enterprise page, run and chain are picked
through the permission layer, as the load benchmark picks them. On an empty database it
builds the demo zone of ``--size`` first (``beacon demo`` builds all of it; this builds the
registry only, so a zone built by ``beacon demo`` is what to time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from benchlib import open_demo_zone
from load_bench import PAGES


def user_objects(user) -> dict:
    """What the load benchmark's mix opens for ``user``: an enterprise, the latest official
    run, a chain, each in the user's scope."""
    from beacon.chains.models import Chain
    from beacon.core.permissions import restrict
    from beacon.evaluation.models import EvaluationRun
    from beacon.registry.models import Enterprise

    enterprises = restrict(Enterprise.objects.order_by("pk"), user).values_list("pk", flat=True)
    runs = restrict(EvaluationRun.objects.filter(official=True), user)
    return {
        "enterprises": list(enterprises[:1]),
        "run": runs.order_by("-year", "-pk").values_list("pk", flat=True).first(),
        "chain": restrict(Chain.objects.order_by("pk"), user).values_list("pk", flat=True).first(),
    }


def zone_arguments(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark that times pages in process: the zone's data folder and
    the size to build on an empty database."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--home", default=os.environ.get("BEACON_HOME") or "/tmp/beacon-pages")
    parser.add_argument("--size", default="small", help="the zone to build on an empty database")
    return parser


def open_zone(args) -> str:
    """Django set up on the zone of ``args`` (built first when there is none); what it is,
    for the report's first line."""
    built = open_demo_zone(args.home, args.size)
    from django.db import connection

    from beacon.registry.models import Enterprise

    return f"{Enterprise.objects.count():,} enterprises on {connection.vendor} ({built})"


def logged_in(user):
    """Django's test client with ``user``'s session, asking for Chinese pages."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def main() -> None:
    parser = zone_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    args = parser.parse_args()
    zone = open_zone(args)

    import random

    from beacon.core.models import User

    print(f"{zone}; {args.repeat} requests per page after one\n")
    print("| page | user | median ms | fastest ms | bytes |")
    print("|---|---|---:|---:|---:|")
    rng = random.Random(0)
    for username in ("admin", "park1"):
        user = User.objects.get(username=username)
        client = logged_in(user)
        picked = user_objects(user)
        for name, path in PAGES:
            url = path(picked, rng)
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} to {username}")
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"| {name} | {username} | {statistics.median(times):.1f} | {min(times):.1f} "
                f"| {len(response.content):,} |"
            )


if __name__ == "__main__":
    main()
