"""The zone's innovation platforms (laboratories, institutes, incubators, a campus) and the
talents and start-up teams brought in under talent programmes, as data; the plan finds each
talent a host enterprise and adds the notable firms' own technology centres."""

from beacon.registry.choices import PlatformKind, PlatformLevel

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
