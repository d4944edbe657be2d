"""Time ``beacon supervise`` end to end on a province's key projects (and a city zone's).

    python bench/supervision_bench.py [--projects 20000 300000] [--repeat 3]
        [--workdir /tmp/beacon-supervision] [--max-load 1.5] [--max-wait 600]

Writes (once per size, kept in the work folder) a seeded set of CSV files: the projects
(project_id, name, one of 10 parks, total_investment, start and end dates spread over
2023–2027), six milestones per project (met on time, met late, not yet met and overdue, or
not yet due), monthly cumulative reports from the start month up to the as-of month for
most projects (some stop a few months early, a few never report, a quarter run behind
plan), and a monthly plan for 20% of the projects.

Then it times fresh processes, each several times, as of 2026-06-30: the console script
``beacon supervise ... --json`` with its output sent to a file, without and with
``--plan``; and a Python that reads the four files with the command's reader and calls
``beacon.analytics.supervision.status`` on the frames, so reading and computing are told
apart. Reported per command: the median and every run's wall time and the largest peak
memory (max RSS) of its runs. Then, in one more such process per size, each part on its own
(reading each file, each check, the figures for one date, ``supervise`` as a whole, writing
the JSON). Results and the machine: docs/benchmarks.md.

The machine has two cores and is shared: before each run it waits until no other
``*_bench.py`` process runs and the 1-minute load average is below ``--max-load`` (at
most ``--max-wait`` seconds, then it runs anyway and the load shows in the table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from benchlib import timed, wait_for_quiet

AS_OF = "2026-06-30"
SEED = 20260630
PARKS = tuple(f"K{i:02d}" for i in range(1, 11))
PARK_WEIGHTS = (18, 14, 12, 11, 10, 9, 8, 7, 6, 5)
MILESTONES = ("土地摘牌", "施工许可", "开工建设", "主体封顶", "设备安装", "竣工投产")
# Where along the project's span each milestone is planned.
MILESTONE_AT = (0.0, 0.08, 0.15, 0.45, 0.7, 1.0)
PLAN_SHARE = 0.2
FILES = ("projects", "milestones", "reports", "plan")


def _month_text(key):
    """``YYYY-MM`` of month keys (year * 12 + month - 1), a Polars expression."""
    import polars as pl

    return pl.format("{}-{}", key // 12, (key % 12 + 1).cast(pl.String).str.zfill(2))


def _sequences(starts, counts):
    """For each item, ``counts`` consecutive integers from ``starts``: (item, value)."""
    import numpy as np

    item = np.repeat(np.arange(counts.size), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return item, starts[item] + np.arange(item.size) - first


def _day(text: str):
    """The day number (days since 1970-01-01) of an ISO date."""
    import numpy as np

    return (np.datetime64(text) - np.datetime64("1970-01-01")).astype(np.int64)


def _dates(days):
    """Day numbers as a Polars date column."""
    import numpy as np
    import polars as pl

    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _month_key(days):
    """The month keys (year * 12 + month - 1) of day numbers."""
    import numpy as np

    d = (days.astype("datetime64[D]")).astype("datetime64[M]").astype(np.int64)
    return d + 1970 * 12


def make_input(workdir: Path, n: int) -> None:
    """The four input files of ``n`` projects, and their row counts (rows.json)."""
    import numpy as np

    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED + n)
    # Starts over 2023–2026 (most before the as-of date), spans of 1 to 4 years, ending by 2027.
    start = _day("2023-01-01") + rng.integers(0, 4 * 365, n)
    end = np.minimum(start + rng.integers(365, 4 * 365, n), _day("2027-12-31"))
    total = np.round(np.exp(rng.normal(np.log(3e8), 1.0, n)), -4).astype(np.int64) + 10_000_000
    projects = _projects(start, end, total, rng)
    pid = projects["project_id"]
    start_key, end_key = _month_key(start), _month_key(end)
    # One after the other: all draw from the one seeded stream, so the order keeps the rows.
    milestones = _milestones(pid, start, end, rng)
    reports = _reports(pid, start_key, end_key, total, rng)
    plan = _plan(pid, start_key, end_key, total, rng)
    frames = dict(zip(FILES, (projects, milestones, reports, plan), strict=True))
    for name, frame in frames.items():
        frame.write_csv(workdir / f"{name}.csv")
    rows = {name: frame.height for name, frame in frames.items()}
    (workdir / "rows.json").write_text(json.dumps(rows))


def _projects(start, end, total, rng):
    """The projects: numbered ids and names, a park each (the larger parks more often)."""
    import numpy as np
    import polars as pl

    n = start.size
    number = pl.lit(pl.Series(np.arange(1, n + 1))).cast(pl.String)
    return pl.DataFrame(
        {
            "project_id": pl.select(pl.format("KP{}", number.str.zfill(7))).to_series(),
            "name": pl.select(pl.format("重点项目{}号", number)).to_series(),
            "park": rng.choice(PARKS, n, p=np.array(PARK_WEIGHTS) / sum(PARK_WEIGHTS)),
            "total_investment": total,
            "start_date": _dates(start),
            "end_date": _dates(end),
        }
    )


def _milestones(pid, start, end, rng):
    """Six milestones a project, planned along its span with a little jitter."""
    import numpy as np
    import polars as pl

    as_of = _day(AS_OF)
    m_project = np.repeat(np.arange(start.size), len(MILESTONES))
    m_index = np.tile(np.arange(len(MILESTONES)), start.size)
    span = (end - start)[m_project]
    planned = start[m_project] + (np.take(MILESTONE_AT, m_index) * span).astype(np.int64)
    planned = np.clip(planned + rng.integers(-10, 11, planned.size), start[m_project], None)
    # Due ones: 95% met (two thirds on time, the rest up to 90 days late), the rest not met
    # (overdue); not yet due ones: 5% met early.
    on_time = rng.random(planned.size) < 2 / 3
    late = np.where(on_time, -rng.integers(0, 20, planned.size), rng.integers(1, 91, planned.size))
    due = planned <= as_of
    met = np.where(due, rng.random(planned.size) < 0.95, rng.random(planned.size) < 0.05)
    actual = np.where(due, planned + late, planned - rng.integers(1, 60, planned.size))
    met &= actual <= as_of
    milestones = pl.DataFrame(
        {
            "project_id": pid.gather(m_project),
            "milestone": pl.Series(MILESTONES).gather(m_index),
            "planned_date": _dates(planned),
            "actual_date": _dates(np.where(met, actual, 0)),
        }
    )
    return milestones.with_columns(
        pl.when(pl.Series(met)).then(pl.col("actual_date")).alias("actual_date")
    )


def _reports(pid, start_key, end_key, total, rng):
    """Monthly cumulative reports from the start month to the as-of month: 2% never report,
    8% stop one to three months early; a quarter of the projects run at half to 80% pace."""
    import numpy as np
    import polars as pl

    n = start_key.size
    as_of_key = _month_key(np.array([_day(AS_OF)]))[0]
    stop = as_of_key - np.where(rng.random(n) < 0.08, rng.integers(1, 4, n), 0)
    counts = np.clip(stop - start_key + 1, 0, None) * (rng.random(n) >= 0.02)
    r_project, r_key = _sequences(start_key, counts)
    pace = np.where(rng.random(n) < 0.25, rng.uniform(0.5, 0.8, n), rng.normal(1.0, 0.1, n))
    # the month's end, as a share of the span
    month_end = (r_key - start_key[r_project] + 1) / np.maximum(end_key - start_key + 1, 1)[
        r_project
    ]
    done = np.clip(month_end * pace[r_project], 0.0, 1.0)
    return pl.DataFrame(
        {
            "project_id": pid.gather(r_project),
            "month": pl.select(_month_text(pl.lit(pl.Series(r_key)))).to_series(),
            "investment_completed": np.round(done * total[r_project], -2).astype(np.int64),
        }
    )


def _plan(pid, start_key, end_key, total, rng):
    """A monthly plan (investment planned in each month) for 20% of the projects."""
    import numpy as np
    import polars as pl

    chosen = np.flatnonzero(rng.random(start_key.size) < PLAN_SHARE)
    months = end_key[chosen] - start_key[chosen] + 1
    p_item, p_key = _sequences(start_key[chosen], months)
    weight = rng.uniform(0.5, 1.5, p_item.size)
    sums = np.bincount(p_item, weight, chosen.size)
    return pl.DataFrame(
        {
            "project_id": pid.gather(chosen[p_item]),
            "month": pl.select(_month_text(pl.lit(pl.Series(p_key)))).to_series(),
            "planned_investment": np.round(
                weight / sums[p_item] * total[chosen[p_item]], -2
            ).astype(np.int64),
        }
    )


# Run in a fresh Python: read the files with the command's reader, then time the function
# the command computes with (and, given "parts", then its parts one by one); prints the
# seconds of each as JSON.
IN_PROCESS = """\
import gc, json, sys, time
from datetime import date
from pathlib import Path
gc.freeze()
t0 = time.perf_counter()
import polars as pl
from beacon.analytics import supervision as s
from beacon.analytics.io import read_table
t = {"import": time.perf_counter() - t0}
folder, as_of = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
def lap(name, f):
    start = time.perf_counter()
    out = f()
    t[name] = time.perf_counter() - start
    return out
