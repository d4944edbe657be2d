"""Time the registry's busiest pages on a demo zone, as a zone admin and as a park officer.

    BEACON_HOME=/tmp/beacon-bench python bench/registry_bench.py --size large
    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_bench \
        BEACON_HOME=/tmp/beacon-bench-pg python bench/registry_bench.py --size large

Builds the demo zone in the data folder (or database) it is given unless one is there,
then requests each page through Django's test client: one warm-up request that also
counts the queries, then timed repetitions. Prints a Markdown report: the machine, the
build time and, per page and user, median and p95 latency, queries and response size.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import open_demo_zone  # noqa: E402

CASES = (
    ("enterprise list", "/registry/enterprises/"),
    ("list, search 新能源", "/registry/enterprises/?search=新能源"),
    ("list, park P1", "/registry/enterprises/?park=P1"),
    ("enterprise detail", "/registry/enterprises/{enterprise}/"),
    ("API list, search 新能源", "/api/v1/registry/enterprises/?search=新能源"),
    ("CSV export, park P1", "/registry/enterprises/?park=P1&export=csv"),
    ("home dashboard", "/"),
)
USERS = (("admin", "zone admin"), ("park1", "park officer"))
SLOW_MS = 500


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument(
        "--home", default=os.environ.get("BEACON_HOME"), help="data folder (or set BEACON_HOME)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds per page after which fewer repeats do"
    )
    args = parser.parse_args()
    if not args.home:
        parser.error("give the data folder with --home or BEACON_HOME")
    return args


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line),
        platform.processor() or "unknown",
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    kib = next((int(line.split()[1]) for line in meminfo.splitlines() if "MemTotal" in line), 0)
    return {
        "CPU": model,
        "cores": str(os.cpu_count()),
        "RAM": f"{kib / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
    }


def database() -> dict[str, str]:
    import sqlite3

    import django
    from django.db import connection

    if connection.vendor == "sqlite":
        engine = f"SQLite {sqlite3.sqlite_version}"
        size = Path(connection.settings_dict["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("select version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
        engine = version.split(" on ")[0]
    return {"database": engine, "size": f"{size / 2**20:.0f} MiB", "Django": django.get_version()}


def counts() -> dict[str, int]:
    from beacon.core.models import ChangeLogEntry
    from beacon.registry.models import AnnualFigure, Enterprise, Parcel

    return {
        "enterprises": Enterprise.objects.count(),
        "annual figures": AnnualFigure.objects.count(),
        "parcels": Parcel.objects.count(),
        "change-log entries": ChangeLogEntry.objects.count(),
    }


def time_case(client, url: str, repeat: int, budget: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # read now: the next request clears the log it reads from
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    size = len(response.content)
    timings, cpu = [], []
    started = time.perf_counter()
    while len(timings) < repeat and (len(timings) < 3 or time.perf_counter() - started < budget):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        response.content  # noqa: B018  (an export streams; the body is part of the work)
        timings.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    timings.sort()
    return {
        "n": len(timings),
        "median": statistics.median(timings),
        "p95": timings[math.ceil(0.95 * len(timings)) - 1],  # nearest rank
        # On a shared machine wall time includes waiting for a core; CPU time does not
        # (but leaves out a PostgreSQL server's own work).
        "cpu": statistics.median(cpu),
        "queries": queries,
        "bytes": size,
    }


def main() -> None:
    args = parse_args()
    load = os.getloadavg()
    build = open_demo_zone(args.home, args.size)
    from django.test import Client

    from beacon.core.models import ScopeGrant, User

    enterprise = ScopeGrant.objects.get(user__username="enterprise", kind="enterprise").object_id
    results = []
    for username, label in USERS:
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        for name, url in CASES:
            url = url.format(enterprise=enterprise)
            result = time_case(client, url, args.repeat, args.budget)
            results.append((name, label, url, result))
            print(f"{label:<13} {name:<24} {result['median']:8.1f} ms", file=sys.stderr)

    lines = [f"Command: `{' '.join(sys.argv)}` — demo zone `{args.size}`, {build}.", ""]
    facts = {**machine(), **database(), **{k: f"{v:,}" for k, v in counts().items()}}
    facts["load average (1 min) before / after"] = f"{load[0]:.2f} / {os.getloadavg()[0]:.2f}"
    lines += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in facts.items()), ""]
    lines += [
        "| page | user | median ms | p95 ms | CPU median ms | n | queries | bytes |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label, url, r in results:
        flag = " ⚠" if r["median"] > SLOW_MS else ""
        lines.append(
            f"| {name} (`{url}`) | {label} | {r['median']:.1f}{flag} | {r['p95']:.1f} "
            f"| {r['cpu']:.1f} | {r['n']} | {r['queries']} | {r['bytes']:,} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
