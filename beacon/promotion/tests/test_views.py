"""Promotion pages and API for every role: who sees and works which leads, the board, the
lead page's claims and routing, imports, and the API's duplicate check and moves."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from beacon.conftest import ROLES
from beacon.core.models import ApiToken
from beacon.core.testing import csv_upload, read_export
from beacon.promotion.choices import ClaimStatus, Stage
from beacon.promotion.models import Activity, Lead, StageChange
from beacon.promotion.services import move

from .conftest import DAY

# Written by hand from beacon/core/roles.py: the leads each role sees, and may move.
# fmt: off
REACH = {
    "zone_admin":      ({"l1", "l2", "l3"}, {"l1", "l2", "l3"}),
    "park_officer":    ({"l1", "l2"},       set()),
    "promoter":        ({"l1"},             {"l1"}),
    "leader":          ({"l1", "l2", "l3"}, set()),
    "enterprise_user": (set(),              set()),
    "auditor":         (set(),              set()),
    "system_admin":    (set(),              set()),
    "security_admin":  (set(),              set()),
}
# fmt: on


def lead_links(response) -> set[int]:
    prefix = re.escape(reverse("promotion:lead_list"))
    return {int(pk) for pk in re.findall(rf'href="{prefix}(\d+)/"', response.content.decode())}


def names(promo, pks) -> set[str]:
    return {key for key in ("l1", "l2", "l3") if promo[key].pk in pks}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_and_moves_the_leads_of_its_reach(promo, client_for, role):
    client = client_for(role)
    sees, moves = REACH[role]
    pages = [reverse("promotion:lead_list"), reverse("promotion:board")]
    for url in pages:
        response = client.get(url)
        if not sees:
            assert response.status_code == 404
            continue
        assert names(promo, lead_links(response)) == sees, url
    if sees:
        rows = read_export(client.get(reverse("promotion:lead_list"), {"export": "csv"}))
        assert {r["company"] for r in rows} == {promo[k].company for k in sees}
        figures = client.get(reverse("promotion:figures"))
        assert figures.context["figures"]["leads"] == len(sees)
    for key in ("l1", "l2", "l3"):
        lead = promo[key]
        assert client.get(lead.get_absolute_url()).status_code == (200 if key in sees else 404)
        response = client.post(
            reverse("promotion:lead_move", args=[lead.pk]),
            {"stage": "contacted", "date": "2024-03-05"},
            headers={"Accept": "application/json"},
        )
        lead.refresh_from_db()
        if key in moves:
            assert response.status_code == 200
            assert response.json() == {"stage": "contacted", "date": "2024-03-05"}
            assert lead.stage == Stage.CONTACTED
        else:
            assert response.status_code == 404
            assert lead.stage == Stage.LEAD


def test_the_board_answers_a_bad_move_with_its_reason(promo, client_for):
    response = client_for("promoter").post(
        reverse("promotion:lead_move", args=[promo["l1"].pk]),
        {"stage": "dropped", "date": "2024-03-05"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"errors": ["Say why the lead is dropped."]}


def test_a_promoter_files_leads_for_the_own_team_only(promo, client_for, zone):
    client = client_for("promoter")
    data = {
        "company": "深圳市星源储能科技有限公司",
        "project": "储能电池扩产项目",
        "team": promo["t2"].pk,
        "source": "referral",
        "lead_date": "2024-03-02",
    }
    response = client.post(reverse("promotion:lead_add"), data)
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    response = client.post(reverse("promotion:lead_add"), {**data, "team": promo["t1"].pk})
    lead = Lead.objects.get(company="深圳市星源储能科技有限公司")
    assert response.status_code == 302
    assert (lead.stage, lead.stage_date.isoformat()) == (Stage.LEAD, "2024-03-02")
    assert list(lead.stage_changes.values_list("stage", "date")) == [("lead", lead.stage_date)]


def test_a_company_already_claimed_is_flagged_only_when_confirmed(promo, client_for):
    client = client_for("zone_admin")
    data = {
        "company": "宁德华锐动力电池股份有限公司",
        "project": "储能电池项目",
        "team": promo["t2"].pk,
        "source": "activity",
    }
    response = client.post(reverse("promotion:lead_add"), data)
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith(
        f"Lead {promo['l1'].pk} of team 新能源汽车招商组 (Lead) may be the same"
    )
    assert not Lead.objects.filter(project="储能电池项目").exists()
    client.post(reverse("promotion:lead_add"), {**data, "confirm_duplicate": "on"})
    lead = Lead.objects.get(project="储能电池项目")
    assert (lead.claim, lead.possible_duplicate_of) == (ClaimStatus.FLAGGED, promo["l1"])
    page = client.get(lead.get_absolute_url())
    assert [c.lead for c in page.context["claims"]] == [promo["l1"]]
    client.post(
        reverse("promotion:lead_claim", args=[lead.pk]), {"other": promo["l1"].pk, "keep": "other"}
    )
    lead.refresh_from_db()
    assert (lead.stage, lead.claim) == (Stage.DROPPED, ClaimStatus.DECIDED)


def test_only_the_zone_admin_decides_claims_and_assigns_parks(promo, client_for, zone):
    lead = promo["l1"]
    for role in ("promoter", "leader", "park_officer"):
        client = client_for(role)
        claim = client.post(
            reverse("promotion:lead_claim", args=[lead.pk]), {"other": promo["l2"].pk}
        )
        assign = client.post(reverse("promotion:lead_assign", args=[lead.pk]), {"park": "P2"})
        assert (claim.status_code, assign.status_code) == (404, 404), role
    client_for("zone_admin").post(reverse("promotion:lead_assign", args=[lead.pk]), {"park": "P2"})
    lead.refresh_from_db()
    assert lead.proposed_park == zone["p2"]


def test_stage_history_imports_and_sets_the_stage(promo, client_for):
    client = client_for("promoter")
    url = reverse("promotion:stagechange_import")
    l1, l2 = promo["l1"], promo["l2"]
    rows = [
        {"lead": l1.pk, "stage": "contacted", "date": "2024-03-04", "reason": ""},
        {"lead": l1.pk, "stage": "negotiating", "date": "2024-03-20", "reason": ""},
    ]
    outside = client.post(url, {"file": csv_upload("h.csv", {**rows[0], "lead": l2.pk})})
    assert [str(e) for e in outside.context["result"].errors] == [
        f"row 2, column lead: unknown: {l2.pk}"
    ]
    dropped = client.post(url, {"file": csv_upload("h.csv", {**rows[0], "stage": "dropped"})})
    assert [str(e) for e in dropped.context["result"].errors] == [
        "row 2, column reason: say why the lead is dropped"
    ]
    response = client.post(url, {"file": csv_upload("h.csv", *rows)})
    assert response.context["result"].created == 2
    l1.refresh_from_db()
    assert (l1.stage, l1.stage_date.isoformat()) == ("negotiating", "2024-03-20")
    exported = read_export(client.get(reverse("promotion:stagechange_list"), {"export": "csv"}))
    assert [(r["lead"], r["stage"], r["date"]) for r in exported] == [
        (str(l1.pk), "lead", DAY.isoformat()),
        (str(l1.pk), "contacted", "2024-03-04"),
        (str(l1.pk), "negotiating", "2024-03-20"),
    ]


def test_leads_import_with_their_first_stage(promo, client_for):
    client = client_for("zone_admin")
    upload = csv_upload(
        "leads.csv",
        {
            "企业名称": "合肥恒达新材料有限公司",
            "项目名称": "隔膜材料项目",
            "小分队代码": "t2",
            "线索日期": "2024-02-01",
            "计划投资（元）": "300000000",
        },
    )
    response = client.post(reverse("promotion:lead_import"), {"file": upload})
    assert response.status_code == 200, response.context["result"].errors
    lead = Lead.objects.get(company="合肥恒达新材料有限公司")
    assert list(lead.stage_changes.values_list("stage", "date")) == [("lead", lead.stage_date)]
    assert lead.stage_date.isoformat() == "2024-02-01"


def api(users, role) -> Client:
    _token, key = ApiToken.issue(users[role])
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_refuses_a_second_claim_unless_confirmed_and_moves_leads(promo, users):
    client = api(users, "zone_admin")
    new = {"company": "宁德华锐动力电池股份有限公司", "project": "二期", "team": "t2"}
    refused = client.post("/api/v1/promotion/leads/", new, content_type="application/json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["confirm_duplicate"]
    created = client.post(
        "/api/v1/promotion/leads/",
        {**new, "confirm_duplicate": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["stage"], body["claim"], body["possible_duplicate_of"]) == (
        "lead",
        "flagged",
        promo["l1"].pk,
    )
    moved = client.post(
        f"/api/v1/promotion/leads/{body['id']}/move/",
        {"stage": "contacted", "date": "2024-03-05"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "contacted"
    assert StageChange.objects.filter(lead=body["id"]).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_the_scope(promo, users, role):
    response = api(users, role).get("/api/v1/promotion/leads/")
    sees = REACH[role][0]
    if not sees:
        assert response.status_code == 403
        return
    assert names(promo, {r["id"] for r in response.json()["results"]}) == sees
    move = api(users, role).post(
        f"/api/v1/promotion/leads/{promo['l1'].pk}/move/",
        {"stage": "contacted", "date": "2024-03-05"},
        content_type="application/json",
    )
    # roles that may read leads but not work them have no such action: 403, as for any POST
    assert move.status_code == (200 if "l1" in REACH[role][1] else 403)


def test_calendar_and_team_pages(promo, client_for):
    client = client_for("promoter")
    Activity.objects.create(team=promo["t1"], kind="visit", title="拜访宁德华锐", date=DAY)
    Activity.objects.create(team=promo["t2"], kind="expo", title="生物医药博览会", date=DAY)
    page = client.get(reverse("promotion:calendar"), {"month": "2024-03"})
    html = page.content.decode()
    assert "拜访宁德华锐" in html and "生物医药博览会" not in html
    team = client.get(promo["t1"].get_absolute_url())
    assert [u.username for u in team.context["members"]] == ["promoter"]


def test_documents_are_checked_kept_and_served_in_scope(promo, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BEACON_UPLOAD_MAX_BYTES = 1000
    lead = promo["l1"]
    client = client_for("promoter")
    url = reverse("promotion:lead_attach", args=[lead.pk])

    def upload(name, content):
        file = io.BytesIO(content)
        file.name = name
        return file

    client.post(url, {"title": "投资意向书", "file": upload("intent.pdf", b"%PDF-1.7 letter")})
    refused = client.post(url, {"file": upload("tool.pdf", b"MZ\x90\x00 not a pdf")}, follow=True)
    assert "Only PDF, Word, Excel, PowerPoint, PNG and JPEG files are kept." in (
        refused.content.decode()
    )
    big = client.post(url, {"file": upload("big.pdf", b"%PDF-" + b"0" * 2000)}, follow=True)
    assert "The file is larger than 1000 bytes." in big.content.decode()
    (document,) = lead.documents.all()
    assert (document.title, document.kind, document.size) == ("投资意向书", "pdf", 15)
    assert not document.file.name.endswith("intent.pdf")  # stored under a name of our own
    download = client.get(reverse("promotion:leaddocument", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 letter"
    assert "attachment" in download["Content-Disposition"]
    assert client_for("park_officer").get(document.get_absolute_url()).status_code == 200
    for role in ("enterprise_user", "auditor"):
        assert client_for(role).get(document.get_absolute_url()).status_code == 404
    # the promoter of another team cannot attach to this lead
    promo["t1"].leads.update(team=promo["t2"])
    assert client.post(url, {"file": upload("x.pdf", b"%PDF-1")}).status_code == 404


def test_the_figures_page_gives_days_between_any_two_stages(promo, client_for, users):
    move(promo["l1"], Stage.NEGOTIATING, DAY + dt.timedelta(days=6), users["zone_admin"])
    client = client_for("zone_admin")
    page = client.get(reverse("promotion:figures"), {"pair_from": "lead", "pair_to": "negotiating"})
    rows = page.context["figures"]["cycle_days"]
    # the command line's nine pairs, then the one asked for
    assert len(rows) == 10
    assert rows[-1] == {
        "from": "lead",
        "to": "negotiating",
        "count": 1,
        "mean": 6.0,
        "median": 6.0,
        "p90": 6.0,
    }
    # a pair already among them is not repeated
    page = client.get(
        reverse("promotion:figures"), {"pair_from": "contacted", "pair_to": "negotiating"}
    )
    assert len(page.context["figures"]["cycle_days"]) == 9


RULE = 'conditions:\n  - {field: investment_per_mu, op: ">=", value: 3000000}\n'


def test_a_parks_entry_rule_is_a_versioned_rule_file(promo, client_for, users, zone):
    """Saved in the form or through the API, each changed file is the next version, checked
    with its line; routing follows the latest; every version can be downloaded."""
    from django.utils.html import escape

    from beacon.promotion.models import ParkEntryRule

    officer = client_for("park_officer")
    add = reverse("promotion:parkentryrule_add")
    wrong = officer.post(add, {"park": zone["p1"].pk, "text": "conditions:\n  - {field: rent}"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["text"] == [
        "line 2, field rent: op must be one of ==, !=, <, <=, >, >=, in, not in"
    ]
    assert officer.post(add, {"park": zone["p1"].pk, "text": RULE}).status_code == 302
    rule = ParkEntryRule.objects.get(park=zone["p1"])
    assert (rule.current.number, rule.conditions, rule.current.created_by) == (
        1,
        RULE,
        users["park_officer"],
    )
    page = officer.get(rule.get_absolute_url())
    assert escape(RULE.splitlines()[1]) in page.content.decode()
    stricter = RULE.replace("3000000", "4000000")
    edit = reverse("promotion:parkentryrule_edit", args=[rule.pk])
    assert officer.post(edit, {"park": zone["p1"].pk, "text": stricter}).status_code == 302
    assert [v.number for v in rule.versions.all()] == [2, 1]
    download = reverse("promotion:parkentryrule_download", args=[rule.pk])
    first = officer.get(download, {"version": 1})
    assert (first.content.decode(), first["Content-Disposition"]) == (
        RULE,
        f'attachment; filename="{rule.pk}-v1.yaml"',
    )
    assert officer.get(download).content.decode() == stricter

    client = api(users, "zone_admin")
    url = f"/api/v1/promotion/entry-rules/{rule.pk}/"
    assert client.get(url).json()["conditions"] == stricter
    bad = client.patch(url, {"conditions": "conditions: []"}, content_type="application/json")
    assert (bad.status_code, list(bad.json())) == (400, ["conditions"])
    ok = client.patch(url, {"conditions": RULE}, content_type="application/json")
    # the API trims the text, as it trims every text field
    assert (ok.status_code, ok.json()["conditions"]) == (200, RULE.strip())
    assert [v.number for v in rule.versions.all()] == [3, 2, 1]
    # a note alone changes no version
    client.patch(url, {"note": "2025 起"}, content_type="application/json")
    assert rule.versions.count() == 3
    # each version shows in the rule's history, by whom (the text is the version's own)
    from beacon.core.views.generic import history_for

    saved = [
        (e.changes["number"][1], e.actor.username)
        for e in history_for(rule, users["zone_admin"])
        if e.content_type.model == "parkentryruleversion"
    ]
    assert sorted(saved) == [("1", "park_officer"), ("2", "park_officer"), ("3", "zone_admin")]


def test_a_board_card_shows_its_lead_escaped_in_the_users_language(promo, client_for):
    lead, team = promo["l1"], promo["t1"]
    lead.company = 'A & B <Motors> "Ltd"'
    lead.claim = ClaimStatus.FLAGGED
    lead.save()
    team.name_en = "New energy vehicles <team>"
    team.save()
    url = reverse("promotion:board")
    html = client_for("zone_admin").get(url).content.decode()
    card = re.search(
        rf'<div class="card card-sm mb-2 board-card" id="lead-{lead.pk}".*?</div></div>', html
    )
    assert card is not None
    assert card.group(0) == (
        f'<div class="card card-sm mb-2 board-card" id="lead-{lead.pk}" data-lead="{lead.pk}" '
        'data-stage="lead" draggable="true"><div class="card-body p-2">'
        f'<a href="/promotion/leads/{lead.pk}/" class="fw-bold d-block text-truncate">'
        "A &amp; B &lt;Motors&gt; &quot;Ltd&quot;</a>"
        '<div class="small text-truncate">动力电池生产基地</div>'
        '<div class="small text-secondary">New energy vehicles &lt;team&gt; · P1 · 2024-03-01'
        '</div><span class="badge bg-orange-lt">Possible duplicate</span></div></div>'
    )
    # a park officer may not move it; in Chinese the team's own name
    officer = client_for("park_officer")
    html = officer.get(url, headers={"Accept-Language": "zh-hans"}).content.decode()
    assert 'data-stage="lead"><div class="card-body p-2">' in html
    assert "新能源汽车招商组 · P1 · 2024-03-01" in html
    assert 'draggable="true"' not in html
