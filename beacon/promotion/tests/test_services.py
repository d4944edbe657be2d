"""Moving leads through dated stages, the hand-off to the registry, one claim per company,
park routing, and the figures of the application against the batch CLI's."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from beacon.analytics.pipeline_cli import main as pipeline_cli
from beacon.core.models import ChangeLogEntry
from beacon.core.versions import save_version
from beacon.promotion.choices import ClaimStatus, Stage
from beacon.promotion.claims import normalise_name, rival_claims, rival_claims_many
from beacon.promotion.models import Lead, ParkEntryRule, StageChange
from beacon.promotion.routing import route
from beacon.promotion.services import StageError, decide_claim, move
from beacon.promotion.views.figures import history_frames
from beacon.registry.models import Enterprise, IndustryClass
from beacon.registry.tests.factories import ParcelFactory

from .conftest import DAY, make_lead


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def test_a_move_is_dated_logged_and_kept_in_the_history(promo, users):
    lead = promo["l1"]
    change = move(lead, Stage.CONTACTED, days(4), users["promoter"])
    lead.refresh_from_db()
    assert (lead.stage, lead.stage_date) == (Stage.CONTACTED, days(4))
    assert (change.previous_stage, change.moved_by, change.date) == (
        Stage.LEAD,
        users["promoter"],
        days(4),
    )
    entry = ChangeLogEntry.objects.get_for_object(change).get()
    assert entry.actor == users["promoter"]
    assert list(lead.stage_changes.values_list("stage", flat=True)) == ["lead", "contacted"]


@pytest.mark.parametrize(
    ("stages", "stage", "reason", "error"),
    [
        ([], "dropped", "", "Say why the lead is dropped."),
        (["contacted", "negotiating"], "contacted", "", "Moving a lead back needs a reason."),
        (["dropped"], "negotiating", "", "Moving a lead back needs a reason."),
        ([], "lead", "", "The lead is in this stage already."),
        ([], "won", "", "Unknown stage: won"),
    ],
)
def test_moves_that_need_a_reason_or_make_no_sense(promo, users, stages, stage, reason, error):
    lead = promo["l1"]
    for i, earlier in enumerate(stages, start=1):
        move(lead, earlier, days(i), users["zone_admin"], "业务调整")
    count = StageChange.objects.count()
    with pytest.raises(StageError, match=f"^{error}$"):
        move(lead, stage, days(10), users["zone_admin"], reason)
    assert StageChange.objects.count() == count


def test_a_date_in_the_future_is_refused(promo, users):
    with pytest.raises(StageError, match="The date is in the future."):
        move(
            promo["l1"],
            Stage.CONTACTED,
            dt.date.today() + dt.timedelta(days=1),
            users["zone_admin"],
        )


def test_moving_back_and_reopening_with_a_reason(promo, users):
    lead = promo["l1"]
    move(lead, Stage.NEGOTIATING, days(3), users["zone_admin"])
    move(lead, Stage.CONTACTED, days(9), users["zone_admin"], "决策人更换")
    move(lead, Stage.DROPPED, days(12), users["zone_admin"], "选址其他地区")
    assert lead.dropped_reason == "选址其他地区"
    move(lead, Stage.NEGOTIATING, days(30), users["zone_admin"], "企业重新启动项目")
    lead.refresh_from_db()
    assert (lead.stage, lead.dropped_reason) == (Stage.NEGOTIATING, "")
    assert list(lead.stage_changes.values_list("previous_stage", "stage", "reason")) == [
        ("", "lead", ""),
        ("lead", "negotiating", ""),
        ("negotiating", "contacted", "决策人更换"),
        ("contacted", "dropped", "选址其他地区"),
        ("dropped", "negotiating", "企业重新启动项目"),
    ]


def test_production_files_the_enterprise_in_the_registry(promo, users, zone):
    lead = promo["l1"]
    lead.company_en = "Ningde Huarui Power Battery Co., Ltd."
    lead.save()
    move(lead, Stage.IN_PRODUCTION, days(200), users["zone_admin"])
    enterprise = Enterprise.objects.get(uscc=lead.uscc)
    assert (enterprise.name, enterprise.name_en, enterprise.park, enterprise.industry.code) == (
        "宁德华锐动力电池有限公司",
        "Ningde Huarui Power Battery Co., Ltd.",
        zone["p1"],
        "3841",
    )
    lead.refresh_from_db()
    assert lead.enterprise == enterprise
    assert list(enterprise.leads.all()) == [lead]
    assert ChangeLogEntry.objects.get_for_object(enterprise).get().actor == users["zone_admin"]


def test_production_links_the_enterprise_already_in_the_registry(promo, users, zone):
    existing = zone["p2_enterprise"]
    lead = promo["l2"]
    lead.uscc = existing.uscc
    lead.save()
    count = Enterprise.objects.count()
    move(lead, Stage.IN_PRODUCTION, days(200), users["zone_admin"])
    existing.refresh_from_db()
    # linked, not copied; its park and name stay the registry's
    assert Enterprise.objects.count() == count
    assert (lead.enterprise, existing.park) == (existing, zone["p2"])


def test_production_needs_what_the_registry_needs(promo, users):
    lead = promo["l2"]  # no USCC
    lead.industry = None
    lead.save()
    with pytest.raises(StageError) as refused:
        move(lead, Stage.IN_PRODUCTION, days(200), users["zone_admin"])
    assert str(refused.value) == (
        "To file the enterprise in the registry the lead needs: "
        "Unified Social Credit Code, industry class"
    )
    lead.refresh_from_db()
    assert lead.stage == Stage.LEAD and lead.enterprise is None


def test_a_signed_lead_is_the_project_with_its_whole_history(promo, users):
    lead = promo["l1"]
    move(lead, Stage.SIGNED, days(40), users["zone_admin"])
    move(lead, Stage.LAND_SUPPLIED, days(60), users["zone_admin"])
    project = Lead.objects.projects().get()
    assert project.pk == lead.pk
    assert [c.stage for c in project.stage_changes.all()] == ["lead", "signed", "land_supplied"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("宁德华锐动力电池有限公司", "宁德华锐动力电池股份有限公司"),
        ("宁德华锐动力电池有限公司", "宁德华锐动力电池（中国）有限公司"),
        ("Huarui Power Battery Co., Ltd.", "HUARUI POWER BATTERY LIMITED"),
        ("ＡＢＣ电子有限公司", "ABC电子有限公司"),
    ],
)
def test_names_of_one_company_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_another_team_chasing_the_same_company_is_found(promo):
    t2 = promo["t2"]
    by_code = Lead(team=t2, company="完全不同的名字有限公司", uscc=promo["l1"].uscc)
    (claim,) = rival_claims(by_code)
    assert (claim.lead, claim.reason) == (promo["l1"], f"same USCC {promo['l1'].uscc}")
    by_name = Lead(team=t2, company="宁德华锐动力电池股份有限公司")
    assert [c.lead for c in rival_claims(by_name)] == [promo["l1"]]
    english = Lead(team=t2, company="华锐", company_en="Ningde Huarui Power Battery Co., Ltd.")
    promo["l1"].company_en = "Ningde Huarui Power Battery Company Limited"
    promo["l1"].save()
    assert [c.lead for c in rival_claims(english)] == [promo["l1"]]
    # the same team in the same park is not a rival; a different company is not a match
    assert (
        rival_claims(
            Lead(
                team=promo["t1"],
                proposed_park=promo["l1"].proposed_park,
                company="宁德华锐动力电池股份有限公司",
            )
        )
        == []
    )
    assert rival_claims(Lead(team=t2, company="宁德华泰储能科技有限公司")) == []


def test_a_dropped_lead_claims_nothing(promo, users):
    move(promo["l1"], Stage.DROPPED, days(5), users["zone_admin"], "企业放弃")
    assert rival_claims(Lead(team=promo["t2"], company="宁德华锐动力电池有限公司")) == []


def test_the_zone_admin_decides_who_keeps_the_company(promo, users):
    rival = make_lead(promo["t2"], promo["l1"].proposed_park, "宁德华锐动力电池股份有限公司")
    decide_claim(promo["l1"], rival, users["zone_admin"], days(3))
    rival.refresh_from_db()
    promo["l1"].refresh_from_db()
    assert (rival.stage, rival.claim, rival.possible_duplicate_of) == (
        Stage.DROPPED,
        ClaimStatus.DECIDED,
        promo["l1"],
    )
    assert (
        rival.dropped_reason == f"duplicate of lead {promo['l1'].pk}, kept by team 新能源汽车招商组"
    )
    assert promo["l1"].claim == ClaimStatus.DECIDED


def test_routing_ranks_parks_with_their_reasons(promo, zone):
    lead = promo["l1"]  # class 3841, 100 mu, 5,000,000 yuan per mu
    p1, p2 = zone["p1"], zone["p2"]
    p1.industries.set([IndustryClass.objects.get(code="3841")])
    p2.industries.set([IndustryClass.objects.get(code="3849")])
    ParcelFactory(park=p1, area_mu=Decimal(60))
    ParcelFactory(park=p1, area_mu=Decimal(50))
    ParcelFactory(park=p2, area_mu=Decimal(150))
    save_version(
        ParkEntryRule.objects.create(park=p2),
        'conditions:\n  - {field: investment_per_mu, op: ">=", value: 6000000}',
        None,
    )
    fits = route(lead)
    # the conftest zone's own parcels are 45.5 mu, available
    assert [(f.park.code, f.score, f.eligible) for f in fits] == [("P1", 4, True), ("P2", 4, False)]
    assert fits[0].reasons == [
        "positioning: the park is for class 3841",
        "land: only several available parcels together cover 100 mu",
    ]
    assert fits[1].reasons == [
        "positioning: the park is for group 384",
        "land: 1 available parcels of 100 mu or more",
        "entry threshold not met: investment_per_mu >= 6000000 (the lead: 5000000.0)",
    ]


def test_the_figures_are_the_batch_clis(promo, users, tmp_path, capsys):
    move(promo["l1"], Stage.CONTACTED, days(4), users["zone_admin"])
    move(promo["l1"], Stage.SIGNED, days(30), users["zone_admin"])
    move(promo["l2"], Stage.NEGOTIATING, days(10), users["zone_admin"])
    move(promo["l3"], Stage.DROPPED, days(2), users["zone_admin"], "放弃")
    history, table = history_frames(Lead.objects.all())
    history.with_columns(history["date"].cast(str)).write_csv(tmp_path / "history.csv")
    table.write_csv(tmp_path / "leads.csv")
    capsys.readouterr()
    args = ["--stages", str(tmp_path / "history.csv"), "--leads", str(tmp_path / "leads.csv")]
    assert pipeline_cli([*args, "--by", "team", "--json"]) == 0
    batch = json.loads(capsys.readouterr().out)
    assert batch["reached"] == {
        "lead": 3,
        "contacted": 2,
        "negotiating": 2,
        "signed": 1,
        "land_supplied": 0,
        "construction_started": 0,
        "in_production": 0,
    }
    assert [g["group"] for g in batch["groups"]] == ["t1", "t2"]
    # the page computes the same numbers for the same leads
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["zone_admin"])
    page = client.get("/promotion/figures/", {"by": "team"})
    assert page.context["figures"] == batch


def test_every_way_of_opening_a_lead_flags_a_rival_claim(promo, users, client_for):
    """The form and the API ask first; an import and a chain gap open the lead flagged."""
    from django.urls import reverse

    from beacon.chains.models import Chain, ChainVersion, Target, TargetList
    from beacon.chains.services import DATA, to_pipeline
    from beacon.core.testing import csv_upload

    rival = "宁德华锐动力电池股份有限公司"  # l1's company, held by team t1
    upload = csv_upload(
        "leads.csv", {"企业名称": rival, "项目名称": "储能项目", "小分队代码": "t2"}
    )
    response = client_for("zone_admin").post(reverse("promotion:lead_import"), {"file": upload})
    assert response.status_code == 200, response.context["result"].errors
    imported = Lead.objects.get(company=rival)
    assert (imported.claim, imported.possible_duplicate_of) == (ClaimStatus.FLAGGED, promo["l1"])

    chain = Chain.objects.create(key="nev", name="新能源汽车")
    text = (DATA / "nev.yaml").read_text(encoding="utf-8")
    version = ChainVersion.objects.create(chain=chain, number=1, text=text)
    target_list = TargetList.objects.create(chain=chain, version=version, candidates="c.csv")
    target = Target.objects.create(
        target_list=target_list, link="cells", rank=1, uscc="", name="宁德华锐动力电池集团", score=5
    )
    (opened,) = to_pipeline([target], promo["t2"], users["zone_admin"])
    assert (opened.claim, opened.possible_duplicate_of) == (ClaimStatus.FLAGGED, promo["l1"])
    assert list(opened.stage_changes.values_list("stage", flat=True)) == [Stage.LEAD]


def test_claims_found_in_bulk_are_those_found_one_by_one(promo):
    t1, t2 = promo["t1"], promo["t2"]
    leads = [
        Lead(team=t2, company="宁德华锐动力电池股份有限公司"),
        Lead(team=t1, proposed_park=promo["l1"].proposed_park, company="宁德华锐动力电池公司"),
        Lead(team=t1, company="苏州博远电子科技股份有限公司"),
        Lead(team=t2, company="完全不同的名字有限公司", uscc=promo["l1"].uscc),
        Lead(team=t1, company="ABC"),
    ]
    one_by_one = [[(c.lead, c.reason) for c in rival_claims(lead)] for lead in leads]
    in_bulk = [[(c.lead, c.reason) for c in claims] for claims in rival_claims_many(leads)]
    assert in_bulk == one_by_one
    assert [len(claims) for claims in in_bulk] == [1, 0, 1, 1, 0]


def test_an_imported_lead_cannot_be_dated_in_the_future(promo, client_for):
    from django.urls import reverse

    from beacon.core.testing import csv_upload

    upload = csv_upload(
        "leads.csv",
        {
            "企业名称": "合肥恒达新材料有限公司",
            "项目名称": "隔膜",
            "小分队代码": "t2",
            "线索日期": "2999-01-01",
        },
    )
    response = client_for("zone_admin").post(reverse("promotion:lead_import"), {"file": upload})
    assert response.status_code == 400
    errors = [str(e) for e in response.context["result"].errors]
    assert errors == ["row 2, column lead_date: the date is in the future"]
    assert not Lead.objects.filter(company="合肥恒达新材料有限公司").exists()
