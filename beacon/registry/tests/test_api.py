"""The registry REST API (/api/v1/registry/…), for every endpoint and every role.

Each endpoint's class names its route and model, takes what each role may do from the table
written by hand in ``expected.py``, says which of the conftest ``zone`` objects each scope
reaches and how to fill a new object; ``beacon.core.testing.EndpointCases`` then walks list,
detail, update, create and delete for every role. The tests after the walk cover what is
the registry's own: search and filters, validation messages, clashes, and odd requests.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from beacon.conftest import ROLES
from beacon.core.api import exceptions as error_pages
from beacon.core.models import ApiToken
from beacon.core.roles import DEFAULT_ROLES
from beacon.core.testing import ALL, E1, P1, EndpointCases, listed, not_found, pks
from beacon.registry.models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)

from . import factories
from .expected import EXPECTED

API = "/api/v1/registry"
WRONG_CHECK_DIGIT = "91441200MA09000010"  # make_uscc(900001) is …13
# Unique per park, so a refused second attempt is refused for its scope and not as a clash.
NEW_USCC = {"P1": factories.make_uscc(900001), "P2": factories.make_uscc(900002)}


@pytest.fixture
def api(users):
    """A client that authenticates as ``role`` with a Bearer token, in English."""

    def make(role: str) -> Client:
        _token, key = ApiToken.issue(users[role])
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")

    return make


def figures(enterprises) -> list[AnnualFigure]:
    return [f for e in enterprises for f in e.figures.all()]


def test_table_names_every_shipped_role():
    assert set(ROLES) == {role["code"] for role in DEFAULT_ROLES}
    assert all(set(by_role) == set(ROLES) for by_role in EXPECTED.values())


class TestZones(EndpointCases):
    route, model = "registry/zones", Zone
    expected = EXPECTED["zone"]
    change = ("name_en", "Renamed zone")

    def reach(self, zone, scope):
        return {ALL: [zone["zone"]]}[scope]

    def payload(self, zone, at):
        return {"code": "north", "name": "北区", "name_en": "North"}

    def spare(self, zone, at):
        return factories.ZoneFactory(code="spare")


class TestIndustryClasses(EndpointCases):
    route, model = "registry/industry-classes", IndustryClass
    expected = EXPECTED["industryclass"]
    change = ("name_en", "Lithium-ion batteries")
    # Listing all 1971 classes for every role would take seconds; the whole count is checked
    # once in test_industry_classes_are_the_whole_classification.
    list_query = "code=38"

    def reach(self, zone, scope):
        return {ALL: list(IndustryClass.objects.filter(code__startswith="38"))}[scope]

    def payload(self, zone, at):
        return {
            "code": "3845",
            "name": "钠离子电池制造",
            "level": "class",
            "parent": "384",
            "section": "C",
        }

    def spare(self, zone, at):
        return IndustryClass.objects.create(
            code="3846", name="液流电池制造", level="class", section="C"
        )


class TestParks(EndpointCases):
    route, model = "registry/parks", Park
    expected = EXPECTED["park"]
    change = ("name_en", "New Energy Vehicle Park")

    def reach(self, zone, scope):
        return {ALL: [zone["p1"], zone["p2"]], P1: [zone["p1"]]}[scope]

    def payload(self, zone, at):
        return {"zone": "demo", "code": "P9", "name": "海洋装备产业园", "industries": ["3841"]}

    def spare(self, zone, at):
        return factories.ParkFactory(zone=zone["zone"])


class TestParcels(EndpointCases):
    route, model = "registry/parcels", Parcel
    expected = EXPECTED["parcel"]
    change = ("notes", "临近港口")

    def reach(self, zone, scope):
        return {ALL: [zone["p1_parcel"], zone["p2_parcel"]], P1: [zone["p1_parcel"]]}[scope]

    def payload(self, zone, at):
        return {
            "code": f"LD-{at.park.code}",
            "park": at.park.code,
            "area_mu": "30.00",
            "status": "available",
        }

    def spare(self, zone, at):
        return factories.ParcelFactory(park=zone["p1"])


class TestEnterprises(EndpointCases):
    route, model = "registry/enterprises", Enterprise
    expected = EXPECTED["enterprise"]
    change = ("name_en", "Renamed Co., Ltd.")

    def reach(self, zone, scope):
        p1, p2 = zone["p1_enterprises"], zone["p2_enterprises"]
        return {ALL: p1 + p2, P1: p1, E1: [zone["p1_enterprise"]]}[scope]

    def payload(self, zone, at):
        return {
            "uscc": NEW_USCC[at.park.code],
            "name": "肇庆新材料有限公司",
            "industry_code": "3841",
            "park": at.park.code,
        }

    def spare(self, zone, at):
        return factories.EnterpriseFactory(park=zone["p1"])


class TestFigures(EndpointCases):
    route, model = "registry/figures", AnnualFigure
    expected = EXPECTED["annualfigure"]
    change = ("employees", 321)

    def reach(self, zone, scope):
        p1, p2 = zone["p1_enterprises"], zone["p2_enterprises"]
        return {ALL: figures(p1 + p2), P1: figures(p1), E1: figures([zone["p1_enterprise"]])}[scope]

    def payload(self, zone, at):
        return {"uscc": at.enterprise.uscc, "year": 2024, "revenue": "1000000.00", "employees": 12}

    def spare(self, zone, at):
        return factories.AnnualFigureFactory(enterprise=zone["p1_enterprise"], year=2021)

    def away_error(self, zone, at):
        # Enterprises outside the scope are not even choices.
        return {"uscc": [f"Object with uscc={at.enterprise.uscc} does not exist."]}


class TestInnovationPlatforms(EndpointCases):
    route, model = "registry/innovation-platforms", InnovationPlatform
    expected = EXPECTED["innovationplatform"]
    change = ("name_en", "Energy Storage Lab")

    def reach(self, zone, scope):
        return {
            ALL: [zone["p1_platform"], zone["p2_platform"]],
            P1: [zone["p1_platform"]],
            E1: [zone["p1_platform"]],
        }[scope]

    def payload(self, zone, at):
        park = at.park.code
        return {"name": "新型储能实验室", "kind": "lab", "level": "provincial", "park": park}

    def spare(self, zone, at):
        return factories.InnovationPlatformFactory(
            park=zone["p1"], enterprise=zone["p1_enterprise"]
        )


class TestTalents(EndpointCases):
    route, model = "registry/talents", Talent
    expected = EXPECTED["talent"]
    change = ("name_en", "Solid-state Battery Team")

    def reach(self, zone, scope):
        return {
            ALL: [zone["p1_talent"], zone["p2_talent"]],
            P1: [zone["p1_talent"]],
            E1: [zone["p1_talent"]],
        }[scope]

    def payload(self, zone, at):
        return {"name": "固态电池创业团队", "kind": "startup_team", "park": at.park.code}

    def spare(self, zone, at):
        return factories.TalentFactory(park=zone["p1"], enterprise=zone["p1_enterprise"])


def test_industry_classes_are_the_whole_classification(api):
    # GB/T 4754-2017: 20 sections, 97 divisions, 473 groups, 1381 classes
    response = api("leader").get(f"{API}/industry-classes/?limit=1")
    assert (response.status_code, response.json()["count"]) == (200, 1971)


# -- search and filters: the UI's FilterSet, through the API --------------------------------


@pytest.fixture
def more(zone):
    """Enterprises that differ from the fixture's (all high-tech, active, industry 3841, with
    新能源 in the name and not in the business scope) in one filtered property each."""
    make = factories.EnterpriseFactory
    return {
        "scope_match": make(
            park=zone["p1"], name="端州精密机械有限公司", business_scope="新能源汽车零部件制造"
        ),
        "food": make(
            park=zone["p1"],
            name="鼎湖食品有限公司",
            business_scope="食品加工",
            industry=IndustryClass.objects.get(code="1391"),
            high_tech=False,
        ),
        "closed": make(park=zone["p2"], name="高要五金有限公司", status="closed"),
    }


def enterprises_found(client, query: str) -> tuple[int, list[int]]:
    count, ids = listed(client, f"{API}/enterprises/?{query}")
    return count, sorted(ids)


def test_search_finds_chinese_text_in_name_or_business_scope(zone, api, more):
    expected = pks([*zone["p1_enterprises"], *zone["p2_enterprises"], more["scope_match"]])
    assert enterprises_found(api("leader"), "search=新能源") == (5, expected)
    assert enterprises_found(api("leader"), "search=食品") == (1, [more["food"].pk])


def test_search_keeps_to_the_scope(zone, api, more):
    expected = pks([*zone["p1_enterprises"], more["scope_match"]])
    assert enterprises_found(api("park_officer"), "search=新能源") == (3, expected)
    assert enterprises_found(api("park_officer"), "search=五金") == (0, [])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("park=P1", ["p1_enterprises", "scope_match", "food"]),
        ("park=P1&park=P2", ["p1_enterprises", "p2_enterprises", "scope_match", "food", "closed"]),
        ("high_tech=true", ["p1_enterprises", "p2_enterprises", "scope_match", "closed"]),
        ("high_tech=false", ["food"]),
        ("industry_code=38", ["p1_enterprises", "p2_enterprises", "scope_match", "closed"]),
        ("industry_code=139", ["food"]),
        ("status=closed", ["closed"]),
        ("status=active&park=P2", ["p2_enterprises"]),
        (
            "park=P1&high_tech=true&industry_code=3841&status=active",
            ["p1_enterprises", "scope_match"],
        ),
    ],
)
def test_filters(zone, api, more, query, expected):
    objects = [obj for key in expected for obj in (zone.get(key) or [more[key]])]
    assert enterprises_found(api("zone_admin"), query) == (len(objects), pks(objects))


def test_filters_keep_to_the_scope(zone, api, more):
    # P2 is a valid choice for a park officer, who sees every park, yet holds nothing for them.
    assert enterprises_found(api("park_officer"), "park=P2") == (0, [])
    assert enterprises_found(api("park_officer"), "high_tech=false") == (1, [more["food"].pk])


def test_unknown_filter_choice_is_a_400(zone, api):
    response = api("zone_admin").get(f"{API}/enterprises/?park=P9&status=bankrupt")
    assert (response.status_code, response.json()) == (
        400,
        {
            "park": ["Select a valid choice. P9 is not one of the available choices."],
            "status": ["Select a valid choice. bankrupt is not one of the available choices."],
        },
    )


def test_figures_filter_by_park_year_and_uscc(zone, api):
    client, enterprise = api("leader"), zone["p1_enterprise"]
    count, ids = listed(client, f"{API}/figures/?park=P2&year=2023")
    assert (count, sorted(ids)) == (
        2,
        pks(e.figures.get(year=2023) for e in zone["p2_enterprises"]),
    )
    count, ids = listed(client, f"{API}/figures/?uscc={enterprise.uscc}&year_from=2023")
    assert (count, ids) == (1, [zone["p1_figure"].pk])


# -- validation: field-level messages, 409 for clashes, 400 for bad paging ------------------


def enterprise_data(**changes) -> dict:
    return {
        "uscc": NEW_USCC["P1"],
        "name": "肇庆新材料有限公司",
        "industry_code": "3841",
        "park": "P1",
        **changes,
    }


@pytest.mark.parametrize(
    "changes, errors",
    [
        (
            {"uscc": WRONG_CHECK_DIGIT},
            {"uscc": ["The check digit of this Unified Social Credit Code is wrong."]},
        ),
        (
            {"uscc": "91441200MA000"},
            {"uscc": ["A Unified Social Credit Code has 18 characters."]},
        ),
        (
            {"industry_code": "9999"},
            {"industry_code": ["Object with code=9999 does not exist."]},
        ),
        (
            # a division, not a class: only the finest level can be an enterprise's industry
            {"industry_code": "38"},
            {"industry_code": ["Object with code=38 does not exist."]},
        ),
        (
            {"park": "P9", "status": "bankrupt", "founded": "2016-13-01"},
            {
                "park": ["Object with code=P9 does not exist."],
                "status": ['"bankrupt" is not a valid choice.'],
                "founded": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            },
        ),
    ],
)
def test_enterprise_validation_messages(zone, api, changes, errors):
    response = api("zone_admin").post(
        f"{API}/enterprises/", enterprise_data(**changes), "application/json"
    )
    assert (response.status_code, response.json()) == (400, errors)
    assert Enterprise.objects.count() == 4


@pytest.mark.parametrize(
    "changes, errors",
    [
        ({"revenue": "-1"}, {"revenue": ["Ensure this value is greater than or equal to 0."]}),
        ({"employees": -5}, {"employees": ["Ensure this value is greater than or equal to 0."]}),
        (
            {"year": 1800},
            {"year": [f"The year must be between 1949 and {dt.date.today().year + 1}."]},
        ),
        (
            {"revenue": "12.345", "land_mu": "abc"},
            {
                "revenue": ["Ensure that there are no more than 2 decimal places."],
                "land_mu": ["A valid number is required."],
            },
        ),
    ],
)
def test_figure_validation_messages(zone, api, changes, errors):
    data = {"uscc": zone["p1_enterprise"].uscc, "year": 2024, **changes}
    response = api("zone_admin").post(f"{API}/figures/", data, "application/json")
    assert (response.status_code, response.json()) == (400, errors)
    assert AnnualFigure.objects.count() == 8


def test_second_enterprise_with_the_same_uscc_is_a_409(zone, api):
    data = enterprise_data(uscc=zone["p2_enterprise"].uscc)
    response = api("zone_admin").post(f"{API}/enterprises/", data, "application/json")
    assert (response.status_code, response.json()) == (
        409,
        {"uscc": ["enterprise with this Unified Social Credit Code already exists."]},
    )
    assert Enterprise.objects.count() == 4


def test_changing_uscc_to_one_in_use_is_a_409(zone, api):
    enterprise, other = zone["p1_enterprises"]
    before = enterprise.uscc
    response = api("zone_admin").patch(
        f"{API}/enterprises/{enterprise.pk}/", {"uscc": other.uscc}, "application/json"
    )
    assert (response.status_code, response.json()) == (
        409,
        {"uscc": ["enterprise with this Unified Social Credit Code already exists."]},
    )
    enterprise.refresh_from_db()
    assert enterprise.uscc == before


def test_second_figures_row_for_the_same_enterprise_and_year_is_a_409(zone, api):
    data = {"uscc": zone["p1_enterprise"].uscc, "year": 2023, "revenue": "1.00"}
    response = api("zone_admin").post(f"{API}/figures/", data, "application/json")
    assert (response.status_code, response.json()) == (
        409,
        {"non_field_errors": ["This enterprise already has figures for this year."]},
    )
    kept = AnnualFigure.objects.filter(enterprise=zone["p1_enterprise"], year=2023)
    assert list(kept.values_list("revenue", flat=True)) == [Decimal("120000000.00")]


NEUTRAL = "This cannot be filed here; the zone administration has been told."


def test_a_code_out_of_sight_is_refused_without_saying_it_exists(zone, api, client_for):
    """A park officer filing an enterprise under another park's enterprise's code gets the
    neutral refusal, in the API and in the form, never "already exists"; the attempt is on
    that enterprise's history for the zone administration."""
    from beacon.core.models import ChangeLogEntry

    hidden = zone["p2_enterprise"]
    officer = api("park_officer")
    response = officer.post(
        f"{API}/enterprises/", enterprise_data(uscc=hidden.uscc.lower()), "application/json"
    )
    assert (response.status_code, response.json()) == (400, {"non_field_errors": [NEUTRAL]})
    # one the officer may see clashes as it always did
    response = officer.post(
        f"{API}/enterprises/", enterprise_data(uscc=zone["p1_enterprise"].uscc), "application/json"
    )
    assert response.status_code == 409
    form = client_for("park_officer").post(
        "/registry/enterprises/add/",
        {
            "uscc": hidden.uscc,
            "name": "本园企业",
            "industry": hidden.industry_id,
            "park": zone["p1"].pk,
            "status": "active",
        },
    )
    assert form.status_code == 200
    assert form.context["form"].errors == {"__all__": [NEUTRAL]}
    attempts = ChangeLogEntry.objects.get_for_object(hidden).filter(action=3)
    assert [e.changes["refused"][1] for e in attempts.order_by("pk")] == [
        "park_officer filed one like it (API)",
        "park_officer filed one like it (form)",
    ]
    assert Enterprise.objects.count() == 4


