"""Every registry page, for every role: the scope holds in lists, search, filters, the HTMX
partial, exports, detail, history, create, edit, delete and import (see beacon.core.testing).
"""

from beacon.core.testing import ALL, CHOICE_ERROR, E1, P1, ModelViewCases
from beacon.registry.models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)

from . import factories
from .expected import EXPECTED

NEW_USCC = factories.make_uscc(900001)


def figures(enterprises):
    return list(AnnualFigure.objects.filter(enterprise__in=enterprises))


def classes(*codes):
    return list(IndustryClass.objects.filter(code__in=codes))


def by_park(zone, suffix):
    """The zone's ``p1_<suffix>`` and ``p2_<suffix>`` objects, by scope."""
    return {ALL: [zone[f"p1_{suffix}"], zone[f"p2_{suffix}"]], P1: [zone[f"p1_{suffix}"]]}


class TestZoneViews(ModelViewCases):
    model = Zone
    expected = EXPECTED["zone"]
    change = ("name_en", "Renamed zone")
    key_columns = ("code",)
    template_headers = ["code", "name", "name_en", "description"]

    def row_key(self, obj):
        return (obj.code,)

    def import_row(self, zone, at):
        return {"code": "north", "name": "北区"}

    def reach(self, zone, scope):
        return {ALL: [zone["zone"]]}[scope]

    def queries(self, zone):
        return [({"search": "demo"}, [zone["zone"]]), ({"search": "示范"}, [zone["zone"]])]

    def form_data(self, zone, at):
        return {"code": "north", "name": "北区", "name_en": "North"}

    def spare(self, zone, at):
        return factories.ZoneFactory(code="spare")


class TestParkViews(ModelViewCases):
    model = Park
    expected = EXPECTED["park"]
    key_columns = ("code",)
    template_headers = [
        "code",
        "name",
        "name_en",
        "zone",
        "positioning",
        "industries",
        "area_mu",
        "address",
    ]

    def reach(self, zone, scope):
        return {ALL: [zone["p1"], zone["p2"]], P1: [zone["p1"]]}[scope]

    def queries(self, zone):
        return [({"search": "生物医药"}, [zone["p2"]]), ({"search": "P1"}, [zone["p1"]])]

    def row_key(self, obj):
        return (obj.code,)

    def form_data(self, zone, at):
        return {"zone": zone["zone"].pk, "code": "P9", "name": "海洋装备产业园", "area_mu": "1200"}

    def import_row(self, zone, at):
        return {"code": "P9", "name": "海洋装备产业园", "zone": "demo"}

    def spare(self, zone, at):
        return factories.ParkFactory(zone=zone["zone"])


class TestIndustryClassViews(ModelViewCases):
    model = IndustryClass
    expected = EXPECTED["industryclass"]
    change = ("name_en", "Lithium-ion batteries")
    key_columns = ("code",)
    template_headers = ["code", "name", "name_en", "level", "parent", "section", "note"]

    def row_key(self, obj):
        return (obj.code,)

    def import_row(self, zone, at):
        return {
            "code": "3845",
            "name": "钠离子电池制造",
            "level": "class",
            "parent": "384",
            "section": "C",
        }

    def reach(self, zone, scope):
        # all 1,400-odd classes; the tests need only their ids
        return {ALL: list(IndustryClass.objects.only("id"))}[scope]

    def queries(self, zone):
        return [
            ({"search": "锂离子"}, classes("3563", "3841")),
            ({"code": "384", "level": "class"}, classes("3841", "3842", "3843", "3844", "3849")),
        ]

    def form_data(self, zone, at):
        return {
            "code": "3845",
            "name": "钠离子电池制造",
            "level": "class",
            "parent": "384",
            "section": "C",
        }

    def spare(self, zone, at):
        return IndustryClass.objects.create(
            code="3845",
            name="钠离子电池制造",
            level="class",
            parent=IndustryClass.objects.get(code="384"),
            section="C",
        )


