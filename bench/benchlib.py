"""What the benchmarks share: for those that time commands, waiting for a quiet machine and
timing a command as a child process with its own peak memory; for those that time the
application in process, opening a demo zone."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path


def wait_for_quiet(max_load: float, max_wait: float) -> float:
    """Until no other ``*_bench.py`` runs and the 1-minute load average is below
    ``max_load`` (at most ``max_wait`` seconds); the load average at the start."""
    mine = {str(os.getpid()), str(os.getppid())}  # this one, and a shell that started it
    waited = 0.0
    while waited < max_wait:
        found = subprocess.run(["pgrep", "-f", "_bench.py"], capture_output=True, text=True)
        others = [pid for pid in found.stdout.split() if pid not in mine]
        load = os.getloadavg()[0]
        if not others and load < max_load:
            return load
        time.sleep(5)
        waited += 5
    return os.getloadavg()[0]


def timed(
    command: list[str], repeat: int, quiet, out: Path | None = None
) -> tuple[list[float], int, list[float]]:
    """Each run's wall time in seconds, the largest peak memory of the runs in KiB, and the
    load average before each run (``quiet()`` waits and gives it); the command's stdout
    goes to ``out``, or nowhere."""
    times, peak, loads = [], 0, []
    for _ in range(repeat):
        loads.append(quiet())
        with open(out or os.devnull, "wb") as stdout:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
            # wait4 gives this process's own peak memory, not the largest of all children.
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
        process.stderr.close()
        peak = max(peak, usage.ru_maxrss)
    return times, peak, loads


def open_demo_zone(home: str, size: str, enterprises: int | None = None) -> str:
    """Django set up on the data folder (or database) ``home``, migrated, with the demo zone
    of ``size`` (or of ``enterprises``) built first when there is none (its progress goes
    to stderr); says what the build took, or that an existing zone was reused."""
    os.environ["BEACON_HOME"] = str(Path(home).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    # Django's test client speaks plain HTTP, and logs its users in without the second
    # factor, which costs nothing once a session has passed it.
    os.environ.setdefault("BEACON_HTTPS", "0")
    os.environ.setdefault("BEACON_MFA_REQUIRED", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from beacon.demo.writer import build_demo_zone, zone_is_empty

    settings.BEACON_HOME.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not zone_is_empty():
        return "reused an existing zone"
    print(f"building the {size} demo zone …", file=sys.stderr)
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(sys.stderr):  # a benchmark's report alone goes to stdout
        build_demo_zone(size=size, progress=True, enterprises=enterprises)
    return (
        f"built in {time.perf_counter() - started:.0f} s "
        f"({time.process_time() - cpu:.0f} s CPU in this process)"
    )