def test_a_clash_mixed_with_other_errors_is_a_400(zone, api):
    data = enterprise_data(uscc=zone["p2_enterprise"].uscc, park="P9")
    response = api("zone_admin").post(f"{API}/enterprises/", data, "application/json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "uscc": ["enterprise with this Unified Social Credit Code already exists."],
            "park": ["Object with code=P9 does not exist."],
        },
    )


@pytest.mark.parametrize(
    "route, referred",
    [
        ("parks", lambda zone: zone["p1"]),  # its enterprises and parcels
        ("zones", lambda zone: zone["zone"]),  # its parks
        ("industry-classes", lambda zone: IndustryClass.objects.get(code="3841")),
    ],
)
def test_deleting_what_is_still_referred_to_is_a_409(zone, api, route, referred):
    obj = referred(zone)
    response = api("zone_admin").delete(f"{API}/{route}/{obj.pk}/")
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Other records refer to this object; it cannot be deleted."},
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "query, errors",
    [
        ("limit=abc", {"limit": ["Must be a whole number."]}),
        ("limit=0", {"limit": ["Must be at least 1."]}),
        ("limit=1001", {"limit": ["Must be at most 1000."]}),
        ("offset=-1", {"offset": ["Must be at least 0."]}),
        ("offset=1.5", {"offset": ["Must be a whole number."]}),
    ],
)
def test_bad_paging_is_a_400(zone, api, query, errors):
    response = api("zone_admin").get(f"{API}/enterprises/?{query}")
    assert (response.status_code, response.json()) == (400, errors)


