"""Load the web application as a zone's staff use it: many users logged in at once, each
clicking through the pages they open most, on `beacon serve` and PostgreSQL.

    python bench/load_bench.py [--size small,large] [--users 1,10,50] [--duration 60]
        [--think 1-5] [--ceiling-users 50] [--workers 2] [--threads N]
        [--database-url postgresql://postgres@127.0.0.1:5432/beacon_load_{size}]
        [--json results.json]

For each zone size it creates the database when it is missing, builds the demo zone in it
with ``beacon demo --size SIZE --no-serve`` (reused when one is there: ``beacon demo``
builds only into an empty database), and prepares the zone for ``beacon serve``, which
refuses the demo accounts while they have the published demo password: it locks those
accounts (unusable password) and creates, once, the benchmark's own users with
``beacon createuser``, half zone administrators (``load-admin-NN``) and half park officers
(``load-park-NN``, one park each, taking the parks in turn). For each user it picks,
through the permission layer, the objects that user may open: enterprises, the latest
official evaluation run, a chain.

Then it starts ``beacon serve`` as a subprocess on a free port on 127.0.0.1, as
production would run it except for three settings: plain HTTP on this machine
(``BEACON_HTTPS=0``), no second factor at login (``BEACON_MFA_REQUIRED=0``: zone
administrators would otherwise have to enrol an authenticator app; the second factor
costs nothing after the login) and passwords that do not expire
(``BEACON_PASSWORD_MAX_AGE_DAYS=0``, so that the benchmark's users work in later runs).
``--workers N`` (default: the number of cores) is passed on when ``beacon serve --help``
offers that option, and ``--threads N`` when given. Every user logs in through the login
form (CSRF token and session cookie, an httpx client of its own), then the first zone
administrator and the first park officer request every page once, not counted.

Each phase runs for ``--duration`` seconds: users 1..N (zone administrators and park
officers alternating) go through the page mix in a new random order each round, waiting a
think time drawn between the two ``--think`` bounds after each page (and, before the first,
one between 0 and the upper bound, so that users arrive over a few seconds); then one more phase
with ``--ceiling-users`` users and no think time gives the throughput ceiling. A request
under way when the time is up is waited for and counted. Any answer but 200 (a redirect
too, e.g. to the login page) and any failed request is an error, counted with its status.

Printed as Markdown, per phase: per page and over all pages the requests, errors,
p50/p95/p99 in milliseconds (nearest rank; from sending the request to reading the whole
body), requests per second; the load average before and after; the server's peak memory
(resident set of ``beacon serve`` and its child processes added up, sampled every 0.5 s
from /proc) and the CPU time its processes used (PostgreSQL's own is not counted), which
a shared machine disturbs less than wall times. With two sizes, each page's median at the
large zone over its median at the small one, and the issue's targets, each marked met or
not. The load generator runs on the same machine and takes a share of its cores. Results
and the machine: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

SEARCH = "新能源"
ADMINS, OFFICERS = "zone_admin", "park_officer"
# Not the demo's published password, so `beacon serve` accepts these accounts.
PASSWORD = "Load-bench-2026"  # nosec B105
# Enterprises each user opens, drawn from those in the user's scope.
ENTERPRISES_PER_USER = 20
DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/beacon_load_{size}"
# The page mix: a name for the tables, and the path, given the user's picks.
PAGES = (
    ("enterprise list", lambda user, rng: "/registry/enterprises/"),
    ("search 新能源", lambda user, rng: f"/registry/enterprises/?search={SEARCH}"),
    (
        "enterprise page",
        lambda user, rng: f"/registry/enterprises/{rng.choice(user['enterprises'])}/",
    ),
    ("dashboard", lambda user, rng: "/"),
    ("API list", lambda user, rng: "/api/v1/registry/enterprises/"),
    ("API search", lambda user, rng: f"/api/v1/registry/enterprises/?search={SEARCH}"),
    ("evaluation run", lambda user, rng: f"/evaluation/runs/{user['run']}/"),
    ("lead board", lambda user, rng: "/promotion/board/"),
    ("chain map", lambda user, rng: f"/chains/maps/{user['chain']}/"),
    ("supervision list", lambda user, rng: "/supervision/list/"),
)
PAGE_NAMES = tuple(name for name, _path in PAGES)
TARGET_P95_MS = 150
TARGET_RATIO = 1.5


# --- preparing a zone (run in a child process with the zone's database) -------------------


def prepare(users: int, seed: int) -> dict:
    """Lock the demo accounts, create the benchmark users that are missing and pick what
    each may open; run with Django set up on the zone's database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from beacon.chains.models import Chain
    from beacon.core.models import User
    from beacon.core.permissions import restrict
    from beacon.demo.accounts import DEMO_USERS
    from beacon.evaluation.models import EvaluationRun
    from beacon.registry.models import Enterprise, Park

    if connection.vendor == "postgresql":
        # the planner's statistics and the visibility map (which lets a count read only an
        # index), as autovacuum keeps them on a served database: a build or an upgrade's
        # migrations may have just written most rows
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    for user in User.objects.filter(username__in=[name for name, _role in DEMO_USERS]):
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    parks = list(Park.objects.order_by("code").values_list("code", flat=True))
    rng = random.Random(seed)
    picked = []
    for index in range(users):
        role, number = (ADMINS, OFFICERS)[index % 2], index // 2 + 1
        username = f"load-{'admin' if role == ADMINS else 'park'}-{number:02d}"
        if not User.objects.filter(username=username).exists():
            parks_option = ["--park", parks[(number - 1) % len(parks)]] if role == OFFICERS else []
            call_command(
                "createuser",
                username,
                "--role",
                role,
                *parks_option,
                password=PASSWORD,
                stdout=io.StringIO(),
            )
        user = User.objects.get(username=username)
        enterprises = list(restrict(Enterprise.objects.all(), user).values_list("pk", flat=True))
        runs = restrict(EvaluationRun.objects.filter(official=True), user)
        run = runs.order_by("-year", "-pk").values_list("pk", flat=True).first()
        chains = list(restrict(Chain.objects.all(), user).values_list("pk", flat=True))
        picked.append(
            {
                "username": username,
                "role": role,
                "enterprises": rng.sample(enterprises, min(ENTERPRISES_PER_USER, len(enterprises))),
                "run": run,
                "chain": rng.choice(chains) if chains else None,
            }
        )
    return {"enterprises": Enterprise.objects.count(), "users": picked}


