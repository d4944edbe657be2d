"""The demo zone: a fictional high-tech zone of five parks, built the same way from one seed.

The zone is modelled on the seed articles: Zhaoqing's new-energy vehicle, new energy
storage and electronic-information clusters, Foshan's "one zone, five parks" with one
characteristic per park, chain-master enterprises, three quarters of industrial firms
certified high-tech, and start-up teams brought in under talent programmes. Every
enterprise and figure is invented.

``DemoPlan`` is pure: a seed and a size give rows (dicts of model field values) and
nothing else. ``build_demo_zone`` writes those rows, chunk by chunk, through the change log.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from stdnum.cn import uscc as stdnum_uscc

from beacon.core.changelog import bulk_create_logged, bulk_link_logged
from beacon.core.models import Role, ScopeGrant, User
from beacon.registry.choices import (
    EnterpriseStatus,
    LandUse,
    ParcelStatus,
    PlatformKind,
    PlatformLevel,
)
from beacon.registry.models import (
    M2_PER_MU,
    AnnualFigure,
    Enterprise,
    IndustryClass,
    InnovationPlatform,
    Parcel,
    Park,
    Talent,
    Zone,
)

DEMO_PASSWORD = "beacon-demo-2024"
SEED = 20240309  # the day of the Zhaoqing interview in the seed articles
SIZES = {"small": 2_000, "large": 100_000}
FIGURE_YEARS = tuple(range(2021, 2026))
LAST_YEAR = FIGURE_YEARS[-1]
# Enterprises are generated and written this many at a time, so a large zone never sits
# in memory whole; the figures' random stream is keyed on the chunk's first index.
CHUNK = 5_000
BATCH = 2_000

STATUSES = (EnterpriseStatus.ACTIVE, EnterpriseStatus.MOVED_OUT, EnterpriseStatus.CLOSED)
ACTIVE, MOVED_OUT, CLOSED = range(len(STATUSES))
# Above designated size (规模以上): main-business revenue of 20 million yuan for industry,
# 10 million for software and technology services.
ABOVE_SCALE_INDUSTRY = 2e7
ABOVE_SCALE_SERVICES = 1e7
OWN_LAND_REVENUE = 3e7  # below this a manufacturer rents a standard plant
TCE_PER_KWH = 0.0001229  # electricity's equivalent coal value (0.1229 kgce per kWh)


@dataclass(frozen=True)
class Word:
    """An industry word of a company name (华锐 *新能源* 科技有限公司), and its English."""

    zh: str
    en: str
    alone: bool = False  # 药业, 铝业: takes no organisation word after it


@dataclass(frozen=True)
class Line:
    """An industry line of a park: a GB/T 4754-2017 class and how its firms look."""

    code: str
    weight: float
    words: tuple[Word, ...]
    activities: tuple[str, ...]
    licensed: tuple[str, ...] = ()
    energy: float = 0.03  # tce per 10,000 yuan of output
    emission: float = 0.004  # tonnes of main pollutants per tce
    lead: bool = False  # chain masters come from lead lines

    @property
    def manufacturing(self) -> bool:
        return is_manufacturing(self.code)


@dataclass(frozen=True)
class ParkSpec:
    """A park: one characteristic (一园一特色), its industry lines and its share of firms."""

    code: str
    name: str
    name_en: str
    positioning: str
    address: str
    share: float
    growth: float  # mean yearly revenue growth of its firms
    lines: tuple[Line, ...]


def is_manufacturing(code: str) -> bool:
    """Divisions 13–43 of GB/T 4754-2017 make up section C, manufacturing."""
    return "13" <= code[:2] <= "43"


def W(zh: str, en: str, alone: bool = False) -> Word:
    return Word(zh, en, alone)


NEW_ENERGY = W("新能源", "New Energy")
STORAGE = W("储能", "Energy Storage")
PHARMA = (W("药业", "Pharmaceutical", True), W("制药", "Pharmaceutical", True))

PARKS = (
    ParkSpec(
        code="P1",
        name="新能源汽车产业园",
        name_en="New Energy Vehicle Industrial Park",
        positioning="新能源汽车整车及核心零部件：整车制造、动力电池、电机电控、汽车电子与智能网联",
        address="肇庆市西江新城汽车大道1号",
        share=0.24,
        growth=0.16,
        lines=(
            Line(
                "3612",
                1,
                (W("新能源汽车", "New Energy Vehicle"), W("汽车", "Automobile")),
                ("新能源汽车整车销售", "汽车新车销售", "新能源汽车换电设施销售", "汽车零部件研发"),
                ("道路机动车辆生产",),
                energy=0.015,
                lead=True,
            ),
            Line(
                "3670",
                30,
                (
                    W("汽车零部件", "Auto Parts"),
                    W("汽车配件", "Auto Accessories"),
                    W("精密部件", "Precision Parts"),
                    W("汽车部件", "Automotive Components"),
                ),
                (
                    "汽车零部件及配件制造",
                    "汽车零配件批发",
                    "汽车零部件研发",
                    "新能源汽车电附件销售",
                    "模具制造",
                ),
                energy=0.025,
            ),
            Line(
                "3841",
                8,
                (NEW_ENERGY, W("锂电", "Lithium Battery"), W("动力电池", "Power Battery")),
                (
                    "电池制造",
                    "电池销售",
                    "电池零配件生产",
                    "新能源汽车电附件销售",
                    "新兴能源技术研发",
                ),
                energy=0.04,
                lead=True,
            ),
            Line(
                "3812",
                6,
                (W("电机", "Motor"), W("电驱", "E-Drive")),
                ("电机制造", "电动机制造", "新能源汽车电附件销售", "机械电气设备制造"),
                energy=0.03,
            ),
            Line(
                "3824",
                6,
                (W("电控", "Electric Control"), W("电力电子", "Power Electronics")),
                ("电力电子元器件制造", "电力电子元器件销售", "新能源汽车电附件销售"),
                energy=0.03,
            ),
            Line(
                "3962",
                6,
                (W("智能网联", "Connected Vehicle"), W("汽车电子", "Automotive Electronics")),
                ("智能车载设备制造", "智能车载设备销售", "物联网技术研发", "软件开发"),
                energy=0.012,
            ),
            Line(
                "3660",
                3,
                (W("车身", "Auto Body"), W("专用车", "Special Vehicle")),
                ("汽车车身、挂车制造", "汽车零部件及配件制造", "金属结构制造"),
                energy=0.05,
                emission=0.008,
            ),
        ),
    ),
    ParkSpec(
        code="P2",
        name="新型储能产业园",
        name_en="New Energy Storage Industrial Park",
        positioning="新型储能全产业链：储能电池、电池材料、储能变流与系统集成、光伏与智能电网",
        address="肇庆市西江新城储能路8号",
        share=0.16,
        growth=0.2,
        lines=(
            Line(
                "3841",
                10,
                (STORAGE, NEW_ENERGY, W("锂电", "Lithium Battery")),
                ("电池制造", "电池销售", "储能技术服务", "新能源原动设备制造", "新兴能源技术研发"),
                energy=0.04,
                lead=True,
            ),
            Line(
                "3849",
                5,
                (W("钠电", "Sodium Battery"), W("液流电池", "Flow Battery"), STORAGE),
                ("电池制造", "电池销售", "储能技术服务", "新兴能源技术研发"),
                energy=0.045,
            ),
            Line(
                "3825",
                6,
                (W("光伏", "Photovoltaic"), W("光能", "Solar"), NEW_ENERGY),
                ("光伏设备及元器件制造", "光伏设备及元器件销售", "太阳能发电技术服务"),
                energy=0.06,
                lead=True,
            ),
            Line(
                "3821",
                5,
                (W("电气", "Electric"), W("变流", "Power Conversion")),
                ("变压器、整流器和电感器制造", "输配电及控制设备制造", "储能技术服务"),
                energy=0.03,
            ),
            Line(
                "3823",
                6,
                (W("智能电网", "Smart Grid"), W("电力设备", "Power Equipment")),
                ("配电开关控制设备制造", "智能输配电及控制设备销售", "输配电及控制设备制造"),
                energy=0.02,
            ),
            Line(
                "2613",
                3,
                (W("锂业", "Lithium", True), W("电池材料", "Battery Materials")),
                ("化工产品生产（不含许可类化工产品）", "电池零配件生产", "新材料技术研发"),
                ("危险化学品生产",),
                energy=0.35,
                emission=0.02,
            ),
            Line(
                "3985",
                4,
                (W("新材料", "New Materials"), W("电池材料", "Battery Materials")),
                ("电子专用材料制造", "电子专用材料研发", "新材料技术研发", "石墨烯材料销售"),
                energy=0.12,
                emission=0.01,
            ),
            Line(
                "7515",
                4,
                (W("能源科技", "Energy Technology", True), NEW_ENERGY, STORAGE),
                ("储能技术服务", "新兴能源技术研发", "合同能源管理", "太阳能发电技术服务"),
                energy=0.004,
                emission=0.001,
            ),
        ),
    ),
    ParkSpec(
        code="P3",
        name="电子信息产业园",
        name_en="Electronic Information Industrial Park",
        positioning="电子信息：集成电路、新型显示、电子元器件、智能终端与软件",
        address="肇庆市西江新城信息大道18号",
        share=0.26,
        growth=0.08,
        lines=(
            Line(
                "3973",
                3,
                (W("微电子", "Microelectronics"), W("半导体", "Semiconductor")),
                ("集成电路制造", "集成电路芯片及产品制造", "半导体器件专用设备销售"),
                energy=0.08,
                emission=0.006,
                lead=True,
            ),
            Line(
                "6520",
                5,
                (W("集成电路", "Integrated Circuit"), W("芯", "Chip")),
                ("集成电路设计", "集成电路芯片设计及服务", "软件开发"),
                energy=0.003,
                emission=0.0005,
            ),
            Line(
                "3974",
                4,
                (W("光显", "Display"), W("显示", "Display Technology")),
                ("显示器件制造", "显示器件销售", "光电子器件制造"),
                energy=0.06,
                lead=True,
            ),
            Line(
                "3976",
                4,
                (W("光电", "Optoelectronics"), W("光电子", "Optoelectronic")),
                ("光电子器件制造", "光电子器件销售", "半导体照明器件制造"),
                energy=0.04,
            ),
            Line(
                "3981",
                8,
                (W("电子", "Electronics"), W("电子元件", "Electronic Components")),
                ("电子元器件制造", "电阻电容电感元件制造", "电子元器件批发"),
                energy=0.03,
            ),
            Line(
                "3982",
                8,
                (W("电路", "Circuit"), W("线路板", "PCB"), W("电子", "Electronics")),
                ("电子电路制造", "电子元器件制造", "电子专用设备销售"),
                energy=0.05,
                emission=0.012,
                lead=True,
            ),
            Line(
                "3983",
                5,
                (W("传感", "Sensing"), W("传感器", "Sensor")),
                ("敏感元件及传感器制造", "传感器销售", "物联网技术研发"),
                energy=0.02,
            ),
            Line(
                "3922",
                4,
                (W("通信", "Communication"), W("智能终端", "Smart Terminal")),
                ("通信设备制造", "移动终端设备制造", "通讯设备销售"),
                energy=0.015,
            ),
            Line(
                "6513",
                8,
                (W("软件", "Software"), W("信息", "Information"), W("数字", "Digital")),
                ("软件开发", "信息系统集成服务", "人工智能应用软件开发", "数据处理和存储支持服务"),
                energy=0.002,
                emission=0.0005,
            ),
            Line(
                "3985",
                3,
                (W("电子材料", "Electronic Materials"), W("新材料", "New Materials")),
                ("电子专用材料制造", "电子专用材料销售", "新材料技术研发"),
                energy=0.1,
                emission=0.01,
            ),
        ),
    ),
    ParkSpec(
        code="P4",
        name="生物医药与健康产业园",
        name_en="Biomedicine and Health Industrial Park",
        positioning="生物医药与大健康：化学药与中成药、生物药、医疗器械、医学研发服务",
        address="肇庆市西江新城康健路6号",
        share=0.14,
        growth=0.07,
        lines=(
            Line(
                "2710",
                3,
                PHARMA,
                ("化工产品销售（不含许可类化工产品）", "医学研究和试验发展"),
                ("药品生产", "药品批发"),
                energy=0.12,
                emission=0.015,
            ),
            Line(
                "2720",
                4,
                (*PHARMA, W("医药", "Medicine")),
                ("医学研究和试验发展", "技术进出口"),
                ("药品生产", "药品批发", "药品委托生产"),
                energy=0.05,
                emission=0.01,
                lead=True,
            ),
            Line(
                "2740",
                5,
                (W("中药", "Chinese Medicine"), W("南药", "Southern Herbal Medicine"), *PHARMA),
                ("中草药种植", "地产中草药（不含中药饮片）购销", "医学研究和试验发展"),
                ("药品生产", "药品批发"),
                energy=0.06,
                emission=0.012,
                lead=True,
            ),
            Line(
                "2761",
                4,
                (W("生物医药", "Biomedicine"), W("生物", "Biotechnology")),
                ("生物基材料技术研发", "医学研究和试验发展", "细胞技术研发和应用"),
                ("药品生产",),
                energy=0.06,
                emission=0.01,
            ),
            Line(
                "2770",
                4,
                (W("医用材料", "Medical Materials"), W("卫材", "Medical Supplies")),
                ("第一类医疗器械生产", "第二类医疗器械销售", "日用口罩（非医用）生产"),
                ("卫生用品和一次性使用医疗用品生产", "医用口罩生产"),
                energy=0.04,
            ),
            Line(
                "3581",
                4,
                (W("医疗设备", "Medical Equipment"), W("医疗科技", "Medical Technology", True)),
                ("第一类医疗器械生产", "第二类医疗器械销售", "医疗设备租赁"),
                ("第二类医疗器械生产", "第三类医疗器械生产"),
                energy=0.015,
            ),
            Line(
                "3584",
                5,
                (W("医疗器械", "Medical Devices"), W("医疗", "Medical")),
                ("第一类医疗器械生产", "第二类医疗器械销售"),
                ("第二类医疗器械生产",),
                energy=0.02,
            ),
            Line(
                "7340",
                4,
                (W("生物技术", "Biotechnology"), W("医药科技", "Pharmaceutical Technology", True)),
                ("医学研究和试验发展", "生物化工产品技术研发", "技术服务"),
                energy=0.01,
                emission=0.002,
            ),
        ),
    ),
    ParkSpec(
        code="P5",
        name="先进材料与智能装备产业园",
        name_en="Advanced Materials and Intelligent Equipment Industrial Park",
        positioning="先进材料与智能装备：高端铝材与金属新材料、碳材料、工业机器人、增材制造与数控装备",
        address="肇庆市西江新城智造大道66号",
        share=0.2,
        growth=0.05,
        lines=(
            Line(
                "3491",
                4,
                (W("机器人", "Robotics"), W("智能装备", "Intelligent Equipment")),
                (
                    "工业机器人制造",
                    "工业机器人销售",
                    "智能机器人的研发",
                    "工业自动控制系统装置制造",
                ),
                energy=0.02,
                lead=True,
            ),
            Line(
                "3493",
                2,
                (W("增材制造", "Additive Manufacturing"), W("3D打印", "3D Printing")),
                ("增材制造装备制造", "增材制造装备销售", "3D打印服务"),
                energy=0.03,
            ),
            Line(
                "3421",
                4,
                (W("数控", "CNC"), W("机床", "Machine Tool")),
                ("数控机床制造", "金属切削机床制造", "数控机床销售"),
                energy=0.03,
            ),
            Line(
                "3484",
                8,
                (
                    W("精密机械", "Precision Machinery"),
                    W("机械", "Machinery"),
                    W("五金", "Hardware"),
                ),
                ("机械零件、零部件加工", "通用零部件制造", "五金产品制造"),
                energy=0.04,
                emission=0.008,
            ),
            Line(
                "3525",
                5,
                (W("模具", "Mould"), W("精密模具", "Precision Mould")),
                ("模具制造", "模具销售", "塑料制品制造"),
                energy=0.04,
            ),
            Line(
                "4011",
                4,
                (W("自动化", "Automation"), W("智能控制", "Intelligent Control")),
                ("工业自动控制系统装置制造", "工业控制计算机及系统制造", "智能控制系统集成"),
                energy=0.012,
            ),
            Line(
                "3252",
                6,
                (W("铝业", "Aluminium", True), W("铝材", "Aluminium Products"), W("金属", "Metal")),
                ("有色金属压延加工", "金属材料制造", "建筑用金属配件制造", "新材料技术研发"),
                energy=0.15,
                emission=0.02,
                lead=True,
            ),
            Line(
                "3091",
                3,
                (W("碳材料", "Carbon Materials"), W("石墨", "Graphite")),
                ("石墨及碳素制品制造", "石墨烯材料销售", "新材料技术研发"),
                energy=0.5,
                emission=0.03,
            ),
            Line(
                "3073",
                2,
                (W("陶瓷", "Ceramics"), W("精密陶瓷", "Precision Ceramics")),
                ("特种陶瓷制品制造", "特种陶瓷制品销售", "新材料技术研发"),
                energy=0.35,
                emission=0.025,
            ),
        ),
    ),
)
LINES = tuple(line for park in PARKS for line in park.lines)
LINE_OFFSETS = np.cumsum([0] + [len(park.lines) for park in PARKS])[:-1]
LINE_MANUFACTURING = np.array([line.manufacturing for line in LINES])
LINE_ENERGY = np.array([line.energy for line in LINES])
LINE_EMISSION = np.array([line.emission for line in LINES])
PARK_GROWTH = np.array([park.growth for park in PARKS])

ZONE = {
    "code": "demo",
    "name": "西江新城高新技术产业开发区",
    "name_en": "Xijiang New City High-tech Industrial Development Zone",
    "description": (
        "演示数据：以肇庆、佛山等地高新区为原型虚构的“一区五园”，主导产业为新能源汽车、"
        "新型储能、电子信息、生物医药与先进材料及智能装备。所有企业及数据均为虚构。"
    ),
}


@dataclass(frozen=True)
class Region:
    """Where an enterprise is registered: the USCC's region code and the name's prefix."""

    code: str
    weight: float
    prefixes: tuple[tuple[str, str], ...]


REGIONS = (
    Region("441200", 0.55, (("肇庆市", "Zhaoqing"), ("肇庆", "Zhaoqing"))),
    Region("441284", 0.15, (("四会市", "Sihui"),)),
    Region("441203", 0.12, (("肇庆市", "Zhaoqing"), ("肇庆市鼎湖区", "Zhaoqing Dinghu"))),
    Region("441204", 0.1, (("肇庆市高要区", "Zhaoqing Gaoyao"),)),
    Region("441202", 0.08, (("肇庆市", "Zhaoqing"), ("肇庆市端州区", "Zhaoqing Duanzhou"))),
)
GAOYAO = 3
# Gaoyao was a county-level city (441283) until it became a district of Zhaoqing in 2015.
GAOYAO_BEFORE_2015 = Region("441283", 0, (("高要市", "Gaoyao"),))

BRAND = (
    ("华", "Hua"), ("锐", "Rui"), ("鸿", "Hong"), ("泰", "Tai"), ("盛", "Sheng"), ("达", "Da"),
    ("信", "Xin"), ("德", "De"), ("恒", "Heng"), ("瑞", "Rui"), ("中", "Zhong"), ("汇", "Hui"),
    ("联", "Lian"), ("凯", "Kai"), ("拓", "Tuo"), ("博", "Bo"), ("晶", "Jing"), ("源", "Yuan"),
    ("创", "Chuang"), ("智", "Zhi"), ("天", "Tian"), ("长", "Chang"), ("宇", "Yu"), ("航", "Hang"),
    ("嘉", "Jia"), ("明", "Ming"), ("光", "Guang"), ("辉", "Hui"), ("金", "Jin"), ("星", "Xing"),
    ("海", "Hai"), ("峰", "Feng"), ("锦", "Jin"), ("润", "Run"), ("丰", "Feng"), ("立", "Li"),
    ("成", "Cheng"), ("通", "Tong"), ("力", "Li"), ("欣", "Xin"), ("威", "Wei"), ("捷", "Jie"),
    ("腾", "Teng"), ("飞", "Fei"), ("旭", "Xu"), ("昊", "Hao"), ("朗", "Lang"), ("骏", "Jun"),
    ("卓", "Zhuo"), ("越", "Yue"), ("睿", "Rui"), ("诚", "Cheng"), ("安", "An"), ("康", "Kang"),
    ("佳", "Jia"), ("众", "Zhong"), ("鼎", "Ding"), ("粤", "Yue"), ("远", "Yuan"), ("方", "Fang"),
    ("正", "Zheng"), ("坤", "Kun"), ("弘", "Hong"), ("毅", "Yi"), ("优", "You"), ("宝", "Bao"),
    ("利", "Li"), ("永", "Yong"), ("昌", "Chang"), ("荣", "Rong"), ("隆", "Long"), ("兴", "Xing"),
    ("祥", "Xiang"), ("益", "Yi"), ("新", "Xin"), ("科", "Ke"), ("微", "Wei"), ("思", "Si"),
)  # fmt: skip
MAKER_ORG = (("科技", "Technology"), ("实业", "Industrial"), ("制造", "Manufacturing"),
             ("技术", "Tech"), ("发展", "Development"), ("", ""))  # fmt: skip
MAKER_ORG_WEIGHTS = (5, 2, 2, 1, 1, 1)
SERVICE_ORG = (("科技", "Technology"), ("技术", "Tech"), ("信息技术", "Information Technology"),
               ("", ""))  # fmt: skip
SERVICE_ORG_WEIGHTS = (5, 2, 1, 1)
GENERAL_ACTIVITIES = (
    ("技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", 0.8),
    ("货物进出口", 0.5),
    ("技术进出口", 0.4),
    ("非居住房地产租赁", 0.1),
)
# GB 11714 organisation code check digit, on the USCC alphabet's values.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Codes issued since the 2015 reform start "MA" and a block that moved on year by year.
MA_BLOCKS = {2015: ("4U",), 2016: ("4U", "4W"), 2017: ("4W", "51"), 2018: ("51", "52"),
             2019: ("53",), 2020: ("54", "55"), 2021: ("56", "57"), 2022: ("7A", "7B"),
             2023: ("7C", "7D"), 2024: ("7E", "7F"), 2025: ("7G",)}  # fmt: skip
OLD_ORG_PREFIXES = ("19", "61", "66", "70", "72", "73", "75", "77", "79")


def organisation_code(body: str) -> str:
    """Add the GB 11714 check character to an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(region: str, body: str) -> str:
    """A company's USCC: 9 (market regulator), 1 (enterprise), region, organisation code, check."""
    number = "91" + region + organisation_code(body)
    return number + stdnum_uscc.calc_check_digit(number)


