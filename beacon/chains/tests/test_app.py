"""Chains over the live registry: the shipped templates, coverage in each role's scope,
users' corrections, a chain master's suppliers, target lists turned into leads, and the
command that does it."""

import csv
from types import SimpleNamespace

import polars as pl
import pytest
from django.core.management import call_command
from django.urls import reverse

from beacon.chains import services
from beacon.chains.management.commands.chains import COLUMNS, write_targets
from beacon.chains.models import Chain, LinkMapping, TargetList
from beacon.core.models import ChangeLogEntry, ScopeGrant
from beacon.jobs.choices import JobState
from beacon.jobs.models import Job
from beacon.jobs.tests.workers import run_worker
from beacon.promotion.choices import LeadSource
from beacon.promotion.models import Lead, Team
from beacon.registry.models import IndustryClass
from beacon.registry.tests.factories import make_uscc

from .conftest import CHAIN


def statuses(page) -> dict:
    return {row["key"]: (row["status"], row["enterprises"]) for row in page.context["rows"]}


def test_the_shipped_templates_load_and_check(db):
    made = services.load_templates()
    assert sorted(c.key for c in made) == [
        "biomedicine",
        "electronics",
        "energy_storage",
        "marine_equipment",
        "nev",
        "robotics",
    ]
    for chain in made:
        assert 8 <= len(chain.parsed.links) <= 20
        assert chain.current.number == 1
    assert services.load_templates() == []  # a second load adds nothing


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "zone_admin",
            {"cells": ("strong", 4), "packs": ("strong", 4), "vehicles": ("missing", 0)},
        ),
        ("park_officer", {"cells": ("weak", 2), "packs": ("weak", 2), "vehicles": ("missing", 0)}),
        ("leader", {"cells": ("strong", 4), "packs": ("strong", 4), "vehicles": ("missing", 0)}),
    ],
)
def test_the_map_is_computed_from_the_registry_in_scope(zone, chain, client_for, role, expected):
    page = client_for(role).get(chain.get_absolute_url())
    assert page.status_code == 200
    assert statuses(page) == expected
    assert [row["key"] for row in page.context["gaps"]] == [
        key for key, (status, _n) in expected.items() if status != "strong"
    ]
    nodes = {n["id"]: n["itemStyle"]["color"] for n in page.context["graph"]["nodes"]}
    assert nodes["vehicles"] == "#d63939"
    # the factory's figures: 110,000,000 yuan of output a year, each enterprise once
    counted = {"zone_admin": 4, "leader": 4, "park_officer": 2}[role]
    assert dict(page.context["segments"]) == {
        "upstream": 110_000_000.0 * counted,
        "midstream": 110_000_000.0 * counted,
        "downstream": 0.0,
    }


@pytest.mark.parametrize("role", ["enterprise_user", "auditor", "system_admin"])
def test_roles_without_chains_see_none(chain, client_for, role):
    assert client_for(role).get(chain.get_absolute_url()).status_code == 404


def test_a_correction_is_recorded_and_counts(zone, chain, client_for, users):
    url = reverse("chains:link", args=[chain.pk, "cells"])
    out, vehicle = zone["p1_enterprises"][1], zone["p2_enterprise"]
    client = client_for("zone_admin")
    client.post(url, {"enterprise": out.uscc, "include": "no", "reason": "只做电池包"})
    client.post(
        reverse("chains:link", args=[chain.pk, "vehicles"]),
        {"enterprise": vehicle.uscc, "include": "yes", "reason": "整车项目已投产"},
    )
    page = client.get(chain.get_absolute_url())
    assert statuses(page)["cells"] == ("strong", 3)
    assert statuses(page)["vehicles"] == ("weak", 1)
    mapping = LinkMapping.objects.get(link="cells")
    assert ChangeLogEntry.objects.get_for_object(mapping).get().actor == users["zone_admin"]
    link = client.get(url)
    assert [m.enterprise.uscc for m in link.context["members"]] == sorted(
        e.uscc for e in zone["p1_enterprises"][:1] + zone["p2_enterprises"]
    )
    assert link.context["members"][0].why() == "industry class"
    # a park officer corrects their own park's enterprises only
    officer = client_for("park_officer")
    officer.post(url, {"enterprise": vehicle.uscc, "include": "no"})
    assert not LinkMapping.objects.filter(enterprise=vehicle, link="cells").exists()