class TestParcelViews(ModelViewCases):
    model = Parcel
    # the park field offers only the parks the user may file into
    refusal = {"park": [CHOICE_ERROR]}
    expected = EXPECTED["parcel"]
    key_columns = ("code",)
    template_headers = ["code", "park", "area_mu", "land_use", "status", "notes"]
    change = ("notes", "已完成场地平整")

    def reach(self, zone, scope):
        return by_park(zone, "parcel")[scope]

    def queries(self, zone):
        return [
            ({"park": "P1"}, [zone["p1_parcel"]]),
            ({"search": zone["p2_parcel"].code}, [zone["p2_parcel"]]),
            ({"park": "P2", "status": "available"}, [zone["p2_parcel"]]),
            ({"status": "built"}, []),
        ]

    def row_key(self, obj):
        return (obj.code,)

    def form_data(self, zone, at):
        return {
            "code": "NEW-0001",
            "park": at.park.pk,
            "area_mu": "12.50",
            "land_use": "industrial",
            "status": "planned",
        }

    def import_row(self, zone, at):
        return {"code": "NEW-0001", "park": at.park.code, "area_mu": "12.5"}

    def spare(self, zone, at):
        return factories.ParcelFactory(park=at.park)


class TestEnterpriseViews(ModelViewCases):
    model = Enterprise
    # the park field offers only the parks the user may file into
    refusal = {"park": [CHOICE_ERROR]}
    expected = EXPECTED["enterprise"]
    key_columns = ("uscc",)
    template_headers = [
        "uscc",
        "name",
        "name_en",
        "industry_code",
        "park",
        "parcels",
        "founded",
        "high_tech",
        "high_tech_expiry",
        "srdi",
        "little_giant",
        "above_scale",
        "chain_master",
        "status",
        "business_scope",
    ]

    def reach(self, zone, scope):
        return {
            ALL: zone["p1_enterprises"] + zone["p2_enterprises"],
            P1: zone["p1_enterprises"],
            E1: [zone["p1_enterprise"]],
        }[scope]

    def queries(self, zone):
        return [
            ({"park": "P1"}, zone["p1_enterprises"]),
            ({"search": zone["p2_enterprise"].uscc}, [zone["p2_enterprise"]]),
            ({"search": "新能源科技", "park": "P2"}, zone["p2_enterprises"]),
            ({"high_tech": "true", "industry_code": "38"}, self.reach(zone, ALL)),
            ({"status": "closed"}, []),
        ]

    def row_key(self, obj):
        return (obj.uscc,)

    def form_data(self, zone, at):
        return {
            "uscc": NEW_USCC,
            "name": "肇庆钠电科技有限公司",
            "industry": IndustryClass.objects.get(code="3841").pk,
            "park": at.park.pk,
            "status": "active",
        }

    def import_row(self, zone, at):
        return {
            "uscc": NEW_USCC,
            "name": "肇庆钠电科技有限公司",
            "industry_code": "3841",
            "park": at.park.code,
        }

    def spare(self, zone, at):
        return factories.EnterpriseFactory(park=at.park)


