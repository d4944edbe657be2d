"""A small chain on the conftest zone, and a candidate company file in a data folder of the
test's own."""

import csv

import pytest

from beacon.chains.models import Chain
from beacon.core.versions import save_version
from beacon.registry.tests.factories import make_uscc

# The conftest zone's four enterprises are class 3841 with "锂离子电池、动力电池系统的研发、生产
# 和销售" as business scope: all are in "cells" (class) and "packs" (keyword), none in
# "vehicles".
CHAIN = """\
key: mini
name: {zh: 迷你电池链, en: Mini battery chain}
thresholds: {strong: 3, weak: 1}
links:
  - key: cells
    name: {zh: 电芯, en: Cells}
    segment: upstream
    industry_classes: ["3841"]
    keywords: ["电芯"]
    supplies: [packs]
  - key: packs
    name: {zh: 电池包, en: Packs}
    segment: midstream
    industry_classes: []
    keywords: ["电池系统"]
    supplies: [vehicles]
  - key: vehicles
    name: {zh: 整车, en: Vehicles}
    segment: downstream
    industry_classes: ["3612"]
    keywords: ["新能源汽车整车"]
    supplies: []
"""


@pytest.fixture
def chain(db):
    chain = Chain.objects.create(key="mini", name="迷你电池链")
    save_version(chain, CHAIN, None)
    return chain


def candidates(path, *rows):
    fields = [
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
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({**dict.fromkeys(fields, ""), **row})
    return path


@pytest.fixture
def candidate_file(zone, settings, tmp_path):
    settings.BEACON_HOME = tmp_path
    (tmp_path / "candidates").mkdir()
    return candidates(
        tmp_path / "candidates" / "companies.csv",
        {
            "uscc": make_uscc(810001),
            "name": "广州远航新能源汽车有限公司",
            "province": "广东省",
            "city": "广州市",
            "industry_code": "3612",
            "business_scope": "新能源汽车整车制造",
            "registered_capital": "500000000",
            "founded": "2015-01-01",
            "high_tech": "1",
            "listed": "1",
        },
        {
            "uscc": make_uscc(810002),
            "name": "合肥星驰汽车有限公司",
            "province": "安徽省",
            "city": "合肥市",
            "industry_code": "3612",
            "business_scope": "汽车制造",
            "registered_capital": "80000000",
            "founded": "2019-05-01",
            "high_tech": "0",
            "listed": "0",
        },
        # already in the pipeline: left out
        {
            "uscc": make_uscc(810003),
            "name": "深圳已洽谈汽车有限公司",
            "province": "广东省",
            "city": "深圳市",
            "industry_code": "3612",
            "business_scope": "新能源汽车整车",
            "registered_capital": "90000000",
            "founded": "2018-01-01",
            "high_tech": "0",
            "listed": "0",
        },
        # an existing enterprise of the zone: left out
        {
            "uscc": zone["p1_enterprise"].uscc,
            "name": "本区企业",
            "province": "广东省",
            "city": "肇庆市",
            "industry_code": "3612",
            "business_scope": "新能源汽车整车",
            "registered_capital": "1",
            "founded": "2018-01-01",
            "high_tech": "0",
            "listed": "0",
        },
    )