raw = {n: lap("read " + n, lambda n=n: read_table(folder / f"{n}.csv"))
       for n in ("projects", "milestones", "reports", "plan")}
result = lap("status", lambda: s.status(raw["projects"], raw["milestones"], raw["reports"],
                                        as_of, plan=raw["plan"]))
if sys.argv[3:] != ["parts"]:
    print(json.dumps(t))
    sys.exit()
projects = lap("check projects", lambda: s.check_projects(raw["projects"]))
ids = projects["project_id"]
milestones = lap("check milestones", lambda: s.check_milestones(raw["milestones"], ids))
reports = lap("check reports", lambda: s.check_reports(raw["reports"], ids))
plan = lap("check plan", lambda: s.check_plan(raw["plan"], ids))
lap("figures, one date", lambda: s.project_fields(projects, milestones, reports, as_of, plan))
lap("supervise", lambda: s.supervise(projects, milestones, reports, as_of, s.DEFAULT_RULES, plan))
lap("JSON text", lambda: json.dumps(result, ensure_ascii=False, indent=2))
print(json.dumps(t))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, nargs="+", default=[20_000, 300_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/beacon-supervision"))
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=600, help="seconds, per run")
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def make_input_elsewhere(workdir: Path, sizes: list[int]) -> None:
    """The input of each size not made yet, made by another process."""
    missing = [n for n in sizes if not (workdir / str(n) / "rows.json").exists()]
    if missing:
        start = time.perf_counter()
        made = [str(n) for n in missing]
        subprocess.run(
            [sys.executable, __file__, "--make", "--workdir", str(workdir), "--projects"] + made,
            check=True,
        )
        print(f"(input made in {time.perf_counter() - start:.0f} s)\n")