# --- the zone's database and server ----------------------------------------------------


def beacon_command() -> str:
    return str(Path(sys.executable).with_name("beacon"))


def zone_environment(database_url: str, home: str) -> dict[str, str]:
    return {
        **os.environ,
        "BEACON_HOME": home,
        "BEACON_DATABASE_URL": database_url,
        "BEACON_HTTPS": "0",
        "BEACON_MFA_REQUIRED": "0",
        # the benchmark's users keep their password for every later run
        "BEACON_PASSWORD_MAX_AGE_DAYS": "0",
    }


def create_database(database_url: str) -> None:
    """Create the PostgreSQL database of ``database_url`` unless it exists."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(database_url)
    name = params.pop("dbname")
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", file=sys.stderr)


def build_and_prepare(size: str, database_url: str, home: str, users: int) -> dict:
    create_database(database_url)
    env = zone_environment(database_url, home)
    print(f"{size} zone: beacon demo --size {size} --no-serve …", file=sys.stderr)
    started = time.perf_counter()
    # The demo prints its accounts with their password on stdout; only progress is shown.
    subprocess.run(
        [beacon_command(), "demo", "--size", size, "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    found = subprocess.run(
        [sys.executable, __file__, "--prepare", str(users)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,  # its errors show on stderr
        text=True,
    )
    return json.loads(found.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(port: int, workers: int, threads: int | None, env: dict[str, str]) -> list[str]:
    command = [beacon_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    offered = subprocess.run(
        [beacon_command(), "serve", "--help"], env=env, capture_output=True, text=True, check=True
    ).stdout
    if "--workers" in offered:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    return command


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # the command name in parentheses may hold spaces: fields follow the last ")"
            parents[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, ()))
    return tree


def tree_usage(root: int) -> tuple[int, float]:
    """Resident memory in bytes and CPU seconds (user and system) of ``root``'s process tree."""
    rss, cpu = 0, 0.0
    ticks, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of stat(5), rss is 24 (in pages)
        cpu += sum(int(value) for value in fields[11:15]) / ticks
        rss += int(fields[21]) * page
    return rss, cpu


