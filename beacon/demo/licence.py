"""What a demo firm's business licence reads: where it is registered, its name in Chinese
(with an English rendering) and its business scope, in the forms a registrar accepts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .parks import Line, Word


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


def registered_region(drawn: int, founded: int) -> Region:
    """The region ``REGIONS[drawn]`` as it was in the year a firm founded there registered."""
    if drawn == GAOYAO and founded < 2015:
        return GAOYAO_BEFORE_2015
    return REGIONS[drawn]


def company_name(
    rnd: random.Random, line: Line, region: Region, big: bool
) -> tuple[str, str, tuple[str, str, Word]]:
    """A name in Chinese and in English, and its brand and industry word (the brand and word
    of a notable firm name its technology centre)."""
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
    return zh, " ".join(en.split()), (brand_zh, brand_en, word)


def business_scope(rnd: random.Random, line: Line) -> str:
    """A few of the line's activities and the common ones, then its licensed activities."""
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
