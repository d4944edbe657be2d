"""`beacon serve` as production runs it: gunicorn processes started as separate commands
against one database (a SQLite file, or PostgreSQL when BEACON_DATABASE_URL is set) answer
alike, a session made through one works through the other, and SIGTERM or Ctrl-C stops
each cleanly. No test database of pytest-django here: the servers are other processes, so
they get a database of their own, migrated and filled by the commands."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.core.cache import cache
from django.db import connection

from beacon.conftest import PASSWORD

SEED = """
from beacon.conftest import make_user, make_zone
zone = make_zone()
make_user("park_officer", zone, username="officer")
print(zone["p1_enterprise"].pk)
"""


def environment(home: Path, database_url: str | None) -> dict[str, str]:
    """Production's environment (no BEACON_DEBUG, no proxy header) over plain HTTP on this
    machine, with the data folder ``home``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"BEACON_DEBUG", "BEACON_PROXY_SSL_HEADER", "BEACON_DATABASE_URL"}
    }
    env.update(BEACON_HOME=str(home), BEACON_HTTPS="0", DJANGO_SETTINGS_MODULE="beacon.settings")
    if database_url:
        env["BEACON_DATABASE_URL"] = database_url
    return env


def beacon(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "beacon.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def database_url():
    """None for a SQLite file in the data folder; with BEACON_DATABASE_URL, a PostgreSQL
    database of this module's own beside it, dropped at the end."""
    url = os.environ.get("BEACON_DATABASE_URL")
    if not url:
        yield None
        return
    parsed = dj_database_url.parse(url)
    name = f"{parsed['NAME']}_serve"
    server = dict(
        host=parsed["HOST"], port=parsed["PORT"] or 5432, user=parsed["USER"], dbname="postgres"
    )
    if parsed["PASSWORD"]:
        server["password"] = parsed["PASSWORD"]
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def installation(tmp_path_factory, database_url):
    """A migrated database with a small zone and a park officer: the environment and the
    id of an enterprise of the officer's park."""
    env = environment(tmp_path_factory.mktemp("home"), database_url)
    beacon(env, "migrate", "--verbosity", "0")
    enterprise = int(beacon(env, "shell", "--no-imports", "-c", SEED).split()[-1])
    return env, enterprise


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A ``beacon serve`` (or any command that serves) in a process of its own."""

    def __init__(self, env: dict[str, str], log: Path, command: list[str]):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, *command, "--port", str(self.port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_up()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 120  # a bound for a server that never comes up
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                Browser().request(self.base + "/login/")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"not serving:\n{self.log.read_text()}")

    def stop(self, sig: int) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One cookie jar for every server, as a browser behind one address keeps one."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirects()
        )

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def request(self, url: str, data: bytes | None = None, method=None, headers=None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def log_in(self, base: str, username: str) -> None:
        _, _, page = self.request(base + "/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, page
        token = found.group(1)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, headers, _ = self.request(base + "/login/", urllib.parse.urlencode(form).encode())
        assert (status, headers["Location"]) == (302, "/")

    def api(self, url: str, **kwargs):
        status, headers, body = self.request(url, **kwargs)
        return status, headers.get("ETag"), json.loads(body)


@pytest.fixture
def servers(installation, tmp_path):
    env, _ = installation
    command = ["-m", "beacon.cli", "serve", "--workers", "1", "--threads", "2"]
    started = []
    try:
        for name in ("a", "b"):
            started.append(Server(env, tmp_path / f"{name}.log", command))
        yield started
    finally:
        for server in started:
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait()


def test_two_servers_of_one_database_answer_alike(servers, installation):
    _, enterprise = installation
    a, b = servers
    browser = Browser()
    browser.log_in(a.base, "officer")
    # the session made through A is good on B
    status, _, home = browser.request(b.base + "/")
    assert (status, b"officer" in home) == (200, True)

    detail = f"/api/v1/registry/enterprises/{enterprise}/"
    status, etag, before = browser.api(b.base + detail)
    assert status == 200
    renamed = before["name"] + " (renamed)"
    status, _, after = browser.api(
        a.base + detail,
        data=json.dumps({"name": renamed}).encode(),
        method="PATCH",
        headers={
            "Content-Type": "application/json",
            "X-CSRFToken": browser.cookie("csrftoken"),
            "If-Match": etag,
        },
    )
    assert (status, after["name"]) == (200, renamed)
    for path in (detail, "/api/v1/registry/enterprises/?limit=50"):
        # the same answer but for the server's own address in the links
        answers = [browser.request(server.base + path) for server in servers]
        assert [status for status, _, _ in answers] == [200, 200]
        assert answers[0][1].get("ETag") == answers[1][1].get("ETag")
        bodies = [
            body.replace(s.base.encode(), b"")
            for s, (_, _, body) in zip(servers, answers, strict=True)
        ]
        assert bodies[0] == bodies[1]
    assert browser.api(b.base + detail)[2]["name"] == renamed
    status, _, page = browser.request(b.base + f"/registry/enterprises/{enterprise}/")
    assert (status, renamed.encode() in page) == (200, True)

    # SIGTERM lets the requests in flight finish; Ctrl-C stops at once: both end cleanly
    assert [a.stop(signal.SIGTERM), b.stop(signal.SIGINT)] == [0, 0]
    for server in servers:
        assert "Traceback" not in server.log.read_text()


OVERRIDDEN = """
import django
django.setup()
from django.conf import settings
from beacon.core.management.commands.serve import serve
from beacon.settings import https_settings
import sys
for name, value in https_settings(False).items():
    setattr(settings, name, value)
serve("127.0.0.1", int(sys.argv[-1]), 2, sys.stdout, workers=2)
"""


def test_the_workers_keep_settings_changed_before_serving(installation, tmp_path):
    """`beacon demo` changes settings in its own process before it serves: the forked
    workers answer with them (here plain HTTP, where production redirects to HTTPS)."""
    env, _ = installation
    env = {name: value for name, value in env.items() if name != "BEACON_HTTPS"}
    server = Server(env, tmp_path / "server.log", ["-c", OVERRIDDEN])
    try:
        statuses = {Browser().request(server.base + "/login/")[0] for _ in range(6)}
        assert statuses == {200}
    finally:
        assert server.stop(signal.SIGTERM) == 0


@pytest.mark.django_db
def test_the_cache_is_kept_in_the_database():
    cache.set("shared", "by every process")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM beacon_cache")
        assert [key for (key,) in cursor.fetchall()] == [":1:shared"]


def test_the_loaded_application_is_out_of_the_collectors_reach():
    """What the application holds once loaded lives as long as the workers: frozen before
    they are forked, a full collection in a worker does not walk it."""
    import gc

    from beacon.core.management.commands.serve import Server

    gc.unfreeze()
    try:
        application = Server({"bind": ["127.0.0.1:0"]}).load()
        assert gc.get_freeze_count() > 0
        # frozen: in none of the generations a collection walks
        assert all(tracked is not application for tracked in gc.get_objects())
    finally:
        gc.unfreeze()