def print_machine(repeat: int) -> None:
    """The facts line: the as-of date, the CPU and the versions."""
    polars = subprocess.run(
        [sys.executable, "-c", "import polars; print(polars.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"as of {AS_OF}; {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Polars {polars}; median of {repeat} runs"
    )


def commands(beacon: str, folder: Path) -> dict[str, tuple[list[str], Path]]:
    """What is timed on one size's input: each command line, and the file its output goes to,
    by what the table calls it."""
    files = [x for name in FILES[:3] for x in (f"--{name}", str(folder / f"{name}.csv"))]
    command = [beacon, "supervise", *files, "--as-of", AS_OF, "--json"]
    return {
        "`beacon supervise --json`": (command, folder / "out.json"),
        "`beacon supervise --plan --json`": (
            [*command, "--plan", str(folder / "plan.csv")],
            folder / "out-plan.json",
        ),
        "Python: read the files, `status(...)` with the plan": (
            [sys.executable, "-c", IN_PROCESS, str(folder), AS_OF],
            folder / "times.json",
        ),
    }


def time_commands(n: int, folder: Path, beacon: str, repeat: int, quiet) -> None:
    """Prints the table's rows for one size, a row a command."""
    rows = json.loads((folder / "rows.json").read_text())
    size = sum((folder / f"{name}.csv").stat().st_size for name in FILES) / 2**20
    shown = (
        f"{rows['milestones']:,} milestones, {rows['reports']:,} reports, "
        f"{rows['plan']:,} plan rows ({size:,.0f} MiB CSV)"
    )
    for what, (argv, out) in commands(beacon, folder).items():
        times, peak, loads = timed(argv, repeat, quiet, out)
        each = ", ".join(f"{t:.2f}" for t in times)
        load = ", ".join(f"{x:.1f}" for x in loads)
        print(
            f"| {n:,} | {shown} | {what} | {statistics.median(times):.2f} | {each} "
            f"| {peak / 1024:,.0f} | {load} |",
            flush=True,
        )
        shown = ""


def time_parts(folder: Path) -> dict[str, float]:
    """Each part's seconds on one size's input, and the JSON output's size in MiB."""
    found = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(folder), AS_OF, "parts"],
        check=True,
        capture_output=True,
        text=True,
    )
    parts = json.loads(found.stdout)
    parts["output MiB"] = (folder / "out-plan.json").stat().st_size / 2**20
    return parts


def print_parts(parts: dict[int, dict[str, float]]) -> None:
    """The parts table: a row a part, a column a size."""
    names = list(next(iter(parts.values())))
    print("\nParts, in one more in-process run, seconds (status = the checks + supervise):\n")
    print("| part | " + " | ".join(f"{n:,} projects" for n in parts) + " |")
    print("|---|" + "---|" * len(parts))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{parts[n][name]:.2f}" for n in parts) + " |")


def main() -> None:
    args = parse_args()
    if args.make:
        for n in args.projects:
            make_input(args.workdir / str(n), n)
        return
    # A child's peak memory counts its parent's at the time it was started (Linux keeps the
    # larger across exec), so this process stays small: the input is made by another one,
    # and this one never imports Polars.
    make_input_elsewhere(args.workdir, args.projects)
    beacon = shutil.which("beacon", path=str(Path(sys.executable).parent)) or "beacon"
    print_machine(args.repeat)
    print("\n| projects | input rows | what | median s | runs s | peak memory MiB | load before |")
    print("|---|---|---|---|---|---|---|")
    quiet = partial(wait_for_quiet, args.max_load, args.max_wait)
    parts = {}
    for n in args.projects:
        folder = args.workdir / str(n)
        time_commands(n, folder, beacon, args.repeat, quiet)
        # The parts, once, in a run of their own (it computes everything twice).
        quiet()
        parts[n] = time_parts(folder)
    print_parts(parts)


if __name__ == "__main__":
    main()
