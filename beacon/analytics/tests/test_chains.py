"""Chain files, and which local enterprises belong to which link, on small hand-built cases.

Every expected figure below was worked out by hand from the enterprises next to it,
following docs/chains-cli.md, not by running the engine.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from beacon.analytics.chains import (
    InputError,
    check_local,
    coverage,
    found_keywords,
    load_known_classes,
    parse_chain,
)
from beacon.analytics.conditions import RuleError

# thresholds: 3 or more local enterprises is strong, 2 is weak, fewer is missing
CHAIN = """\
key: mini
name: {zh: 迷你链, en: Mini chain}
thresholds: {strong: 3, weak: 2}
links:
  - key: materials
    name: {zh: 正负极材料, en: Electrode materials}
    segment: upstream
    industry_classes: ["3985"]
    keywords: [正极材料, 负极材料]
    supplies: [cells]
  - key: cells
    name: {zh: 电芯, en: Cells}
    segment: midstream
    industry_classes: ["3841"]
    keywords: [动力电池, 电芯]
    supplies: [vehicles]
  - key: vehicles
    name: {zh: 整车, en: Vehicles}
    segment: downstream
    industry_classes: ["3612"]
    keywords: [新能源汽车]
  - key: charging
    name: {zh: 充电设施, en: Charging}
    segment: downstream
    keywords: [充电桩]
