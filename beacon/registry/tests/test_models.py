from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beacon.registry.models import Enterprise, IndustryClass, Parcel

from .factories import make_uscc


@pytest.mark.django_db
def test_the_whole_gbt4754_hierarchy_is_shipped():
    counts = {
        level: IndustryClass.objects.filter(level=level).count()
        for level in ("section", "division", "group", "class")
    }
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}
    battery = IndustryClass.objects.get(code="3841")
    assert (battery.name, battery.parent.code, battery.parent.parent.code, battery.section) == (
        "锂离子电池制造",
        "384",
        "38",
        "C",
    )
    assert not IndustryClass.objects.filter(level="class", parent__isnull=True).exists()


def test_parcel_area_in_square_metres_is_derived_from_mu():
    assert Parcel(area_mu=Decimal("1")).area_m2 == Decimal("666.67")
    assert Parcel(area_mu=Decimal("45.5")).area_m2 == Decimal("30333.33")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uscc", "reason"),
    [
        ("91441200MA000000", "has 18 characters"),
        (
            make_uscc(5)[:-1] + "0" if not make_uscc(5).endswith("0") else make_uscc(5)[:-1] + "1",
            "check digit",
        ),
        ("91441200MA00000I0X", "not a Unified Social Credit Code"),
    ],
)
def test_uscc_is_validated(zone, uscc, reason):
    enterprise = Enterprise(
        uscc=uscc, name="测试", industry=IndustryClass.objects.get(code="3841"), park=zone["p1"]
    )
    with pytest.raises(ValidationError) as info:
        enterprise.full_clean()
    assert reason in " ".join(info.value.message_dict["uscc"])
