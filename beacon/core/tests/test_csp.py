"""The Content-Security-Policy: on every HTML response, scripts and styles only from Beacon's
own files (no 'unsafe-inline', no 'unsafe-eval'), and in the browser no page of the main
flows asks for anything the policy refuses."""

import pytest
from django.test import Client
from django.urls import reverse

from beacon.core.navigation import menu_for

STRICT = {
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "default-src": ["'self'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(response, styles_inline=False):
    path = response.request["PATH_INFO"]
    assert response["Content-Type"].startswith("text/html"), path
    directives = policy(response)
    for name, sources in STRICT.items():
        assert directives.get(name) == sources, (path, name, directives.get(name))
    script = directives["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (path, script)
    assert ("'unsafe-inline'" in directives["style-src"]) == styles_inline, path


@pytest.fixture
def zone_admin(users):
    # as the demo makes it: the zone administration also works in the Django admin
    user = users["zone_admin"]
    user.is_staff = user.role.staff
    user.save()
    return user


def main_pages(zone) -> list[str]:
    enterprise = zone["p1_enterprise"]
    return [
        reverse("home"),
        *(item["url"] for group in menu_for(zone["user"]) for item in group["items"]),
        enterprise.get_absolute_url(),
        reverse("registry:enterprise_edit", args=[enterprise.pk]),
        reverse("registry:enterprise_history", args=[enterprise.pk]),
        reverse("registry:enterprise_import"),
        reverse("promotion:board"),
        reverse("promotion:figures"),
        reverse("promotion:calendar"),
        reverse("supervision:league"),
        reverse("supervision:list"),
        reverse("api-docs"),
        reverse("password-change"),
        reverse("two-factor"),
        "/admin/",
        "/admin/registry/enterprise/",
        f"/admin/registry/enterprise/{enterprise.pk}/change/",
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_main_page_carries_the_strict_policy(zone, zone_admin, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert_strict(client.get(reverse("login")))
    client.force_login(zone_admin)
    pages = main_pages({**zone, "user": zone_admin})
    assert len(pages) > 20
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
    # an answer that is not a page carries it too, and a missing page's
    assert_strict(client.get("/registry/enterprises/0/"))
    assert "Content-Security-Policy" in client.get(reverse("api-schema")).headers


def test_only_redoc_may_use_inline_styles_and_never_inline_scripts(zone, users):
    client = Client()
    client.force_login(users["zone_admin"])
    response = client.get(reverse("api-redoc"))
    assert_strict(response, styles_inline=True)
    assert policy(response)["worker-src"] == ["'self'", "blob:"]


def test_no_page_template_holds_an_inline_script_style_or_handler(zone, zone_admin):
    client = Client()
    client.force_login(zone_admin)
    for path in main_pages({**zone, "user": zone_admin}):
        html = client.get(path).content.decode()
        for marker in (" onclick=", " onchange=", " onsubmit=", " onload=", " style=", "<style"):
            assert marker not in html, (path, marker)
        for script in html.split("<script")[1:]:
            head = script.split(">", 1)[0]
            assert " src=" in head or 'type="application/json"' in head, (path, head)