def test_paging_walks_the_scope(zone, api):
    client = api("park_officer")
    first = client.get(f"{API}/enterprises/?limit=1").json()
    second = client.get(first["next"]).json()
    assert (first["count"], first["previous"], second["next"]) == (2, None, None)
    assert second["previous"] == "http://testserver/api/v1/registry/enterprises/?limit=1"
    ids = [first["results"][0]["id"], second["results"][0]["id"]]
    assert sorted(ids) == pks(zone["p1_enterprises"])
    beyond = client.get(f"{API}/enterprises/?offset=100000000000000000000")
    assert (beyond.status_code, beyond.json()["results"]) == (200, [])


# -- moving things out of the scope ---------------------------------------------------------


def test_park_officer_cannot_move_an_enterprise_to_another_park(zone, api):
    enterprise = zone["p1_enterprise"]
    response = api("park_officer").patch(
        f"{API}/enterprises/{enterprise.pk}/", {"park": "P2"}, "application/json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"park": ["Object with code=P2 does not exist."]},
    )
    enterprise.refresh_from_db()
    assert enterprise.park == zone["p1"]


def test_enterprise_user_corrects_its_scope_but_cannot_certify_itself(zone, api):
    enterprise, client = zone["p1_enterprise"], api("enterprise_user")
    url = f"{API}/enterprises/{enterprise.pk}/"
    response = client.patch(url, {"business_scope": "储能系统集成"}, "application/json")
    assert response.status_code == 200
    response = client.patch(
        url, {"high_tech": False, "park": "P2", "name_en": "Renamed"}, "application/json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "high_tech": ["Your role may not change this field."],
            "park": ["Your role may not change this field."],
        },
    )
    # sending back the values it read is no change, so a full PUT of a GET works
    body = client.get(url).json()
    assert (
        client.put(url, {**body, "business_scope": "储能"}, "application/json").status_code == 200
    )
    enterprise.refresh_from_db()
    assert (
        enterprise.business_scope,
        enterprise.high_tech,
        enterprise.park,
        enterprise.name_en,
    ) == (
        "储能",
        True,
        zone["p1"],
        zone["p1_enterprise"].name_en,
    )