def _random_body(rnd: random.Random, founded: int) -> str:
    if founded >= 2015:
        block = rnd.choice(MA_BLOCKS[founded])
        return "MA" + block + "".join(rnd.choices(USCC_ALPHABET, k=4))
    return rnd.choice(OLD_ORG_PREFIXES) + "".join(rnd.choices("0123456789", k=6))


class DemoPlan:
    """The demo zone as rows: the same seed and size always give the same rows.

    The population (park, industry, size, age, flags, land) is drawn at once as arrays;
    names and USCCs for all enterprises follow. Rows for a slice of enterprises and their
    figures are made on demand, each slice from its own seeded stream, so a large zone
    can be written chunk by chunk.
    """

    def __init__(self, size: str = "small", seed: int = SEED, enterprises: int | None = None):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.seed = seed
        self.count = SIZES[size] if enterprises is None else enterprises
        if self.count < len(PARKS) * 10:
            raise ValueError("the demo zone needs at least ten enterprises per park")
        rng = np.random.default_rng(seed)
        self._draw_population(rng)
        self._draw_land(rng)
        self._draw_identities(random.Random(seed))

    # -- population ---------------------------------------------------------------------

    def _draw_population(self, rng: np.random.Generator) -> None:
        n = self.count
        self.park = rng.choice(len(PARKS), n, p=[p.share for p in PARKS])
        self.line = np.empty(n, dtype=np.int64)
        for p, spec in enumerate(PARKS):
            idx = np.flatnonzero(self.park == p)
            weights = np.array([line.weight for line in spec.lines], dtype=float)
            self.line[idx] = LINE_OFFSETS[p] + rng.choice(
                len(spec.lines), idx.size, p=weights / weights.sum()
            )
        self.founded_year = np.maximum(
            LAST_YEAR - np.floor(rng.exponential(8.0, n)).astype(np.int64), 1992
        )
        self.founded_month = rng.integers(1, 13, n)
        self.founded_day = rng.integers(1, 29, n)
        manufacturing = LINE_MANUFACTURING[self.line]
        revenue = np.where(
            manufacturing,
            rng.lognormal(math.log(6e6), 1.7, n),
            rng.lognormal(math.log(3e6), 1.5, n),
        )
        age = LAST_YEAR - self.founded_year
        self.revenue = np.clip(revenue * np.minimum(1.0, (age + 1) / 6), 2e5, 3e9)

        # A few chain masters per park: the integrators and cell makers the chain forms around.
        self.chain_master = np.zeros(n, dtype=bool)
        masters = int(np.clip(round(math.log10(n)), 2, 6))
        for p, spec in enumerate(PARKS):
            leads = [LINE_OFFSETS[p] + i for i, line in enumerate(spec.lines) if line.lead]
            idx = rng.choice(np.flatnonzero(self.park == p), masters, replace=False)
            self.chain_master[idx] = True
            self.line[idx] = rng.choice(leads, masters)
            self.revenue[idx] = np.exp(rng.uniform(math.log(5e9), math.log(6e10), masters))
            self.founded_year[idx] = rng.integers(2003, 2019, masters)
        self.manufacturing = LINE_MANUFACTURING[self.line]

        u = rng.random(n)
        self.status = np.where(u < 0.02, CLOSED, np.where(u < 0.045, MOVED_OUT, ACTIVE))
        self.status[self.chain_master] = ACTIVE
        exit_year = rng.integers(np.maximum(self.founded_year + 1, 2022), LAST_YEAR + 2)
        self.last_year = np.where(self.status == ACTIVE, LAST_YEAR, exit_year - 1)
        active = self.status == ACTIVE

        # Certification needs a year of registration; certificates run three years from
        # the autumn they were issued in.
        eligible = self.founded_year < LAST_YEAR
        share = np.where(self.manufacturing, 0.85, 0.6)
        self.high_tech = (eligible & (rng.random(n) < share)) | self.chain_master
        issued = rng.choice([2023, 2024, 2025], n, p=[0.3, 0.35, 0.35])
        self.certificate_year = np.maximum(issued, self.founded_year + 1)
        self.certificate_day = rng.integers(0, 90, n)

        mid_size = (self.revenue >= 1e7) & (self.revenue <= 2e9)
        self.srdi = (
            self.manufacturing
            & active
            & (self.founded_year <= LAST_YEAR - 3)
            & mid_size
            & (rng.random(n) < 0.3)
        )
        self.little_giant = self.srdi & (self.revenue >= 5e7) & (rng.random(n) < 0.25)
        threshold = np.where(self.manufacturing, ABOVE_SCALE_INDUSTRY, ABOVE_SCALE_SERVICES)
        self.above_scale = active & (self.revenue >= threshold)

        self.output_ratio = rng.uniform(0.92, 1.04, n)
        self.va_ratio = np.where(
            self.manufacturing, rng.uniform(0.2, 0.35, n), rng.uniform(0.35, 0.55, n)
        )
        self.tax_ratio = rng.uniform(0.03, 0.08, n)
        self.rd_ratio = np.where(
            self.high_tech, rng.uniform(0.03, 0.06, n), rng.uniform(0.01, 0.03, n)
        )
        productivity = np.where(
            self.manufacturing,
            rng.lognormal(math.log(1.0e6), 0.4, n),
            rng.lognormal(math.log(0.5e6), 0.4, n),
        )
        self.employees = np.maximum(3, np.rint(self.revenue / productivity))
        exporter = self.manufacturing & (rng.random(n) < 0.35)
        self.export_share = np.where(exporter, rng.uniform(0.05, 0.5, n), 0.0)
        self.energy_noise = rng.lognormal(0, 0.35, n)
        self.electricity_share = rng.uniform(0.55, 0.9, n)
        self.emission_noise = rng.lognormal(0, 0.5, n)
        self.region = rng.choice(len(REGIONS), n, p=[r.weight for r in REGIONS])

    def _draw_land(self, rng: np.random.Generator) -> None:
        """Own parcels for the larger manufacturers, shared buildings for most of the rest."""
        n = self.count
        per_mu_output = np.exp(rng.uniform(math.log(1.5e6), math.log(8e6), n))
        own_area = np.where(
            self.chain_master,
            np.clip(self.revenue / per_mu_output, 300, 3000),
            np.clip(self.revenue / per_mu_output, 10, 1500),
        ).round(2)
        self.own_land = self.manufacturing & (
            (self.revenue >= OWN_LAND_REVENUE) | self.chain_master
        )
        self.tenant = ~self.own_land & (rng.random(n) < np.where(self.manufacturing, 0.7, 0.5))
        space_per_employee = np.where(
            self.manufacturing, rng.uniform(25, 60, n), rng.uniform(8, 15, n)
        )
        plot_ratio = rng.uniform(0.8, 2.0, n)
        m2_per_mu = float(M2_PER_MU)
        self.floor_m2 = np.where(
            self.own_land,
            own_area * m2_per_mu * plot_ratio,
            np.where(self.tenant, self.employees * space_per_employee, np.nan),
        ).round(2)
        # A tenant's land is its share of the building's plot: standard plants are built at
        # a plot ratio of about 2.5, research towers at about 4.
        building_ratio = np.where(self.manufacturing, 2.5, 4.0)
        self.land_mu = np.where(
            self.own_land,
            own_area,
            np.where(self.tenant, self.floor_m2 / m2_per_mu / building_ratio, np.nan),
        ).round(2)

        self.parcel_rows: list[dict] = []
        self.enterprise_parcels: dict[int, tuple[str, ...]] = {}
        active = self.status == ACTIVE
        for p, spec in enumerate(PARKS):
            in_park = (self.park == p) & active
            parcels: list[tuple[dict, list[int]]] = []
            for i in np.flatnonzero(in_park & self.own_land).tolist():
                area = float(own_area[i])
                status = (
                    ParcelStatus.SUPPLIED if self.founded_year[i] >= 2024 else ParcelStatus.BUILT
                )
                pieces = [area] if area <= 1200 else [round(area * 0.55, 2), round(area * 0.45, 2)]
                for piece in pieces:
                    parcels.append(({"area_mu": piece, "status": status}, [i]))
            for manufacturing, land_use, notes, tenants_each in (
                (True, LandUse.INDUSTRIAL, "标准厂房（多层），分租入驻企业", 25),
                (False, LandUse.RD, "科创大厦，研发办公分租", 40),
            ):
                tenants = np.flatnonzero(
                    in_park & self.tenant & (self.manufacturing == manufacturing)
                )
                buildings = max(1, math.ceil(tenants.size / tenants_each))
                home = rng.integers(0, buildings, tenants.size)
                for b in range(buildings):
                    row = {
                        "area_mu": round(float(rng.uniform(30, 150)), 2),
                        "status": ParcelStatus.BUILT,
                        "land_use": land_use,
                        "notes": notes,
                    }
                    parcels.append((row, tenants[home == b].tolist()))
            vacant = max(6, round(0.1 * len(parcels)))
            statuses = rng.choice(
                [ParcelStatus.AVAILABLE, ParcelStatus.RESERVED, ParcelStatus.PLANNED],
                vacant,
                p=[0.4, 0.2, 0.4],
            )
            uses = rng.choice(list(LandUse.values), vacant, p=[0.7, 0.1, 0.08, 0.06, 0.04, 0.02])
            for status, use in zip(statuses.tolist(), uses.tolist(), strict=True):
                row = {
                    "area_mu": round(float(rng.uniform(20, 300)), 2),
                    "status": status,
                    "land_use": use,
                    "notes": VACANT_NOTES[status],
                }
                parcels.append((row, []))
            for number, k in enumerate(rng.permutation(len(parcels)).tolist(), start=1):
                row, owners = parcels[k]
                code = f"{spec.code}-{number:05d}"
                self.parcel_rows.append(
                    {
                        "code": code,
                        "park": spec.code,
                        "area_mu": Decimal(f"{row['area_mu']:.2f}"),
                        "land_use": row.get("land_use", LandUse.INDUSTRIAL),
                        "status": row["status"],
                        "notes": row.get("notes", ""),
                    }
                )
                for i in owners:
                    self.enterprise_parcels[i] = (*self.enterprise_parcels.get(i, ()), code)

    # -- names and codes ----------------------------------------------------------------

    def _draw_identities(self, rnd: random.Random) -> None:
        """Unique Chinese names with English renderings, and unique valid USCCs."""
        self.uscc: list[str] = []
        self.name: list[str] = []
        self.name_en: list[str] = []
        self.short: dict[int, tuple[str, str, Word]] = {}  # brand and word of notable firms
        taken_codes: set[str] = set()
        taken_names: set[str] = set()
        notable = set(np.flatnonzero(self.chain_master | self.little_giant).tolist())
        for i in range(self.count):
            founded = int(self.founded_year[i])
            region = REGIONS[self.region[i]]
            if self.region[i] == GAOYAO and founded < 2015:
                region = GAOYAO_BEFORE_2015
            code = make_uscc(region.code, _random_body(rnd, founded))
            while code in taken_codes:
                code = make_uscc(region.code, _random_body(rnd, founded))
            taken_codes.add(code)

            line = LINES[self.line[i]]
            big = self.revenue[i] >= 5e8
            while True:
                brand = rnd.sample(BRAND, 2)
                brand_zh, brand_en = brand[0][0] + brand[1][0], brand[0][1] + brand[1][1].lower()
                word = rnd.choice(line.words)
                if word.alone:
                    org_zh, org_en = "", ""
                elif line.manufacturing:
                    org_zh, org_en = rnd.choices(MAKER_ORG, MAKER_ORG_WEIGHTS)[0]
                else:
                    org_zh, org_en = rnd.choices(SERVICE_ORG, SERVICE_ORG_WEIGHTS)[0]
                joint_stock = big and rnd.random() < 0.5
                form_zh = "股份有限公司" if joint_stock else "有限公司"
                form_en = "Corp., Ltd." if joint_stock else "Co., Ltd."
                prefix_zh, prefix_en = rnd.choice(region.prefixes)
                body_zh = f"{brand_zh}{word.zh}{org_zh}"
                body_en = f"{brand_en} {word.en} {org_en}"
                pattern = rnd.random()
                if pattern < 0.7:
                    zh, en = f"{prefix_zh}{body_zh}{form_zh}", f"{prefix_en} {body_en} {form_en}"
                elif pattern < 0.82:
                    zh, en = f"广东{body_zh}{form_zh}", f"Guangdong {body_en} {form_en}"
                elif pattern < 0.92:
                    zh = f"{brand_zh}（肇庆）{word.zh}{org_zh}{form_zh}"
                    en = f"{brand_en} (Zhaoqing) {word.en} {org_en} {form_en}"
                else:
                    zh, en = f"{body_zh}（肇庆）{form_zh}", f"{body_en} (Zhaoqing) {form_en}"
                if zh not in taken_names:
                    break
            taken_names.add(zh)
            self.uscc.append(code)
            self.name.append(zh)
            self.name_en.append(" ".join(en.split()))
            if i in notable:
                self.short[i] = (brand_zh, brand_en, word)

    # -- rows ---------------------------------------------------------------------------

    def class_codes(self) -> set[str]:
        return {line.code for line in LINES}

    def park_rows(self) -> list[dict]:
        area = {spec.code: Decimal(0) for spec in PARKS}
        for row in self.parcel_rows:
            area[row["park"]] += row["area_mu"]
        return [
            {
                "code": spec.code,
                "name": spec.name,
                "name_en": spec.name_en,
                "positioning": spec.positioning,
                "address": spec.address,
                # Planned area leaves about a quarter beyond the parcels already drawn.
                "area_mu": Decimal(math.ceil(area[spec.code] * Decimal("1.35") / 100) * 100),
                "industries": [line.code for line in spec.lines],
            }
            for spec in PARKS
        ]

    def enterprise_rows(self, start: int, stop: int) -> list[dict]:
        """Enterprises ``start`` to ``stop`` as field values; ``park``, ``industry`` and
        ``parcels`` hold codes."""
        rnd = random.Random(f"{self.seed}:scope:{start}")
        rows = []
        for i in range(start, stop):
            line = LINES[self.line[i]]
            expiry = None
            if self.high_tech[i]:
                issued = dt.date(int(self.certificate_year[i]), 10, 1)
                issued += dt.timedelta(days=int(self.certificate_day[i]))
                expiry = issued.replace(year=issued.year + 3) - dt.timedelta(days=1)
            rows.append(
                {
                    "uscc": self.uscc[i],
                    "name": self.name[i],
                    "name_en": self.name_en[i],
                    "park": PARKS[self.park[i]].code,
                    "industry": line.code,
                    "parcels": self.enterprise_parcels.get(i, ()),
                    "business_scope": _business_scope(rnd, line),
                    "founded": dt.date(
                        int(self.founded_year[i]),
                        int(self.founded_month[i]),
                        int(self.founded_day[i]),
                    ),
                    "high_tech": bool(self.high_tech[i]),
                    "high_tech_expiry": expiry,
                    "srdi": bool(self.srdi[i]),
                    "little_giant": bool(self.little_giant[i]),
                    "above_scale": bool(self.above_scale[i]),
                    "chain_master": bool(self.chain_master[i]),
                    "status": STATUSES[self.status[i]].value,
                }
            )
        return rows

    def figure_rows(self, start: int, stop: int) -> list[tuple[int, dict]]:
        """(enterprise index, field values) of the annual figures of enterprises ``start`` to
        ``stop``: one row per year the enterprise was in the zone.

        The draws depend on the slice, not only on the enterprises in it; the writer always
        slices by ``CHUNK``."""
        rng = np.random.default_rng([self.seed, 2, start])
        sl = slice(start, stop)
        k, years = stop - start, np.array(FIGURE_YEARS)
        shape = (k, len(years))
        founded = self.founded_year[sl][:, None]

        # Revenue runs back from the last year; young firms grow fast for their first years.
        growth = rng.normal(PARK_GROWTH[self.park[sl]][:, None], 0.15, (k, len(years) - 1))
        growth = growth.clip(-0.35, 0.9) + 0.35 * ((years[1:] - founded) < 3)
        revenue = np.empty(shape)
        revenue[:, -1] = self.revenue[sl]
        for j in range(len(years) - 2, -1, -1):
            revenue[:, j] = revenue[:, j + 1] / (1 + growth[:, j])
        first_year_share = (13 - self.founded_month[sl][:, None]) / 12
        revenue = np.where(years == founded, revenue * first_year_share, revenue)
        exists = (years >= founded) & (years <= self.last_year[sl][:, None])

        manufacturing = self.manufacturing[sl][:, None]
        output = revenue * self.output_ratio[sl][:, None] * rng.normal(1, 0.02, shape)
        base = np.where(manufacturing, output, revenue)
        va_share = self.va_ratio[sl][:, None] + rng.normal(0, 0.01, shape)
        va_share = np.where(manufacturing, va_share.clip(0.2, 0.35), va_share.clip(0.35, 0.55))
        tax = revenue * (self.tax_ratio[sl][:, None] + rng.normal(0, 0.004, shape)).clip(0.03, 0.08)
        rd = revenue * (self.rd_ratio[sl][:, None] + rng.normal(0, 0.003, shape)).clip(0.01, 0.06)
        employees = np.maximum(
            3, self.employees[sl][:, None] * (revenue / self.revenue[sl][:, None]) ** 0.6
        )
        energy = (
            base
            / 1e4
            * LINE_ENERGY[self.line[sl]][:, None]
            * self.energy_noise[sl][:, None]
            * rng.normal(1, 0.05, shape).clip(0.8, 1.2)
        )
        electricity = energy * self.electricity_share[sl][:, None] / TCE_PER_KWH
        emissions = (
            energy * LINE_EMISSION[self.line[sl]][:, None] * self.emission_noise[sl][:, None]
        )
        exports = revenue * self.export_share[sl][:, None] * rng.normal(1, 0.1, shape).clip(0.5)

        rows_at, cols_at = np.nonzero(exists)

        def yuan(values):
            return [Decimal(v) for v in np.rint(values[rows_at, cols_at]).astype(np.int64).tolist()]

        def fixed(values, places):
            scaled = np.rint(values[rows_at, cols_at] * 10**places).astype(np.int64).tolist()
            return [Decimal(v).scaleb(-places) for v in scaled]

        def per_firm(values):
            at = values[sl][rows_at]
            return [None if math.isnan(v) else Decimal(f"{v:.2f}") for v in at.tolist()]

        columns = {
            "year": years[cols_at].tolist(),
            "revenue": yuan(revenue),
            "industrial_output": [
                v if m else None
                for v, m in zip(yuan(output), manufacturing[rows_at, 0].tolist(), strict=True)
            ],
            "value_added": yuan(base * va_share),
            "tax": yuan(tax),
            "employees": np.rint(employees[rows_at, cols_at]).astype(np.int64).tolist(),
            "rd_expense": yuan(rd),
            "energy_tce": fixed(energy, 3),
            "electricity_kwh": yuan(electricity),
            "emissions_t": fixed(emissions, 3),
            "land_mu": per_firm(self.land_mu),
            "floor_area_m2": per_firm(self.floor_m2),
            "exports": yuan(exports),
        }
        names = list(columns)
        return [
            (start + r, dict(zip(names, values, strict=True)))
            for r, values in zip(rows_at.tolist(), zip(*columns.values(), strict=True), strict=True)
        ]

    def pick(self, rng: np.random.Generator, park: int, young: bool) -> int | None:
        """An active high-tech enterprise of a park to host a talent: young for a start-up
        team, established for a talent."""
        mask = (self.park == park) & (self.status == ACTIVE) & self.high_tech
        age_ok = self.founded_year >= 2021 if young else self.founded_year <= 2018
        candidates = np.flatnonzero(mask & age_ok)
        if candidates.size == 0:
            candidates = np.flatnonzero(mask)
        return int(rng.choice(candidates)) if candidates.size else None

    def platform_rows(self) -> list[dict]:
        """The zone's laboratories, institutes, incubators and campus, then one technology
        centre for each chain master and little giant; ``enterprise`` holds a USCC."""
        rows = [dict(row, enterprise=None) for row in PLATFORMS]
        names = {row["name"] for row in rows}
        for i in sorted(self.short):
            brand_zh, brand_en, word = self.short[i]
            park = PARKS[self.park[i]].code
            if self.chain_master[i]:
                name, name_en = (
                    f"{brand_zh}{word.zh}企业技术中心",
                    (f"{brand_en} {word.en} Enterprise Technology Center"),
                )
                level, established = PlatformLevel.NATIONAL, int(self.founded_year[i]) + 6
            else:
                name = f"广东省{word.zh}工程技术研究中心（{brand_zh}）"
                name_en = f"Guangdong {word.en} Engineering Technology Research Center ({brand_en})"
                level, established = PlatformLevel.PROVINCIAL, int(self.founded_year[i]) + 4
            if name in names:
                continue
            names.add(name)
            rows.append(
                {
                    "name": name,
                    "name_en": name_en,
                    "kind": PlatformKind.LAB,
                    "level": level,
                    "park": park,
                    "enterprise": self.uscc[i],
                    "established": min(established, LAST_YEAR),
                    "description": f"依托{self.name[i]}建设。",
                }
            )
        return rows

    def talent_rows(self) -> list[dict]:
        """About twenty start-up teams and talents, each tied to a park and, where one fits,
        to a high-tech enterprise of it; ``enterprise`` holds a USCC."""
        rng = np.random.default_rng([self.seed, 3])
        rows = []
        for row in TALENTS:
            park = next(p for p, spec in enumerate(PARKS) if spec.code == row["park"])
            host = self.pick(rng, park, young=row["kind"] == "startup_team")
            rows.append(dict(row, enterprise=None if host is None else self.uscc[host]))
        return rows

    def account_enterprise(self) -> str:
        """The USCC of the demo enterprise user's firm: an established SRDI firm of park 1."""
        mask = (self.park == 0) & (self.status == ACTIVE)
        for extra in (self.srdi & self.high_tech & (self.founded_year <= 2020), self.high_tech):
            candidates = np.flatnonzero(mask & extra & ~self.chain_master)
            if candidates.size:
                return self.uscc[int(candidates[0])]
        return self.uscc[int(np.flatnonzero(mask)[0])]


