"""The enterprise's own page: its figures, their trend, and a history that includes them."""

import json
import re

import pytest

from beacon.core.models import ChangeLogEntry
from beacon.core.testing import CHOICE_ERROR, csv_upload, post_data

pytestmark = pytest.mark.django_db

CREATE, UPDATE = ChangeLogEntry.Action.CREATE, ChangeLogEntry.Action.UPDATE


def figure_rows(response) -> list[tuple[str, ...]]:
    """The figures table: each row's cells as text."""
    html = response.content.decode()
    if 'id="figures"' not in html:
        return []
    body = html[html.index('id="figures"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return [
        tuple(
            re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
        )
        for row in body.split("<tr>")[1:]
    ]


def trend(response):
    match = re.search(
        r'<script id="enterprise-trend" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return None if match is None else json.loads(match.group(1))


def history(response) -> list[tuple[str, int, str | None]]:
    """(model, action, actor) of each history entry, newest first."""
    return [
        (e.content_type.model, e.action, e.actor.username if e.actor else None)
        for e in response.context["entries"]
    ]


@pytest.mark.parametrize(
    "role, shows_figures",
    [
        ("zone_admin", True),
        ("park_officer", True),
        ("leader", True),
        ("enterprise_user", True),
        # promoters read enterprises but not their figures
        ("promoter", False),
    ],
)
def test_enterprise_page_shows_figures_and_trend_to_who_may_see_them(
    zone, client_for, role, shows_figures
):
    enterprise = zone["p1_enterprise"]
    response = client_for(role).get(enterprise.get_absolute_url())
    assert response.status_code == 200
    if not shows_figures:
        assert figure_rows(response) == []
        assert trend(response) is None
        return
    # R&D and energy are not reported in the fixture
    row = ("120,000,000", "110,000,000", "30,000,000", "6,000,000", "300", "", "", "50.00")
    assert figure_rows(response) == [("2022", *row), ("2023", *row)]
    assert trend(response) == {
        "years": [2022, 2023],
        "output": [110000000.0, 110000000.0],
        "tax": [6000000.0, 6000000.0],
        "labels": {"output": "Industrial output (yuan)", "tax": "Taxes (yuan)"},
    }


def test_enterprise_history_includes_changes_to_its_figures(zone, users, client_for):
    enterprise, figure = zone["p1_enterprise"], zone["p1_figure"]
    officer = client_for("park_officer")
    page = officer.get(f"/registry/figures/{figure.pk}/edit/")
    data = {**post_data(page.context["form"]), "employees": "321"}
    assert officer.post(f"/registry/figures/{figure.pk}/edit/", data).status_code == 302
    response = officer.get(f"/registry/enterprises/{enterprise.pk}/history/")
    assert history(response) == [
        ("annualfigure", UPDATE, "park_officer"),
        ("annualfigure", CREATE, None),
        ("annualfigure", CREATE, None),
        ("enterprise", CREATE, None),
    ]
    assert response.context["entries"][0].changes["employees"] == ["300", "321"]
    assert "<code>employees</code>" in response.content.decode()
    # the other enterprise of the park keeps its own history
    other = officer.get(f"/registry/enterprises/{zone['p1_enterprises'][1].pk}/history/")
    assert [e for e in history(other) if e[1] == UPDATE] == []


def test_enterprise_history_includes_figures_written_by_import(zone, client_for):
    enterprise = zone["p1_enterprise"]
    client = client_for("zone_admin")
    rows = [
        {"uscc": enterprise.uscc, "year": "2023", "revenue": "125000000"},
        {"uscc": enterprise.uscc, "year": "2024", "revenue": "130000000"},
    ]
    response = client.post("/registry/figures/import/", {"file": csv_upload("f.csv", *rows)})
    assert response.status_code == 200
    assert (response.context["result"].created, response.context["result"].updated) == (1, 1)
    entries = client.get(f"/registry/enterprises/{enterprise.pk}/history/").context["entries"]
    bulk = [(e.action, e.object_repr, e.changes.get("revenue")) for e in entries[:2]]
    # the values as stored, with the column's places
    assert sorted(bulk) == [
        (CREATE, f"{enterprise} 2024", [None, "130000000.00"]),
        (UPDATE, f"{enterprise} 2023", ["120000000.00", "125000000.00"]),
    ]


@pytest.mark.parametrize("role", ["promoter", "system_admin"])
def test_enterprise_history_hides_figures_from_roles_that_cannot_see_them(zone, client_for, role):
    enterprise = zone["p1_enterprise"]
    expected = {"promoter": [("enterprise", CREATE, None)], "system_admin": None}[role]
    response = client_for(role).get(f"/registry/enterprises/{enterprise.pk}/history/")
    if expected is None:
        assert response.status_code == 404
    else:
        assert history(response) == expected
        assert "annual figures" not in response.content.decode()


@pytest.mark.parametrize(
    "path, key, field, errors",
    [
        # only the parks the officer may file into are offered, and only enterprises in scope
        ("parcels", "p1_parcel", "park", {"park": [CHOICE_ERROR]}),
        ("enterprises", "p1_enterprise", "park", {"park": [CHOICE_ERROR]}),
        ("platforms", "p1_platform", "park", {"park": [CHOICE_ERROR]}),
        ("talents", "p1_talent", "park", {"park": [CHOICE_ERROR]}),
        ("figures", "p1_figure", "enterprise", {"enterprise": [CHOICE_ERROR]}),
    ],
)
def test_park_officer_cannot_move_a_record_out_of_the_park(
    zone, client_for, path, key, field, errors
):
    obj, client = zone[key], client_for("park_officer")
    url = f"/registry/{path}/{obj.pk}/edit/"
    away = zone["p2"].pk if field == "park" else zone["p2_enterprise"].uscc
    response = client.post(url, {**post_data(client.get(url).context["form"]), field: away})
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert type(obj).objects.get(pk=obj.pk).updated == obj.updated


def test_enterprise_user_cannot_move_figures_to_another_enterprise(zone, client_for):
    figure, client = zone["p1_figure"], client_for("enterprise_user")
    url = f"/registry/figures/{figure.pk}/edit/"
    data = {
        **post_data(client.get(url).context["form"]),
        "enterprise": zone["p1_enterprises"][1].uscc,
    }
    response = client.post(url, data)
    assert response.context["form"].errors == {"enterprise": [CHOICE_ERROR]}
    figure.refresh_from_db()
    assert figure.enterprise == zone["p1_enterprise"]


def test_deleting_a_park_with_enterprises_is_refused_with_a_message(zone, client_for):
    park, client = zone["p1"], client_for("zone_admin")
    response = client.post(f"/registry/parks/{park.pk}/delete/", follow=True)
    assert response.redirect_chain == [(park.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"{park} cannot be deleted: other records refer to it."
    ]
    assert type(park).objects.filter(pk=park.pk).exists()


@pytest.mark.parametrize("role", ["zone_admin", "park_officer", "enterprise_user"])
def test_an_enterprise_with_parcels_can_be_edited_and_keeps_them(zone, client_for, role):
    enterprise, parcel = zone["p1_enterprise"], zone["p1_parcel"]
    enterprise.parcels.add(parcel)
    client, url = client_for(role), f"/registry/enterprises/{enterprise.pk}/edit/"
    form = client.get(url).context["form"]
    # the enterprise user may not see parcels, so is not offered the field
    assert ("parcels" in form.fields) == (role != "enterprise_user")
    response = client.post(url, {**post_data(form), "name_en": "Renamed Co."})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name_en, list(enterprise.parcels.all())) == ("Renamed Co.", [parcel])


@pytest.mark.parametrize(
    "role, parcels, errors",
    [
        ("zone_admin", "{p1}; {p2}", {}),
        ("park_officer", "{p1}", {}),
        (
            "park_officer",
            "{p1}; {p2}",
            {"parcels": ["Select a valid choice. {p2} is not one of the available choices."]},
        ),
        (
            "zone_admin",
            "{p1}; LD-X",
            {"parcels": ["Select a valid choice. LD-X is not one of the available choices."]},
        ),
    ],
)
def test_parcels_are_typed_as_codes_within_the_scope(zone, client_for, role, parcels, errors):
    enterprise = zone["p1_enterprise"]
    codes = {"p1": zone["p1_parcel"].code, "p2": zone["p2_parcel"].code}
    client, url = client_for(role), f"/registry/enterprises/{enterprise.pk}/edit/"
    data = {**post_data(client.get(url).context["form"]), "parcels": parcels.format(**codes)}
    response = client.post(url, data)
    if errors:
        expected = {k: [m.format(**codes) for m in v] for k, v in errors.items()}
        assert response.context["form"].errors == expected
        assert list(enterprise.parcels.all()) == []
    else:
        assert response.status_code == 302
        assert sorted(p.code for p in enterprise.parcels.all()) == sorted(
            parcels.format(**codes).split("; ")
        )


def test_enterprise_user_edits_only_what_is_theirs_to_correct(zone, client_for):
    enterprise = zone["p1_enterprise"]
    client, url = client_for("enterprise_user"), f"/registry/enterprises/{enterprise.pk}/edit/"
    form = client.get(url).context["form"]
    assert sorted(f.name for f in form.visible_fields()) == ["business_scope", "founded", "name_en"]
    response = client.post(
        url,
        {
            **post_data(form),
            "business_scope": "动力电池回收利用",
            # not offered: posting them anyway changes nothing
            "high_tech": "",
            "park": zone["p2"].pk,
            "name": "自己改的名字",
        },
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.business_scope, enterprise.high_tech, enterprise.park, enterprise.name) == (
        "动力电池回收利用",
        True,
        zone["p1"],
        zone["p1_enterprise"].name,
    )


def test_a_filter_that_cannot_be_applied_is_an_error_not_everything(zone, client_for):
    client = client_for("zone_admin")
    response = client.get("/registry/enterprises/?park=P9")
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0
    assert response.context["filter_form"].errors["park"]
    export = client.get("/registry/enterprises/?park=P9&export=csv")
    assert export.status_code == 400
    assert export.content.decode().startswith("park: ")
    assert client.get("/registry/figures/?year_from=abc&export=xlsx").status_code == 400


def result_count(response) -> str:
    return re.search(r'id="result-count">([^<]*)<', response.content.decode()).group(1)


def listed(response) -> list[str]:
    return [row.record.uscc for row in response.context["table"].page.object_list]


def test_a_search_counts_its_matches_up_to_a_bound_then_pages_on(zone, client_for, monkeypatch):
    from beacon.core.views import generic

    monkeypatch.setattr(generic, "SEARCH_COUNT_BOUND", 3)
    monkeypatch.setattr(generic.ObjectListView, "per_page", 2)
    admin = client_for("zone_admin")
    # the four enterprises of the zone all have 新能源 in their names
    first = admin.get("/registry/enterprises/?search=新能源&sort=uscc")
    assert result_count(first) == "More than 3 results"
    assert 'href="?search=%E6%96%B0%E8%83%BD%E6%BA%90&amp;sort=uscc&amp;page=2"' in (
        first.content.decode()
    )
    second = admin.get("/registry/enterprises/?search=新能源&sort=uscc&page=2")
    everything = sorted(e.uscc for e in zone["p1_enterprises"] + zone["p2_enterprises"])
    assert listed(first) + listed(second) == everything
    assert "page=3" not in second.content.decode()
    # within the bound the count is exact, and it counts only what the user may see
    monkeypatch.setattr(generic, "SEARCH_COUNT_BOUND", 4)
    assert result_count(admin.get("/registry/enterprises/?search=新能源")) == "4 results"
    monkeypatch.setattr(generic, "SEARCH_COUNT_BOUND", 1)
    officer = client_for("park_officer")
    assert (
        result_count(officer.get("/registry/enterprises/?search=新能源")) == "More than 1 results"
    )
    monkeypatch.setattr(generic, "SEARCH_COUNT_BOUND", 2)
    assert result_count(officer.get("/registry/enterprises/?search=新能源")) == "2 results"
    # a list with no search counts everything
    assert result_count(admin.get("/registry/enterprises/")) == "4 results"
