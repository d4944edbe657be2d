"""The demo zone and its five parks as data: one characteristic per park (一园一特色), the
industry lines of each on GB/T 4754-2017 classes, and how the firms of a line are named and
how much energy they burn.

The zone is modelled on the seed articles: Zhaoqing's new-energy vehicle, new energy
storage and electronic-information clusters, Foshan's "one zone, five parks" with one
characteristic per park, chain-master enterprises, three quarters of industrial firms
certified high-tech, and start-up teams brought in under talent programmes. Every
enterprise and figure is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

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
