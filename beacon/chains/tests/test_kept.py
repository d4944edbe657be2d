"""The kept link members: after every kind of write, a chain map counted from them is the
engine's coverage recomputed from the whole registry, in each role's scope, and the kept
rows are those a rebuild from scratch makes; the map costs the same queries at any zone
size."""

import importlib
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beacon.analytics import chains as engine
from beacon.chains import membership, services
from beacon.chains.models import Chain, LinkMapping, LinkMember, LinkTotal, SegmentTotal
from beacon.core import gate
from beacon.core.changelog import bulk_create_logged
from beacon.core.models import Role, ScopeGrant, User
from beacon.core.resources import get_resource
from beacon.core.roles import rule
from beacon.core.tabular import read_sheet
from beacon.core.versions import save_version
from beacon.registry.models import AnnualFigure, Enterprise, IndustryClass
from beacon.registry.tests.factories import EnterpriseFactory, make_uscc

from .conftest import CHAIN

# the roles that see chain maps, each in its own scope: parks whole, with or without their
# figures, and (made here) single enterprises and a rule narrowed by "where"
ROLES = ("zone_admin", "park_officer", "promoter", "leader", "one_enterprise", "high_tech")
SCOPES = [
    "锂离子电池、动力电池系统的研发、生产和销售",
    "电芯制造",
    "新能源汽车整车制造；电芯",
    "医疗器械研发",
    "",
]
CLASSES = ("3841", "3612", "2720")


def kept_rows() -> dict[str, set[tuple]]:
    """Every kept row, without its id."""
    out = {}
    for model in (LinkMember, LinkTotal, SegmentTotal):
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        out[model.__name__] = {
            tuple(tuple(v) if isinstance(v, list) else v for v in row)
            for row in model.objects.values_list(*fields)
        }
    return out


