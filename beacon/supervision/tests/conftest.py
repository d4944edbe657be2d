"""Two key projects on the conftest zone, one in each park."""

import datetime as dt
from decimal import Decimal

import pytest

from beacon.supervision.models import KeyProject

AS_OF = "2024-07-15"


def make_projects(zone) -> dict:
    """K1 in P1 and K2 in P2, each 2024-01-01 to 2024-12-31 (366 days), 100,000,000 yuan."""
    made = {}
    for code, park in (("K1", zone["p1"]), ("K2", zone["p2"])):
        made[code] = KeyProject.objects.create(
            code=code,
            name=f"{code} 动力电池基地",
            park=park,
            total_investment=Decimal(100_000_000),
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
        )
    return made


@pytest.fixture
def projects(zone):
    return make_projects(zone)
