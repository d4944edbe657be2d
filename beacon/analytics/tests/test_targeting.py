"""Targets for a chain's gaps on a hand-built candidate set: who is left out, every score
and reason worked out by hand from the points in docs/chains-cli.md, top N and ties."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from beacon.analytics.chains import InputError, parse_chain
from beacon.analytics.targeting import (
    NEIGHBOURS,
    OUTPUT_COLUMNS,
    province_short,
    rank,
    target,
)

from .test_chains import CHAIN, chain, local

# The mini chain over LOCAL: the gaps are materials (missing; it supplies cells, where E1
# is a chain master: demand 1), vehicles (weak; supplies nothing) and charging (missing).
COLUMNS = [
    "uscc",
    "name",
    "province",
    "city",
    "industry_code",
    "business_scope",
    "registered_capital",
    "founded",
    "high_tech",
    "listed",
]
M = 1_000_000
CANDIDATES = [
    ("C01", "甲", "江苏省", "苏州市", "3985", "正极材料及负极材料的研发", 100 * M, True, True),
    ("C02", "乙", "浙江省", "杭州市", "3985", "贸易", 5 * M, False, False),
    ("C03", "丙", "江苏省", "南京市", "5199", "负极材料销售", None, False, False),
    ("C04", "丁", "广东省", "深圳市", "3985", "正极材料", 1000 * M, True, True),  # province
    ("E5", "戊", "江苏省", "苏州市", "3985", "正极材料", 1 * M, False, False),  # registry
    ("P1", "己", "江苏省", "苏州市", "3985", "负极材料", 1 * M, False, False),  # pipeline
    ("C07", "庚", "北京市", "北京市", "5261", "新能源汽车销售", 600 * M, False, False),
    ("C08", "辛", "江苏省", "苏州市", "4419", "充电桩运营", 20 * M, False, False),
    ("C09", "壬", "安徽省", "合肥市", "3612", "整车", 20 * M, False, False),
    ("C10", "癸", "上海市", "上海市", "3612", "汽车", 20 * M, False, False),
    ("C11", "子", "江苏省", "苏州市", "3841", "动力电池", 20 * M, True, True),  # cells: strong
    ("C12", "丑", "四川省", "成都市", "6210", "餐饮服务", 20 * M, True, True),  # nothing
    ("C14", "寅", "西藏自治区", "拉萨市", "8111", "新能源汽车维修", 0.5 * M, False, False),
    ("C08", "辛", "北京市", "北京市", "4419", "充电桩运营", 20 * M, False, False),  # twice
]
HOME = {"home_province": "江苏省", "home_city": "苏州市"}
EXCLUDE = {"exclude": [" p1 "], "exclude_provinces": ["广东省"]}

EXPECTED = [
    # link, rank, uscc, score, reasons
    (
        "materials",
        1,
        "C01",
        18,
        "class 3985 +3; keywords 正极材料, 负极材料 +3; listed +3; high-tech +2; "
        "capital 50M–500M yuan +3; supplies 1 chain master +1; same city +3",
    ),
    (
        "materials",
        2,
        "C02",
        6,
        "class 3985 +3; capital 1M–10M yuan +1; supplies 1 chain master +1; "
        "neighbouring province +1",
    ),
    (
        "materials",
        3,
        "C03",
        5,
        "keyword 负极材料 +2; supplies 1 chain master +1; same province +2",
    ),
    # three at 6: the larger capital first, then by uscc
    ("vehicles", 1, "C07", 6, "keyword 新能源汽车 +2; capital 500M+ yuan +4"),
    ("vehicles", 2, "C09", 6, "class 3612 +3; capital 10M–50M yuan +2; neighbouring province +1"),
    ("vehicles", 3, "C10", 6, "class 3612 +3; capital 10M–50M yuan +2; neighbouring province +1"),
    ("vehicles", 4, "C14", 2, "keyword 新能源汽车 +2"),
    # C08 is listed twice: once, with its better row
    ("charging", 1, "C08", 7, "keyword 充电桩 +2; capital 10M–50M yuan +2; same city +3"),
]


def candidates(rows=CANDIDATES) -> pl.DataFrame:
    return pl.DataFrame(
        [(*row[:7], date(2015, 3, 1), *row[7:]) for row in rows],
        schema=COLUMNS,
        orient="row",
    )


def shown(table: pl.DataFrame) -> list[tuple]:
    return table.select("link", "rank", "uscc", "score", "reasons").rows()


def test_scores_reasons_ranks_and_exclusions():
    done = target(chain(), local(), candidates(), **HOME, **EXCLUDE)
    assert done.table.columns == list(OUTPUT_COLUMNS)
    assert shown(done.table) == EXPECTED
    assert done.table.row(0) == (
        "materials",
        1,
        "C01",
        "甲",
        "江苏省",
        "苏州市",
        "3985",
        18,
        EXPECTED[0][4],
    )
    assert done.gaps == [
        {
            "link": "materials",
            "status": "missing",
            "enterprises": 1,
            "candidates": 3,
            "targets": 3,
            "top_score": 18,
        },
        {
            "link": "vehicles",
            "status": "weak",
            "enterprises": 2,
            "candidates": 4,
            "targets": 4,
            "top_score": 6,
        },
        {
            "link": "charging",
            "status": "missing",
            "enterprises": 0,
            "candidates": 1,
            "targets": 1,
            "top_score": 7,
        },
    ]


def test_top_n_per_link():
    table = rank(chain(), local(), candidates(), top=2, **HOME, **EXCLUDE)
    assert [row[:3] for row in shown(table)] == [
        ("materials", 1, "C01"),
        ("materials", 2, "C02"),
        ("vehicles", 1, "C07"),
        ("vehicles", 2, "C09"),
        ("charging", 1, "C08"),
    ]


def test_without_exclusions_and_home():
    table = rank(chain(), local(), candidates())
    by_link = {}
    for link, _rank, uscc, score, _reasons in shown(table):
        by_link.setdefault(link, []).append((uscc, score))
    # E5 is in the registry whatever the options; without a home there are no distance
    # points. C04 and C01 tie at 15: the larger capital first.
    assert by_link == {
        "materials": [("C04", 15), ("C01", 15), ("P1", 7), ("C02", 5), ("C03", 3)],
        "vehicles": [("C07", 6), ("C09", 5), ("C10", 5), ("C14", 2)],
        "charging": [("C08", 4)],
    }


def test_home_province_by_its_short_name_and_unknown_provinces():
    full = rank(chain(), local(), candidates(), **HOME, **EXCLUDE)
    short = rank(chain(), local(), candidates(), home_province="江苏", home_city="苏州", **EXCLUDE)
    assert full.equals(short)
    with pytest.raises(InputError, match="unknown home province '江苏州'"):
        target(chain(), local(), candidates(), home_province="江苏州")
    assert province_short("广西壮族自治区") == "广西" and province_short("北京市") == "北京"
    assert all(a in NEIGHBOURS[b] for a in NEIGHBOURS for b in NEIGHBOURS[a])  # both ways
    assert NEIGHBOURS["江苏"] == {"上海", "浙江", "安徽", "山东"}


def test_home_city_alone_gives_same_city_points():
    table = rank(chain(), local(), candidates(), home_city="苏州市", **EXCLUDE)
    assert shown(table)[0][3:] == (
        15 + 3,
        "class 3985 +3; keywords 正极材料, 负极材料 +3; listed +3; high-tech +2; "
        "capital 50M–500M yuan +3; supplies 1 chain master +1; same city +3",
    )


def test_no_gaps_no_targets():
    text = CHAIN.replace("{strong: 3, weak: 2}", "{strong: 1, weak: 1}")
    rows = [
        ("X1", "3985", "x", "否", 1.0),
        ("X2", "3841", "x", "否", 1.0),
        ("X3", "3612", "x", "否", 1.0),
        ("X4", "9999", "充电桩", "否", 1.0),
    ]
    done = target(parse_chain(text), local(rows), candidates())
    assert done.table.columns == list(OUTPUT_COLUMNS) and done.table.height == 0
    assert done.gaps == []


def test_a_gap_of_classes_only_and_codes_as_written():
    text = CHAIN.replace("    keywords: [新能源汽车]\n", "")
    rows = [
        ("V1", "某", "江苏省", "苏州市", " C3612 ", "新能源汽车", 1 * M, False, False),
        ("V2", "某", "江苏省", "苏州市", "36120", "整车", 1 * M, False, False),  # not a class
    ]
    table = rank(parse_chain(text), local(), candidates(rows))
    assert shown(table) == [("vehicles", 1, "V1", 4, "class 3612 +3; capital 1M–10M yuan +1")]
    assert table["industry_code"].to_list() == ["3612"]


def test_extra_columns_kept_on_request():
    frame = candidates().with_columns(pl.lit("存续").alias("status"))
    done = target(chain(), local(), frame, extra=True, **HOME, **EXCLUDE)
    assert done.table.columns == [*OUTPUT_COLUMNS, "status"]
    assert rank(chain(), local(), frame).columns == list(OUTPUT_COLUMNS)


def test_text_cells_are_read_as_the_registry_import_reads_them():
    rows = [
        ("T1", "某", "江苏省", "苏州市", "3985", "x", "100,000,000", "2015/3/1", "是", "Y"),
        ("T2", "某", "江苏省", "苏州市", "3985", "x", "", "", "否", ""),
    ]
    frame = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    table = rank(chain(), local(), frame)
    assert shown(table) == [
        (
            "materials",
            1,
            "T1",
            12,
            "class 3985 +3; listed +3; high-tech +2; capital 50M–500M yuan +3; "
            "supplies 1 chain master +1",
        ),
        ("materials", 2, "T2", 4, "class 3985 +3; supplies 1 chain master +1"),
    ]


def test_bad_cells_are_named_by_row_and_column():
    rows = [
        ("B1", "某", "江苏省", "苏州市", "3985", "x", "1e6", "2015-03-01", "true", "false"),
        ("B2", "某", "江苏省", "苏州市", "6210", "餐饮", "lots", "2015-03-01", "true", "false"),
        ("", "某", "江苏省", "苏州市", "3985", "x", "-5", "2015-02-30", "maybe", "false"),
    ]
    frame = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    with pytest.raises(InputError) as caught:
        target(chain(), local(), frame)
    # every row is checked, not only those that match a gap (B2 matches none)
    assert str(caught.value).splitlines() == [
        "row 3, column registered_capital: not a number of yuan at least 0: 'lots'",
        "row 4, column uscc: empty",
        "row 4, column registered_capital: not a number of yuan at least 0: '-5'",
        "row 4, column founded: not a date (YYYY-MM-DD): '2015-02-30'",
        "row 4, column high_tech: not yes or no: 'maybe'",
    ]


def test_many_bad_rows_are_capped():
    rows = [
        (f"B{i}", "某", "江苏省", "苏州市", "6210", "x", "n/a", None, None, None) for i in range(25)
    ]
    with pytest.raises(InputError) as caught:
        target(chain(), local(), pl.DataFrame(rows, schema=COLUMNS, orient="row"))
    lines = str(caught.value).splitlines()
    assert len(lines) == 21
    assert lines[0] == "row 2, column registered_capital: not a number of yuan at least 0: 'n/a'"
    assert lines[-1] == "and 5 more rows with problems"


def test_missing_columns():
    with pytest.raises(InputError) as caught:
        target(chain(), local(), candidates().drop("founded", "listed"))
    assert str(caught.value).splitlines() == ["missing column: founded", "missing column: listed"]


def test_options_as_a_form_gives_them():
    typed = rank(
        chain(),
        local(),
        candidates(),
        exclude={"P1", None},
        exclude_provinces="广东省, 海南省",
        home_province="江苏省",
        home_city="苏州市",
        top=None,
    )
    assert shown(typed) == EXPECTED


def test_top_must_be_positive():
    with pytest.raises(InputError, match="top must be at least 1, not 0"):
        target(chain(), local(), candidates(), top=0)
