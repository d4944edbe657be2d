"""Time ``beacon chains target`` end to end on millions of candidate companies, against
DuckDB counting the rows that match one link's keywords.

    python bench/chains_bench.py [--rows 10000000] [--repeat 3] [--workdir /tmp/beacon-chains]
        [--csv] [--max-load 1] [--max-wait 1800]

Writes (once per size, kept in the work folder) a seeded candidate file as Parquet: companies
with Chinese names (city, brand, industry word, 有限公司 …), province and city, a GB/T 4754
class, a business scope of 50–300 characters put together from the phrases of 41 industries
(so most companies match no link of the chain, as in a real national register),
registered capital, founding date, high-tech and listed flags. Also a 20-link new-energy
vehicle chain and a zone register (LOCAL) in which 12 links are covered (strong) and 8 are
gaps (4 weak, 4 missing), and a pipeline exclusion list.

Then it times fresh processes, each several times: DuckDB counting the rows whose business
scope contains any keyword of the first gap link (``LIKE '%kw%' OR …``, the yardstick), and
``beacon chains target`` on the whole chain. Reported per command: the median and every
run's wall time, the largest peak memory (max RSS) of its runs, and the ratio of the
medians (the target: at most 3). With ``--csv`` also the command on a CSV copy of the
candidates. Results and the machine: docs/chains-cli.md.

The machine has two cores and is shared: before each run it waits until no other
``*_bench.py`` process runs and the 1-minute load average is below 1 (``--max-load``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from functools import partial
from pathlib import Path

from benchlib import timed, wait_for_quiet

# (province, city, the first four digits of its administrative division code)
CITIES = (
    ("北京市", "北京市", "1100"),
    ("天津市", "天津市", "1200"),
    ("上海市", "上海市", "3100"),
    ("重庆市", "重庆市", "5000"),
    ("河北省", "石家庄市", "1301"),
    ("河北省", "唐山市", "1302"),
    ("河北省", "保定市", "1306"),
    ("山西省", "太原市", "1401"),
    ("内蒙古自治区", "包头市", "1502"),
    ("辽宁省", "沈阳市", "2101"),
    ("辽宁省", "大连市", "2102"),
    ("吉林省", "长春市", "2201"),
    ("黑龙江省", "哈尔滨市", "2301"),
    ("江苏省", "南京市", "3201"),
    ("江苏省", "无锡市", "3202"),
    ("江苏省", "常州市", "3204"),
    ("江苏省", "苏州市", "3205"),
    ("江苏省", "南通市", "3206"),
    ("江苏省", "盐城市", "3209"),
    ("浙江省", "杭州市", "3301"),
    ("浙江省", "宁波市", "3302"),
    ("浙江省", "温州市", "3303"),
    ("浙江省", "嘉兴市", "3304"),
    ("浙江省", "金华市", "3307"),
    ("安徽省", "合肥市", "3401"),
    ("安徽省", "芜湖市", "3402"),
    ("福建省", "福州市", "3501"),
    ("福建省", "厦门市", "3502"),
    ("福建省", "宁德市", "3509"),
    ("江西省", "南昌市", "3601"),
    ("江西省", "宜春市", "3609"),
    ("山东省", "济南市", "3701"),
    ("山东省", "青岛市", "3702"),
    ("山东省", "烟台市", "3706"),
    ("山东省", "潍坊市", "3707"),
    ("河南省", "郑州市", "4101"),
    ("河南省", "洛阳市", "4103"),
    ("湖北省", "武汉市", "4201"),
    ("湖北省", "襄阳市", "4206"),
    ("湖南省", "长沙市", "4301"),
    ("湖南省", "株洲市", "4302"),
    ("广东省", "广州市", "4401"),
    ("广东省", "深圳市", "4403"),
    ("广东省", "珠海市", "4404"),
    ("广东省", "佛山市", "4406"),
    ("广东省", "惠州市", "4413"),
    ("广东省", "东莞市", "4419"),
    ("广西壮族自治区", "柳州市", "4502"),
    ("海南省", "海口市", "4601"),
    ("四川省", "成都市", "5101"),
    ("四川省", "宜宾市", "5115"),
    ("贵州省", "贵阳市", "5201"),
    ("云南省", "昆明市", "5301"),
    ("陕西省", "西安市", "6101"),
    ("甘肃省", "兰州市", "6201"),
    ("青海省", "西宁市", "6301"),
    ("宁夏回族自治区", "银川市", "6401"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "6501"),
)
# Bigger places register more companies.
CITY_WEIGHTS = (
    9, 4, 10, 5, 2, 2, 2, 2, 1, 3, 3, 2, 2, 5, 4, 3, 7, 3, 2, 7, 5, 4, 3, 3, 4, 2, 3, 3, 1,
    2, 1, 3, 4, 2, 2, 4, 2, 5, 1, 4, 1, 8, 10, 2, 4, 2, 4, 1, 1, 6, 1, 2, 2, 4, 1, 1, 1, 1,
)  # fmt: skip
BRAND = (
    "恒瑞华鑫盛泰安康宏达中天金源永利博远卓越创新汇通德邦明辉宇航凯旋正大新阳光科迪信诚"
    "海峰云腾锦程鼎盛佳和瑞丰嘉禾天润万通华晨东方星辰睿智优品利民百川君合弘毅万象致远"
)
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "科技有限公司")
GENERIC = (
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
    "货物进出口",
    "技术进出口",
    "进出口代理",
    "信息咨询服务（不含许可类信息咨询服务）",
    "企业管理咨询",
    "市场营销策划",
    "会议及展览服务",
    "非居住房地产租赁",
    "住房租赁",
    "办公用品销售",
    "日用百货销售",
    "五金产品批发",
    "五金产品零售",
    "软件开发",
    "信息系统集成服务",
    "广告设计、代理",
    "广告制作",
    "国内贸易代理",
    "供应链管理服务",
    "普通货物仓储服务（不含危险化学品等需许可审批的项目）",
    "装卸搬运",
    "劳务服务（不含劳务派遣）",
    "社会经济咨询服务",
    "物业管理",
    "建筑材料销售",
    "机械设备租赁",
    "计算机软硬件及辅助设备零售",
    "互联网销售（除销售需要许可的商品）",
    "电子产品销售",
    "销售代理",
    "平面设计",
    "专业设计服务",
    "工程管理服务",
)
HEAD = ("一般项目：", "许可项目：", "", "")
TAIL = (
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
    "",
)
# (share of companies, industry words for names, GB/T 4754 classes, business-scope phrases),
# each list a string split at spaces.
_INDUSTRY_TEXT = (
    # The new-energy vehicle chain's industries: a few per cent of all companies.
    (0.0015, "锂业 矿业 新材料", "0919 2613",
     "碳酸锂、氢氧化锂的生产和销售 锂矿开采 盐湖提锂技术研发 有色金属矿采选 常用有色金属冶炼 "
     "金属矿石销售 化工产品生产（不含许可类化工产品）"),
    (0.002, "新能源材料 新材料 锂电材料", "3985 3091 2669 2922",
     "锂离子电池正极材料的研发、生产 磷酸铁锂材料制造 三元前驱体生产 负极材料研发 "
     "人造石墨负极材料生产 硅碳负极材料 锂离子电池电解液生产 六氟磷酸锂制造 锂电池隔膜生产 "
     "湿法隔膜研发 电子专用材料研发 电子专用材料制造 石墨及碳素制品制造 新材料技术研发"),
    (0.0015, "磁材 稀土 磁业", "3240 3985",
     "钕铁硼永磁材料生产 稀土永磁材料销售 磁性材料生产 磁性材料销售 有色金属合金制造 "
     "稀土功能材料销售"),
    (0.003, "半导体 微电子 芯片", "3972 3973 3983",
     "功率半导体器件研发 IGBT模块设计 碳化硅功率器件 车规级芯片设计 集成电路设计 集成电路制造 "
     "集成电路芯片及产品销售 半导体分立器件制造 半导体器件专用设备销售 激光雷达研发 "
     "毫米波雷达生产 车载摄像头模组 传感器制造 传感器销售 电子元器件制造"),
    (0.004, "新能源 电池 能源科技", "3841 3849",
     "动力电池的研发、生产和销售 锂离子电池制造 锂离子电池销售 电芯研发 电池包组装 电池模组生产 "
     "电池管理系统开发 储能技术服务 电池制造 电池销售 新兴能源技术研发 电池零配件生产"),
    (0.006, "汽车零部件 汽车科技 电机 电气", "3670 3812 3824 3660",
     "汽车零部件及配件制造 汽车零配件批发 驱动电机生产 电机控制器研发 电驱动系统集成 "
     "车载充电机制造 DC-DC变换器生产 逆变器制造 热管理系统研发 电动压缩机生产 电子水泵制造 "
     "线控制动系统研发 电动助力转向系统 空气悬架生产 汽车车身制造 轻量化材料应用 "
     "一体化压铸件生产 电机制造 电力电子元器件制造 模具制造"),
    (0.004, "智能科技 智能驾驶 智行", "6513 3670 3969",
     "智能座舱系统开发 车载显示屏生产 车联网技术服务 自动驾驶技术研发 智能驾驶解决方案 "
     "域控制器研发 智能车载设备制造 人工智能应用软件开发 导航终端制造 物联网技术服务"),
    (0.002, "汽车 新能源汽车 汽车制造", "3612 5261",
     "新能源汽车整车制造 纯电动汽车研发 插电式混合动力汽车生产 汽车新车销售 新能源汽车整车销售 "
     "汽车零配件零售 二手车经纪"),
    (0.004, "充电科技 能源服务 电力", "3899 4419",
     "充电桩销售 充电设施建设运营 换电站运营 电动汽车充电基础设施运营 输配电及控制设备制造 "
     "光伏设备及元器件销售 合同能源管理"),
    (0.002, "再生资源 环保科技 资源循环", "4210 4220",
     "废旧动力电池回收 电池回收技术研发 梯次利用储能产品 再生资源回收（除生产性废旧金属） "
     "再生资源加工 金属废料和碎屑加工处理 固体废物治理"),
    # Everything else a national register holds.
    (0.12, "商贸 贸易 实业", "5137 5199 5299",
     "日用品批发 服装服饰批发 针纺织品销售 化妆品零售 食品销售（仅销售预包装食品） 家用电器销售 "
     "文具用品零售 体育用品及器材零售 箱包销售 珠宝首饰零售"),
    (0.06, "餐饮 餐饮管理 食品", "6210 6220",
     "餐饮服务 餐饮管理 小餐饮 食品经营 酒类经营 外卖递送服务 农副产品销售"),
    (0.08, "网络科技 信息技术 科技", "6513 6420 6450",
     "网络技术服务 互联网数据服务 数据处理和存储支持服务 网络与信息安全软件开发 "
     "人工智能基础软件开发 云计算装备技术服务 数字内容制作服务 网站建设"),
    (0.06, "建设工程 建筑 工程", "4790 4811 4999",
     "建设工程施工 房屋建筑和市政基础设施项目工程总承包 土石方工程施工 园林绿化工程施工 "
     "建筑装饰材料销售 住宅室内装饰装修 建筑劳务分包 施工专业作业"),
    (0.04, "文化传媒 传媒 文化", "7251 8790",
     "组织文化艺术交流活动 文艺创作 摄影扩印服务 礼仪服务 影视节目制作 演出经纪 图文设计制作 "
     "数字文化创意内容应用服务"),
    (0.03, "物流 供应链 运输", "5430 5990",
     "道路货物运输（不含危险货物） 国际货物运输代理 国内货物运输代理 无船承运业务 "
     "城市配送运输服务 冷链运输 仓储设备租赁服务"),
    (0.03, "农业 生态农业 农业科技", "0141 0311 0190",
     "蔬菜种植 水果种植 花卉种植 牲畜饲养 家禽饲养 农业机械服务 "
     "农产品的生产、销售、加工、运输、贮藏及其他相关服务 谷物种植 中草药种植"),
    (0.03, "教育科技 教育咨询 培训", "8399 8391",
     "教育咨询服务（不含涉许可审批的教育培训活动） "
     "业务培训（不含教育培训、职业技能培训等需取得许可的培训） 体育健康服务 家政服务 养老服务 "
     "托育服务"),
    (0.025, "医疗器械 生物科技 医药", "2720 2761 3581",
     "第一类医疗器械销售 第二类医疗器械销售 药品零售 保健食品（预包装）销售 生物基材料技术研发 "
     "医学研究和试验发展 药品生产 细胞技术研发和应用"),
    (0.02, "机械 机械设备 装备", "3511 3515 3441 3499",
     "通用设备制造（不含特种设备制造） 专用设备制造（不含许可类专业设备制造） 矿山机械制造 "
     "机械零件、零部件加工 金属切削机床制造 液压动力机械及元件制造 泵及真空设备制造 "
     "风机、风扇制造 工业机器人制造"),
    (0.02, "电子 电子科技 光电", "3982 3974 3976 3989",
     "电子元器件制造 电子元器件批发 电子专用设备制造 显示器件制造 光电子器件制造 电子电路制造 "
     "移动终端设备制造 智能家庭消费设备制造 锂离子电池销售 传感器销售 照明器具制造"),
    (0.02, "化工 化学 新材料", "2614 2619 2641 2669",
     "化工产品销售（不含许可类化工产品） 专用化学产品制造（不含危险化学品） 涂料制造 "
     "合成材料制造（不含危险化学品） 塑料制品制造 橡胶制品制造 日用化学产品制造 石墨烯材料销售"),
    (0.02, "纺织 服饰 制衣", "1761 1810 1713",
     "针织或钩针编织物及其制品制造 服装制造 服饰制造 面料纺织加工 家用纺织制成品制造 鞋制造 "
     "产业用纺织制成品制造"),
    (0.02, "金属制品 五金 钢构", "3311 3399 3360",
     "金属结构制造 金属制品销售 五金产品制造 金属表面处理及热处理加工 有色金属压延加工 "
     "钢压延加工 金属门窗工程施工 铸造机械制造"),
    (0.02, "家居 家具 木业", "2110 2130 2039",
     "家具制造 家具销售 家具安装和维修服务 木制容器制造 竹制品制造 地板销售 软木制品制造"),
    (0.015, "印务 包装 纸业", "2319 2231 2239",
     "包装装潢印刷品印刷 纸制品制造 纸制品销售 塑料包装箱及容器制造 包装服务 "
     "文件、资料等其他印刷品印刷"),
    (0.015, "食品 饮料 酒业", "1391 1529 1512",
     "食品生产 饮料生产 酒制品生产 食用农产品初加工 粮食加工食品制造 乳制品生产 调味品生产 "
     "糕点、面包制造"),
    (0.02, "房地产 置业 地产", "7010 7020 7040",
     "房地产开发经营 房地产经纪 房地产咨询 房地产评估 停车场服务 物业管理"),
    (0.02, "投资 资产管理 控股", "7212 7211 7219",
     "以自有资金从事投资活动 自有资金投资的资产管理服务 融资咨询服务 财务咨询 企业总部管理 "
     "商务代理代办服务"),
    (0.015, "人力资源 劳务 企业服务", "7262 7269",
     "人力资源服务（不含职业中介活动、劳务派遣服务） 劳务派遣服务 职业中介活动 对外劳务合作 "
     "企业形象策划 咨询策划服务"),
    (0.015, "旅游 酒店 旅行社", "6110 7271",
     "住宿服务 旅游业务 旅行社服务网点旅游招徕、咨询服务 游览景区管理 酒店管理 票务代理服务"),
    (0.015, "美容 健康管理 养生", "8051 8040",
     "美容服务 养生保健服务（非医疗） 健身休闲活动 洗浴服务 足浴服务 中医养生保健服务（非医疗）"),
    (0.01, "环保 环境工程 水务", "7722 7723 4620",
     "环境保护专用设备制造 污水处理及其再生利用 大气污染治理 水污染治理 土壤污染治理与修复服务 "
     "环境保护监测 自来水生产与供应"),
    (0.01, "光伏 新能源 能源", "3825 4415 4416",
     "太阳能发电技术服务 光伏设备及元器件制造 风力发电技术服务 发电技术服务 "
     "太阳能热利用装备销售 储能技术服务 合同能源管理"),
    (0.01, "汽车服务 汽修 汽车销售", "8111 5262",
     "机动车修理和维护 汽车装饰用品销售 洗车服务 汽车租赁 汽车旧车销售 机动车充电销售 "
     "汽车拖车、求援、清障服务"),
    (0.01, "建材 水泥 陶瓷", "3021 3071 3089",
     "水泥制品制造 建筑陶瓷制品加工制造 轻质建筑材料制造 砼结构构件制造 石材加工 "
     "玻璃纤维及制品制造 保温材料销售"),
    (0.01, "检测 认证 技术服务", "7452 7451",
     "检验检测服务 计量技术服务 认证服务 标准化服务 质量检验技术服务 安全评价业务"),
    (0.01, "电商 商务 网络", "5292 5293",
     "互联网销售（除销售需要许可的商品） 网络直播技术服务 电子商务代运营 直播带货 "
     "个人互联网直播服务 数字技术服务"),
    (0.01, "安防 智能化 消防", "3899 4990",
     "安全技术防范系统设计施工服务 消防技术服务 安防设备销售 智能化工程施工 监控系统安装 "
     "消防器材销售"),
    (0.01, "航空 航天 无人机", "3741 3744",
     "智能无人飞行器制造 航空运营支持服务 通用航空服务 民用航空器零部件设计和生产 卫星导航服务"),
    (0.01, "船舶 海洋 港口", "3731 5532",
     "船舶制造 船舶修理 海洋工程装备制造 港口货物装卸搬运活动 船舶销售 海洋服务"),
)  # fmt: skip
INDUSTRIES = tuple(
    (share, words.split(), classes.split(), phrases.split())
    for share, words, classes, phrases in _INDUSTRY_TEXT
)


# (key, segment, classes, keywords, supplies) of the bench chain: the new-energy vehicle chain.
LINKS = (
    ("lithium", "upstream", ["0919", "2613"], ["碳酸锂", "氢氧化锂", "锂矿", "盐湖提锂"],
     ["cathode", "electrolyte"]),
    ("cathode", "upstream", ["3985"], ["正极材料", "磷酸铁锂", "三元前驱体"], ["cells"]),
    ("anode", "upstream", ["3091"], ["负极材料", "人造石墨", "硅碳负极"], ["cells"]),
    ("electrolyte", "upstream", ["2669"], ["电解液", "六氟磷酸锂"], ["cells"]),
    ("separator", "upstream", ["2922"], ["锂电池隔膜", "湿法隔膜"], ["cells"]),
    ("magnets", "upstream", ["3240"], ["钕铁硼", "稀土永磁"], ["motors"]),
    ("power_semis", "upstream", ["3972", "3973"], ["功率半导体", "IGBT", "碳化硅",
     "车规级芯片"], ["power_electronics", "autonomous"]),
    ("sensors", "upstream", ["3983"], ["激光雷达", "毫米波雷达", "车载摄像头"],
     ["autonomous"]),
    ("cells", "midstream", ["3841"], ["动力电池", "锂离子电池", "电芯"], ["packs"]),
    ("packs", "midstream", ["3849"], ["电池包", "电池模组", "电池管理系统"], ["vehicles"]),
    ("motors", "midstream", ["3812"], ["驱动电机", "电机控制器", "电驱动系统"], ["vehicles"]),
    ("power_electronics", "midstream", ["3824"], ["车载充电机", "DC-DC变换器", "逆变器"],
     ["vehicles", "charging"]),
    ("thermal", "midstream", [], ["热管理系统", "电动压缩机", "电子水泵"], ["vehicles"]),
    ("chassis", "midstream", [], ["线控制动", "电动助力转向", "空气悬架"], ["vehicles"]),
    ("body", "midstream", ["3660"], ["汽车车身", "一体化压铸"], ["vehicles"]),
    ("cockpit", "midstream", [], ["智能座舱", "车载显示", "车联网"], ["vehicles"]),
    ("autonomous", "midstream", [], ["自动驾驶", "智能驾驶", "域控制器"], ["vehicles"]),
    ("vehicles", "downstream", ["3612"], ["新能源汽车整车", "纯电动汽车", "插电式混合动力"],
     ["recycling"]),
    ("charging", "downstream", ["3899"], ["充电桩", "充电设施", "换电站"], []),
    ("recycling", "downstream", ["4210"], ["电池回收", "梯次利用", "废旧动力电池"], []),
)  # fmt: skip


def chain_yaml() -> str:
    """The bench chain: 20 links of the new-energy vehicle chain."""
    lines = [
        "key: nev_bench",
        "name: {zh: 新能源汽车（基准）, en: New-energy vehicles (benchmark)}",
        "thresholds: {strong: 5, weak: 1}",
        "links:",
    ]
    for key, segment, classes, keywords, supplies in LINKS:
        lines += [
            f"  - key: {key}",
            f"    name: {{zh: {key}, en: {key}}}",
            f"    segment: {segment}",
            f"    industry_classes: [{', '.join(repr(c) for c in classes)}]",
            f"    keywords: [{', '.join(keywords)}]",
            f"    supplies: [{', '.join(supplies)}]",
        ]
    return "\n".join(lines) + "\n"


# The zone's register: enterprises per link. Covered links have 5 or more (strong); the
# gaps are 4 weak links (1–4) and 4 missing ones (0).
LOCAL_COUNTS = {
    "lithium": 0,
    "cathode": 2,
    "anode": 0,
    "electrolyte": 1,
    "separator": 0,
    "magnets": 0,
    "power_semis": 3,
    "sensors": 6,
    "cells": 12,
    "packs": 9,
    "motors": 7,
    "power_electronics": 5,
    "thermal": 8,
    "chassis": 6,
    "body": 11,
    "cockpit": 5,
    "autonomous": 4,
    "vehicles": 6,
    "charging": 15,
    "recycling": 5,
}
CHAIN_MASTERS = {"cells": 2, "vehicles": 3, "motors": 1}


def make_candidates(path: Path, rows: int, chunk: int = 1_000_000) -> None:
    """The candidate file, made a million rows at a time and streamed into one Parquet file."""
    import polars as pl

    parts = path.parent / "parts"
    parts.mkdir(exist_ok=True)
    names = []
    for i, start in enumerate(range(0, rows, chunk)):
        part = parts / f"part-{i:03d}.parquet"
        _candidates(start, min(chunk, rows - start), seed=20240720 + i).write_parquet(part)
        names.append(part)
    pl.scan_parquet(names).sink_parquet(path)
    for part in names:
        part.unlink()
    parts.rmdir()


def _candidates(start: int, rows: int, seed: int):
    """``rows`` companies numbered from ``start``. Every column draws from one seeded stream,
    so the parts below are called in the order that keeps each seed's rows the same."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    shares = np.array([industry[0] for industry in INDUSTRIES])
    industry = rng.choice(len(INDUSTRIES), rows, p=shares / shares.sum())
    city = rng.choice(len(CITIES), rows, p=np.array(CITY_WEIGHTS) / sum(CITY_WEIGHTS))
    scope = _business_scope(industry, rng)
    name = _names(industry, city, rng)
    code = _one_per_industry(industry, 2, rng)
    capital = np.round(rng.lognormal(np.log(3_000_000), 1.6, rows), -3)
    capital[rng.random(rows) < 0.01] = np.nan
    founded = np.datetime64("1995-01-01") + rng.integers(0, 30 * 365, rows).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "uscc": _uscc(start + np.arange(rows), np.array([c[2] for c in CITIES])[city], rng),
            "name": name,
            "province": np.array([c[0] for c in CITIES])[city],
            "city": np.array([c[1] for c in CITIES])[city],
            "industry_code": code,
            "business_scope": scope,
            "registered_capital": pl.Series(capital, nan_to_null=True),
            "founded": founded,
            "high_tech": rng.random(rows) < 0.08,
            "listed": rng.random(rows) < 0.004,
            "status": np.array(["存续", "在业", "开业"])[rng.integers(0, 3, rows)],
        }
    )


