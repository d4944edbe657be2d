"""The registry's import/export tables. Column names are public: scripts rely on them."""

from beacon.core.resources import ENTERPRISE_YEAR, Column, Resource, register

from .models import (
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)


@register
class ZoneResource(Resource):
    kind = "zones"
    model = Zone
    key = ("code",)
    columns = (
        Column("code", ("开发区代码", "代码"), required=True, example="demo"),
        Column("name", ("开发区名称", "名称"), required=True, example="示范高新技术产业开发区"),
        Column("name_en", ("英文名称",), example="Demonstration Hi-tech Zone"),
        Column("description", ("简介",), example=""),
    )


@register
class IndustryClassResource(Resource):
    """GB/T 4754-2017 ships in Chinese only; users supply English names through this table."""

    kind = "industries"
    model = IndustryClass
    key = ("code",)
    select_related = ("parent",)
    columns = (
        Column("code", ("行业代码", "代码"), required=True, example="3841"),
        Column("name", ("行业名称", "名称"), required=True, example="锂离子电池制造"),
        Column("name_en", ("英文名称",), example="Manufacture of lithium-ion batteries"),
        Column("level", ("层级",), kind="choice", required=True, example="class"),
        Column("parent", ("上级代码",), kind="fk", example="384"),
        Column("section", ("门类",), required=True, example="C"),
        Column("note", ("说明",), example=""),
    )


@register
class ParkResource(Resource):
    kind = "parks"
    model = Park
    key = ("code",)
    columns = (
        Column("code", ("园区代码", "代码"), required=True, example="P1"),
        Column("name", ("园区名称", "名称"), required=True, example="新能源汽车产业园"),
        Column("name_en", ("英文名称",), example="New-energy Vehicle Park"),
        Column("zone", ("开发区", "所属开发区"), kind="fk", example="demo"),
        Column("positioning", ("产业定位", "定位"), example="新能源汽车及零部件"),
        Column("industries", ("主导产业代码", "产业代码"), kind="m2m", example="3612;3670"),
        Column("area_mu", ("规划面积（亩）", "规划面积"), kind="decimal", example=3000),
        Column("address", ("地址",), example=""),
    )

    def build(self, values, before):
        instance = super().build(values, before)
        if instance.zone_id is None:
            zones = list(Zone.objects.all()[:2])
            if len(zones) == 1:
                instance.zone = zones[0]
        return instance


@register
class ParcelResource(Resource):
    kind = "parcels"
    model = Parcel
    key = ("code",)
    select_related = ("park",)
    columns = (
        Column("code", ("地块编号", "地块代码"), required=True, example="P1-001"),
        Column("park", ("园区代码", "园区", "所属园区"), kind="fk", required=True, example="P1"),
        Column("area_mu", ("面积（亩）", "面积"), kind="decimal", required=True, example=50),
        Column("land_use", ("用地性质", "土地用途"), kind="choice", example="industrial"),
        Column("status", ("状态", "供地状态"), kind="choice", example="available"),
        Column("notes", ("备注",), example=""),
    )

    def scope_column(self):
        return "park"


ENTERPRISE_FLAGS = (
    Column("high_tech", ("高新技术企业", "高企"), kind="bool", example="是"),
    Column("high_tech_expiry", ("高企证书有效期", "高企有效期"), kind="date", example="2026-12-31"),
    Column("srdi", ("专精特新", "专精特新中小企业"), kind="bool", example="否"),
    Column("little_giant", ("小巨人", "专精特新小巨人"), kind="bool", example="否"),
    Column("above_scale", ("规上企业", "规模以上"), kind="bool", example="是"),
    Column("chain_master", ("链主企业", "链主"), kind="bool", example="否"),
)


