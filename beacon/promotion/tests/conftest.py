"""Two teams and three leads on the conftest zone.

lead  team  proposed park   seen by the promoter (team T1)  seen by the park officer (P1)
l1    T1    P1              yes                              yes
l2    T2    P1              no                               yes
l3    T2    P2              no                               no
"""

import datetime as dt
from decimal import Decimal

import pytest

from beacon.core.models import ScopeGrant
from beacon.promotion.choices import Stage
from beacon.promotion.models import Lead, StageChange, Team
from beacon.registry.models import IndustryClass
from beacon.registry.tests.factories import make_uscc

DAY = dt.date(2024, 3, 1)


def make_lead(team, park, company, **fields) -> Lead:
    defaults = {
        "project": "动力电池生产基地",
        "industry": IndustryClass.objects.get(code="3841"),
        "planned_investment": Decimal(500_000_000),
        "land_need_mu": Decimal(100),
        "stage_date": DAY,
    }
    lead = Lead.objects.create(
        team=team, proposed_park=park, company=company, **{**defaults, **fields}
    )
    StageChange.objects.create(lead=lead, stage=Stage.LEAD, date=lead.stage_date)
    return lead


def make_promo(zone, users) -> dict:
    """The teams and leads of the table above, the promoter granted team t1."""
    t1 = Team.objects.create(code="t1", name="新能源汽车招商组")
    t2 = Team.objects.create(code="t2", name="生物医药招商组")
    ScopeGrant.objects.create(user=users["promoter"], kind="team", object_id=t1.pk)
    return {
        "t1": t1,
        "t2": t2,
        "l1": make_lead(t1, zone["p1"], "宁德华锐动力电池有限公司", uscc=make_uscc(700001)),
        "l2": make_lead(t2, zone["p1"], "苏州博远电子科技有限公司"),
        "l3": make_lead(t2, zone["p2"], "广州康泰生物医药股份有限公司"),
    }


@pytest.fixture
def promo(zone, users):
    return make_promo(zone, users)