def _business_scope(industry, rng):
    """A business scope for each company of the given industries."""
    import numpy as np
    import polars as pl

    rows = industry.size
    # Phrases: each industry's own, then the generic ones; every row draws 3–28 phrases, two
    # thirds from its industry's phrases, cut at 300 characters and at least 50 long.
    vocab, starts, sizes = list(GENERIC), [], []
    for _share, _words, _classes, phrases in INDUSTRIES:
        starts.append(len(vocab))
        sizes.append(len(phrases))
        vocab += phrases
    vocab_s = pl.Series(vocab)
    slots = 28
    count = rng.integers(3, slots + 1, rows)
    own = rng.random((rows, slots)) < 0.67
    pick_own = np.array(starts)[industry][:, None] + (
        rng.random((rows, slots)) * np.array(sizes)[industry][:, None]
    ).astype(np.int64)
    pick_generic = rng.integers(0, len(GENERIC), (rows, slots))
    pick = np.where(own, pick_own, pick_generic)
    used = np.arange(slots)[None, :] < count[:, None]
    parts = [
        vocab_s.gather(pick[:, j]).alias(f"p{j}").set(pl.Series(~used[:, j]), None)
        for j in range(slots)
    ]
    head = pl.Series(HEAD).gather(rng.integers(0, len(HEAD), rows))
    tail = pl.Series(TAIL).gather(rng.integers(0, len(TAIL), rows))
    scope = (
        pl.DataFrame(parts)
        .select(pl.concat_str(parts, separator="；", ignore_nulls=True).alias("s"))
        .to_series()
    )
    scope = (head + scope + tail).str.slice(0, 300)
    filler = "；".join(GENERIC[:6])
    return (
        pl.select(
            pl.when(scope.str.len_chars() < 50)
            .then(pl.concat_str([pl.lit(scope), pl.lit("；" + filler)]).str.slice(0, 300))
            .otherwise(pl.lit(scope))
        )
        .to_series()
        .rename("business_scope")
    )