@register
class EnterpriseResource(Resource):
    kind = "enterprises"
    model = Enterprise
    key = ("uscc",)
    select_related = ("park", "industry")
    columns = (
        Column(
            "uscc", ("统一社会信用代码", "信用代码"), required=True, example="91440600MA4WXXKB3L"
        ),
        Column("name", ("企业名称", "名称"), required=True, example="示例新能源科技有限公司"),
        Column("name_en", ("英文名称",), example="Example New Energy Technology Co., Ltd."),
        Column(
            "industry_code",
            ("行业代码", "国民经济行业代码"),
            kind="fk",
            attr="industry",
            required=True,
            example="3841",
        ),
        Column("park", ("园区代码", "园区", "所属园区"), kind="fk", required=True, example="P1"),
        Column("parcels", ("地块编号",), kind="m2m", example="P1-001"),
        Column("founded", ("成立日期",), kind="date", example="2018-05-20"),
        *ENTERPRISE_FLAGS,
        Column("status", ("经营状态", "状态"), kind="choice", example="active"),
        Column("business_scope", ("经营范围",), example="锂离子电池、动力电池的研发、生产和销售"),
    )

    def scope_column(self):
        return "park"

    def lookup_map(self, col, user):
        if col.name == "industry_code":
            from .models import IndustryClass

            return {c.code: c for c in IndustryClass.objects.filter(level="class")}
        return super().lookup_map(col, user)


FIGURE_AMOUNTS = (
    ("revenue", ("营业收入", "营业收入（元）")),
    ("industrial_output", ("工业总产值", "工业总产值（元）")),
    ("value_added", ("工业增加值", "增加值")),
    ("tax", ("税收", "实缴税金", "税收（元）")),
    ("employees", ("从业人员", "年平均职工人数", "职工人数")),
    ("rd_expense", ("研发经费", "研发费用", "R&D经费")),
    ("energy_tce", ("综合能耗", "能耗（吨标煤）")),
    ("electricity_kwh", ("用电量", "用电量（千瓦时）")),
    ("emissions_t", ("主要污染物排放量", "排放量（吨）")),
    ("land_mu", ("用地面积", "用地面积（亩）")),
    ("floor_area_m2", ("建筑面积", "建筑面积（平方米）")),
    ("exports", ("出口额", "出口交货值")),
)
FIGURE_EXAMPLES = {
    "revenue": 125000000,
    "industrial_output": 118000000,
    "value_added": 31000000,
    "tax": 6200000,
    "employees": 320,
    "rd_expense": 5100000,
    "energy_tce": 1850.5,
    "electricity_kwh": 9200000,
    "emissions_t": 12.4,
    "land_mu": 60,
    "floor_area_m2": 38000,
    "exports": 15000000,
}


@register
class AnnualFigureResource(Resource):
    kind = "figures"
    model = AnnualFigure
    key = ("uscc", "year")
    select_related = ("enterprise",)
    columns = (
        *ENTERPRISE_YEAR,
        *(
            Column(
                name,
                aliases,
                kind="int" if name == "employees" else "decimal",
                example=FIGURE_EXAMPLES[name],
            )
            for name, aliases in FIGURE_AMOUNTS
        ),
    )


@register
class InnovationPlatformResource(Resource):
    kind = "platforms"
    model = InnovationPlatform
    key = ("name",)
    columns = (
        Column("name", ("平台名称", "名称"), required=True, example="海洋装备省级重点实验室"),
        Column("name_en", ("英文名称",), example=""),
        Column("kind", ("类型",), kind="choice", required=True, example="lab"),
        Column("level", ("级别",), kind="choice", required=True, example="provincial"),
        Column("park", ("园区代码", "园区"), kind="fk", example="P1"),
        Column(
            "uscc", ("依托企业信用代码",), kind="fk", attr="enterprise", lookup="uscc", example=""
        ),
        Column("established", ("设立年份",), kind="int", example=2021),
        Column("description", ("简介",), example=""),
    )

    def scope_column(self):
        return "park"


@register
class TalentResource(Resource):
    kind = "talents"
    model = Talent
    key = ("name",)
    columns = (
        Column("name", ("姓名", "团队名称", "名称"), required=True, example="智能传感创业团队"),
        Column("name_en", ("英文名称",), example=""),
        Column("kind", ("类型",), kind="choice", required=True, example="startup_team"),
        Column("field", ("领域", "专业领域"), example="智能传感器"),
        Column("programme", ("人才计划",), example=""),
        Column("year", ("引进年份",), kind="int", example=2023),
        Column("park", ("园区代码", "园区"), kind="fk", example="P1"),
        Column(
            "uscc", ("所在企业信用代码",), kind="fk", attr="enterprise", lookup="uscc", example=""
        ),
        Column("description", ("简介",), example=""),
    )

    def scope_column(self):
        return "park"