def test_enterprise_user_cannot_move_figures_to_another_enterprise(zone, api):
    figure, neighbour = zone["p1_figure"], zone["p1_enterprises"][1]
    response = api("enterprise_user").patch(
        f"{API}/figures/{figure.pk}/", {"uscc": neighbour.uscc}, "application/json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"uscc": [f"Object with uscc={neighbour.uscc} does not exist."]},
    )
    figure.refresh_from_db()
    assert figure.enterprise == zone["p1_enterprise"]


def test_parcels_outside_the_scope_are_not_choices(zone, api):
    enterprise, away = zone["p1_enterprise"], zone["p2_parcel"]
    client = api("park_officer")
    url = f"{API}/enterprises/{enterprise.pk}/"
    response = client.patch(url, {"parcels": [away.code]}, "application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"parcels": [f"Object with code={away.code} does not exist."]},
    )
    own = zone["p1_parcel"].code
    response = client.patch(url, {"parcels": [own]}, "application/json")
    assert (response.status_code, response.json()["parcels"]) == (200, [own])


# -- every error under /api/ is JSON, and nothing is a 500 -----------------------------------


def test_unknown_urls_under_api_are_json_404s(zone, api):
    client = api("zone_admin")
    for url in ("/api/v1/nothing/", f"{API}/parks/P1/", "/api/v2/"):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"], response.json()) == (
            404,
            "application/json",
            {"detail": "Not found."},
        )
    assert client.get("/registry/nothing/")["Content-Type"].startswith("text/html")