def _names(industry, city, rng):
    """Company names: city (without 市), a two-character brand, an industry word and a
    suffix."""
    import numpy as np
    import polars as pl

    rows = industry.size
    brand = np.array(list(BRAND))
    b1, b2 = brand[rng.integers(0, len(brand), rows)], brand[rng.integers(0, len(brand), rows)]
    short = np.array([c[1].removesuffix("市") for c in CITIES])[city]
    word = _one_per_industry(industry, 1, rng)
    suffix = np.array(SUFFIXES)[rng.integers(0, len(SUFFIXES), rows)]
    suffix = np.where(
        np.char.endswith(word, "科技") & (suffix == "科技有限公司"), "有限公司", suffix
    )
    return pl.Series(short) + pl.Series(b1) + pl.Series(b2) + pl.Series(word) + pl.Series(suffix)


def _one_per_industry(industry, field: int, rng):
    """For each company, one item at random of its industry's list in ``INDUSTRIES``
    (``field`` 1: the name words, 2: the GB/T 4754 classes)."""
    import numpy as np

    items = np.array([item for ind in INDUSTRIES for item in ind[field]])
    first = np.cumsum([0, *(len(ind[field]) for ind in INDUSTRIES)])[:-1]
    size = np.array([len(ind[field]) for ind in INDUSTRIES])
    return items[first[industry] + (rng.random(industry.size) * size[industry]).astype(np.int64)]


