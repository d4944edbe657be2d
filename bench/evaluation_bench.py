"""Time ``beacon evaluate`` end to end on a million enterprises, against reading the input.

    python bench/evaluation_bench.py [--rows 1000000] [--repeat 5] [--workdir /tmp/beacon-eval]

Writes a seeded Parquet input and a scheme like the demo zone's, then times two fresh
processes, each several times: one that only reads the Parquet file with Polars, and
``beacon evaluate`` reading it, scoring, classing and writing the results. Issue 3's
target: the evaluation takes no more than 3 × the read. The medians are compared; on a
shared machine run it when nothing else is busy, and more than once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

SCHEME = """\
name: Benchmark scheme, above-designated-size
year: 2024
scope:
  - {field: above_scale, op: "==", value: true}
  - {field: land_mu, op: ">=", value: 3}
indicators:
  - {key: tax_per_mu, numerator: tax, denominator: land_mu, weight: 30, method: ratio,
     benchmark: 240970, cap: 2.0}
  - {key: va_per_mu, numerator: value_added, denominator: land_mu, weight: 20, method: ratio,
     benchmark: aggregate}
  - {key: energy_intensity, numerator: energy_tce, denominator: value_added, weight: 20,
     method: ratio, direction: lower_is_better, benchmark: aggregate}
  - {key: emissions, numerator: value_added, denominator: emissions_t, weight: 10,
     method: ratio, benchmark: median, missing: average_points}
  - {key: productivity, numerator: value_added, denominator: employees, weight: 10,
     method: ratio, benchmark: mean}
  - {key: rd_ratio, numerator: rd_expense, denominator: revenue, weight: 10, method: minmax}
adjustments:
  - {when: [{field: safety_incident, op: "==", value: true}], points: -10, reason: safety}
veto:
  - {when: [{field: env_violation, op: "==", value: true}], reason: environment}
classes:
  method: quota
  quota: {A: 0.20, B: 0.40, C: 0.35, D: 0.05}
  tie_break: [tax, revenue]
"""


def make_input(path: Path, rows: int) -> None:
    rng = np.random.default_rng(20240309)
    revenue = rng.lognormal(17, 1.5, rows)
    emissions = rng.uniform(0, 50, rows)
    emissions[rng.random(rows) < 0.1] = np.nan
    pl.DataFrame(
        {
            "uscc": [f"91441200MA{i:08d}" for i in range(rows)],
            "name": [f"企业{i}" for i in range(rows)],
            "park": rng.choice(["P1", "P2", "P3", "P4", "P5"], rows),
            "above_scale": rng.random(rows) < 0.8,
            "land_mu": rng.uniform(0, 200, rows),
            "revenue": revenue,
            "value_added": revenue * rng.uniform(0.2, 0.35, rows),
            "tax": revenue * rng.uniform(0.03, 0.08, rows),
            "employees": rng.integers(5, 3000, rows),
            "rd_expense": revenue * rng.uniform(0.01, 0.06, rows),
            "energy_tce": rng.uniform(10, 5000, rows),
            "emissions_t": pl.Series(emissions, nan_to_null=True),
            "safety_incident": rng.random(rows) < 0.01,
            "env_violation": rng.random(rows) < 0.01,
        }
    ).write_parquet(path)


def timed(command: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/beacon-eval"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    data, scheme = args.workdir / "figures.parquet", args.workdir / "scheme.yaml"
    out = args.workdir / "results.parquet"
    scheme.write_text(SCHEME, encoding="utf-8")
    if not data.exists() or pl.scan_parquet(data).select(pl.len()).collect().item() != args.rows:
        make_input(data, args.rows)
    read = timed(
        [sys.executable, "-c", f"import polars; polars.read_parquet({str(data)!r})"], args.repeat
    )
    run = timed(
        [
            sys.executable,
            "-m",
            "beacon.cli",
            "evaluate",
            "--scheme",
            str(scheme),
            "--input",
            str(data),
            "--output",
            str(out),
        ],
        args.repeat,
    )
    r, e = statistics.median(read), statistics.median(run)
    print(
        f"rows: {args.rows:,}; Python {sys.version.split()[0]}, Polars {pl.__version__}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"read with Polars, fresh process: median {r:.2f} s ({', '.join(f'{t:.2f}' for t in read)})"
    )
    print(
        f"beacon evaluate, fresh process: median {e:.2f} s ({', '.join(f'{t:.2f}' for t in run)})"
    )
    print(f"ratio: {e / r:.1f} (target ≤ 3)")


if __name__ == "__main__":
    main()