def test_requests_django_refuses_before_any_view_are_json_under_api(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{API}/parks/", HTTP_HOST="evil.example")
    assert (response.status_code, response.json()) == (400, {"detail": "Malformed request."})


@pytest.mark.parametrize(
    "handler, status, message",
    [
        (error_pages.bad_request, 400, "Malformed request."),
        (error_pages.permission_denied, 403, "You do not have permission to perform this action."),
        (error_pages.page_not_found, 404, "Not found."),
        (error_pages.server_error, 500, "A server error occurred."),
    ],
)
def test_django_error_pages_are_json_under_api_only(rf, handler, status, message):
    args = () if handler is error_pages.server_error else (Exception(),)
    with translation.override("en"):
        api_page = handler(rf.get(f"{API}/parks/"), *args)
        html_page = handler(rf.get("/registry/parks/"), *args)
    assert (api_page.status_code, json.loads(api_page.content)) == (status, {"detail": message})
    html = (html_page.status_code, html_page["Content-Type"])
    assert html == (status, "text/html; charset=utf-8")


def test_unauthenticated_requests_are_json_401s(zone):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"{API}/parks/")
    assert (response.status_code, response["WWW-Authenticate"], response.json()) == (
        401,
        "Bearer",
        {"detail": "Authentication credentials were not provided."},
    )


