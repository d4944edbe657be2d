"""Time ``beacon pipeline metrics`` end to end on a million leads, with and without groups.

    python bench/pipeline_bench.py [--leads 1000000] [--repeat 3] [--workdir /tmp/beacon-pipeline]

Writes a seeded history (about four stage rows per lead, shuffled, with dropped leads,
empty dates, repeated rows and steps dated backwards) and a leads table with team, park,
industry and source, as CSV (what the contract reads) and Parquet; then times fresh
processes, each several times: Polars reading the history CSV alone, for scale, and the
command on each format with and without ``--by team``. Reported per command: the median and
every run's wall time, and the largest peak memory (max RSS) of its runs.

The machine has two cores: before each run it waits until no ``evaluation_bench`` process
is running, so the two benchmarks do not time each other.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from math import inf
from pathlib import Path

from benchlib import timed, wait_for_quiet

STAGES = (
    "lead",
    "contacted",
    "negotiating",
    "signed",
    "land_supplied",
    "construction_started",
    "in_production",
)
# The share of the leads at one stage that go on to the next, and the mean days it takes.
GO_ON = (0.9, 0.7, 0.6, 0.8, 0.85, 0.85)
MEAN_DAYS = (7, 30, 60, 45, 90, 180)


def make_input(workdir: Path, leads: int) -> None:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(20240611)
    furthest = np.zeros(leads, dtype=np.int64)
    for step, share in enumerate(GO_ON, start=1):
        furthest += (furthest == step - 1) & (rng.random(leads) < share)
    counts = furthest + 1
    lead = np.repeat(np.arange(leads), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    stage = np.arange(lead.size) - starts
    # An entry day in 2021–2024, then exponential gaps, summed along each lead.
    gaps = np.where(stage == 0, 0.0, rng.exponential(np.take((1, *MEAN_DAYS), stage)))
    total = np.cumsum(gaps)
    entry = (np.datetime64("2021-01-01") - np.datetime64("1970-01-01")).astype(np.int64)
    days = entry + rng.integers(0, 4 * 365, leads)[lead] + (total - total[starts]).astype(np.int64)
    # 0.5% of the steps dated backwards, by up to 20 days.
    backwards = (stage > 0) & (rng.random(lead.size) < 0.005)
    days = days - backwards * rng.integers(1, 21, lead.size)
    history = _history(lead, stage, days)
    # Most leads that stopped short of production were dropped, within two months.
    stopped = np.flatnonzero((furthest < len(STAGES) - 1) & (rng.random(leads) < 0.8))
    last = (np.cumsum(counts) - 1)[stopped]
    dropped = _history(
        stopped, np.full(stopped.size, -1), days[last] + rng.integers(1, 60, last.size)
    )
    # 1% of the rows again, three days later; then 2% of all rows without a date.
    again = history.sample(fraction=0.01, seed=1).with_columns(pl.col("date").dt.offset_by("3d"))
    history = pl.concat([history, dropped, again])
    undated = pl.Series(rng.random(history.height) < 0.02)
    history = (
        history.with_columns(pl.when(undated).then(None).otherwise(pl.col("date")).alias("date"))
        .sample(fraction=1.0, shuffle=True, seed=2)
        .select(_lead_id(pl.col("lead")).alias("lead_id"), "stage", "date")
    )
    history.write_csv(workdir / "history.csv")
    history.write_parquet(workdir / "history.parquet")
    table = pl.DataFrame(
        {
            "lead": np.arange(leads),
            "team": rng.choice([f"team {i:02d}" for i in range(1, 13)], leads),
            "park": rng.choice(["P1", "P2", "P3", "P4", "P5"], leads),
            "industry": rng.choice(["equipment", "materials", "chemicals", "electronics"], leads),
            "source": rng.choice(["fair", "referral", "agency", "web", "visit"], leads),
            "listed": rng.random(leads) >= 0.01,
            "no_team": rng.random(leads) < 0.02,
        }
    )
    # 1% of the leads are not in the table and 2% have no team: both make the null group.
    table = table.filter("listed").select(
        _lead_id(pl.col("lead")).alias("lead_id"),
        pl.when("no_team").then(None).otherwise(pl.col("team")).alias("team"),
        "park",
        "industry",
        "source",
    )
    table.write_csv(workdir / "leads.csv")
    table.write_parquet(workdir / "leads.parquet")


def _history(lead, stage, days):
    import numpy as np
    import polars as pl

    names = pl.Series([*STAGES, "dropped"])
    return pl.DataFrame(
        {
            "lead": lead,
            "stage": names.gather(np.where(stage < 0, len(STAGES), stage)),
            "date": pl.Series(days.astype(np.int32)).cast(pl.Date),
        }
    )


def _lead_id(number):
    import polars as pl

    return pl.format("L{}", number.cast(pl.String).str.zfill(7))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/beacon-pipeline"))
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    made = args.workdir / "made-for"  # the input is kept for the next run of the same size
    if args.make:
        make_input(args.workdir, args.leads)
        made.write_text(str(args.leads))
        return
    # A child's peak memory counts its parent's at the time it was started (Linux keeps the
    # larger across exec), so this process stays small: the input is made by another one,
    # and this one never imports Polars.
    if not made.exists() or made.read_text() != str(args.leads):
        subprocess.run([sys.executable, __file__, "--make", *sys.argv[1:]], check=True)
    history = args.workdir / "history.csv"
    facts = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, polars as pl; print(pl.__version__, "
            "pl.scan_parquet(sys.argv[1]).select(pl.len()).collect().item())",
            str(args.workdir / "history.parquet"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    beacon = [sys.executable, "-m", "beacon.cli", "pipeline", "metrics", "--json"]
    runs = {
        "read history.csv with Polars": [
            sys.executable,
            "-c",
            f"import polars; polars.read_csv({str(history)!r}, infer_schema=False)",
        ],
    }
    for ending in ("csv", "parquet"):
        files = [
            "--stages",
            str(args.workdir / f"history.{ending}"),
            "--leads",
            str(args.workdir / f"leads.{ending}"),
        ]
        runs[f"metrics, {ending}"] = [*beacon, *files]
        runs[f"metrics --by team, {ending}"] = [*beacon, *files, "--by", "team"]
    print(
        f"{args.leads:,} leads, {int(facts[1]):,} history rows; Python "
        f"{platform.python_version()}, Polars {facts[0]}, {os.cpu_count()} cores; "
        f"median of {args.repeat} runs"
    )
    print("\n| what | median s | runs s | peak memory MiB |\n|---|---|---|---|")
    loads = [os.getloadavg()[0]]
    for what, command in runs.items():
        times, peak, _ = timed(command, args.repeat, lambda: wait_for_quiet(inf, inf))
        loads.append(os.getloadavg()[0])
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"| {what} | {statistics.median(times):.2f} | {each} | {peak / 1024:.0f} |")
    # Other work on the machine shows here: a load near 1 is this benchmark alone.
    print(f"\nload average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f}")


if __name__ == "__main__":
    main()
