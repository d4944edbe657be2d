"""Industrial chains (产业链): the chain file, which local enterprises belong to each link, and
the gaps. See docs/chains-cli.md.

A chain is a list of links (环节) in file order, the "chain order", each with GB/T 4754-2017
4-digit industry classes, business-scope keywords, a segment and the links it supplies. An
enterprise belongs to a link when its ``industry_code`` is one of the link's classes or its
``business_scope`` contains one of the link's keywords (literal substrings, case as
written); users' overrides then add or take out single enterprises. A link with at least
``strong`` local enterprises is strong, with at least ``weak`` weak, else missing; the weak
and missing links are the gaps.

Columnar throughout: every keyword of the chain is found in one Aho–Corasick pass over the
business scopes, and the (enterprise, link) pairs come from joins on small tables of
keywords and classes. ``beacon chains gaps``, ``beacon chains target`` and the web app call
the same functions.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .conditions import RuleError
from .io import MAX_PROBLEM_LINES, InputError, capped, number, require, text, yes_no
from .yaml_lines import LinedList, line_of, read_rule_file

SEGMENTS = ("upstream", "midstream", "downstream")
STATUSES = ("strong", "weak", "missing")
DEFAULT_THRESHOLDS = {"strong": 5, "weak": 1}
LANGUAGES = ("zh", "en")
CHAIN_KEYS = ("key", "name", "thresholds", "links")
LINK_KEYS = ("key", "name", "segment", "industry_classes", "keywords", "supplies")
LOCAL_COLUMNS = ("uscc", "name", "industry_code", "business_scope", "chain_master")
FIGURES = ("output", "tax")
# The GB/T 4754-2017 table shipped with the registry, found next to this package.
CLASS_FILE = Path(__file__).resolve().parent.parent / "registry" / "data" / "gbt4754_2017.csv"

_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CLASS = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Link:
    key: str
    name: dict
    segment: str
    industry_classes: tuple[str, ...]
    keywords: tuple[str, ...]
    supplies: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class Chain:
    key: str
    name: dict
    thresholds: dict  # {"strong": int, "weak": int}
    links: tuple[Link, ...]

    def link(self, key: str) -> Link:
        return next(link for link in self.links if link.key == key)

    def status(self, enterprises: int) -> str:
        if enterprises >= self.thresholds["strong"]:
            return "strong"
        if enterprises >= self.thresholds["weak"]:
            return "weak"
        return "missing"


# ---------------------------------------------------------------- the chain file


def load_known_classes(path: Path | str = CLASS_FILE) -> frozenset[str]:
    """The 4-digit class codes of a GB/T 4754 table: a CSV file with a header naming at least
    ``code`` and ``level``, the classes being the rows whose level is ``class``."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if not {"code", "level"} <= set(reader.fieldnames or ()):
            raise RuleError(f"{path}: a GB/T 4754 table needs the columns code and level")
        return frozenset(
            row["code"].strip()
            for row in reader
            if (row["level"] or "").strip() == "class" and _CLASS.fullmatch(row["code"].strip())
        )


def parse_chain(text: str, known_classes: Iterable[str] | None = None) -> Chain:
    """The chain in ``text``; RuleError naming the line of the first problem. With
    ``known_classes`` (see ``load_known_classes``) every industry class must be one of them."""
    raw = read_rule_file(text)
    for key in raw:
        if key not in CHAIN_KEYS:
            raise RuleError(
                f"line {line_of(raw, key)}: unknown key '{key}'; a chain has "
                f"{', '.join(CHAIN_KEYS)}"
            )
    for required in ("key", "name", "links"):
        if required not in raw:
            raise RuleError(f"line 1: the chain needs '{required}'")
    key = _key(raw["key"], f"line {line_of(raw, 'key')}: key")
    name = _name(raw["name"], f"line {line_of(raw, 'name')}: name")
    thresholds = _thresholds(raw.get("thresholds"), line_of(raw, "thresholds"))
    items = raw["links"]
    if not isinstance(items, LinedList) or not items:
        raise RuleError(f"line {line_of(raw, 'links')}: links is a non-empty list of links")
    known = None if known_classes is None else frozenset(known_classes)
    links: list[Link] = []
    supply_lines: dict[str, list[int]] = {}
    seen: dict[str, int] = {}
    for item, line in zip(items, items.item_lines, strict=True):
        link, lines = _link(item, line, known)
        if link.key in seen:
            raise RuleError(
                f"line {line_of(item, 'key')}: link key '{link.key}' appears twice "
                f"(also line {seen[link.key]})"
            )
        seen[link.key] = line_of(item, "key")
        links.append(link)
        supply_lines[link.key] = lines
    for link in links:
        for to, at in zip(link.supplies, supply_lines[link.key], strict=True):
            if to not in seen:
                raise RuleError(f"line {at}, link {link.key}: supplies an unknown link '{to}'")
    _no_cycle(links, supply_lines)
    return Chain(key=key, name=name, thresholds=thresholds, links=tuple(links))