class TestAnnualFigureViews(ModelViewCases):
    model = AnnualFigure
    expected = EXPECTED["annualfigure"]
    key_columns = ("uscc", "year")
    template_headers = [
        "uscc",
        "year",
        "revenue",
        "industrial_output",
        "value_added",
        "tax",
        "employees",
        "rd_expense",
        "energy_tce",
        "electricity_kwh",
        "emissions_t",
        "land_mu",
        "floor_area_m2",
        "exports",
    ]
    change = ("employees", 321)
    # The enterprise field offers only enterprises in scope, so one outside it is no choice.
    refusal = {"enterprise": [CHOICE_ERROR]}

    def reach(self, zone, scope):
        return {
            ALL: figures(zone["p1_enterprises"] + zone["p2_enterprises"]),
            P1: figures(zone["p1_enterprises"]),
            E1: figures([zone["p1_enterprise"]]),
        }[scope]

    def queries(self, zone):
        return [
            ({"park": "P1"}, figures(zone["p1_enterprises"])),
            ({"search": zone["p2_enterprise"].uscc}, figures([zone["p2_enterprise"]])),
            ({"uscc": zone["p1_enterprises"][1].uscc}, figures(zone["p1_enterprises"][1:])),
            ({"year": "2023"}, [f for f in self.reach(zone, ALL) if f.year == 2023]),
            ({"year_from": "2024"}, []),
        ]

    def row_key(self, obj):
        return (obj.enterprise.uscc, str(obj.year))

    def form_data(self, zone, at):
        return {"enterprise": at.enterprise.uscc, "year": "2024", "revenue": "1000000"}

    def import_row(self, zone, at):
        return {"uscc": at.enterprise.uscc, "year": "2024", "revenue": "1000000"}

    def import_refusal(self, zone, at):
        # Enterprises outside the scope are looked up as if they did not exist.
        return f"row 2, column uscc: unknown: {at.enterprise.uscc}"

    def spare(self, zone, at):
        return factories.AnnualFigureFactory(enterprise=at.enterprise, year=2021)


class TestInnovationPlatformViews(ModelViewCases):
    model = InnovationPlatform
    # the park field offers only the parks the user may file into
    refusal = {"park": [CHOICE_ERROR]}
    expected = EXPECTED["innovationplatform"]
    key_columns = ("name",)
    template_headers = [
        "name",
        "name_en",
        "kind",
        "level",
        "park",
        "uscc",
        "established",
        "description",
    ]

    def reach(self, zone, scope):
        # The fixture files both platforms under the parks' first enterprises.
        return {**by_park(zone, "platform"), E1: [zone["p1_platform"]]}[scope]

    def queries(self, zone):
        return [
            ({"park": "P1"}, [zone["p1_platform"]]),
            ({"search": zone["p2_platform"].name}, [zone["p2_platform"]]),
            ({"kind": "lab", "level": "provincial"}, self.reach(zone, ALL)),
            ({"kind": "incubator"}, []),
        ]

    def row_key(self, obj):
        return (obj.name,)

    def form_data(self, zone, at):
        return {"name": "钠电池中试平台", "kind": "lab", "level": "municipal", "park": at.park.pk}

    def import_row(self, zone, at):
        return {"name": "钠电池中试平台", "kind": "lab", "level": "municipal", "park": at.park.code}

    def spare(self, zone, at):
        return factories.InnovationPlatformFactory(park=at.park)


class TestTalentViews(ModelViewCases):
    model = Talent
    # the park field offers only the parks the user may file into
    refusal = {"park": [CHOICE_ERROR]}
    expected = EXPECTED["talent"]
    key_columns = ("name",)
    template_headers = [
        "name",
        "name_en",
        "kind",
        "field",
        "programme",
        "year",
        "park",
        "uscc",
        "description",
    ]
    change = ("field", "储能材料")

    def reach(self, zone, scope):
        return {**by_park(zone, "talent"), E1: [zone["p1_talent"]]}[scope]

    def queries(self, zone):
        return [
            ({"park": "P1"}, [zone["p1_talent"]]),
            ({"search": zone["p2_talent"].name}, [zone["p2_talent"]]),
            ({"search": "智能传感"}, self.reach(zone, ALL)),
            ({"kind": "talent"}, []),
        ]

    def row_key(self, obj):
        return (obj.name,)

    def form_data(self, zone, at):
        return {"name": "钠电池创业团队", "kind": "startup_team", "park": at.park.pk}

    def import_row(self, zone, at):
        return {"name": "钠电池创业团队", "kind": "startup_team", "park": at.park.code}

    def spare(self, zone, at):
        return factories.TalentFactory(park=at.park)
