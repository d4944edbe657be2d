"""Time the promotion figures page (the batch CLI's figures over the leads in scope) on a
demo zone.

    BEACON_HOME=/tmp/beacon-bench-sqlite python bench/promotion_figures_bench.py

Uses the zone in the data folder (or database) it is given, building the large demo zone
first when there is none and adding the large demo promotion (20,000 leads) when it has no
leads. Requests /promotion/figures/ as the zone admin and as the promoter (one team), plain
and grouped by team, through Django's test client: a warm-up, then ``--repeat`` timed
requests. Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import open_demo_zone  # noqa: E402
from registry_bench import database, machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", default=os.environ.get("BEACON_HOME"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", choices=["small", "large"], default="large")
    args = parser.parse_args()
    if not args.home:
        parser.error("give the data folder with --home or BEACON_HOME")
    open_demo_zone(args.home, args.size)
    from django.conf import settings
    from django.test import Client

    from beacon.core.models import User
    from beacon.core.permissions import restrict
    from beacon.demo.promotion import build_demo_promotion
    from beacon.promotion.models import Lead, StageChange

    if not Lead.objects.exists():
        print("adding the demo leads …", file=sys.stderr)
        start = time.perf_counter()
        build_demo_promotion(size=args.size)
        print(f"  {time.perf_counter() - start:.1f} s", file=sys.stderr)
    settings.BEACON_MFA_REQUIRED = False  # force_login gives no second factor
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    rows = []
    for username in ("admin", "promoter"):
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
        user = User.objects.get(username=username)
        client.force_login(user)
        for query in ("", "?by=team"):
            url = f"/promotion/figures/{query}"
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            leads = restrict(Lead.objects.all(), user).count()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            rows.append((username, url, leads, statistics.median(times), max(times)))

    print("## Promotion figures page\n")
    for key, value in {**machine(), **database()}.items():
        print(f"- {key}: {value}")
    print(
        f"\n{Lead.objects.count():,} leads, {StageChange.objects.count():,} stage changes; "
        f"median and slowest of {args.repeat} requests\n"
    )
    print("| user | page | leads in scope | median ms | slowest ms |\n|---|---|---:|---:|---:|")
    for username, url, leads, median, slowest in rows:
        print(f"| {username} | `{url}` | {leads:,} | {median:.0f} | {slowest:.0f} |")


if __name__ == "__main__":
    main()
