"""The rival claims kept per lead are those a comparison of every open lead with every other
finds, after every kind of write; the lead's page reads them, as the board and the figures
read their own, in as many queries for 200 leads as for 20."""

import datetime as dt
from itertools import combinations, groupby

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rapidfuzz import fuzz

from beacon.core import gate
from beacon.core.testing import csv_upload
from beacon.core.validators import normalise_uscc
from beacon.promotion.choices import Stage
from beacon.promotion.claims import SAME_NAME, kept_claims, normalise_name, rival_claims
from beacon.promotion.models import Lead, RivalClaim, StageChange
from beacon.promotion.routing import route
from beacon.promotion.services import decide_claim, move, open_leads
from beacon.promotion.views.figures import STUCK_SHOWN
from beacon.registry.models import Park
from beacon.registry.tests.factories import ParkFactory

from .conftest import DAY
from .test_views import api


def every_rival_pair() -> dict[tuple[int, int], tuple[float, bool, str]]:
    """The rule read straight, over every pair of open leads: the same USCC, or the most
    alike pair of names (each side naming the other's, its Chinese name first)."""
    leads = list(Lead.objects.exclude(stage=Stage.DROPPED))
    found = {}
    for a, b in combinations(leads, 2):
        if (a.team_id, a.proposed_park_id) == (b.team_id, b.proposed_park_id):
            continue
        uscc = normalise_uscc(a.uscc)
        if uscc and uscc == normalise_uscc(b.uscc):
            found[(a.pk, b.pk)] = found[(b.pk, a.pk)] = (100.0, True, "")
            continue
        pairs = {
            (i, j): fuzz.ratio(normalise_name(x), normalise_name(y))
            for i, x in enumerate((a.company, a.company_en))
            for j, y in enumerate((b.company, b.company_en))
            if normalise_name(x) and normalise_name(y)
        }
        best = max(pairs.values(), default=0)
        if best < SAME_NAME:
            continue
        alike = [sides for sides, score in pairs.items() if score == best]
        b_name = (b.company, b.company_en)[min(alike, key=lambda s: (s[1], s[0]))[1]]
        a_name = (a.company, a.company_en)[min(alike)[0]]
        found[(a.pk, b.pk)] = (round(best, 3), False, b_name)
        found[(b.pk, a.pk)] = (round(best, 3), False, a_name)
    return found


def kept_pairs() -> dict[tuple[int, int], tuple[float, bool, str]]:
    return {
        (row.lead_id, row.rival_id): (round(row.score, 3), row.same_uscc, row.name)
        for row in RivalClaim.objects.all()
    }


def assert_kept_as_found() -> None:
    assert kept_pairs() == every_rival_pair()
    for lead in Lead.objects.all():
        shown = [(c.lead.pk, c.reason) for c in kept_claims(lead)]
        assert shown == [(c.lead.pk, c.reason) for c in rival_claims(lead)], lead.pk


def lead(team, park, company, **fields) -> Lead:
    return Lead(team=team, proposed_park=park, company=company, project="基地", **fields)


