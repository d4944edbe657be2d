"""Time a chain's map and link pages on a demo zone, as a zone admin and as a park officer:
counted from the kept link members (as served) and recomputed from the whole registry on
the view (as every view did before the members were kept).

    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_chains \
        BEACON_HOME=/tmp/beacon-chains python bench/chain_map_bench.py --size large

Builds the demo zone's registry and loads the chain templates (timed: the templates are
six new chain versions, each keeping its members from the whole registry) unless the
zone is there, then requests each page through Django's test client, as
``registry_bench.py`` does, and prints a Markdown report.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import open_demo_zone  # noqa: E402
from registry_bench import database, machine, time_case  # noqa: E402

CHAIN = "nev"
USERS = (("admin", "zone admin"), ("park1", "park officer"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--enterprises", type=int, help="instead of the size's count")
    parser.add_argument(
        "--home", default=os.environ.get("BEACON_HOME"), help="data folder (or set BEACON_HOME)"
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=60, help="seconds per page at most")
    args = parser.parse_args()
    if not args.home:
        parser.error("give the data folder with --home or BEACON_HOME")
    return args


def build(home: str, size: str, enterprises: int | None) -> str:
    """The demo zone opened, built first when missing, and its chain templates loaded (each
    a new chain version keeping its members from the whole registry), timed."""
    built = open_demo_zone(home, size, enterprises)
    if built.startswith("reused"):
        return built
    from beacon.chains.services import load_templates

    started = time.perf_counter()
    load_templates()
    loaded = time.perf_counter() - started
    return f"registry {built}; six chain templates loaded and kept in {loaded:.1f} s"


@contextlib.contextmanager
def recomputed():
    """The pages as they were: the engine's coverage over the registry on every view."""
    from beacon.analytics import chains as engine
    from beacon.chains import services

    kept = services.coverage

    def coverage(chain, user):
        local = services.registry_local(user)
        return engine.coverage(chain.parsed, local, services.overrides(chain))

    services.coverage = coverage
    try:
        yield
    finally:
        services.coverage = kept


def main() -> None:
    args = parse_args()
    load = os.getloadavg()
    built = build(args.home, args.size, args.enterprises)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from beacon.chains.models import Chain, LinkMember
    from beacon.core.models import User
    from beacon.registry.models import AnnualFigure, Enterprise

    if connection.vendor == "postgresql":
        # the planner's statistics, as autovacuum keeps them on a served database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    chain = Chain.objects.get(key=CHAIN)
    # the link with the most members
    link = chain.members.values("link").annotate(n=Count("pk")).order_by("-n")[0]["link"]
    pages = (
        ("chain map", chain.get_absolute_url()),
        ("link page", reverse("chains:link", args=[chain.pk, link])),
    )
    results = []
    for how, context in (("kept", contextlib.nullcontext), ("recomputed", recomputed)):
        for username, label in USERS:
            client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
            client.force_login(User.objects.get(username=username))
            for name, url in pages:
                with context():
                    result = time_case(client, url, args.repeat, args.budget)
                results.append((name, how, label, result))
                print(
                    f"{how:<10} {label:<13} {name:<10} {result['median']:8.1f} ms", file=sys.stderr
                )

    lines = [f"Command: `{' '.join(sys.argv)}` — {built}.", ""]
    facts = {**machine(), **database()}
    facts["enterprises"] = f"{Enterprise.objects.count():,}"
    facts["annual figures"] = f"{AnnualFigure.objects.count():,}"
    facts["link members kept"] = f"{LinkMember.objects.count():,}"
    facts[f"members of {CHAIN}"] = f"{chain.members.count():,}"
    facts["load average (1 min) before / after"] = f"{load[0]:.2f} / {os.getloadavg()[0]:.2f}"
    lines += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in facts.items()), ""]
    lines += [
        "| page | coverage | user | median ms | p95 ms | CPU median ms | n | queries |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, how, label, r in results:
        lines.append(
            f"| {name} | {how} | {label} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['cpu']:.1f} | {r['n']} | {r['queries']} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