def _uscc(number, region, rng):
    """Distinct 18-character codes: 91, the region and 00, a serial in base 31, a check
    character (random, not computed: nothing here validates it)."""
    import numpy as np
    import polars as pl

    chars = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    number = (number * 7_919_296_211) % 31**9  # a bijection: spread the serials out
    serial = [pl.Series(chars[(number // 31**p) % 31]) for p in range(8, -1, -1)]
    check = pl.Series(chars[rng.integers(0, 31, number.size)])
    parts = [pl.lit("91"), pl.lit(pl.Series(region)), pl.lit("00"), *map(pl.lit, serial)]
    return pl.select(pl.concat_str([*parts, pl.lit(check)])).to_series()


def make_zone(workdir: Path, candidates: Path) -> None:
    """The chain, the zone's register (LOCAL) and the pipeline exclusion list."""
    import numpy as np
    import polars as pl

    (workdir / "chain.yaml").write_text(chain_yaml(), encoding="utf-8")
    rng = np.random.default_rng(20240721)
    generic = list(GENERIC)
    rows = []
    serial = 0

    def enterprise(classes, scope, master=False):
        nonlocal serial
        serial += 1
        extra = "；".join(rng.choice(generic, 3, replace=False))
        rows.append(
            {
                "uscc": f"91320594MA{serial:07d}X",
                "name": f"苏州工业园区{BRAND[serial % len(BRAND)]}{serial}有限公司",
                "industry_code": classes[serial % len(classes)] if classes else "3670",
                "business_scope": f"{scope}；{extra}",
                "chain_master": "是" if master else "否",
                "output": float(rng.lognormal(np.log(2e8), 1.0)),
                "tax": float(rng.lognormal(np.log(1e7), 1.0)),
            }
        )

    for key, _segment, classes, keywords, _supplies in LINKS:
        masters = CHAIN_MASTERS.get(key, 0)
        for i in range(LOCAL_COUNTS[key]):
            enterprise(classes, f"{keywords[i % len(keywords)]}的研发、生产和销售", i < masters)
    # Enterprises of other industries, matching no link of the chain.
    for _ in range(2000):
        enterprise(["5199", "7212", "6513", "4790"], "、".join(rng.choice(generic, 4)))
    local = pl.DataFrame(rows)
    # 300 companies of the candidate file are in the register already: those that match no
    # gap link (so the gaps stay as planned) are added to it.
    sample = _sample(candidates, 300, seed=1)
    gap_keys = [k for k, n in LOCAL_COUNTS.items() if n < 5]
    gap_words = [w for link in LINKS if link[0] in gap_keys for w in link[3]]
    gap_classes = [c for link in LINKS if link[0] in gap_keys for c in link[2]]
    sample = sample.filter(
        ~pl.col("business_scope").str.contains_any(gap_words)
        & ~pl.col("industry_code").is_in(gap_classes)
    ).select(
        "uscc",
        "name",
        "industry_code",
        "business_scope",
        pl.lit("否").alias("chain_master"),
        pl.lit(None, pl.Float64).alias("output"),
        pl.lit(None, pl.Float64).alias("tax"),
    )
    pl.concat([local, sample]).write_csv(workdir / "local.csv")
    # 1,000 companies open in the pipeline.
    _sample(candidates, 1000, seed=2).select("uscc").write_csv(workdir / "exclude.csv")


def _sample(candidates: Path, n: int, seed: int):
    import numpy as np
    import polars as pl

    scan = pl.scan_parquet(candidates)
    rows = scan.select(pl.len()).collect().item()
    picked = np.random.default_rng(seed).choice(rows, n, replace=False)
    return (
        scan.with_row_index("i")
        .filter(pl.col("i").is_in(pl.Series(picked, dtype=pl.UInt32).implode()))
        .drop("i")
        .collect()
    )


YARDSTICK = """\
import sys, duckdb
words = sys.argv[2].split(",")
where = " OR ".join(f"business_scope LIKE '%{w}%'" for w in words)
print(duckdb.sql(f"SELECT count(*) FROM '{sys.argv[1]}' WHERE {where}").fetchall()[0][0])
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/beacon-chains"))
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=1800, help="seconds, per run")
    parser.add_argument(
        "--csv", action="store_true", help="also time the command on a CSV copy of the file"
    )
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def make_input_elsewhere(workdir: Path, candidates: Path, made: Path, csv: bool) -> None:
    """The input files, made by another process unless this size's are there already."""
    if not made.exists() or made.read_text() != chain_yaml():
        subprocess.run([sys.executable, __file__, "--make", *sys.argv[1:]], check=True)
    if csv and not (workdir / "candidates.csv").exists():
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, polars as pl; pl.scan_parquet(sys.argv[1]).sink_csv(sys.argv[2])",
                str(candidates),
                str(workdir / "candidates.csv"),
            ],
            check=True,
        )


def commands(workdir: Path, candidates: Path, csv: bool) -> dict[str, list[str]]:
    """What is timed, the yardstick first: each command line by what the table calls it."""
    first_gap = next(link for link in LINKS if LOCAL_COUNTS[link[0]] < 5)
    target = [
        sys.executable,
        "-m",
        "beacon.cli",
        "chains",
        "target",
        "--chain",
        str(workdir / "chain.yaml"),
        "--enterprises",
        str(workdir / "local.csv"),
        "--exclude",
        str(workdir / "exclude.csv"),
        "--exclude-provinces",
        "新疆维吾尔自治区,西藏自治区",
        "--home-province",
        "江苏省",
        "--home-city",
        "苏州市",
    ]
    runs = {
        f"DuckDB count, keywords of '{first_gap[0]}' (yardstick)": [
            sys.executable,
            "-c",
            YARDSTICK,
            str(candidates),
            ",".join(first_gap[3]),
        ],
        "beacon chains target, parquet": [
            *target,
            "--candidates",
            str(candidates),
            "--out",
            str(workdir / "targets.csv"),
        ],
    }
    if csv:
        runs["beacon chains target, csv"] = [
            *target,
            "--candidates",
            str(workdir / "candidates.csv"),
            "--out",
            str(workdir / "targets-csv.csv"),
        ]
    return runs


def print_facts(candidates: Path, repeat: int) -> None:
    """The input's size and the versions, read by another process (this one imports no
    Polars)."""
    facts = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, polars, duckdb; print(polars.__version__, duckdb.__version__, "
            "polars.scan_parquet(sys.argv[1]).select(polars.len()).collect().item())",
            str(candidates),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    print(
        f"{int(facts[2]):,} candidates ({candidates.stat().st_size / 2**20:,.0f} MiB Parquet); "
        f"Python {platform.python_version()}, Polars {facts[0]}, DuckDB {facts[1]}, "
        f"{os.cpu_count()} cores; median of {repeat} runs"
    )


def time_commands(runs: dict[str, list[str]], repeat: int, quiet) -> dict[str, float]:
    """Prints the table, a row a command; each command's median seconds."""
    print("\n| what | median s | runs s | peak memory MiB | load before runs |")
    print("|---|---|---|---|---|")
    medians = {}
    for what, command in runs.items():
        times, peak, loads = timed(command, repeat, quiet)
        medians[what] = statistics.median(times)
        each = ", ".join(f"{t:.2f}" for t in times)
        load = ", ".join(f"{x:.2f}" for x in loads)
        print(f"| {what} | {medians[what]:.2f} | {each} | {peak / 1024:,.0f} | {load} |")
    return medians


def main() -> None:
    args = parse_args()
    workdir = args.workdir / str(args.rows)
    workdir.mkdir(parents=True, exist_ok=True)
    candidates = workdir / "candidates.parquet"
    made = workdir / "made"  # the files are kept for the next run of the same size
    if args.make:
        make_candidates(candidates, args.rows)
        make_zone(workdir, candidates)
        made.write_text(chain_yaml())
        return
    # A child's peak memory counts its parent's at the time it was started (Linux keeps the
    # larger across exec), so this process stays small: the input is made by another one,
    # and this one never imports Polars.
    make_input_elsewhere(workdir, candidates, made, args.csv)
    runs = commands(workdir, candidates, args.csv)
    print_facts(candidates, args.repeat)
    medians = time_commands(
        runs, args.repeat, partial(wait_for_quiet, args.max_load, args.max_wait)
    )
    yardstick = medians.pop(next(iter(runs)))
    for what, median in medians.items():
        print(f"\n{what}: {median / yardstick:.2f} × the yardstick")
    # The command's own summary of the gaps and their targets, from one more run.
    summary = subprocess.run(
        runs["beacon chains target, parquet"], capture_output=True, text=True, check=True
    ).stdout
    print("\n" + summary.strip())


if __name__ == "__main__":
    main()
