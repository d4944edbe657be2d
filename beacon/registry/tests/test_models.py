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


@pytest.mark.django_db
def test_a_code_typed_in_lower_case_is_the_same_company(zone, users):
    """The USCC is kept and compared in upper case at every entry: the form, the API, an
    import, a lookup, a bulk write; the database refuses a second filing in any case."""
    from django.db import IntegrityError, connection, transaction
    from django.test import Client

    from beacon.core.models import ApiToken
    from beacon.core.resources import get_resource
    from beacon.core.tabular import Sheet

    other = zone["p2_enterprise"]
    lower = other.uscc.lower()
    assert Enterprise.objects.get(uscc=lower) == other
    assert list(Enterprise.objects.filter(uscc__in=[lower])) == [other]
    typed = Enterprise(uscc=f" {lower} ", name="x", park=zone["p1"], industry=other.industry)
    typed.full_clean(exclude=["uscc"], validate_unique=False)
    assert typed.uscc == f" {lower} "
    with pytest.raises(ValidationError) as clash:
        typed.full_clean()
    assert list(clash.value.message_dict) == ["uscc"]

    _token, key = ApiToken.issue(users["zone_admin"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    payload = {"uscc": lower, "name": "重复", "industry_code": "3841", "park": "P1"}
    answer = api.post("/api/v1/registry/enterprises/", payload, content_type="application/json")
    assert answer.status_code == 409

    sheet = Sheet(["uscc", "name_en"], [[lower, "Same company"]], [2])
    result = get_resource("enterprises").run(sheet, user=users["zone_admin"])
    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    other.refresh_from_db()
    assert other.name_en == "Same company"

    # whoever writes, the database holds one company once
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registry_enterprise (uscc, name, name_en, park_id, industry_id,"
            " business_scope, status, high_tech, srdi, little_giant, above_scale,"
            " chain_master, created, updated) VALUES (%s, 'x', '', %s, %s, '', 'active',"
            " false, false, false, false, false, %s, %s)",
            [lower, zone["p1"].pk, other.industry_id, other.created, other.created],
        )
    made = Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(770001).lower(), name="y", park=zone["p1"], industry=other.industry
            )
        ]
    )
    assert made[0].uscc == make_uscc(770001)
    assert Enterprise.objects.filter(uscc=make_uscc(770001)).exists()


@pytest.mark.django_db
def test_codes_filed_twice_in_two_cases_stop_the_migration_by_name(zone):
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("beacon.registry.migrations.0006_uscc_upper_case")
    state = MigrationLoader(connection).project_state().apps
    first, second = zone["p1_enterprise"], zone["p2_enterprise"]
    with connection.cursor() as cursor:
        # as before the migration (an expression's unique constraint is a unique index)
        cursor.execute("DROP INDEX registry_enterprise_uscc_any_case")
        cursor.execute(
            "UPDATE registry_enterprise SET uscc = %s WHERE id = %s",
            [first.uscc.lower(), second.pk],
        )
    with pytest.raises(RuntimeError, match=first.uscc):
        migration.upper_case_codes(state, None)
    # one code in lower case alone is made upper case
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_enterprise SET uscc = %s WHERE id = %s",
            [make_uscc(770002).lower(), second.pk],
        )
    migration.upper_case_codes(state, None)
    assert Enterprise.objects.filter(pk=second.pk).values_list("uscc", flat=True)[0] == (
        make_uscc(770002)
    )