def test_a_chain_master_sees_its_suppliers_and_what_they_lack(zone, chain, client_for):
    master = zone["p1_enterprise"]
    master.industry = IndustryClass.objects.get(code="3612")
    master.business_scope = "新能源汽车整车制造"
    master.chain_master = True
    master.save()
    page = client_for("zone_admin").get(master.get_absolute_url())
    html = page.content.decode()
    (panel,) = [p for t, p in page.context["panels"] if t == "chains/chain_master_panel.html"]
    (item,) = panel["chains"]
    assert item["own"] == ["Vehicles"]
    assert item["supplier_count"] == 3  # the other three, all in "packs"
    assert item["missing"] == []
    assert "Chain master in 迷你电池链" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_targets_become_leads_and_the_gap_page_follows_them(
    zone, chain, users, client_for, candidate_file
):
    team = Team.objects.create(code="t1", name="整车招商组")
    ScopeGrant.objects.create(user=users["promoter"], kind="team", object_id=team.pk)
    Lead.objects.create(
        company="深圳已洽谈汽车有限公司",
        uscc=make_uscc(810003),
        project="整车",
        team=team,
        stage_date="2024-01-01",
    )
    client = client_for("zone_admin")
    response = client.post(
        reverse("chains:targetlist_add"),
        {"chain": chain.pk, "candidates": "companies.csv", "top": 10, "home_province": "广东省"},
    )
    # ranked in the background: queued at once, made by a worker as the user
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.owner, job.state) == (users["zone_admin"], JobState.QUEUED)
    assert not TargetList.objects.exists()

    run_worker()

    job.refresh_from_db()
    target_list = TargetList.objects.get()
    assert (job.state, job.result, job.step) == (JobState.DONE, target_list, "2 targets")
    assert target_list.made_by == users["zone_admin"]
    targets = list(target_list.targets.order_by("rank"))
    assert [(t.link, t.rank, t.name) for t in targets] == [
        ("vehicles", 1, "广州远航新能源汽车有限公司"),
        ("vehicles", 2, "合肥星驰汽车有限公司"),
    ]
    assert targets[0].score > targets[1].score and targets[0].reasons
    promoter = client_for("promoter")
    to_pipeline = reverse("chains:to_pipeline", args=[target_list.pk])
    other = Team.objects.create(code="t2", name="其他组")
    assert promoter.post(to_pipeline, {"team": "t2", "target": [targets[0].pk]}).status_code == 404
    promoter.post(to_pipeline, {"team": "t1", "target": [targets[0].pk]})
    lead = Lead.objects.get(uscc=targets[0].uscc)
    assert (lead.team, lead.source, lead.chain_link, lead.stage) == (
        team,
        LeadSource.CHAIN_GAP,
        "mini:vehicles",
        "lead",
    )
    assert list(lead.stage_changes.values_list("stage", flat=True)) == ["lead"]
    link = client.get(reverse("chains:link", args=[chain.pk, "vehicles"]))
    assert link.context["target_progress"] == {
        "targets": 2,
        "leads": 1,
        "signed": 0,
        "enterprises": 0,
    }
    assert other.leads.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_target_list_that_cannot_be_made_fails_its_job_and_keeps_nothing(
    zone, chain, client_for, candidate_file
):
    client = client_for("zone_admin")
    data = {"chain": chain.pk, "candidates": "companies.csv", "top": 10}
    client.post(reverse("chains:targetlist_add"), data)
    candidate_file.unlink()  # taken away before the worker reads it
    client.post(reverse("chains:targetlist_add"), data)  # refused: no file to choose
    (job,) = Job.objects.all()

    run_worker()

    job.refresh_from_db()
    assert (job.state, job.messages) == (
        JobState.FAILED,
        ["The candidate file companies.csv is no longer in the data folder."],
    )
    assert not TargetList.objects.exists()
    # the job is its owner's
    assert client_for("promoter").get(job.get_absolute_url()).status_code == 404