class Server:
    """``beacon serve`` on a free port, in a session of its own so that stopping it stops
    its worker processes too."""

    def __init__(self, env: dict[str, str], workers: int, threads: int | None, log: Path):
        self.port = free_port()
        self.command = serve_command(self.port, workers, threads, env)
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                self.command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.url = f"http://127.0.0.1:{self.port}"

    async def started(self, client, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"beacon serve stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if (await client.get(f"{self.url}/login/")).status_code == 200:
                    return
            except Exception:  # noqa: BLE001 - not listening yet
                pass
            await asyncio.sleep(0.5)
        sys.exit(f"beacon serve did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --- users --------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def log_in(client, user: dict) -> None:
    form = await client.get("/login/")
    token = CSRF.search(form.text)
    if form.status_code != 200 or token is None:
        sys.exit(f"no login form at {client.base_url}/login/ ({form.status_code})")
    answer = await client.post(
        "/login/",
        data={
            "username": user["username"],
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
        headers={"Referer": f"{client.base_url}/login/"},
    )
    if answer.status_code != 302 or "/login/" in answer.headers.get("location", ""):
        sys.exit(f"{user['username']} could not log in ({answer.status_code})")


@dataclasses.dataclass
class Phase:
    users: int
    think: tuple[float, float]
    times: dict[str, list[float]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter] = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)
    peak_memory: int = 0
    processes: int = 0
    server_cpu: float = 0.0

    @property
    def label(self) -> str:
        plural = "s" if self.users > 1 else ""
        if self.think[1] == 0:
            return f"{self.users} user{plural}, no think time"
        return f"{self.users} user{plural}, think {self.think[0]:g}–{self.think[1]:g} s"


@dataclasses.dataclass
class Zone:
    """One zone size's measurement, as reported and saved."""

    enterprises: int
    served: str
    measured: str
    cores: int
    phases: list[Phase]


async def request(client, phase: Phase, page: str, path: str) -> None:
    started = time.perf_counter()
    try:
        answer = await client.get(path)
        status: int | str = answer.status_code
    except Exception as failure:  # noqa: BLE001 - a failed request is counted, not raised
        status = type(failure).__name__
    phase.times[page].append((time.perf_counter() - started) * 1000)
    if status != 200:
        phase.errors[page][status] += 1


async def browse(client, user: dict, phase: Phase, deadline: float, rng: random.Random):
    if phase.think[1] > 0:
        # Users who think arrive as staff do, not all in the same instant: each starts
        # after a think time of its own. (At once, 50 first requests queue behind each
        # other, and that one burst alone made the phase's p95.)
        await asyncio.sleep(rng.uniform(0, phase.think[1]))
    while True:
        mix = [(name, path) for name, path in PAGES if user_has(user, name)]
        rng.shuffle(mix)
        for name, path in mix:
            if time.monotonic() >= deadline:
                return
            await request(client, phase, name, path(user, rng))
            if phase.think[1] > 0:
                # a user thinking when the time is up ends the phase with it
                await asyncio.sleep(min(rng.uniform(*phase.think), deadline - time.monotonic()))


def user_has(user: dict, page: str) -> bool:
    """Pages about an object need one in the user's scope."""
    needs = {"enterprise page": "enterprises", "evaluation run": "run", "chain map": "chain"}
    return page not in needs or bool(user[needs[page]])


async def sample_memory(server: Server, phase: Phase, stop: asyncio.Event) -> None:
    while not stop.is_set():
        rss, _cpu = tree_usage(server.process.pid)
        if rss > phase.peak_memory:
            phase.peak_memory, phase.processes = rss, len(process_tree(server.process.pid))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def run_phase(server, clients, users, phase: Phase, duration: float, seed: int) -> None:
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(server, phase, stop))
    cpu_before = tree_usage(server.process.pid)[1]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(
        *(
            browse(clients[i], users[i], phase, deadline, random.Random(seed + i))
            for i in range(phase.users)
        )
    )
    phase.seconds = time.monotonic() - started
    phase.server_cpu = tree_usage(server.process.pid)[1] - cpu_before
    phase.load = (load_before, os.getloadavg()[0])
    stop.set()
    await sampler


async def measure_zone(size: str, zone: dict, args) -> tuple[str, list[Phase]]:
    import httpx

    users = zone["users"]
    env = zone_environment(args.database_url.format(size=size), args.home)
    server = Server(env, args.workers, args.threads, Path(args.home) / f"load-serve-{size}.log")
    print(f"{size} zone: beacon {' '.join(server.command[1:])}", file=sys.stderr)
    # A connection per request, as nginx opens to the application by default: a kept-alive
    # connection that the server closes while the client reuses it fails the request,
    # where a browser would silently send it again.
    limits = httpx.Limits(max_keepalive_connections=0)
    clients = [
        httpx.AsyncClient(
            base_url=server.url,
            timeout=httpx.Timeout(args.timeout),
            limits=limits,
            follow_redirects=False,
        )
        for _ in users
    ]
    phases = []
    try:
        await server.started(clients[0])
        for client, user in zip(clients, users, strict=True):
            await log_in(client, user)
        warm = Phase(users=0, think=(0, 0))
        for index in (0, 1)[: len(users)]:
            for name, path in PAGES:
                if user_has(users[index], name):
                    await request(clients[index], warm, name, path(users[index], random.Random()))
        plan = [Phase(count, args.think) for count in args.users]
        if args.ceiling_users:
            plan.append(Phase(args.ceiling_users, (0.0, 0.0)))
        for phase in plan:
            print(f"{size} zone: {phase.label}, {args.duration:g} s …", file=sys.stderr)
            await run_phase(server, clients, users, phase, args.duration, args.seed)
            phases.append(phase)
    finally:
        for client in clients:
            await client.aclose()
        server.stop()
    return " ".join(["beacon", *server.command[1:]]), phases


# --- the report ---------------------------------------------------------------------------


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def median(values: list[float]) -> float:
    return nearest_rank(values, 0.5)


def milliseconds(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def error_text(errors: Counter) -> str:
    total = sum(errors.values())
    if not total:
        return "0"
    return f"{total} ({', '.join(f'{status}×{n}' for status, n in errors.most_common())})"


def row(name: str, times: list[float], errors: Counter, seconds: float) -> str:
    if not times:
        return f"| {name} | 0 | {error_text(errors)} | | | | |"
    cells = [nearest_rank(times, share) for share in (0.5, 0.95, 0.99)]
    return (
        f"| {name} | {len(times):,} | {error_text(errors)} | "
        + " | ".join(milliseconds(value) for value in cells)
        + f" | {len(times) / seconds:.1f} |"
    )


def phase_table(size: str, enterprises: int, phase: Phase) -> list[str]:
    every = [value for times in phase.times.values() for value in times]
    errors = sum(phase.errors.values(), Counter())
    lines = [
        f"#### {size} zone ({enterprises:,} enterprises), {phase.label}",
        "",
        f"{len(every):,} requests in {phase.seconds:.1f} s; load average "
        f"{phase.load[0]:.1f} before, {phase.load[1]:.1f} after; server peak memory "
        f"{phase.peak_memory / 2**20:,.0f} MiB ({phase.processes} process"
        f"{'es' if phase.processes > 1 else ''}), "
        f"CPU {phase.server_cpu:.0f} s",
        "",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in PAGE_NAMES:
        if name in phase.times:
            lines.append(row(name, phase.times[name], phase.errors[name], phase.seconds))
    lines.append(row("**all pages**", every, errors, phase.seconds))
    return lines + [""]


def summary_table(zones: dict[str, Zone]) -> list[str]:
    lines = [
        "| zone | users | think | requests/s | p50 ms | p95 ms | p99 ms | errors | peak MiB "
        "| server CPU ms/request |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, zone in zones.items():
        for phase in zone.phases:
            every = [value for times in phase.times.values() for value in times]
            errors = sum(sum(counter.values()) for counter in phase.errors.values())
            think = f"{phase.think[0]:g}–{phase.think[1]:g} s" if phase.think[1] else "none"
            p50, p95, p99 = (nearest_rank(every, share) for share in (0.5, 0.95, 0.99))
            lines.append(
                f"| {size} ({zone.enterprises:,}) | {phase.users} | {think} | "
                f"{len(every) / phase.seconds:.1f} | {milliseconds(p50)} | {milliseconds(p95)} "
                f"| {milliseconds(p99)} | {errors} | {phase.peak_memory / 2**20:,.0f} "
                f"| {phase.server_cpu * 1000 / max(1, len(every)):.0f} |"
            )
    return lines + [""]


def same_phases(small: Zone, large: Zone) -> list[tuple[Phase, Phase]]:
    return [
        (s, g)
        for s in small.phases
        for g in large.phases
        if (s.users, s.think) == (g.users, g.think)
    ]


def ratio_table(small: Zone, large: Zone) -> list[str]:
    pairs = same_phases(small, large)
    lines = [
        "Median at the large zone over the median at the small one (small ms → large ms):",
        "",
        "| page | " + " | ".join(s.label for s, _g in pairs) + " |",
        "|---|" + "---:|" * len(pairs),
    ]
    for name in PAGE_NAMES:
        cells = []
        for s, g in pairs:
            if s.times.get(name) and g.times.get(name):
                a, b = median(s.times[name]), median(g.times[name])
                cells.append(f"{b / a:.1f}× ({milliseconds(a)} → {milliseconds(b)})")
            else:
                cells.append("")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]


def busiest_thinking(phases: list[Phase]) -> Phase | None:
    """The phase the targets are about: the most users, with think time."""
    thinking = [phase for phase in phases if phase.think[1] > 0]
    return max(thinking, key=lambda phase: phase.users) if thinking else None


def targets(zones: dict[str, Zone]) -> list[str]:
    """The issue's targets, each marked met or not yet met, with the pages that miss it."""

    def mark(ok: bool) -> str:
        return "met" if ok else "**not yet met**"

    lines = ["Targets:", ""]
    for size, zone in zones.items():
        busiest = busiest_thinking(zone.phases)
        if busiest is None:
            continue
        p95 = {
            name: nearest_rank(busiest.times[name], 0.95)
            for name in PAGE_NAMES
            if busiest.times.get(name)
        }
        slow = {name: value for name, value in p95.items() if value > TARGET_P95_MS}
        listed = ", ".join(f"{name} {milliseconds(value)} ms" for name, value in slow.items())
        lines.append(
            f"- p95 ≤ {TARGET_P95_MS} ms on every page, {size} zone, {busiest.label}: "
            + mark(not slow)
            + (f" (above: {listed})" if slow else "")
        )
    errors = sum(
        sum(counter.values())
        for zone in zones.values()
        for phase in zone.phases
        for counter in phase.errors.values()
    )
    lines.append(f"- 0 errors over all phases: {mark(not errors)} ({errors} errors)")
    if {"small", "large"} <= zones.keys():
        busiest = busiest_thinking(zones["small"].phases)
        pair = next(
            ((s, g) for s, g in same_phases(zones["small"], zones["large"]) if s is busiest), None
        )
        if pair is not None:
            s, g = pair
            over = {
                name: median(g.times[name]) / median(s.times[name])
                for name in PAGE_NAMES
                if s.times.get(name) and g.times.get(name)
            }
            high = {name: value for name, value in over.items() if value > TARGET_RATIO}
            listed = ", ".join(f"{name} {value:.1f}×" for name, value in high.items())
            lines.append(
                f"- each page's median at the large zone ≤ {TARGET_RATIO}× the small zone's, "
                f"{s.label}: " + mark(not high) + (f" (above: {listed})" if high else "")
            )
    return lines + [""]


def report(zones: dict[str, Zone]) -> str:
    lines = [f"`python bench/load_bench.py {' '.join(sys.argv[1:])}`", ""]
    for size, zone in zones.items():
        lines.append(f"- {size} zone: `{zone.served}`, {zone.measured}, {zone.cores} cores")
    lines += ["", *summary_table(zones)]
    for size, zone in zones.items():
        for phase in zone.phases:
            lines += phase_table(size, zone.enterprises, phase)
    if {"small", "large"} <= zones.keys():
        lines += ratio_table(zones["small"], zones["large"])
    return "\n".join(lines + targets(zones))


def saved(paths: list[Path]) -> dict[str, Zone]:
    """The zones measured in the runs written with ``--json``, a later file's winning."""
    zones = {}
    for path in paths:
        for size, zone in json.loads(path.read_text()).items():
            phases = [
                Phase(
                    **{
                        **phase,
                        "think": tuple(phase["think"]),
                        "times": defaultdict(list, phase["times"]),
                        "errors": defaultdict(
                            Counter, {page: Counter(n) for page, n in phase["errors"].items()}
                        ),
                        "load": tuple(phase["load"]),
                    }
                )
                for phase in zone["phases"]
            ]
            zones[size] = Zone(**{**zone, "phases": phases})
    return zones


def as_json(zones: dict[str, Zone]) -> str:
    # not dataclasses.asdict, which cannot copy a defaultdict before Python 3.12
    return json.dumps(
        {
            size: {**vars(zone), "phases": [vars(phase) for phase in zone.phases]}
            for size, zone in zones.items()
        },
        ensure_ascii=False,
    )


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    bounds = (float(low), float(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"not a think time range: {text}")
    return bounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small,large", help="small, large or both (comma)")
    parser.add_argument("--users", default="1,10,50", help="user counts, one phase each")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--think", type=parse_think, default=(1.0, 5.0), help="seconds, e.g. 1-5")
    parser.add_argument(
        "--ceiling-users", type=int, default=50, help="users of the no-think phase (0: none)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, help="threads per process (default: serve's)")
    parser.add_argument("--database-url", default=DATABASE_URL, help="{size} is replaced")
    parser.add_argument(
        "--home",
        default=os.environ.get("BEACON_HOME") or "/tmp/beacon-load",
        help="the data folder (secret key, server log); default BEACON_HOME",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds per request")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write every timing here")
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: print the report of runs saved with --json",
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        print(json.dumps(prepare(args.prepare, args.seed)))
        return
    if args.report:
        print(report(saved(args.report)))
        return
    args.users = [int(count) for count in args.users.split(",") if count]
    sizes = [size for size in args.size.split(",") if size]
    if not set(sizes) <= {"small", "large"}:
        parser.error("--size takes small, large or both")
    most = max([*args.users, args.ceiling_users])
    Path(args.home).mkdir(parents=True, exist_ok=True)
    zones = {}
    for size in sizes:
        prepared = build_and_prepare(size, args.database_url.format(size=size), args.home, most)
        served, phases = asyncio.run(measure_zone(size, prepared, args))
        zones[size] = Zone(
            enterprises=prepared["enterprises"],
            served=served,
            measured=time.strftime("%Y-%m-%d %H:%M %Z"),
            cores=os.cpu_count() or 1,
            phases=phases,
        )
        if args.json:
            args.json.write_text(as_json(zones))
    print(report(zones))


if __name__ == "__main__":
    main()