def cents(value):
    """Sums of money to the cent: the engine adds floats, the database decimals."""
    if isinstance(value, dict):
        return {k: cents(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cents(v) for v in value]
    return round(value, 2) if isinstance(value, float) else value


def reference(chain: Chain, user) -> dict:
    """The coverage as the engine computed it on each view before members were kept."""
    out = engine.coverage(chain.parsed, services.registry_local(user), services.overrides(chain))
    del out["membership"], out["members"]
    return out


def assert_kept(users):
    """The kept rows are a rebuild's, and every role's map is the engine's."""
    kept = kept_rows()
    membership.rebuild(membership.tables())
    assert kept_rows() == kept
    for chain in Chain.objects.all():
        chain = Chain.objects.get(pk=chain.pk)  # its current version, not a cached one
        for role in ROLES:
            expected = reference(chain, users[role])
            assert cents(services.coverage(chain, users[role])) == cents(expected), role


@pytest.fixture
def users(users, zone):
    """The shipped roles, and two a zone might add: a chain reader who sees one enterprise,
    and one who sees the high-tech enterprises and P2's figures."""
    chains = rule(["chains.chain", "chains.chainversion"], ["view"], "zone")
    made = {
        "one_enterprise": [
            chains,
            rule(["registry.enterprise", "registry.annualfigure"], ["view"], "enterprise"),
        ],
        "high_tech": [
            chains,
            {**rule(["registry.enterprise"], ["view"], "zone"), "where": {"high_tech": True}},
            rule(["registry.annualfigure"], ["view"], "park"),
        ],
    }
    out = dict(users)
    for code, rules in made.items():
        role = Role.objects.create(code=code, name=code, name_en=code, rules=rules)
        out[code] = User.objects.create_user(username=code, password="-", role=role)
    ScopeGrant.objects.create(
        user=out["one_enterprise"], kind="enterprise", object_id=zone["p1_enterprise"].pk
    )
    ScopeGrant.objects.create(user=out["high_tech"], kind="park", object_id=zone["p2"].pk)
    return out


@pytest.fixture
def chains(zone, chain):
    """The mini chain, and the shipped one for new-energy vehicles."""
    nev = Chain.objects.create(key="nev", name="新能源汽车")
    save_version(nev, (services.DATA / "nev.yaml").read_text(encoding="utf-8"), None)
    return [chain, nev]


def test_members_are_kept_from_the_first_version_on(zone, users, chains):
    assert LinkMember.objects.filter(chain=chains[0], link="cells").count() == 4
    assert_kept(users)


def test_a_saved_enterprise_is_kept(zone, users, chains):
    admin = users["zone_admin"]
    made = gate.save(
        admin,
        Enterprise(
            uscc=make_uscc(7001),
            name="新整车",
            industry=IndustryClass.objects.get(code="3612"),
            park=zone["p2"],
            business_scope="新能源汽车整车制造",
        ),
    )
    assert set(LinkMember.objects.filter(enterprise=made, chain=chains[0]).values_list("link")) == {
        ("vehicles",)
    }
    assert_kept(users)
    made.business_scope = "电芯制造"
    gate.save(admin, made)
    assert_kept(users)
    made.industry = IndustryClass.objects.get(code="3841")
    gate.save(admin, made)
    assert_kept(users)
    # moved to the park officer's park, left inactive, and a chain master: read live
    made.park = zone["p1"]
    gate.save(admin, made)
    assert_kept(users)
    made.status = "closed"
    gate.save(admin, made)
    assert_kept(users)
    made.status, made.chain_master = "active", True
    gate.save(admin, made)
    AnnualFigure.objects.create(enterprise=made, year=2024, industrial_output=5, tax=1)
    assert_kept(users)
    gate.delete(admin, made)
    assert not LinkMember.objects.filter(enterprise_id=made.pk).exists()
    assert_kept(users)


def test_an_import_is_kept(zone, users, chains):
    header = ["uscc", "name", "industry_code", "park", "business_scope"]
    rows = [
        header,
        [make_uscc(7101), "甲电芯", "2720", "P1", "电芯、电池系统"],
        [make_uscc(7102), "乙整车", "3612", "P2", ""],
    ]
    sheet = "\n".join(",".join(row) for row in rows).encode()
    result = get_resource("enterprises").run(read_sheet(sheet), user=users["zone_admin"])
    assert (result.ok, result.created) == (True, 2)
    assert_kept(users)
    rows[1][4], rows[2][2], rows[2][3] = "医疗器械", "3841", "P1"
    sheet = "\n".join(",".join(row) for row in rows).encode()
    result = get_resource("enterprises").run(read_sheet(sheet), user=users["zone_admin"])
    assert (result.ok, result.updated) == (True, 2)
    assert not LinkMember.objects.filter(chain=chains[0], enterprise__uscc=make_uscc(7101))
    assert_kept(users)


def test_users_words_and_new_versions_are_kept(zone, users, chains, client_for):
    chain = chains[0]
    url = reverse("chains:link", args=[chain.pk, "cells"])
    out, vehicle = zone["p1_enterprises"][1], zone["p2_enterprise"]
    client = client_for("zone_admin")
    client.post(url, {"enterprise": out.uscc, "include": "no", "reason": "只做电池包"})
    client.post(url, {"enterprise": vehicle.uscc, "include": "yes", "reason": "已确认"})
    assert not LinkMember.objects.filter(chain=chain, link="cells", enterprise=out).exists()
    assert_kept(users)
    # a word changed to another enterprise leaves the first one as matched
    word = LinkMapping.objects.get(enterprise=out)
    word.enterprise = zone["p2_enterprises"][1]
    gate.save(users["zone_admin"], word)
    assert LinkMember.objects.filter(chain=chain, link="cells", enterprise=out).exists()
    assert_kept(users)
    gate.delete(users["zone_admin"], word)
    assert_kept(users)
    save_version(chain, CHAIN.replace('keywords: ["电池系统"]', 'keywords: ["医疗"]'), None)
    assert not LinkMember.objects.filter(chain=chain, link="packs").exists()
    assert_kept(users)
    chain.versions.get(number=2).delete()
    assert LinkMember.objects.filter(chain=chain, link="packs").count() == 4
    assert_kept(users)


def test_an_industry_class_recoded_is_kept(zone, users, chains):
    industry = IndustryClass.objects.get(code="3841")
    industry.code = "X841"  # no class of any chain
    industry.save()
    assert not LinkMember.objects.filter(chain=chains[0], by_class=True).exists()
    assert_kept(users)


def test_a_deleted_chain_takes_its_members(zone, users, chains):
    chains[0].delete()
    assert not LinkMember.objects.filter(chain_id=chains[0].pk).exists()
    assert_kept(users)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_the_map(zone, users, chains, client_for, seed):
    """Writes of every kind in a random order, each followed by the comparison."""
    rng = random.Random(seed)
    admin = users["zone_admin"]
    parks = [zone["p1"], zone["p2"]]
    classes = {code: IndustryClass.objects.get(code=code) for code in CLASSES}
    n = 0

    def some_enterprise():
        return rng.choice(list(Enterprise.objects.order_by("pk")))

    def create():
        nonlocal n
        n += 1
        gate.save(
            admin,
            Enterprise(
                uscc=make_uscc(7200 + n),
                name=f"随机{n}",
                industry=classes[rng.choice(CLASSES)],
                park=rng.choice(parks),
                business_scope=rng.choice(SCOPES),
                chain_master=rng.random() < 0.3,
            ),
        )

    def edit():
        e = some_enterprise()
        e.business_scope, e.industry = rng.choice(SCOPES), classes[rng.choice(CLASSES)]
        gate.save(admin, e)

    def move():
        e = some_enterprise()
        e.park, e.status = rng.choice(parks), rng.choice(["active", "active", "closed"])
        e.high_tech, e.chain_master = rng.random() < 0.5, rng.random() < 0.3
        gate.save(admin, e)

    def delete():
        if Enterprise.objects.count() > 2:
            gate.delete(admin, some_enterprise())

    def figures():
        e = some_enterprise()
        AnnualFigure.objects.update_or_create(
            enterprise=e, year=rng.choice([2023, 2024]), defaults={"industrial_output": n}
        )

    def bulk():
        nonlocal n
        made = []
        for _ in range(3):
            n += 1
            made.append(
                EnterpriseFactory.build(
                    uscc=make_uscc(7200 + n),
                    park=rng.choice(parks),
                    industry=classes[rng.choice(CLASSES)],
                    business_scope=rng.choice(SCOPES),
                )
            )
        bulk_create_logged(Enterprise, made)

    def word():
        chain = rng.choice(chains)
        link = rng.choice(chain.parsed.links).key
        client_for("zone_admin").post(
            reverse("chains:link", args=[chain.pk, link]),
            {"enterprise": some_enterprise().uscc, "include": rng.choice(["yes", "no"])},
        )

    def version():
        chain = chains[0]
        text = CHAIN.replace('"电芯"]', f'"{rng.choice(["电芯", "整车", "研发"])}"]')
        save_version(chain, text, None)

    writes = [create, edit, move, delete, figures, bulk, word, version]
    for _ in range(12):
        rng.choice(writes)()
        assert_kept(users)


def test_the_map_reads_the_same_queries_at_any_size(zone, users, chain, client_for):
    """20 enterprises or 200: the chain map and a link's page make the same queries, and
    the map reads no business scope to match."""

    def grow(to: int):
        have = Enterprise.objects.count()
        bulk_create_logged(
            Enterprise,
            [
                EnterpriseFactory.build(
                    uscc=make_uscc(7500 + have + i), park=(zone["p1"], zone["p2"])[i % 2]
                )
                for i in range(to - have)
            ],
        )

    def counts() -> dict:
        out = {}
        for role in ("zone_admin", "park_officer"):
            client = client_for(role)
            for name, url in (
                ("map", chain.get_absolute_url()),
                ("link", reverse("chains:link", args=[chain.pk, "cells"])),
            ):
                client.get(url)  # the session and caches, once
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                out[role, name] = len(queries)
                if name == "map":  # nothing is matched on a view: no business scope read
                    assert not [q for q in queries if "business_scope" in q["sql"]]
        return out

    grow(20)
    small = counts()
    grow(200)
    assert LinkMember.objects.filter(chain=chain, link="cells").count() == 200
    assert counts() == small
    # a link's enterprises a page at a time, in the order they were filed
    url = reverse("chains:link", args=[chain.pk, "cells"])
    page = client_for("park_officer").get(url, {"page": 2}).context["members"]
    in_p1 = Enterprise.objects.filter(park=zone["p1"]).order_by("pk")
    assert [m.enterprise for m in page] == list(in_p1[50:100])
    assert (page.paginator.count, page.paginator.num_pages) == (100, 2)


def test_migrating_keeps_the_members_of_an_existing_database(zone, users, chains):
    """``beacon migrate`` fills the kept rows of a database that had none."""
    from django.apps import apps

    migration = importlib.import_module("beacon.chains.migrations.0005_keep_link_members")
    kept = kept_rows()
    for model in (LinkMember, LinkTotal, SegmentTotal):
        model.objects.all().delete()
    migration.keep_members(apps, None)
    assert kept_rows() == kept
    assert kept["LinkTotal"]


def test_the_rebuild_command_repairs_rows_edited_outside_beacon(zone, users, chains, capsys):
    kept = kept_rows()
    LinkTotal.objects.update(enterprises=99)
    LinkMember.objects.filter(link="cells").delete()
    call_command("chains", "rebuild")
    assert kept_rows() == kept
    assert capsys.readouterr().out == f"{len(kept['LinkMember'])} link members kept\n"