"""

LOCAL = [
    # uscc, industry_code, business_scope, chain_master, output
    ("E1", "3841", "从事动力电池及电芯的研发", "是", 100.0),  # cells: class and two keywords
    ("E2", "2929", "电芯生产；塑料制品销售", "否", 10.0),  # cells: keyword 电芯 (substring)
    ("E3", "3612", "汽车制造", "是", 1000.0),  # vehicles: class only
    ("E4", "C3612", "新能源汽车整车制造", "1", 500.0),  # vehicles: class (C3612) and keyword
    ("E5", "3399", "锂电池正极材料的生产", "false", 20.0),  # materials: keyword
    ("E6", "6210", "餐饮服务", "", 5.0),  # nothing
    ("E7", "3841", "电池制造", "no", 30.0),  # cells: class only
]
# cells 3 (E1, E2, E7): exactly strong; vehicles 2 (E3, E4): exactly weak;
# materials 1 (E5): missing; charging 0: missing.


def local(rows=LOCAL, output=True) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema=["uscc", "industry_code", "business_scope", "chain_master", "output"],
        orient="row",
    ).with_columns(name=pl.format("企业{}", "uscc"))
    return frame if output else frame.drop("output")


def overrides(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["uscc", "link", "include"], orient="row")


def chain():
    return parse_chain(CHAIN, load_known_classes())


# ---------------------------------------------------------------- the chain file


def test_parse_keeps_chain_order_and_fields():
    parsed = chain()
    assert parsed.key == "mini"
    assert parsed.name == {"zh": "迷你链", "en": "Mini chain"}
    assert parsed.thresholds == {"strong": 3, "weak": 2}
    assert [link.key for link in parsed.links] == ["materials", "cells", "vehicles", "charging"]
    cells = parsed.links[1]
    assert (cells.segment, cells.industry_classes, cells.keywords, cells.supplies) == (
        "midstream",
        ("3841",),
        ("动力电池", "电芯"),
        ("vehicles",),
    )
    assert cells.line == 11
    charging = parsed.links[3]
    assert (charging.industry_classes, charging.supplies) == ((), ())


def test_thresholds_default_to_five_and_one():
    text = CHAIN.replace("thresholds: {strong: 3, weak: 2}\n", "")
    assert parse_chain(text).thresholds == {"strong": 5, "weak": 1}


def test_known_classes_come_from_the_shipped_table():
    known = load_known_classes()
    assert len(known) == 1381
    assert {"3841", "0919", "3612"} <= known
    assert "384" not in known and "C" not in known


def test_known_classes_from_another_file(tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text("code,name_zh,level\n38,电气机械,division\n3841,锂离子电池制造,class\n")
    assert load_known_classes(path) == {"3841"}
    path.write_text("code,name\n3841,x\n")
    with pytest.raises(RuleError, match="needs the columns code and level"):
        load_known_classes(path)


def test_templates_parse():
    """The six chain files shipped with the app are valid with the real classes."""
    paths = sorted((Path(__file__).resolve().parents[2] / "chains" / "data").glob("*.yaml"))
    assert [p.stem for p in paths] == [
        "biomedicine",
        "electronics",
        "energy_storage",
        "marine_equipment",
        "nev",
        "robotics",
    ]
    known = load_known_classes()
    for path in paths:
        parsed = parse_chain(path.read_text(encoding="utf-8"), known)
        assert parsed.links, path


HEAD = "key: c\nname: {zh: 链}\nlinks:\n"  # lines 1–3


def link(key, *lines, segment="upstream"):
    return f"  - key: {key}\n    name: {{zh: {key}}}\n    segment: {segment}\n" + "".join(
        f"    {line}\n" for line in lines
    )


def problem(text, known=None) -> str:
    with pytest.raises(RuleError) as caught:
        parse_chain(text, known)
    return str(caught.value)


def test_unknown_link_in_supplies():
    text = HEAD + link("a", "keywords: [x]", "supplies: [b, zz]") + link("b", "keywords: [y]")
    assert problem(text) == "line 8, link a: supplies an unknown link 'zz'"


def test_cycle_is_named_at_the_edge_that_closes_it():
    text = (
        HEAD
        + link("a", "keywords: [x]", "supplies:", "  - b")  # b on line 9
        + link("b", "keywords: [y]", "supplies:", "  - c")  # c on line 15
        + link("c", "keywords: [z]", "supplies:", "  - a")  # a on line 21
    )
    assert problem(text) == "line 21: links form a cycle: a → b → c → a"
    # a link that supplies itself
    text = HEAD + link("a", "keywords: [x]", "supplies: [a]")
    assert problem(text) == "line 8: links form a cycle: a → a"
    # a cycle further down the chain, reached from the first link
    text = (
        HEAD
        + link("a", "keywords: [x]", "supplies: [b]")
        + link("b", "keywords: [y]", "supplies: [c]")
        + link("c", "keywords: [z]", "supplies: [b]")
    )
    assert problem(text) == "line 18: links form a cycle: b → c → b"


def test_a_chain_that_branches_and_joins_is_no_cycle():
    text = (
        HEAD
        + link("a", "keywords: [x]", "supplies: [b, c]")
        + link("b", "keywords: [y]", "supplies: [d]")
        + link("c", "keywords: [z]", "supplies: [d]")
        + link("d", "keywords: [w]")
    )
    assert [lk.supplies for lk in parse_chain(text).links] == [("b", "c"), ("d",), ("d",), ()]


def test_unknown_industry_class():
    text = HEAD + link("a", 'industry_classes: ["3841", "3848"]')
    assert problem(text, load_known_classes()) == (
        "line 7, link a: unknown industry class '3848' (not a class of GB/T 4754-2017)"
    )
    assert parse_chain(text).links[0].industry_classes == ("3841", "3848")  # not checked


def test_class_codes_are_four_digits_in_quotes():
    text = HEAD + link("a", 'industry_classes: ["384"]')
    assert problem(text) == "line 7, link a: industry class '384' is not a 4-digit class code"
    text = HEAD + link("a", "industry_classes: [3841]")
    assert problem(text) == (
        'line 7, link a: industry class 3841 must be written in quotes, as "3841"'
    )


def test_duplicate_link_keys():
    text = HEAD + link("a", "keywords: [x]") + link("a", "keywords: [y]")
    assert problem(text) == "line 8: link key 'a' appears twice (also line 4)"


def test_bad_segment():
    text = HEAD + link("a", "keywords: [x]", segment="middle")
    assert problem(text) == (
        "line 6, link a: segment must be upstream, midstream or downstream, not 'middle'"
    )


def test_thresholds_must_be_whole_numbers_weak_not_above_strong():
    bad = CHAIN.replace("{strong: 3, weak: 2}", "{strong: 3, weak: 4}")
    assert problem(bad) == "line 3: thresholds.weak (4) is above thresholds.strong (3)"
    bad = CHAIN.replace("{strong: 3, weak: 2}", "{strong: 2.5, weak: 1}")
    assert problem(bad) == "line 3: thresholds.strong must be a whole number of at least 1, not 2.5"
    bad = CHAIN.replace("{strong: 3, weak: 2}", "{strong: 3, weak: 0}")
    assert problem(bad) == "line 3: thresholds.weak must be a whole number of at least 1, not 0"
    bad = CHAIN.replace("{strong: 3, weak: 2}", "{strong: 3, week: 2}")
    assert problem(bad) == "line 3: unknown key in thresholds: 'week'"


def test_unknown_and_missing_keys():
    assert problem(CHAIN + "colour: red\n") == (
        "line 26: unknown key 'colour'; a chain has key, name, thresholds, links"
    )
    assert problem(CHAIN.replace("key: mini\n", "")) == "line 1: the chain needs 'key'"
    assert problem("key: c\nname: {zh: 链}\n") == "line 1: the chain needs 'links'"
    assert problem(HEAD.replace("name: {zh: 链}\n", "")) == "line 1: the chain needs 'name'"
    assert problem(HEAD + "  - {name: {zh: 甲}}\n") == "line 4: a link needs 'key'"
    text = HEAD + link("a", "keywords: [x]", "colour: red")
    assert problem(text) == (
        "line 8, link a: unknown key 'colour'; a link has key, name, segment, "
        "industry_classes, keywords, supplies"
    )
    text = HEAD + "  - key: a\n    segment: upstream\n    keywords: [x]\n"
    assert problem(text) == "line 4, link a: the link needs 'name'"
    assert problem(HEAD + "  []\n").startswith("line 3: links is a non-empty list")
    assert problem(HEAD + link("a", "keywords: [x]", "keywords: [y]")) == (
        "line 8: 'keywords' appears twice"
    )


def test_a_link_needs_classes_or_keywords_but_keywords_may_be_empty():
    text = HEAD + link("a", "keywords: []")
    assert problem(text) == "line 4, link a: the link needs industry_classes or keywords"
    text = HEAD + link("a", 'industry_classes: ["3841"]', "keywords: []")
    assert parse_chain(text).links[0].keywords == ()
    text = HEAD + link("a", 'keywords: [x, ""]')
    assert problem(text) == "line 7, link a: a keyword is empty"


def test_names_and_keys():
    assert problem(HEAD.replace("{zh: 链}", "链") + link("a", "keywords: [x]")) == (
        "line 2: name is {zh: 中文名, en: English name}"
    )
    assert problem(HEAD.replace("{zh: 链}", "{fr: chaîne}") + link("a", "keywords: [x]")) == (
        "line 2: name: unknown language 'fr'; names are zh and en"
    )
    assert problem(HEAD + link("a b", "keywords: [x]")) == (
        "line 4: the link key must be letters, digits, '_' or '-', not 'a b'"
    )


def test_not_yaml():
    assert problem("key: [unclosed\n").startswith("line 2: not valid YAML")


# ---------------------------------------------------------------- matching


def test_keywords_are_found_inside_longer_words_and_each_other():
    frame = pl.DataFrame({"s": ["从事动力电池及电芯的研发", "电池", None, "a.b*c"]})
    found = frame.select(found_keywords(pl.col("s"), ["电池", "动力电池", "电芯", ".b*"]))
    assert found.to_series().to_list() == [
        ["动力电池", "电池", "电芯"],
        ["电池"],
        [],
        [".b*"],  # literal: no pattern syntax
    ]


def test_membership_by_class_and_keyword():
    result = coverage(chain(), local())
    members = result["membership"]
    assert members.columns == ["uscc", "link", "by_class", "keywords", "override"]
    assert members.rows() == [
        ("E5", "materials", False, ["正极材料"], False),
        ("E1", "cells", True, ["动力电池", "电芯"], False),
        ("E2", "cells", False, ["电芯"], False),
        ("E7", "cells", True, [], False),
        ("E3", "vehicles", True, [], False),
        ("E4", "vehicles", True, ["新能源汽车"], False),
    ]
    assert result["members"][0] == {
        "uscc": "E5",
        "link": "materials",
        "by_class": False,
        "keywords": ["正极材料"],
        "override": False,
    }


def test_an_enterprise_may_belong_to_several_links():
    rows = [*LOCAL, ("E8", "3985", "充电桩及动力电池", "否", 1.0)]
    members = coverage(chain(), local(rows))["membership"].filter(pl.col("uscc") == "E8")
    assert members.select("link", "by_class", "keywords").rows() == [
        ("materials", True, []),
        ("cells", False, ["动力电池"]),
        ("charging", False, ["充电桩"]),
    ]


def test_status_at_the_thresholds_gaps_and_share():
    result = coverage(chain(), local())
    assert [
        {k: row[k] for k in ("key", "status", "enterprises", "chain_masters")}
        for row in result["links"]
    ] == [
        {"key": "materials", "status": "missing", "enterprises": 1, "chain_masters": 0},
        {"key": "cells", "status": "strong", "enterprises": 3, "chain_masters": 1},
        {"key": "vehicles", "status": "weak", "enterprises": 2, "chain_masters": 2},
        {"key": "charging", "status": "missing", "enterprises": 0, "chain_masters": 0},
    ]
    assert result["gaps"] == ["materials", "vehicles", "charging"]
    assert result["coverage"] == 0.5  # cells and vehicles of 4


def test_output_per_link_and_segment():
    result = coverage(chain(), local())
    assert [row["output"] for row in result["links"]] == [20.0, 140.0, 1500.0, 0.0]
    assert [row["tax"] for row in result["links"]] == [None] * 4
    assert result["output_by_segment"] == {
        "upstream": 20.0,
        "midstream": 140.0,
        "downstream": 1500.0,
    }
    # an enterprise in two links of one segment counts once for the segment
    rows = [*LOCAL, ("E8", "3612", "充电桩", "否", 7.0)]
    result = coverage(chain(), local(rows))
    assert result["links"][2]["output"] == 1507.0 and result["links"][3]["output"] == 7.0
    assert result["output_by_segment"]["downstream"] == 1507.0
    without = coverage(chain(), local(output=False))
    assert without["output_by_segment"] == dict.fromkeys(("upstream", "midstream", "downstream"))
    assert without["links"][0]["output"] is None


def test_overrides_add_and_take_out():
    result = coverage(
        chain(),
        local(),
        overrides(
            [
                ("E6", "charging", True),  # added
                ("E2", "cells", False),  # taken out: cells falls to weak
                ("E3", "vehicles", True),  # already in: stays, once
                ("E9", "charging", True),  # not a local enterprise: ignored
                ("E6", "nowhere", True),  # not a link of the chain: ignored
                ("E5", "materials", True),
                ("E5", "materials", False),  # the last word counts
            ]
        ),
    )
    by_link = {row["key"]: (row["status"], row["enterprises"]) for row in result["links"]}
    assert by_link == {
        "materials": ("missing", 0),
        "cells": ("weak", 2),
        "vehicles": ("weak", 2),
        "charging": ("missing", 1),
    }
    assert result["gaps"] == ["materials", "cells", "vehicles", "charging"]
    assert result["coverage"] == 0.5
    added = result["membership"].filter(pl.col("link") == "charging")
    assert added.rows() == [("E6", "charging", False, [], True)]


def test_overrides_with_text_include():
    frame = overrides([("E6", "charging", "是"), ("E1", "cells", "no")]).with_columns(
        pl.col("include").cast(pl.String)
    )
    result = coverage(chain(), local(), frame)
    assert [row["enterprises"] for row in result["links"]] == [1, 2, 2, 1]
    bad = overrides([("E6", "charging", "maybe"), ("", "cells", "yes")])
    with pytest.raises(InputError) as caught:
        coverage(chain(), local(), bad)
    assert str(caught.value).splitlines() == [
        "row 2, column include: not yes or no: 'maybe'",
        "row 3, column uscc: empty",
    ]


def test_local_is_checked_by_row_and_column():
    rows = [
        ("E1", "3841", "x", "是", 1.0),
        ("", "3841", "x", "否", 2.0),
        ("E1", "3841", "x", "maybe", 3.0),
    ]
    frame = local(rows).with_columns(pl.Series("output", ["1", "2", "lots"]))
    with pytest.raises(InputError) as caught:
        check_local(frame)
    assert str(caught.value).splitlines() == [
        "row 3, column uscc: empty",
        "row 4, column uscc: 'E1' appears more than once (also row 2)",
        "row 4, column chain_master: not yes or no: 'maybe'",
        "row 4, column output: not a number: 'lots'",
    ]
    with pytest.raises(InputError) as caught:
        check_local(local().drop("chain_master", "business_scope"))
    assert str(caught.value).splitlines() == [
        "missing column: business_scope",
        "missing column: chain_master",
    ]


def test_local_codes_and_flags_as_the_registry_writes_them():
    frame = pl.DataFrame(
        {
            "uscc": [" U1 ", "U2"],
            "name": ["a", "b"],
            "industry_code": [919, 3841],  # a number column: 0919 lost its zero
            "business_scope": [None, "x"],
            "chain_master": [True, None],
            "output": ["1,250.5", ""],
        }
    )
    checked = check_local(frame)
    assert checked.rows() == [
        ("U1", "a", "0919", None, True, 1250.5),
        ("U2", "b", "3841", "x", False, None),
    ]
