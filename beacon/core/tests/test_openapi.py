"""The committed OpenAPI schema is the API's contract: any change to it is deliberate.

After a deliberate change, refresh the snapshot with
``BEACON_UPDATE_SNAPSHOTS=1 pytest beacon/core/tests/test_openapi.py`` and commit it.
"""

import difflib
import io
import os
import re
from pathlib import Path

from django.core.management import call_command
from django.test import Client

SNAPSHOT = Path(__file__).with_name("openapi.json")
UPDATE = os.environ.get("BEACON_UPDATE_SNAPSHOTS") == "1"


def generate_schema() -> str:
    out = io.StringIO()
    # English, so the snapshot does not depend on the default language; any warning of
    # drf-spectacular (an unresolvable field, say) fails the test as well.
    call_command(
        "spectacular",
        "--format",
        "openapi-json",
        "--lang",
        "en",
        "--fail-on-warn",
        "--validate",
        stdout=out,
    )
    return out.getvalue()


def test_schema_matches_snapshot():
    schema = generate_schema()
    if UPDATE:
        SNAPSHOT.write_text(schema, encoding="utf-8")
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if schema != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    schema.splitlines(keepends=True),
                    "openapi.json (committed)",
                    "openapi.json (generated)",
                )
            )[:60]
        )
        raise AssertionError(
            "The API schema differs from beacon/core/tests/openapi.json. If the change is "
            "intended, refresh the snapshot with\n"
            "    BEACON_UPDATE_SNAPSHOTS=1 pytest beacon/core/tests/test_openapi.py\n"
            f"and commit it.\n\n{diff}"
        )


def test_schema_is_served_as_json_to_its_users(users):
    # anonymous callers are refused: beacon/core/tests/test_deployment.py
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["enterprise_user"])
    response = client.get("/api/v1/openapi.json")
    assert (response.status_code, response["Content-Type"]) == (
        200,
        "application/vnd.oai.openapi+json",
    )
    paths = response.json()["paths"]
    routes = [
        "zones",
        "industry-classes",
        "parks",
        "parcels",
        "enterprises",
        "figures",
        "innovation-platforms",
        "talents",
    ]
    routes = [f"registry/{route}" for route in routes]
    routes += [f"evaluation/{route}" for route in ("schemes", "runs", "results", "facts")]
    promotion = ("teams", "activities", "leads", "stage-history", "entry-rules", "targets")
    routes += [f"promotion/{route}" for route in promotion]
    routes += [f"chains/{route}" for route in ("chains", "target-lists", "targets")]
    supervision = ("projects", "milestones", "reports", "issues", "league-tables", "status-rules")
    routes += [f"supervision/{route}" for route in supervision]
    assert sorted(paths) == sorted(
        [f"/api/v1/{route}/{detail}" for route in routes for detail in ("", "{id}/")]
        + ["/api/v1/promotion/leads/{id}/move/", "/api/v1/supervision/projects/status/"]
    )


def test_interactive_docs_need_nothing_from_the_internet(users):
    client = Client()
    client.force_login(users["leader"])
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert (response.status_code, "://" in html) == (200, False)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # the start-up script is served as a file too (the Content-Security-Policy runs no
    # inline script)
    assert sorted(assets) == [
        "/api/v1/docs/?script=",
        "/static/api-docs.css",
        *(
            f"/static/drf_spectacular_sidecar/swagger-ui-dist/{name}"
            for name in (
                "favicon-32x32.png",
                "swagger-ui-bundle.js",
                "swagger-ui-standalone-preset.js",
                "swagger-ui.css",
            )
        ),
    ]
    assert [client.get(asset).status_code for asset in assets] == [200] * len(assets)
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "://" not in script
    assert 'url: "/api/v1/openapi.json"' in script


def test_the_served_schema_is_made_once_per_language_for_every_user(users, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from beacon.core.api import docs

    monkeypatch.setattr(docs, "_schemas", {})
    made = []
    make = SchemaGenerator.get_schema
    monkeypatch.setattr(
        SchemaGenerator, "get_schema", lambda self, **kw: made.append(1) or make(self, **kw)
    )
    served = {}
    for role, language in (("leader", "en"), ("auditor", "en"), ("leader", "zh-hans")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(users[role])
        served[role, language] = client.get("/api/v1/openapi.json").json()
    assert len(made) == 2  # English once for both users, Chinese once
    assert served["leader", "en"] == served["auditor", "en"]
    assert served["leader", "en"]["info"] != served["leader", "zh-hans"]["info"]
