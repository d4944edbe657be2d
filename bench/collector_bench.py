"""How long Python's cyclic garbage collector stops a worker process of ``beacon serve``:
the load benchmark's page mix served in process from several threads at once, as a
gthread worker serves it, with every collection timed.

    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_load_large \\
        python bench/collector_bench.py --home /tmp/bh-bench [--threads 4] [--seconds 40]

Django's test client logs in the demo's zone administrator (``admin``) and park officer
(``park1``), one client per thread, and each requests every page of ``load_bench.PAGES``
once to warm up. Then, for ``--seconds`` each, two rounds: the process as it is after the
warm-up, and the same after ``gc.freeze()`` (what ``beacon serve`` does once the
application is loaded, before it forks its workers). In each round every thread requests
pages of the mix at random with a pause of 50–200 ms between them. Printed as Markdown,
per round and generation: the collections, their time added up, the longest (while it
runs, no thread of the process moves) and their time per request; and the requests'
p50 and p95. On an empty database it builds the demo zone of ``--size`` first.
"""

from __future__ import annotations

import gc
import random
import statistics
import threading
import time

from load_bench import PAGES
from page_bench import logged_in, open_zone, user_objects, zone_arguments


class Collections:
    """Every collection's generation and duration, from ``gc.callbacks``."""

    def __init__(self):
        self.started = 0.0
        self.seen: list[tuple[int, float]] = []

    def __call__(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seen.append((info["generation"], time.perf_counter() - self.started))


def serve_round(clients, picked, seconds: float) -> tuple[list[float], Collections]:
    collections = Collections()
    latencies: list[float] = []
    gc.callbacks.append(collections)

    def browse(index: int) -> None:
        rng = random.Random(index)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            _name, path = rng.choice(PAGES)
            started = time.perf_counter()
            response = clients[index].get(path(picked[index % 2], rng))
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"a page answered {response.status_code}")
            time.sleep(rng.uniform(0.05, 0.2))

    threads = [threading.Thread(target=browse, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gc.callbacks.remove(collections)
    return latencies, collections


def main() -> None:
    parser = zone_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4, help="as `beacon serve` runs")
    parser.add_argument("--seconds", type=float, default=40, help="per round")
    args = parser.parse_args()
    zone = open_zone(args)

    from django.db import connections

    from beacon.core.models import User

    print(f"{zone}; {args.threads} threads, {args.seconds:g} s per round\n")
    users = [User.objects.get(username=name) for name in ("admin", "park1")]
    picked = [user_objects(user) for user in users]
    clients = []
    for index in range(args.threads):
        client = logged_in(users[index % 2])
        for _name, path in PAGES:
            client.get(path(picked[index % 2], random.Random(index)))
        clients.append(client)
    connections.close_all()  # each thread opens its own

    print("| round | generation | collections | ms in all | longest ms | ms per request |")
    print("|---|---:|---:|---:|---:|---:|")
    summary = []
    for label, freeze in (("as loaded", False), ("after gc.freeze()", True)):
        if freeze:
            gc.collect()
            gc.freeze()
        latencies, collections = serve_round(clients, picked, args.seconds)
        for generation in (0, 1, 2):
            times = [d for g, d in collections.seen if g == generation]
            print(
                f"| {label} | {generation} | {len(times)} | {sum(times) * 1000:.0f} "
                f"| {max(times, default=0) * 1000:.1f} "
                f"| {sum(times) * 1000 / len(latencies):.2f} |"
            )
        ordered = sorted(latencies)
        summary.append(
            f"{label}: {len(ordered)} requests, p50 {statistics.median(ordered) * 1000:.1f} ms, "
            f"p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms"
        )
    print()
    for line in summary:
        print(f"- {line}")


if __name__ == "__main__":
    main()