VACANT_NOTES = {
    ParcelStatus.AVAILABLE: "净地，七通一平，可即时供地",
    ParcelStatus.RESERVED: "意向项目洽谈中，预留地块",
    ParcelStatus.PLANNED: "规划产业用地，待收储",
}


def _business_scope(rnd: random.Random, line: Line) -> str:
    count = min(len(line.activities), rnd.randint(2, 3))
    picked = sorted(rnd.sample(range(len(line.activities)), count))
    general = [line.activities[k] for k in picked]
    general += [text for text, share in GENERAL_ACTIVITIES if rnd.random() < share]
    scope = (
        "一般项目："
        + "；".join(general)
        + "。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    )
    if line.licensed:
        licensed = line.licensed[: rnd.randint(1, len(line.licensed))]
        scope += (
            "许可项目："
            + "；".join(licensed)
            + "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
        )
    return scope


PLATFORMS = (
    {
        "name": "西江新能源汽车创新中心",
        "name_en": "Xijiang New Energy Vehicle Innovation Center",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P1",
        "established": 2019,
        "description": "面向整车与零部件企业的共性技术研发与检测服务平台，聚焦三电系统与智能网联。",
    },
    {
        "name": "新能源汽车零部件检验检测中心",
        "name_en": "New Energy Vehicle Parts Testing Center",
        "kind": PlatformKind.LAB,
        "level": PlatformLevel.MUNICIPAL,
        "park": "P1",
        "established": 2021,
        "description": "电池包、电机电控及汽车电子的检验检测与认证服务。",
    },
    {
        "name": "新型储能技术研究院",
        "name_en": "New Energy Storage Technology Research Institute",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P2",
        "established": 2022,
        "description": "储能电池、储能变流器与系统集成技术的研发与中试。",
    },
    {
        "name": "储能电池安全重点实验室",
        "name_en": "Key Laboratory of Energy Storage Battery Safety",
        "kind": PlatformKind.LAB,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P2",
        "established": 2020,
        "description": "电池热失控机理、消防与安全评估。",
    },
    {
        "name": "电子信息产业孵化器",
        "name_en": "Electronic Information Industry Incubator",
        "kind": PlatformKind.INCUBATOR,
        "level": PlatformLevel.NATIONAL,
        "park": "P3",
        "established": 2016,
        "description": "集成电路设计、智能终端与软件初创企业孵化。",
    },
    {
        "name": "集成电路设计公共服务平台",
        "name_en": "Integrated Circuit Design Public Service Platform",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.MUNICIPAL,
        "park": "P3",
        "established": 2021,
        "description": "EDA工具共享、多项目晶圆流片与芯片测试服务。",
    },
    {
        "name": "生物医药产业孵化器",
        "name_en": "Biomedicine Industry Incubator",
        "kind": PlatformKind.INCUBATOR,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P4",
        "established": 2018,
        "description": "提供GMP中试车间、公共实验室与注册申报服务。",
    },
    {
        "name": "岭南中药现代化研究院",
        "name_en": "Lingnan Institute of Modern Chinese Medicine",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P4",
        "established": 2017,
        "description": "南药资源、中成药二次开发与质量标准研究。",
    },
    {
        "name": "西江理工大学（高新校区）",
        "name_en": "Xijiang University of Technology (High-tech Campus)",
        "kind": PlatformKind.UNIVERSITY,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P5",
        "established": 2020,
        "description": "机械工程、材料科学与电子信息学院及研究生联合培养基地。",
    },
    {
        "name": "智能装备协同创新研究院",
        "name_en": "Intelligent Equipment Collaborative Innovation Institute",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.PROVINCIAL,
        "park": "P5",
        "established": 2019,
        "description": "数控装备、工业机器人与智能产线的协同研发与成果转化。",
    },
    {
        "name": "工业机器人应用重点实验室",
        "name_en": "Key Laboratory of Industrial Robot Applications",
        "kind": PlatformKind.LAB,
        "level": PlatformLevel.MUNICIPAL,
        "park": "P5",
        "established": 2022,
        "description": "机器人集成应用、视觉检测与柔性制造。",
    },
    {
        "name": "高新区科技成果转化中心",
        "name_en": "Technology Transfer Center of the High-tech Zone",
        "kind": PlatformKind.INSTITUTE,
        "level": PlatformLevel.MUNICIPAL,
        "park": None,
        "established": 2020,
        "description": "国内外先进技术成果的引进、评估与转移转化服务。",
    },
    {
        "name": "高新区创业服务中心（科技企业孵化器）",
        "name_en": "Entrepreneurship Service Center of the High-tech Zone",
        "kind": PlatformKind.INCUBATOR,
        "level": PlatformLevel.NATIONAL,
        "park": None,
        "established": 2012,
        "description": "全区综合性科技企业孵化器，兼管众创空间与加速器。",
    },
)

PEARL_RIVER_TEAM = "珠江人才计划创新创业团队"
XIJIANG_TEAM = "西江人才计划创新创业团队"
ZONE_TEAM = "高新区创业领军团队"
PEARL_RIVER_TALENT = "珠江人才计划领军人才"
XIJIANG_TALENT = "西江人才计划高层次人才"


def _team(name, name_en, field, programme, year, park, description):
    return {
        "name": name,
        "name_en": name_en,
        "kind": "startup_team",
        "field": field,
        "programme": programme,
        "year": year,
        "park": park,
        "description": description,
    }


def _talent(name, name_en, field, programme, year, park, description):
    return {**_team(name, name_en, field, programme, year, park, description), "kind": "talent"}


TALENTS = (
    _team("固态锂电池创业团队", "Solid-state Battery Team", "固态电池", PEARL_RIVER_TEAM, 2022,
          "P1", "硫化物固态电解质与固态电芯中试。"),
    _team("车规级功率芯片创业团队", "Automotive Power Chip Team", "碳化硅功率器件", XIJIANG_TEAM,
          2023, "P1", "车规级碳化硅MOSFET模块设计与封装。"),
    _team("智能驾驶域控制器团队", "Autonomous Driving Controller Team", "智能网联", ZONE_TEAM,
          2024, "P1", "L2+智能驾驶域控制器软硬件。"),
    _team("钠离子电池创业团队", "Sodium-ion Battery Team", "钠离子电池", PEARL_RIVER_TEAM, 2023,
          "P2", "层状氧化物正极与钠电储能系统。"),
    _team("全钒液流电池团队", "Vanadium Flow Battery Team", "液流电池", XIJIANG_TEAM, 2022, "P2",
          "长时储能液流电池电堆。"),
    _team("构网型储能变流器团队", "Grid-forming Inverter Team", "储能变流", ZONE_TEAM, 2025, "P2",
          "构网型储能变流器与能量管理系统。"),
    _team("MEMS传感器创业团队", "MEMS Sensor Team", "智能传感器", XIJIANG_TEAM, 2021, "P3",
          "MEMS压力与惯性传感器芯片。"),
    _team("Micro LED显示团队", "Micro LED Display Team", "新型显示", PEARL_RIVER_TEAM, 2024, "P3",
          "Micro LED巨量转移与驱动。"),
    _team("工业软件创业团队", "Industrial Software Team", "工业软件", ZONE_TEAM, 2023, "P3",
          "面向离散制造的MES与数字孪生。"),
    _team("mRNA疫苗创业团队", "mRNA Vaccine Team", "生物药", PEARL_RIVER_TEAM, 2022, "P4",
          "mRNA递送系统与疫苗研发。"),
    _team("手术机器人创业团队", "Surgical Robot Team", "高端医疗器械", XIJIANG_TEAM, 2024, "P4",
          "骨科手术导航机器人。"),
    _team("协作机器人创业团队", "Collaborative Robot Team", "工业机器人", ZONE_TEAM, 2021, "P5",
          "轻型协作机器人与视觉引导。"),
    _team("金属增材制造团队", "Metal Additive Manufacturing Team", "增材制造", XIJIANG_TEAM, 2023,
          "P5", "激光选区熔化装备与工艺。"),
    _talent("陈志远", "Chen Zhiyuan", "动力电池材料", PEARL_RIVER_TALENT, 2021, "P1",
            "动力电池正极材料首席科学家。"),
    _talent("林晓峰", "Lin Xiaofeng", "电机驱动", XIJIANG_TALENT, 2022, "P1",
            "新能源汽车电驱系统专家。"),
    _talent("黄嘉怡", "Huang Jiayi", "储能系统集成", XIJIANG_TALENT, 2023, "P2",
            "储能电站系统集成与安全。"),
    _talent("李明哲", "Li Mingzhe", "集成电路设计", PEARL_RIVER_TALENT, 2022, "P3",
            "模拟与混合信号芯片设计。"),
    _talent("张慧敏", "Zhang Huimin", "中药药理", XIJIANG_TALENT, 2021, "P4",
            "中成药药效物质基础研究。"),
    _talent("吴俊杰", "Wu Junjie", "高性能铝合金", XIJIANG_TALENT, 2024, "P5",
            "汽车轻量化铝合金材料。"),
    _talent("郑雅文", "Zheng Yawen", "精密陶瓷", PEARL_RIVER_TALENT, 2025, "P5",
            "电子陶瓷与结构陶瓷。"),
)  # fmt: skip

DEMO_USERS = (
    ("admin", "zone_admin"),
    ("park1", "park_officer"),
    ("promoter", "promoter"),
    ("leader", "leader"),
    ("enterprise", "enterprise_user"),
    ("auditor", "auditor"),
    ("sysadmin", "system_admin"),
)


def zone_is_empty() -> bool:
    return not Zone.objects.exists()


def build_demo_zone(
    size: str = "small",
    progress: bool = False,
    seed: int = SEED,
    enterprises: int | None = None,
) -> None:
    """Write the demo zone, its land, enterprises, figures, platforms, talents and accounts.

    ``enterprises`` overrides the size's count (tests build a few hundred). Everything is
    written in one transaction, through the change log.
    """
    plan = DemoPlan(size=size, seed=seed, enterprises=enterprises)
    classes = dict(
        IndustryClass.objects.filter(level="class", code__in=plan.class_codes()).values_list(
            "code", "pk"
        )
    )
    missing = plan.class_codes() - set(classes)
    if missing:
        raise LookupError(f"industry classes missing (is the registry migrated?): {missing}")
    columns = (
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=not progress) as bar, transaction.atomic():
        land = bar.add_task("Parks and land parcels", total=len(plan.parcel_rows) + len(PARKS))
        (zone,) = bulk_create_logged(Zone, [Zone(**ZONE)])
        rows = plan.park_rows()
        industries = [row.pop("industries") for row in rows]
        parks = {}
        for park, codes in zip(
            bulk_create_logged(Park, [Park(zone=zone, **row) for row in rows]),
            industries,
            strict=True,
        ):
            park.industries.set([classes[code] for code in codes])  # logged by auditlog's signal
            parks[park.code] = park
        bar.advance(land, len(PARKS))
        parcels = bulk_create_logged(
            Parcel,
            [Parcel(**{**row, "park": parks[row["park"]]}) for row in plan.parcel_rows],
            batch_size=BATCH,
        )
        parcel_ids = {parcel.code: parcel.pk for parcel in parcels}
        del parcels
        bar.advance(land, len(plan.parcel_rows))

        firms = bar.add_task("Enterprises and annual figures", total=plan.count)
        for start in range(0, plan.count, CHUNK):
            stop = min(start + CHUNK, plan.count)
            _write_enterprises(plan, start, stop, parks, classes, parcel_ids)
            bar.advance(firms, stop - start)

        rest = bar.add_task("Platforms, talents and accounts", total=3)
        platforms, talents = plan.platform_rows(), plan.talent_rows()
        hosts = {row["enterprise"] for row in (*platforms, *talents) if row["enterprise"]}
        hosts.add(plan.account_enterprise())
        uscc_ids = dict(Enterprise.objects.filter(uscc__in=hosts).values_list("uscc", "pk"))
        for model, rows in ((InnovationPlatform, platforms), (Talent, talents)):
            objs = [
                model(
                    **{
                        key: value
                        for key, value in row.items()
                        if key not in ("park", "enterprise")
                    },
                    park=parks.get(row["park"]),
                    enterprise_id=uscc_ids.get(row["enterprise"]),
                )
                for row in rows
            ]
            bulk_create_logged(model, objs)
            bar.advance(rest)
        _write_accounts(parks[PARKS[0].code], uscc_ids[plan.account_enterprise()])
        bar.advance(rest)


def _write_enterprises(plan, start, stop, parks, classes, parcel_ids) -> None:
    enterprises, links = [], []
    for row in plan.enterprise_rows(start, stop):
        codes = row.pop("parcels")
        row["park"] = parks[row["park"]]
        row["industry_id"] = classes[row.pop("industry")]
        enterprises.append(Enterprise(**row))
        links.append(codes)
    bulk_create_logged(Enterprise, enterprises, batch_size=BATCH)
    bulk_link_logged(
        Enterprise,
        "parcels",
        [
            (enterprise, [(parcel_ids[code], code) for code in codes])
            for enterprise, codes in zip(enterprises, links, strict=True)
        ],
        batch_size=BATCH,
    )
    # The enterprise instance (not just its id) makes the log's object_repr free of queries.
    figures = [
        AnnualFigure(enterprise=enterprises[i - start], **values)
        for i, values in plan.figure_rows(start, stop)
    ]
    bulk_create_logged(AnnualFigure, figures, batch_size=BATCH)


def _write_accounts(park: Park, enterprise_id: int) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    grants = {"park_officer": ("park", park.pk), "enterprise_user": ("enterprise", enterprise_id)}
    for username, code in DEMO_USERS:
        role = roles[code]
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.is_staff = role, role.staff
        user.set_password(DEMO_PASSWORD)
        user.save()
        if code in grants:
            kind, object_id = grants[code]
            ScopeGrant.objects.get_or_create(user=user, kind=kind, object_id=object_id)


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role code, what the account reaches) of the demo accounts that exist."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[u for u, _ in DEMO_USERS])
        .select_related("role")
        .prefetch_related("scope_grants")
    }
    accounts = []
    for username, _code in DEMO_USERS:
        user = users.get(username)
        if user is None or user.role is None:
            continue
        reach = [_describe_grant(grant) for grant in user.scope_grants.all()]
        accounts.append((username, user.role.code, "; ".join(reach) or user.role.description))
    return accounts


def _describe_grant(grant: ScopeGrant) -> str:
    from django.apps import apps

    from beacon.core.scopes import SCOPE_TARGETS

    label, key = SCOPE_TARGETS.get(grant.kind, (None, None))
    obj = apps.get_model(label).objects.filter(pk=grant.object_id).first() if label else None
    if obj is None:
        return f"{grant.kind} #{grant.object_id}"
    code = "" if key == "uscc" else f"{getattr(obj, key)} "
    return f"{grant.kind} {code}{obj.name}"
