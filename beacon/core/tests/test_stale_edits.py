"""No lost update: an edit carries the version its object was read at, and a save at a
version that is no longer the object's is refused with what was saved meanwhile.

The walks hold this for every model's edit form and API update
(``beacon.core.testing``); these tests cover what the walks do not: the page as the user
sees it, the API's If-Match forms (``*``, weak tags, several tags, deletes) and writes that
change a version without a form (a queryset update, an import).
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from beacon.core import gate
from beacon.core.models import ApiToken
from beacon.core.resources import get_resource
from beacon.core.tabular import read_sheet
from beacon.core.testing import STALE_ERROR, post_data
from beacon.registry.models import Enterprise

API = "/api/v1/registry/enterprises"


@pytest.fixture
def enterprise(zone):
    return zone["p1_enterprise"]


@pytest.fixture
def api(users):
    _token, key = ApiToken.issue(users["zone_admin"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_version_is_the_stored_row(enterprise):
    read = Enterprise.objects.get(pk=enterprise.pk)
    assert gate.version(read) == gate.version(Enterprise.objects.get(pk=enterprise.pk))
    # a write that does not stamp ``updated`` still makes a new version
    Enterprise.objects.filter(pk=enterprise.pk).update(name_en="Changed behind")
    assert gate.version(Enterprise.objects.get(pk=enterprise.pk)) != gate.version(read)


def test_the_second_of_two_edits_sees_both_values(enterprise, client_for):
    first, second = client_for("zone_admin"), client_for("park_officer")
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    mine = post_data(first.get(url).context["form"])
    theirs = post_data(second.get(url).context["form"])
    assert first.post(url, {**mine, "name_en": "First's name"}).status_code == 302

    theirs.pop("high_tech", None)  # the second user unticks (or leaves unticked) high-tech
    Enterprise.objects.filter(pk=enterprise.pk).update(high_tech=True)

    response = second.post(url, {**theirs, "name_en": "Second's name"})

    assert response.status_code == 200
    html = response.content.decode()
    assert STALE_ERROR.replace("'", "&#x27;") in html
    conflict = {d.name: (d.yours, d.saved) for d in response.context["conflict"]}
    assert conflict == {"name_en": ("Second's name", "First's name"), "high_tech": ("No", "Yes")}
    assert "Second&#x27;s name" in html and "First&#x27;s name" in html
    assert Enterprise.objects.get(pk=enterprise.pk).name_en == "First's name"
    # The form keeps the second user's values; saving it again is a save at the version
    # now, made with the first user's change in view.
    again = post_data(response.context["form"])
    assert again["name_en"] == "Second's name"
    assert second.post(url, again).status_code == 302
    assert Enterprise.objects.get(pk=enterprise.pk).name_en == "Second's name"


def test_the_conflict_is_shown_in_chinese(enterprise, client_for):
    client = client_for("zone_admin")
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    data = post_data(client.get(url).context["form"])
    Enterprise.objects.filter(pk=enterprise.pk).update(name_en="Changed behind")
    html = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="conflict"' in html
    assert "Someone else saved" not in html


def test_an_import_makes_a_new_version(enterprise, client_for, users):
    client = client_for("zone_admin")
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    data = post_data(client.get(url).context["form"])
    stamped = enterprise.updated
    out = io.StringIO()
    csv.writer(out).writerows(
        [["uscc", "name", "name_en", "park"], [enterprise.uscc, enterprise.name, "Imported", "P1"]]
    )
    report = get_resource("enterprises").run(
        read_sheet(out.getvalue().encode()), user=users["zone_admin"]
    )
    assert report.updated == 1, report

    response = client.post(url, data)

    assert response.status_code == 200
    assert [d.name for d in response.context["conflict"]] == ["name_en"]
    saved = Enterprise.objects.get(pk=enterprise.pk)
    assert (saved.name_en, saved.updated > stamped) == ("Imported", True)


def test_a_form_without_a_version_is_saved_as_before(enterprise, client_for):
    """A script posting the fields without the hidden version opts out of the check."""
    client = client_for("zone_admin")
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    data = post_data(client.get(url).context["form"])
    del data["_version"]
    Enterprise.objects.filter(pk=enterprise.pk).update(business_scope="Changed behind")
    assert client.post(url, {**data, "name_en": "Scripted"}).status_code == 302
    assert Enterprise.objects.get(pk=enterprise.pk).name_en == "Scripted"


@pytest.mark.parametrize(
    "header",
    ["{tag}", "W/{tag}", '"older", {tag}', "*", "{bare}"],
    ids=["strong", "weak", "one-of-several", "any", "unquoted"],
)
def test_if_match_naming_the_current_version_writes(enterprise, api, header):
    tag = api.get(f"{API}/{enterprise.pk}/")["ETag"]
    header = header.format(tag=tag, bare=tag.strip('"'))
    response = api.patch(
        f"{API}/{enterprise.pk}/", {"name_en": "Matched"}, "application/json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == api.get(f"{API}/{enterprise.pk}/")["ETag"] != tag


def test_a_stale_put_is_refused_with_the_current_version(enterprise, api):
    read = api.get(f"{API}/{enterprise.pk}/")
    Enterprise.objects.filter(pk=enterprise.pk).update(business_scope="Changed behind")
    body = {**read.json(), "name_en": "Stale"}
    response = api.put(
        f"{API}/{enterprise.pk}/", body, "application/json", HTTP_IF_MATCH=read["ETag"]
    )
    current = gate.version(Enterprise.objects.get(pk=enterprise.pk))
    assert (response.status_code, response.json()) == (
        409,
        {"detail": STALE_ERROR, "version": current},
    )
    assert response["ETag"] == f'"{current}"'
    assert Enterprise.objects.get(pk=enterprise.pk).name_en != "Stale"


def test_a_stale_delete_is_refused(zone, api):
    spare = zone["p2_enterprises"][1]
    tag = api.get(f"{API}/{spare.pk}/")["ETag"]
    Enterprise.objects.filter(pk=spare.pk).update(business_scope="Changed behind")
    response = api.delete(f"{API}/{spare.pk}/", HTTP_IF_MATCH=tag)
    assert response.status_code == 409
    assert Enterprise.objects.filter(pk=spare.pk).exists()
    response = api.delete(f"{API}/{spare.pk}/", HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 204
    assert not Enterprise.objects.filter(pk=spare.pk).exists()


def test_the_schema_documents_if_match_and_etag(client_for):
    schema = client_for("zone_admin").get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/registry/enterprises/{id}/"]
    assert "If-Match" in [p["name"] for p in operation["patch"]["parameters"]]
    assert "ETag" in operation["get"]["responses"]["200"]["headers"]
