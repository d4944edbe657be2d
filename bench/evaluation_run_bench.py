"""Time a stored evaluation run on a demo zone, and the pages that read it.

    BEACON_HOME=/tmp/beacon-bench-sqlite python bench/evaluation_run_bench.py
    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_bench \
        BEACON_HOME=/tmp/beacon-bench-pg python bench/evaluation_run_bench.py

Uses the zone in the data folder (or database) it is given, building the large demo zone
first when there is none (``bench/registry_bench.py`` builds the same one). Adds the demo
scheme if missing, then runs it over the last year of figures ``--repeat`` times, each run
split into reading the registry into a frame, scoring it (the same function as
``beacon evaluate --input``) and storing the run with its results; then requests the run's
page, a scorecard, the PDF and the results export as a zone admin. Prints Markdown.
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", default=os.environ.get("BEACON_HOME"))
    parser.add_argument("--repeat", type=int, default=3, help="runs to time")
    parser.add_argument("--size", choices=["small", "large"], default="large")
    args = parser.parse_args()
    if not args.home:
        parser.error("give the data folder with --home or BEACON_HOME")
    return args


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def demo_scheme(admin):
    """The demo scheme (added if missing, its text saved as a version) and its parsed text."""
    from beacon.core.versions import save_version
    from beacon.demo.evaluation import DEMO_SCHEME, DEMO_SCHEME_CODE
    from beacon.evaluation import services
    from beacon.evaluation.models import Scheme

    scheme, _created = Scheme.objects.get_or_create(
        code=DEMO_SCHEME_CODE, defaults={"name": "规上工业企业亩均效益综合评价"}
    )
    save_version(scheme, DEMO_SCHEME, admin)
    return scheme, services.check_scheme_text(DEMO_SCHEME)


def time_runs(scheme, parsed, admin, repeat: int):
    """Times ``repeat`` runs over the last year, each split into its steps: the last run,
    and each step's seconds by what the table calls it."""
    from beacon.analytics.evaluation import evaluate
    from beacon.demo.plan import LAST_YEAR
    from beacon.evaluation import services

    frame_s, score_s, total_s = [], [], []
    for _ in range(repeat):
        frame, t = timed(lambda: services.registry_frame(LAST_YEAR, admin))
        frame_s.append(t)
        _result, t = timed(lambda f=frame: evaluate(parsed, f))
        score_s.append(t)
        run, t = timed(lambda: services.run_evaluation(scheme, LAST_YEAR, admin))
        total_s.append(t)
    return run, {
        "registry figures into a frame": frame_s,
        "scoring (`evaluate`, as the CLI)": score_s,
        "whole run: frame, scoring, storing run and results": total_s,
    }


def time_pages(run, admin) -> dict[str, float]:
    """The median milliseconds of each page that reads the run, as the zone admin."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
    settings.BEACON_MFA_REQUIRED = False  # force_login gives no second factor
    client.force_login(admin)
    result = run.results.filter(rated=True).order_by("rank").first()
    pages = {
        "run page": run.get_absolute_url(),
        "results list, this run": f"/evaluation/results/?run={run.pk}",
        "scorecard": result.get_absolute_url(),
        "PDF scorecard": f"/evaluation/results/{result.pk}/scorecard.pdf",
        "results export, XLSX": f"/evaluation/runs/{run.pk}/export/results/?format=xlsx",
    }
    page_ms = {}
    for name, url in pages.items():
        client.get(url)  # warm-up
        times = []
        for _ in range(3):
            response, t = timed(lambda u=url: client.get(u))
            assert response.status_code == 200, (url, response.status_code)
            times.append(t * 1000)
        page_ms[name] = statistics.median(times)
    return page_ms


def print_report(
    run, repeat: int, steps: dict[str, list[float]], page_ms: dict[str, float]
) -> None:
    """The report: the machine, the run's size, the steps' and the pages' medians."""
    from beacon.demo.plan import LAST_YEAR

    print("## Evaluation runs in the application\n")
    for key, value in {**machine(), **database()}.items():
        print(f"- {key}: {value}")
    print(
        f"\n{run.enterprises:,} enterprises with {LAST_YEAR} figures, {run.rated:,} rated; "
        f"median of {repeat} runs\n"
    )
    print("| step | seconds |\n|---|---|")
    for step, seconds in steps.items():
        print(f"| {step} | {statistics.median(seconds):.2f} |")
    print("\n| page | median ms |\n|---|---|")
    for name, ms in page_ms.items():
        print(f"| {name} | {ms:.0f} |")


def main() -> None:
    args = parse_args()
    open_demo_zone(args.home, args.size)
    from django.db import transaction

    from beacon.core.models import User
    from beacon.evaluation.models import EvaluationRun

    admin = User.objects.get(username="admin")
    scheme, parsed = demo_scheme(admin)
    run, steps = time_runs(scheme, parsed, admin, args.repeat)
    page_ms = time_pages(run, admin)
    print_report(run, args.repeat, steps, page_ms)
    # The timed runs are the benchmark's own: remove them so the zone stays as it was.
    with transaction.atomic():
        EvaluationRun.objects.filter(scheme=scheme, official=False).delete()


if __name__ == "__main__":
    main()