def _key(value, where: str) -> str:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise RuleError(f"{where} must be letters, digits, '_' or '-', not {value!r}")
    return value


def _name(value, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise RuleError(f"{where} is {{zh: 中文名, en: English name}}")
    for language, written in value.items():
        if language not in LANGUAGES:
            raise RuleError(f"{where}: unknown language '{language}'; names are zh and en")
        if not isinstance(written, str) or not written.strip():
            raise RuleError(f"{where}: the {language} name must be text")
    return {language: value[language].strip() for language in LANGUAGES if language in value}


def _thresholds(raw, line: int) -> dict:
    if raw is None:
        return dict(DEFAULT_THRESHOLDS)
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: thresholds is {{strong: N, weak: N}}")
    for key in raw:
        if key not in DEFAULT_THRESHOLDS:
            raise RuleError(f"line {line_of(raw, key)}: unknown key in thresholds: '{key}'")
    out = {**DEFAULT_THRESHOLDS, **raw}
    for key in ("strong", "weak"):
        value = out[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RuleError(
                f"line {line_of(raw, key)}: thresholds.{key} must be a whole number of at "
                f"least 1, not {value!r}"
            )
    if out["weak"] > out["strong"]:
        raise RuleError(
            f"line {line}: thresholds.weak ({out['weak']}) is above thresholds.strong "
            f"({out['strong']})"
        )
    return {"strong": out["strong"], "weak": out["weak"]}


def _link(raw, line: int, known: frozenset[str] | None) -> tuple[Link, list[int]]:
    """The link, and the line of each link it supplies."""
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: each link is a mapping with key, name, segment, …")
    if "key" not in raw:
        raise RuleError(f"line {line}: a link needs 'key'")
    key = _key(raw["key"], f"line {line_of(raw, 'key')}: the link key")
    where = f"link {key}"
    for name in raw:
        if name not in LINK_KEYS:
            raise RuleError(
                f"line {line_of(raw, name)}, {where}: unknown key '{name}'; a link has "
                f"{', '.join(LINK_KEYS)}"
            )
    for required in ("name", "segment"):
        if required not in raw:
            raise RuleError(f"line {line}, {where}: the link needs '{required}'")
    name = _name(raw["name"], f"line {line_of(raw, 'name')}, {where}: name")
    segment = raw["segment"]
    if segment not in SEGMENTS:
        raise RuleError(
            f"line {line_of(raw, 'segment')}, {where}: segment must be upstream, midstream "
            f"or downstream, not {segment!r}"
        )
    classes = []
    for value, at in _list(raw, "industry_classes", where, "4-digit class codes"):
        if isinstance(value, int) and not isinstance(value, bool):
            raise RuleError(
                f"line {at}, {where}: industry class {value} must be written in quotes, "
                f'as "{value:04d}"'
            )
        if not isinstance(value, str) or not _CLASS.fullmatch(value.strip()):
            raise RuleError(
                f"line {at}, {where}: industry class {value!r} is not a 4-digit class code"
            )
        if known is not None and value.strip() not in known:
            raise RuleError(
                f"line {at}, {where}: unknown industry class '{value.strip()}' "
                "(not a class of GB/T 4754-2017)"
            )
        classes.append(value.strip())
    keywords = []
    for value, at in _list(raw, "keywords", where, "words"):
        if not isinstance(value, str):
            raise RuleError(f"line {at}, {where}: keyword {value!r} must be text (in quotes)")
        if not value.strip():
            raise RuleError(f"line {at}, {where}: a keyword is empty")
        keywords.append(value.strip())
    if not classes and not keywords:
        raise RuleError(f"line {line}, {where}: the link needs industry_classes or keywords")
    supplies: dict[str, int] = {}
    for value, at in _list(raw, "supplies", where, "link keys"):
        if not isinstance(value, str):
            raise RuleError(f"line {at}, {where}: supplies an unknown link {value!r}")
        supplies.setdefault(value, at)
    link = Link(
        key=key,
        name=name,
        segment=segment,
        industry_classes=tuple(dict.fromkeys(classes)),
        keywords=tuple(dict.fromkeys(keywords)),
        supplies=tuple(supplies),
        line=line,
    )
    return link, list(supplies.values())


def _list(raw, key: str, where: str, what: str) -> list[tuple[object, int]]:
    """(item, line) of a list a link may leave out."""
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, LinedList):
        raise RuleError(f"line {line_of(raw, key)}, {where}: {key} is a list of {what}")
    return list(zip(value, value.item_lines, strict=True))


def _no_cycle(links: Sequence[Link], supply_lines: dict[str, list[int]]) -> None:
    """RuleError naming the first cycle met following ``supplies`` from each link in chain
    order, at the line of the edge that closes it."""
    edges = {
        link.key: list(zip(link.supplies, supply_lines[link.key], strict=True)) for link in links
    }
    done: set[str] = set()
    for start in edges:
        if start in done:
            continue
        path, stack = [start], [iter(edges[start])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                done.add(path.pop())
                stack.pop()
                continue
            to, at = step
            if to in path:
                cycle = [*path[path.index(to) :], to]
                raise RuleError(f"line {at}: links form a cycle: {' → '.join(cycle)}")
            if to not in done:
                path.append(to)
                stack.append(iter(edges[to]))


# ---------------------------------------------------------------- which links match


def found_keywords(scope: pl.Expr, keywords: Sequence[str]) -> pl.Expr:
    """Every occurrence of the keywords in the text, overlapping ones too (电池 in 动力电池):
    one Aho–Corasick pass, literal, case as written; an empty list for missing text."""
    if not keywords:
        return pl.lit([], dtype=pl.List(pl.String))
    found = scope.str.extract_many(list(keywords), overlapping=True)
    return found.fill_null(pl.lit([], dtype=pl.List(pl.String)))


def matches(links: Sequence[Link], frame: pl.DataFrame, on: str) -> pl.DataFrame:
    """One row per (row of ``frame``, link) that match: ``on`` (the frame's row key),
    ``link``, ``by_class`` and ``keywords`` (the link's keywords found, in the link's order).

    ``frame`` has ``on``, ``industry_code`` and ``found``, the keywords found in its business
    scope (``found_keywords`` over every keyword of ``links``)."""
    keyword_table = pl.DataFrame(
        [(k, link.key, i) for link in links for i, k in enumerate(link.keywords)],
        schema={"found": pl.String, "link": pl.String, "__order": pl.Int32},
        orient="row",
    )
    class_table = pl.DataFrame(
        [(c, link.key) for link in links for c in link.industry_classes],
        schema={"industry_code": pl.String, "link": pl.String},
        orient="row",
    )
    by_keyword = (
        frame.lazy()
        .select(on, "found")
        .explode("found")
        .join(keyword_table.lazy(), on="found")
        .unique([on, "link", "found"])
        .sort(on, "link", "__order")
        .group_by(on, "link", maintain_order=True)
        .agg(pl.col("found").alias("keywords"))
    )
    by_class = (
        frame.lazy()
        .select(on, "industry_code")
        .join(class_table.lazy(), on="industry_code")
        .select(on, "link", pl.lit(True).alias("by_class"))
        .unique([on, "link"])
    )
    return (
        by_class.join(by_keyword, on=[on, "link"], how="full", coalesce=True)
        .select(
            on,
            "link",
            pl.col("by_class").fill_null(False),
            pl.col("keywords").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        )
        .collect()
    )


def link_order(links: Sequence[Link]) -> pl.Expr:
    """The position of column ``link`` in chain order, for sorting."""
    return pl.col("link").replace_strict(
        {link.key: i for i, link in enumerate(links)}, return_dtype=pl.Int32
    )


# ---------------------------------------------------------------- the local enterprises


def check_local(frame: pl.DataFrame) -> pl.DataFrame:
    """The zone's enterprises as ``uscc`` (trimmed text), ``name``, ``industry_code``
    (trimmed text, a number given as one padded to 4 digits), ``business_scope``,
    ``chain_master`` (yes/no) and ``output`` and ``tax`` (numbers) when given; or InputError
    naming every bad cell: an empty or repeated uscc, a chain_master that is not yes or no, an
    output or tax that is not a number. Other columns are left out."""
    require(frame, LOCAL_COLUMNS)
    figures = [name for name in FIGURES if name in frame.columns]
    checked = frame.with_row_index("__row", offset=2).select(
        "__row",
        text(pl.col("uscc")).alias("uscc"),
        pl.col("name").cast(pl.String),
        code(frame.schema["industry_code"]).alias("industry_code"),
        pl.col("business_scope").cast(pl.String),
        *yes_no("chain_master", frame.schema["chain_master"]),
        *[f for name in figures for f in number(name, frame.schema[name])],
    )
    checked = checked.with_columns(
        pl.col("__row").first().over("uscc").alias("__first"),
    )
    flags = {
        "uscc": pl.col("uscc").is_null() | (pl.col("__row") != pl.col("__first")),
        "chain_master": pl.col("__bad_chain_master"),
        **{name: pl.col(f"__bad_{name}") for name in figures},
    }
    bad = checked.filter(pl.any_horizontal(flags.values()))
    if bad.height:
        lines = []
        for row in bad.head(MAX_PROBLEM_LINES).iter_rows(named=True):
            lines += _local_problems(row, frame, figures)
        raise InputError(capped(lines, bad.height, rows=True))
    return checked.select(
        "uscc", "name", "industry_code", "business_scope", "chain_master", *figures
    )


def _local_problems(row: dict, frame: pl.DataFrame, figures: list[str]) -> list[str]:
    at = f"row {row['__row']}"
    raw = frame.row(row["__row"] - 2, named=True)
    lines = []
    if row["uscc"] is None:
        lines.append(f"{at}, column uscc: empty")
    elif row["__row"] != row["__first"]:
        lines.append(
            f"{at}, column uscc: '{row['uscc']}' appears more than once (also row {row['__first']})"
        )
    if row["__bad_chain_master"]:
        lines.append(f"{at}, column chain_master: not yes or no: '{raw['chain_master']}'")
    for name in figures:
        if row[f"__bad_{name}"]:
            lines.append(f"{at}, column {name}: not a number: '{raw[name]}'")
    return lines


def check_overrides(frame: pl.DataFrame | None) -> pl.DataFrame:
    """Users' overrides as ``uscc``, ``link``, ``include`` (yes/no); the last row of a
    (uscc, link) pair wins. InputError naming every bad cell."""
    schema = {"uscc": pl.String, "link": pl.String, "include": pl.Boolean}
    if frame is None or frame.height == 0:
        return pl.DataFrame(schema=schema)
    require(frame, ("uscc", "link", "include"))
    checked = frame.with_row_index("__row", offset=2).select(
        "__row",
        text(pl.col("uscc")).alias("uscc"),
        text(pl.col("link")).alias("link"),
        *yes_no("include", frame.schema["include"], empty=None),
    )
    bad = checked.filter(
        pl.col("uscc").is_null() | pl.col("link").is_null() | pl.col("__bad_include")
    )
    if bad.height:
        lines = []
        for row in bad.head(MAX_PROBLEM_LINES).iter_rows(named=True):
            for name in ("uscc", "link"):
                if row[name] is None:
                    lines.append(f"row {row['__row']}, column {name}: empty")
            if row["__bad_include"]:
                value = frame.row(row["__row"] - 2, named=True)["include"]
                lines.append(f"row {row['__row']}, column include: not yes or no: '{value}'")
        raise InputError(capped(lines, bad.height, rows=True))
    return checked.unique(["uscc", "link"], keep="last", maintain_order=True).select(*schema)


def code(dtype: pl.DataType, name: str = "industry_code") -> pl.Expr:
    """Industry codes as trimmed text without a leading section letter (C3841 is 3841);
    codes stored as numbers padded back to 4 digits (0919 read as the number 919)."""
    if dtype.is_integer():
        return pl.col(name).cast(pl.String).str.zfill(4)
    return text(pl.col(name)).str.replace(r"^[A-Za-z]([0-9]{4})$", "$1")


# ---------------------------------------------------------------- coverage and gaps


def membership(
    chain: Chain, local: pl.DataFrame, overrides: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Which checked local enterprises (see ``check_local``) belong to which link: ``uscc``,
    ``link``, ``by_class``, ``keywords`` (found in its business scope) and ``override``
    (added by a user's word). Overrides for enterprises or links not in the chain are left
    out. Sorted by link in chain order, then uscc."""
    every = list(dict.fromkeys(k for link in chain.links for k in link.keywords))
    frame = local.select(
        "uscc", "industry_code", found_keywords(pl.col("business_scope"), every).alias("found")
    )
    matched = matches(chain.links, frame, on="uscc")
    checked = check_overrides(overrides).filter(
        pl.col("link").is_in([link.key for link in chain.links])
        & pl.col("uscc").is_in(local["uscc"].implode())
    )
    removed = checked.filter(~pl.col("include"))
    added = checked.filter(pl.col("include")).join(matched, on=["uscc", "link"], how="anti")
    matched = matched.join(removed, on=["uscc", "link"], how="anti").with_columns(
        pl.lit(False).alias("override")
    )
    added = added.select(
        "uscc",
        "link",
        pl.lit(False).alias("by_class"),
        pl.lit([], dtype=pl.List(pl.String)).alias("keywords"),
        pl.lit(True).alias("override"),
    )
    return (
        pl.concat([matched, added])
        .sort(link_order(chain.links), "uscc")
        .select("uscc", "link", "by_class", "keywords", "override")
    )


def coverage(chain: Chain, local: pl.DataFrame, overrides: pl.DataFrame | None = None) -> dict:
    """The chain's coverage by the local enterprises (checked here, see ``check_local``),
    after users' overrides (``uscc``, ``link``, ``include``)::

        {"chain": key,
         "links": [{"key", "status", "enterprises", "chain_masters", "segment",
                    "output", "tax"}],          # chain order; output/tax None without them
         "gaps": [keys of the weak and missing links, in chain order],
         "coverage": share of the links not missing (4 decimals),
         "output_by_segment": {segment: output of its enterprises, each counted once},
         "membership": DataFrame (see ``membership``),
         "members": the same as a list of dicts}
    """
    checked = check_local(local)
    figures = [name for name in FIGURES if name in checked.columns]
    members = membership(chain, checked, overrides)
    joined = members.join(checked, on="uscc", how="left")
    per_link = {
        row["link"]: row
        for row in joined.group_by("link")
        .agg(
            pl.len().alias("enterprises"),
            pl.col("chain_master").sum().alias("chain_masters"),
            *[pl.col(name).sum() for name in figures],
        )
        .iter_rows(named=True)
    }
    links = []
    for link in chain.links:
        row = per_link.get(link.key, {})
        n = int(row.get("enterprises", 0))
        links.append(
            {
                "key": link.key,
                "status": chain.status(n),
                "enterprises": n,
                "chain_masters": int(row.get("chain_masters", 0) or 0),
                "segment": link.segment,
                **{
                    name: (float(row.get(name) or 0.0) if name in figures else None)
                    for name in FIGURES
                },
            }
        )
    segments = dict.fromkeys(SEGMENTS)
    if "output" in figures:
        segment_of = {link.key: link.segment for link in chain.links}
        sums = (
            joined.with_columns(pl.col("link").replace_strict(segment_of).alias("segment"))
            .unique(["segment", "uscc"])
            .group_by("segment")
            .agg(pl.col("output").sum())
        )
        totals = dict(sums.iter_rows())
        segments = {s: float(totals.get(s) or 0.0) for s in SEGMENTS}
    present = sum(1 for row in links if row["status"] != "missing")
    return {
        "chain": chain.key,
        "links": links,
        "gaps": [row["key"] for row in links if row["status"] != "strong"],
        "coverage": round(present / len(links), 4),
        "output_by_segment": segments,
        "membership": members,
        "members": members.to_dicts(),
    }