@pytest.mark.parametrize(
    "method, url, body, content_type, status, errors",
    [
        (
            "post",
            f"{API}/zones/",
            "code=north&name=x",
            "application/x-www-form-urlencoded",
            415,
            {"detail": 'Unsupported media type "application/x-www-form-urlencoded" in request.'},
        ),
        (
            "post",
            f"{API}/zones/",
            "{not json",
            "application/json",
            400,
            {
                "detail": "JSON parse error - Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)"
            },
        ),
        (
            "post",
            f"{API}/zones/",
            "[1, 2]",
            "application/json",
            400,
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
        ),
        (
            "put",
            f"{API}/zones/",
            "{}",
            "application/json",
            405,
            {"detail": 'Method "PUT" not allowed.'},
        ),
    ],
)
def test_malformed_requests_are_json_4xx(
    zone, api, method, url, body, content_type, status, errors
):
    response = getattr(api("zone_admin"), method)(url, body, content_type)
    assert (response.status_code, response.json()) == (status, errors)


SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}


@pytest.mark.parametrize(
    "route, data, errors",
    [
        # PostgreSQL cannot compare or store text with NUL; an unpaired surrogate is no UTF-8
        (
            "parks",
            {"zone": "demo\x00", "code": "P9", "name": "x"},
            {"zone": ["Object with code=demo\x00 does not exist."]},
        ),
        (
            "figures",
            {"uscc": "\x00", "year": 2024},
            {"uscc": ["Object with uscc=\x00 does not exist."]},
        ),
        (
            "parcels",
            {
                "code": "X1",
                "park": "P1",
                "area_mu": "1",
                "outline": {**SQUARE, "name": "\x00"},
            },
            {"outline": ["Null characters are not allowed."]},
        ),
        (
            "parcels",
            {"code": "X1", "park": "P1", "area_mu": "1", "outline": {**SQUARE, "\ud800": 1}},
            {"outline": ["Surrogate characters are not allowed: U+D800."]},
        ),
        (
            # echoed in the message, which must still render
            "parcels",
            {"code": "X1", "park": "P1", "area_mu": "1", "status": "\ud800"},
            {"status": ['"\ud800" is not a valid choice.']},
        ),
        (
            "talents",
            {"name": "x", "kind": "talent", "year": 10**30},
            {
                "year": [
                    f"The year must be between 1949 and {dt.date.today().year + 1}.",
                    "Ensure this value is less than or equal to 32767.",
                ]
            },
        ),
        (
            "parcels",
            {"code": "X1", "park": "P1", "area_mu": "1e400"},
            {"area_mu": ["Ensure that there are no more than 12 digits in total."]},
        ),
    ],
)
def test_values_no_database_can_hold_are_400s(zone, api, route, data, errors):
    response = api("zone_admin").post(f"{API}/{route}/", data, "application/json")
    assert (response.status_code, response.json()) == (400, errors)


def test_json_nested_too_deep_is_a_400(zone, api):
    body = "[" * 100_000 + "]" * 100_000
    response = api("zone_admin").post(f"{API}/zones/", body, "application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - maximum recursion depth")


NULL_ERROR = ["Null characters are not allowed."]


@pytest.mark.parametrize(
    "url, status, body",
    [
        (f"{API}/enterprises/?search=%00", 400, {"search": NULL_ERROR}),
        (f"{API}/enterprises/?park=%00", 400, {"park": NULL_ERROR}),
        (f"{API}/figures/?uscc=%00", 400, {"uscc": NULL_ERROR}),
        (
            f"{API}/parcels/?min_area_mu=1e400",
            400,
            {"min_area_mu": ["Ensure this value is less than or equal to 1e+50."]},
        ),
        (
            f"{API}/figures/?year=99999999999999999999",
            200,
            {"count": 0, "next": None, "previous": None, "results": []},
        ),
        (f"{API}/enterprises/99999999999999999999/", 404, not_found(Enterprise)),
    ],
)
def test_odd_queries_are_answered_not_crashed_on(zone, api, url, status, body):
    response = api("zone_admin").get(url)
    assert (response.status_code, response.json()) == (status, body)