def test_the_command_makes_targets_leads(zone, chain, users, candidate_file, tmp_path, capsys):
    Team.objects.create(code="t1", name="整车招商组")
    out = tmp_path / "targets.csv"
    call_command(
        "chains",
        "target",
        "--chain",
        "mini",
        "--candidates",
        str(candidate_file),
        "--to-pipeline",
        "t1",
        "--out",
        str(out),
    )
    assert "3 targets for mini; 3 leads made for team t1" in capsys.readouterr().out
    assert Lead.objects.filter(source=LeadSource.CHAIN_GAP).count() == 3
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "link",
        "rank",
        "uscc",
        "name",
        "province",
        "city",
        "industry_code",
        "score",
        "reasons",
    ]
    # the second run finds them in the pipeline now
    call_command(
        "chains",
        "target",
        "--chain",
        "mini",
        "--candidates",
        str(candidate_file),
        "--to-pipeline",
        "t1",
    )
    assert "0 targets for mini; 0 leads made" in capsys.readouterr().out


def test_the_command_credits_the_user_it_names(zone, chain, users, candidate_file, capsys):
    """--user names whose the list and the leads are; the operator writes them, whatever
    the user's own scope (a promoter may not make target lists in the application)."""
    team = Team.objects.create(code="t1", name="整车招商组")
    ScopeGrant.objects.create(user=users["promoter"], kind="team", object_id=team.pk)
    args = ["--chain", "mini", "--candidates", str(candidate_file), "--to-pipeline", "t1"]
    call_command("chains", "target", *args, "--user", "promoter")
    assert "3 leads made for team t1" in capsys.readouterr().out
    target_list = TargetList.objects.get()
    leads = Lead.objects.filter(source=LeadSource.CHAIN_GAP)
    assert target_list.made_by == users["promoter"]
    assert {c.moved_by for lead in leads for c in lead.stage_changes.all()} == {users["promoter"]}
    assert {e.actor for lead in leads for e in ChangeLogEntry.objects.get_for_object(lead)} == {
        users["promoter"]
    }


def test_a_chain_file_is_checked_when_saved(db, client_for):
    client = client_for("zone_admin")
    add = reverse("chains:chain_add")
    broken = CHAIN.replace("supplies: [vehicles]", "supplies: [trucks]")
    response = client.post(add, {"key": "mini", "name": "迷你", "text": broken})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["text"]
    assert "trucks" in error
    wrong_key = client.post(add, {"key": "other", "name": "迷你", "text": CHAIN})
    assert wrong_key.context["form"].errors["text"] == [
        "The file's key is mini, the chain's other."
    ]
    client.post(add, {"key": "mini", "name": "迷你", "text": CHAIN})
    assert Chain.objects.get().current.text == CHAIN


@pytest.mark.parametrize(
    ("role", "status"), [("promoter", 200), ("leader", 200), ("enterprise_user", 403)]
)
def test_the_api_reads_chains_for_the_roles_that_may(chain, users, role, status):
    from django.test import Client

    from beacon.core.models import ApiToken

    _token, key = ApiToken.issue(users[role])
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/chains/chains/")
    assert response.status_code == status
    if status == 200:
        (row,) = response.json()["results"]
        assert (row["key"], row["version"], row["text"]) == ("mini", 1, CHAIN)


def test_a_chain_without_a_version_has_no_links(db, client_for):
    chain = Chain.objects.create(key="empty", name="未写链")
    url = reverse("chains:link", args=[chain.pk, "cells"])
    client = client_for("zone_admin")
    assert client.get(url).status_code == 404
    assert client.post(url, {"enterprise": "x", "include": "yes"}).status_code == 404


def test_targets_written_by_the_registry_command_keep_formulas_as_text(tmp_path):
    calc = "=cmd|' /C calc'!A0"
    values = dict.fromkeys(COLUMNS, "x") | {"name": calc, "rank": 1, "score": 5}
    write_targets([SimpleNamespace(**values)], tmp_path / "t.csv")
    assert pl.read_csv(tmp_path / "t.csv")["name"].to_list() == ["'" + calc]
