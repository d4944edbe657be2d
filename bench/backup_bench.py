"""Time ``beacon backup`` and ``beacon restore`` on a demo zone, with their peak memory.

    BEACON_HOME=/tmp/beacon-bench-sqlite python bench/backup_bench.py
    BEACON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/beacon_bench \
        BEACON_HOME=/tmp/beacon-bench-pg python bench/backup_bench.py

Uses the zone in the data folder (or database) it is given, building the demo zone of
``--size`` first when there is none (``bench/registry_bench.py`` builds the same one).
Runs each command as a child process ``--repeat`` times: a backup, an encrypted backup,
and a restore of each into the same database (which leaves its rows as they were).
Prints Markdown: wall time, rows a second and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import zipfile
from math import inf
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import open_demo_zone, timed, wait_for_quiet  # noqa: E402
from registry_bench import database, machine  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"  # nosec B105


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", default=os.environ.get("BEACON_HOME"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command")
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument(
        "--kinds", default="plain,encrypted", help="which backups to time: plain, encrypted"
    )
    args = parser.parse_args()
    if not args.home:
        parser.error("give the data folder with --home or BEACON_HOME")
    return args


def rows_in(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(t["rows"] for t in json.loads(z.read("manifest.json"))["tables"])


def rows_in_sealed(path: Path) -> int:
    from beacon.core.sealed import SealedReader

    with SealedReader(path, PASSPHRASE) as reader:
        return rows_in(reader)


def main() -> None:
    args = parse_args()
    open_demo_zone(args.home, args.size)
    beacon = [sys.executable, "-m", "beacon.cli"]
    os.environ["BEACON_BACKUP_PASSPHRASE"] = PASSPHRASE
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        files = {"plain": Path(folder) / "plain.zip", "encrypted": Path(folder) / "sealed.zip"}
        for kind in args.kinds.split(","):
            path = files[kind]
            extra = ["--encrypt"] if kind == "encrypted" else []
            backup_s, restore_s, backup_peak, restore_peak = [], [], 0, 0
            for _ in range(args.repeat):
                path.unlink(missing_ok=True)
                command = [*beacon, "backup", "--out", str(path), *extra]
                times, peak, _ = timed(command, 1, lambda: wait_for_quiet(inf, inf))
                backup_s += times
                backup_peak = max(backup_peak, peak)
                command = [*beacon, "restore", str(path), "--yes"]
                times, peak, _ = timed(command, 1, lambda: wait_for_quiet(inf, inf))
                restore_s += times
                restore_peak = max(restore_peak, peak)
            total = rows_in(files["plain"]) if kind == "plain" else rows_in_sealed(path)
            size = path.stat().st_size / 2**20
            for step, seconds, peak in (
                ("backup", backup_s, backup_peak),
                ("restore", restore_s, restore_peak),
            ):
                median = statistics.median(seconds)
                runs = ", ".join(f"{s:.1f}" for s in seconds)
                rows.append(
                    f"| {step}, {kind} | {total:,} | {size:.0f} MiB | {median:.1f} s | "
                    f"{total / median:,.0f} | {peak / 1024:.0f} MiB | {runs} |"
                )
    print(" · ".join(f"{k}: {v}" for k, v in {**machine(), **database()}.items()))
    print()
    print("| command | rows | file | median | rows/s | peak memory | runs (s) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
