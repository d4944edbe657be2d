"""The evaluation's pages for every role: schemes and versions, runs, results and their
scope, scorecards, class changes, exports, the PDF and the API (each model's walk is in
test_walk.py)."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from beacon.conftest import ROLES
from beacon.core.models import ApiToken, ChangeLogEntry
from beacon.core.testing import ALL, E1, NO, P1, read_export
from beacon.evaluation.models import EvaluationResult, Scheme
from beacon.evaluation.services import mark_official, run_evaluation

from .conftest import SCHEME, hand_zone

# What each role may do, copied by hand from beacon/core/roles.py (never computed from it).
# fmt: off
# role -> (schemes and runs visible, results visible, may start runs and edit schemes,
#          may change a class)
ROLE_REACH = {
    "zone_admin":      (True, ALL, True, True),
    "park_officer":    (True, P1, False, False),
    "promoter":        (False, NO, False, False),
    "leader":          (True, ALL, False, False),
    "enterprise_user": (False, E1, False, False),
    "auditor":         (False, NO, False, False),
    "system_admin":    (False, NO, False, False),
    "security_admin":  (False, NO, False, False),
}
# fmt: on


@pytest.fixture
def run(zone, users, scheme):
    hand_zone(zone)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    mark_official(run)
    return run


def test_enterprises_see_official_runs_only(zone, users, client_for, scheme):
    hand_zone(zone)
    draft = run_evaluation(scheme, 2023, users["zone_admin"])
    result = draft.results.get(enterprise=zone["p1_enterprise"])
    enterprise, officer = client_for("enterprise_user"), client_for("park_officer")
    assert officer.get(result.get_absolute_url()).status_code == 200
    assert enterprise.get(result.get_absolute_url()).status_code == 404
    listed = enterprise.get(reverse("evaluation:evaluationresult_list"), {"run": draft.pk})
    assert table_links(listed, "evaluationresult") == []
    page = enterprise.get(zone["p1_enterprise"].get_absolute_url()).content.decode()
    assert "No official evaluation yet." in page
    mark_official(draft)
    assert enterprise.get(result.get_absolute_url()).status_code == 200
    page = enterprise.get(zone["p1_enterprise"].get_absolute_url()).content.decode()
    assert result.get_absolute_url() in page


def in_reach(zone, scope) -> set:
    enterprises = zone["p1_enterprises"] + zone["p2_enterprises"]
    return {
        ALL: {e.pk for e in enterprises},
        P1: {e.pk for e in zone["p1_enterprises"]},
        E1: {zone["p1_enterprise"].pk},
        NO: set(),
    }[scope]


def table_links(response, name) -> list[int]:
    prefix = re.escape(reverse(f"evaluation:{name}_list"))
    return [int(pk) for pk in re.findall(rf'href="{prefix}(\d+)/"', response.content.decode())]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_runs_and_results_of_its_reach(zone, client_for, run, role):
    client = client_for(role)
    runs_visible, results_scope, may_run, _change = ROLE_REACH[role]
    for url in (
        reverse("evaluation:evaluationrun_list"),
        run.get_absolute_url(),
        reverse("evaluation:scheme_list"),
        run.scheme.get_absolute_url(),
    ):
        assert client.get(url).status_code == (200 if runs_visible else 404), url
    assert client.get(reverse("evaluation:evaluationrun_add")).status_code == (
        200 if may_run else 404
    )
    results = reverse("evaluation:evaluationresult_list")
    reach = in_reach(zone, results_scope)
    if results_scope is NO:
        assert client.get(results).status_code == 404
    else:
        shown = table_links(client.get(results, {"run": run.pk}), "evaluationresult")
        assert {r.enterprise_id for r in EvaluationResult.objects.filter(pk__in=shown)} == reach
    for result in run.results.all():
        expected = 200 if result.enterprise_id in reach else 404
        assert client.get(result.get_absolute_url()).status_code == expected
        pdf = reverse("evaluation:evaluationresult_pdf", args=[result.pk])
        assert client.get(pdf).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_zone_admin_changes_a_class_with_a_reason(zone, users, client_for, run, role):
    client = client_for(role)
    result = run.results.get(enterprise=zone["p1_enterprise"])
    url = reverse("evaluation:evaluationresult_edit", args=[result.pk])
    if not ROLE_REACH[role][3]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"final_class": "D", "class_change_reason": "x"}).status_code == 404
        result.refresh_from_db()
        assert result.final_class == "A"
        return
    response = client.post(url, {"final_class": "B", "class_change_reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"class_change_reason": ["This field is required."]}
    response = client.post(url, {"final_class": "B", "class_change_reason": "证据材料补充"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.evaluated_class, result.final_class, result.class_changed) == ("A", "B", True)
    (entry,) = ChangeLogEntry.objects.get_for_object(result).filter(
        action=ChangeLogEntry.Action.UPDATE
    )
    assert entry.actor == users[role]
    assert entry.changes["final_class"] == ["A", "B"]
    assert entry.changes["class_change_reason"] == ["", "证据材料补充"]
    page = client.get(result.get_absolute_url()).content.decode()
    assert "Class changed from A to B: 证据材料补充" in page
    # the change shows in the enterprise's history too
    history = client.get(reverse("registry:enterprise_history", args=[zone["p1_enterprise"].pk]))
    assert "证据材料补充" in history.content.decode()


def test_the_scorecard_explains_the_score(zone, client_for, run):
    result = run.results.get(enterprise=zone["p1_enterprises"][0])
    page = client_for("zone_admin").get(result.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'id="scorecard-class">A<', html)
    assert "Rank 1 of 4" in html
    rows = page.context["indicators"]
    assert [(r["key"], r["label"], r["value"], r["benchmark"], r["points"]) for r in rows] == [
        ("tax_per_mu", "Tax per mu", 160000.0, 100000, 96.0),
        ("va_per_mu", "va_per_mu", 600000.0, pytest.approx(685714.2857), pytest.approx(35.0)),
    ]
    # its park P1 (160,000 and 100,000) and the zone (160,000, 100,000, 100,000, 20,000)
    assert rows[0]["park"] == {"mean": 130000.0, "median": 130000.0}
    assert rows[0]["zone"] == {"mean": 95000.0, "median": 100000.0}
    assert page.context["park_mean_score"] == pytest.approx(113.0)
    assert page.context["zone_mean_score"] == pytest.approx(100.75)


def test_year_on_year_shows_the_official_classes(zone, users, client_for, scheme):
    hand_zone(zone)
    earlier = run_evaluation(scheme, 2022, users["zone_admin"])
    mark_official(earlier)
    run = run_evaluation(scheme, 2023, users["zone_admin"])
    result = run.results.get(enterprise=zone["p2_enterprises"][1])
    page = client_for("zone_admin").get(result.get_absolute_url())
    moves = [
        (m["result"].run.year, m["result"].final_class, m["previous"], m["current"])
        for m in page.context["history"]
    ]
    # 2022's figures are the factory's, equal for all four: ties go by USCC
    before = earlier.results.get(enterprise=zone["p2_enterprises"][1]).final_class
    assert moves == [(2022, before, None, False), (2023, "D", before, True)]


def test_the_pdf_scorecard_is_one_page(zone, client_for, run):
    result = run.results.get(enterprise=zone["p1_enterprise"])
    response = client_for("zone_admin").get(
        reverse("evaluation:evaluationresult_pdf", args=[result.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    assert zone["p1_enterprise"].uscc.encode() in pdf


def test_run_exports_hold_the_scope(zone, client_for, run):
    url = reverse("evaluation:evaluationrun_export", args=[run.pk, "results"])
    rows = read_export(client_for("park_officer").get(url, {"format": "xlsx"}))
    assert [r["uscc"] for r in rows] == [e.uscc for e in zone["p1_enterprises"]]
    rows = read_export(client_for("zone_admin").get(url, {"format": "csv"}))
    assert [(r["class"], r["rank"]) for r in rows] == [
        ("A", "1"),
        ("B", "2"),
        ("C", "3"),
        ("D", "4"),
    ]
    assert list(rows[0])[:12] == [
        "uscc",
        "name",
        "park",
        "rated",
        "not_rated_reason",
        "score",
        "class",
        "rank",
        "tax_per_mu",
        "tax_per_mu_points",
        "va_per_mu",
        "va_per_mu_points",
    ]
    parks = client_for("leader").get(
        reverse("evaluation:evaluationrun_export", args=[run.pk, "parks"]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(parks.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("rank", "park", "rated")
    assert [(v[0], v[1], v[2]) for v in values[1:]] == [(1, "P1", 2), (2, "P2", 2)]
    assert client_for("enterprise_user").get(url).status_code == 404


def test_a_run_is_read_and_made_official_in_the_ui(zone, users, client_for, scheme):
    # started from the page, a run is a background job (test_jobs.py)
    hand_zone(zone)
    client = client_for("zone_admin")
    run = run_evaluation(scheme, 2023, users["zone_admin"], note="月度复核")
    assert not run.official
    page = client.get(run.get_absolute_url())
    assert [r["park"] for r in page.context["park_rows"]] == ["P1", "P2"]
    assert page.context["charts"]["classes"] == [
        {"name": c, "value": 1} for c in ("A", "B", "C", "D")
    ]
    client.post(reverse("evaluation:evaluationrun_official", args=[run.pk]))
    run.refresh_from_db()
    assert run.official
    # an official run is not deleted
    assert client.post(reverse("evaluation:evaluationrun_delete", args=[run.pk])).status_code == 404
    assert (
        client_for("leader")
        .post(reverse("evaluation:evaluationrun_official", args=[run.pk]))
        .status_code
        == 404
    )


def test_a_scheme_is_written_checked_and_versioned_in_the_ui(db, users, client_for):
    client = client_for("zone_admin")
    add = reverse("evaluation:scheme_add")
    broken = SCHEME.replace("weight: 60", "weight: sixty")
    response = client.post(add, {"code": "above", "name": "规上", "text": broken})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "line 7, indicator tax_per_mu, weight: must be a number, not 'sixty'"
    ]
    assert not Scheme.objects.exists()
    response = client.post(
        add, {"code": "above", "name": "规上", "text": SCHEME, "comment": "first"}
    )
    scheme = Scheme.objects.get()
    assert response.status_code == 302
    assert (scheme.current.number, scheme.current.text, scheme.current.created_by) == (
        1,
        SCHEME,
        users["zone_admin"],
    )
    edit = reverse("evaluation:scheme_edit", args=[scheme.pk])
    data = {"code": "above", "name": "规上企业", "text": SCHEME}
    client.post(edit, data)
    assert scheme.versions.count() == 1  # same rules: no new version
    upload = io.BytesIO(SCHEME.replace("weight: 40", "weight: 45").encode())
    upload.name = "scheme.yaml"
    client.post(edit, {**data, "upload": upload, "comment": "heavier value added"})
    assert list(scheme.versions.values_list("number", "comment")) == [
        (2, "heavier value added"),
        (1, "first"),
    ]
    download = client.get(reverse("evaluation:scheme_download", args=[scheme.pk]), {"version": "1"})
    assert download.content.decode() == SCHEME
    assert 'filename="above-v1.yaml"' in download["Content-Disposition"]
    assert (
        "weight: 45"
        in client.get(reverse("evaluation:scheme_download", args=[scheme.pk])).content.decode()
    )
    assert client_for("leader").get(edit).status_code == 404


def test_an_unknown_field_is_refused_with_the_fields_there_are(db, client_for):
    text = SCHEME.replace("field: env_violation", "field: river_pollution")
    response = client_for("zone_admin").post(
        reverse("evaluation:scheme_add"), {"code": "x", "name": "x", "text": text}
    )
    (error,) = response.context["form"].errors["text"]
    assert error.startswith("unknown field 'river_pollution'; the registry has: uscc, name, park")
    assert not Scheme.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_the_scope_and_is_read_only(zone, users, run, role):
    from django.test import Client

    _token, key = ApiToken.issue(users[role])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    response = api.get("/api/v1/evaluation/results/", {"run": run.pk})
    scope = ROLE_REACH[role][1]
    if scope is NO:
        assert response.status_code == 403
    else:
        ids = {r["id"] for r in response.json()["results"]}
        expected = set(
            run.results.filter(enterprise__in=in_reach(zone, scope)).values_list("pk", flat=True)
        )
        assert ids == expected
    runs = api.get("/api/v1/evaluation/runs/")
    assert runs.status_code == (200 if ROLE_REACH[role][0] else 403)
    assert api.post(
        "/api/v1/evaluation/runs/", {}, content_type="application/json"
    ).status_code in (403, 405)


def test_a_scheme_with_runs_is_not_deleted(zone, client_for, run):
    response = client_for("zone_admin").post(
        reverse("evaluation:scheme_delete", args=[run.scheme.pk])
    )
    assert response.status_code == 302
    assert Scheme.objects.filter(pk=run.scheme.pk).exists()