@pytest.mark.django_db
def test_rivals_are_kept_as_found_after_every_kind_of_write(promo, users, zone, client_for):
    admin = users["zone_admin"]
    t1, t2, p1, p2 = promo["t1"], promo["t2"], zone["p1"], zone["p2"]
    uscc = promo["l1"].uscc
    # opened: a second claim on l1's company by name, one by code, one in English
    a, b, c = open_leads(
        [
            lead(t2, p1, "宁德华锐动力电池股份有限公司"),
            lead(t2, p2, "完全不同的名字有限公司", uscc=uscc),
            lead(t1, p2, "华锐", company_en="Ningde Huarui Power Battery Co., Ltd."),
        ],
        admin,
    )
    assert {(r.lead_id, r.rival_id) for r in RivalClaim.objects.all()} >= {
        (a.pk, promo["l1"].pk),
        (promo["l1"].pk, a.pk),
        (b.pk, promo["l1"].pk),
    }
    assert_kept_as_found()
    # edited through the API: l1 gets an English name c's matches
    response = api(users, "zone_admin").patch(
        f"/api/v1/promotion/leads/{promo['l1'].pk}/",
        {"company_en": "Ningde Huarui Power Battery Company Limited", "confirm_duplicate": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert (promo["l1"].pk, c.pk) in kept_pairs()
    assert_kept_as_found()
    # edited through the form: b is renamed away and loses l1's code
    edit = client_for("zone_admin").get(reverse("promotion:lead_edit", args=[b.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(company="另一家公司", uscc="", team=t2.pk, proposed_park=p2.pk, industry="")
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    response = client_for("zone_admin").post(reverse("promotion:lead_edit", args=[b.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert not RivalClaim.objects.filter(lead=b).exists()
    assert_kept_as_found()
    # proposed for the same park as a lead of its team: no rival of it any more
    client_for("zone_admin").post(reverse("promotion:lead_assign", args=[c.pk]), {"park": "P1"})
    assert_kept_as_found()
    # dropped, then reopened
    move(a, Stage.DROPPED, DAY, admin, "放弃")
    assert not RivalClaim.objects.filter(rival=a).exists()
    assert_kept_as_found()
    move(a, Stage.CONTACTED, DAY, admin, "重新对接")
    assert RivalClaim.objects.filter(rival=a).exists()
    assert_kept_as_found()
    # imported: a new lead, and an update of one (keyed by company and project)
    upload = csv_upload(
        "leads.csv",
        {"企业名称": "宁德华锐动力电池集团有限公司", "项目名称": "三期", "小分队代码": "t2"},
        {"企业名称": "完全不同的名字有限公司", "项目名称": "基地", "小分队代码": "t1"},
    )
    response = client_for("zone_admin").post(reverse("promotion:lead_import"), {"file": upload})
    assert response.status_code == 200, response.context["result"].errors
    assert_kept_as_found()
    # the stage history imported drops a lead
    upload = csv_upload(
        "stage-history.csv",
        {"线索编号": promo["l1"].pk, "阶段": "dropped", "日期": "2024-03-09", "原因": "放弃"},
    )
    response = client_for("zone_admin").post(
        reverse("promotion:stagechange_import"), {"file": upload}
    )
    assert response.status_code == 200, response.context["result"].errors
    assert Lead.objects.get(pk=promo["l1"].pk).stage == Stage.DROPPED
    assert_kept_as_found()
    # the zone decides a claim; a lead is deleted
    rival = Lead.objects.get(company="宁德华锐动力电池集团有限公司")
    decide_claim(a, rival, admin)
    assert_kept_as_found()
    gate.delete(admin, Lead.objects.get(pk=a.pk))
    assert not RivalClaim.objects.filter(rival_id=a.pk).exists()
    assert_kept_as_found()


def many_leads(promo, users, n: int) -> list[Lead]:
    """``n`` leads of both teams, every tenth one team t2's claim on l1's company."""
    teams, park = (promo["t1"], promo["t2"]), promo["l1"].proposed_park
    return open_leads(
        [
            lead(
                teams[i % 2],
                park,
                "宁德华锐动力电池股份有限公司"
                if i % 10 == 5
                else f"第{i}号测试企业{i * 7919}有限公司",
            )
            for i in range(n)
        ],
        users["zone_admin"],
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_lead_page_board_and_figures_read_as_many_queries_for_200_leads_as_for_20(
    promo, users, client_for
):
    pages = [
        promo["l1"].get_absolute_url(),
        reverse("promotion:board"),
        reverse("promotion:figures"),
        reverse("promotion:figures") + "?by=team",
    ]
    counts = {}
    for n in (20, 200):
        many_leads(promo, users, n - Lead.objects.count())
        assert Lead.objects.count() == n
        for role in ("zone_admin", "promoter", "park_officer"):
            client = client_for(role)
            counts[(n, role)] = [queries(client, url) for url in pages]
    for role in ("zone_admin", "promoter", "park_officer"):
        assert counts[(20, role)] == counts[(200, role)], role
    # l1's page shows its five most alike rivals of the 20 claims on its company
    page = client_for("zone_admin").get(promo["l1"].get_absolute_url())
    assert len(page.context["claims"]) == 5
    assert RivalClaim.objects.filter(lead=promo["l1"]).count() == 20


@pytest.mark.django_db
def test_routing_reads_as_many_queries_for_eight_parks_as_for_two(promo, zone):
    counts = []
    for n in (2, 8):
        for i in range(Park.objects.count(), n):
            ParkFactory(zone=zone["p1"].zone, code=f"P{i + 1}")
        lead = Lead.objects.get(pk=promo["l1"].pk)
        with CaptureQueriesContext(connection) as captured:
            fits = route(lead)
        assert len(fits) == n
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_figures_page_shows_the_pure_analytics_of_the_whole_history(promo, users, client_for):
    import polars as pl

    from beacon.analytics import pipeline
    from beacon.core.permissions import restrict

    admin = users["zone_admin"]
    l1, l2, l3 = promo["l1"], promo["l2"], promo["l3"]
    move(l1, Stage.CONTACTED, DAY.replace(day=4), admin)
    move(l1, Stage.SIGNED, DAY.replace(day=20), admin)
    move(l1, Stage.NEGOTIATING, DAY.replace(day=22), admin, "重新谈判")  # back a step
    move(l1, Stage.SIGNED, DAY.replace(day=25), admin)  # signed twice: counted once
    move(l2, Stage.SIGNED, DAY.replace(day=9), admin)
    move(l3, Stage.DROPPED, DAY.replace(day=2), admin, "放弃")
    many_leads(promo, users, 12)
    # more of team t1's leads left since before than its page names
    old = [
        lead(promo["t1"], None, f"久未推进企业{i}号", stage_date=DAY - dt.timedelta(days=i))
        for i in range(STUCK_SHOWN + 4)
    ]
    open_leads(old, admin)
    for role in ("zone_admin", "promoter", "park_officer"):
        leads = restrict(Lead.objects.all(), users[role])
        rows = list(
            StageChange.objects.filter(lead__in=leads).values_list("lead_id", "stage", "date")
        )
        history = pl.DataFrame(
            rows, schema={"lead_id": pl.Int64, "stage": pl.String, "date": pl.Date}, orient="row"
        ).with_columns(pl.col("lead_id").cast(pl.String))
        teams = pl.DataFrame(
            [(str(pk), team) for pk, team in leads.values_list("pk", "team__code")],
            schema={"lead_id": pl.String, "team": pl.String},
            orient="row",
        )
        client = client_for(role)
        page = client.get(reverse("promotion:figures"), {"year": 2024})
        assert page.context["figures"] == pipeline.metrics(history)
        signed = [pk for pk in leads.values_list("pk", flat=True) if pk in (l1.pk, l2.pk)]
        assert page.context["target"]["projects"] == len(signed)
        assert page.context["target"]["signed"] == sum(
            Lead.objects.get(pk=pk).planned_investment for pk in signed
        )
        # leads left in a stage for more than 3 days: every one counted, the longest named
        rows = client.get(reverse("promotion:figures"), {"rot_days": 3}).context["stuck"]
        stuck = sorted(
            (
                lead
                for lead in leads
                if lead.is_open
                and lead.stage != Stage.IN_PRODUCTION
                and (timezone.localdate() - lead.stage_date).days > 3
            ),
            key=lambda lead: (lead.team.code, lead.stage_date, lead.pk),
        )
        assert [(team.code, n, [lead.pk for lead in named]) for team, n, named in rows] == [
            (code, len(group), [lead.pk for lead in group][:STUCK_SHOWN])
            for code, group in (
                (code, list(group)) for code, group in groupby(stuck, lambda x: x.team.code)
            )
        ]
        grouped = client.get(reverse("promotion:figures"), {"by": "team"})
        assert grouped.context["figures"] == pipeline.metrics(history, teams, "team")


@pytest.mark.django_db
def test_a_save_keeps_the_rivals_its_form_found_unless_a_write_came_between(
    promo, users, monkeypatch
):
    from beacon.promotion import claims
    from beacon.promotion.forms import LeadForm

    searched = []
    search = claims._pairs
    monkeypatch.setattr(claims, "_pairs", lambda leads: searched.append(leads) or search(leads))
    admin = users["zone_admin"]

    def form(company):
        data = {"company": company, "project": "储能", "team": promo["t2"].pk}
        filled = LeadForm({**data, "source": "other", "confirm_duplicate": "on"}, user=admin)
        assert filled.is_valid(), filled.errors
        return filled

    quiet = form("宁德华锐动力电池股份有限公司")
    gate.write(admin, "add", quiet.save)
    assert len(searched) == 1  # the form's check, kept by the save
    assert_kept_as_found()
    searched.clear()
    crossed = form("苏州博远电子科技股份有限公司")
    open_leads([lead(promo["t1"], None, "苏州博远电子科技集团有限公司")], admin)
    gate.write(admin, "add", crossed.save)
    assert len(searched) == 3  # the check, the lead opened between, the save again
    assert_kept_as_found()
