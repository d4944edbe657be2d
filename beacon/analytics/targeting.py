"""Targets for a chain's gaps: companies from a large candidate file ranked, per weak or
missing link, by an explainable score. See docs/chains-cli.md.

The candidate file (CSV or Parquet: ``uscc, name, province, city, industry_code,
business_scope, registered_capital, founded, high_tech, listed``, other columns allowed) is
scanned once, streaming, by Polars: every keyword of every gap link is looked for in one
Aho–Corasick pass (``str.contains_any``), the classes with one hash lookup, and only the rows
that match some gap link (or have a bad cell) are kept, with the keywords they contain. The
ranking then works on that small set. Nothing is loaded into a database.

A candidate matches a link as a local enterprise does (``chains.matches``). Left out: the
companies in the registry (the local file) and in ``exclude`` (already in the pipeline), and
those in ``exclude_provinces``. The score is a sum of points, each named in ``reasons``:

    class match 3; keyword match 2, +1 for each further keyword of the link, at most 4;
    registered capital (yuan) 1M–10M 1, 10M–50M 2, 50M–500M 3, 500M or more 4;
    high-tech 2; listed 3;
    demand: 1 per local chain master in the links this link supplies, at most 3;
    with a home province/city: same city 3, same province 2, neighbouring province 1.

Ranked per link by score, then registered capital (larger first, unknown last), then uscc.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .chains import (
    Chain,
    Link,
    check_local,
    code,
    coverage,
    found_keywords,
    link_order,
    matches,
)
from .io import (
    MAX_PROBLEM_LINES,
    InputError,
    capped,
    number,
    require,
    scan_table,
    text,
    unreadable,
    yes_no,
)

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

CANDIDATE_COLUMNS = (
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
)
OUTPUT_COLUMNS = (
    "link",
    "rank",
    "uscc",
    "name",
    "province",
    "city",
    "industry_code",
    "score",
    "reasons",
)
FORMATS = (".csv", ".parquet")
DEFAULT_TOP = 50

# The points of the score; see the module's docstring and docs/chains-cli.md.
CLASS_POINTS = 3
KEYWORD_POINTS = 2
MORE_KEYWORD_POINTS = 1
MAX_KEYWORD_POINTS = 4
CAPITAL_BANDS = (  # (at least, yuan; points; label)
    (500_000_000, 4, "capital 500M+ yuan"),
    (50_000_000, 3, "capital 50M–500M yuan"),
    (10_000_000, 2, "capital 10M–50M yuan"),
    (1_000_000, 1, "capital 1M–10M yuan"),
)
HIGH_TECH_POINTS = 2
LISTED_POINTS = 3
DEMAND_POINTS = 1  # per chain master supplied
MAX_DEMAND_POINTS = 3
SAME_CITY_POINTS = 3
SAME_PROVINCE_POINTS = 2
NEIGHBOUR_POINTS = 1

# Provincial-level divisions that share a border (Hainan and Guangdong across the Qiongzhou
# Strait), by their short names; full names (广东省) are compared by their short form.
_BORDERS = {
    "北京": "天津 河北",
    "天津": "河北",
    "河北": "山西 内蒙古 辽宁 山东 河南",
    "山西": "内蒙古 陕西 河南",
    "内蒙古": "黑龙江 吉林 辽宁 陕西 宁夏 甘肃",
    "辽宁": "吉林",
    "吉林": "黑龙江",
    "上海": "江苏 浙江",
    "江苏": "浙江 安徽 山东",
    "浙江": "安徽 江西 福建",
    "安徽": "江西 湖北 河南 山东",
    "福建": "江西 广东",
    "江西": "湖北 湖南 广东",
    "山东": "河南",
    "河南": "陕西 湖北",
    "湖北": "湖南 重庆 陕西",
    "湖南": "广东 广西 贵州 重庆",
    "广东": "广西 海南 香港 澳门",
    "广西": "贵州 云南",
    "重庆": "四川 贵州 陕西",
    "四川": "贵州 云南 西藏 青海 甘肃 陕西",
    "贵州": "云南",
    "云南": "西藏",
    "西藏": "新疆 青海",
    "陕西": "甘肃 宁夏",
    "甘肃": "宁夏 青海 新疆",
    "青海": "新疆",
}
NEIGHBOURS: dict[str, frozenset[str]] = {}
for _a, _others in _BORDERS.items():
    for _b in _others.split():
        NEIGHBOURS[_a] = NEIGHBOURS.get(_a, frozenset()) | {_b}
        NEIGHBOURS[_b] = NEIGHBOURS.get(_b, frozenset()) | {_a}
PROVINCES = frozenset(NEIGHBOURS) | {"台湾"}
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


def province_short(name: str) -> str:
    """广东省 → 广东, 广西壮族自治区 → 广西, 北京市 → 北京; other text as it is."""
    name = name.strip()
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and name.removesuffix(suffix) in PROVINCES:
            return name.removesuffix(suffix)
    return name


def _province_short(column: pl.Expr) -> pl.Expr:
    out = column.str.strip_chars()
    for suffix in _PROVINCE_SUFFIXES:
        out = out.str.strip_suffix(suffix)
    return out


@dataclass
class Targeting:
    """The ranked targets (``OUTPUT_COLUMNS``, with ``extra`` the candidates' other columns
    after them), one summary per gap link, and the coverage they were found from."""

    table: pl.DataFrame
    gaps: list[dict] = field(default_factory=list)
    coverage: dict = field(default_factory=dict)


def scan_candidates(source: Path | str | pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """The candidate file as a lazy scan (nothing read yet but a CSV file's header or a
    Parquet file's footer): CSV cells as text, Parquet columns as stored."""
    if isinstance(source, pl.DataFrame):
        return source.lazy()
    if isinstance(source, pl.LazyFrame):
        return source
    path = Path(source)
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"the candidate file must end in {' or '.join(FORMATS)}")
    return scan_table(path)


def rank(chain: Chain, local: pl.DataFrame, candidates, **options) -> pl.DataFrame:
    """The targets table of ``target``."""
    return target(chain, local, candidates, **options).table


def target(
    chain: Chain,
    local: pl.DataFrame,
    candidates,
    *,
    overrides: pl.DataFrame | None = None,
    exclude: Iterable[str] = (),
    exclude_provinces: Iterable[str] = (),
    home_province: str | None = None,
    home_city: str | None = None,
    top: int | None = DEFAULT_TOP,
    extra: bool = False,
) -> Targeting:
    """Rank the candidates (a path, or a frame) for each gap link of the chain over the
    zone's enterprises ``local`` (and users' ``overrides``; see ``chains.coverage``).

    InputError names every problem: missing columns, and up to 20 bad cells of the candidate
    file (an empty uscc, a registered_capital that is not a number or is negative, a founded
    that is not a date, a high_tech or listed that is not yes or no), by row.
    """
    top = DEFAULT_TOP if top is None else top
    if top < 1:
        raise InputError(f"top must be at least 1, not {top}")
    if isinstance(exclude_provinces, str):  # as typed: 广东省,江苏省
        exclude_provinces = exclude_provinces.split(",")
    home_short = None
    if home_province is not None and home_province.strip():
        home_short = province_short(home_province)
        if home_short not in PROVINCES:
            raise InputError(f"unknown home province '{home_province}'; write it as 广东省 or 广东")
    checked = check_local(local)
    result = coverage(chain, checked, overrides)
    gaps = [chain.link(key) for key in result["gaps"]]
    scan = scan_candidates(candidates)
    require(scan, CANDIDATE_COLUMNS)
    schema = scan.collect_schema()
    extras = [name for name in schema.names() if name not in CANDIDATE_COLUMNS] if extra else []
    if not gaps:
        return Targeting(_empty(schema, extras), [], result)
    keywords = list(dict.fromkeys(k for link in gaps for k in link.keywords))
    classes = list(dict.fromkeys(c for link in gaps for c in link.industry_classes))
    found = _scan(scan, schema, keywords, classes, exclude_provinces, extras)
    found = _not_known(found, checked, exclude)
    pairs = matches(gaps, found, on="__row")
    demand = _demand(result["membership"], checked, gaps)
    scored = _scored(pairs, found, demand, home_short, home_city)
    ranked = (
        scored.sort(
            link_order(chain.links),
            pl.col("score"),
            pl.col("registered_capital"),
            pl.col("uscc"),
            descending=[False, True, True, False],
            nulls_last=True,
            maintain_order=True,
        )
        # A company listed twice in the file counts once per link, at its best.
        .unique(["link", "uscc"], keep="first", maintain_order=True)
        .with_columns((pl.int_range(pl.len()).over("link") + 1).cast(pl.Int64).alias("rank"))
    )
    table = ranked.filter(pl.col("rank") <= top).select(*OUTPUT_COLUMNS, *extras)
    return Targeting(table, _summary(gaps, ranked, result, top), result)


def _not_known(found: pl.DataFrame, local: pl.DataFrame, exclude: Iterable[str]) -> pl.DataFrame:
    """The candidates found less the registry's companies and those in ``exclude`` (the
    pipeline's), by uscc trimmed and in capitals."""
    known = pl.concat(
        [
            local.select("uscc"),
            pl.DataFrame({"uscc": [str(u) for u in exclude if u]}, schema={"uscc": pl.String}),
        ]
    ).select(pl.col("uscc").str.strip_chars().str.to_uppercase().alias("__key"))
    return (
        found.with_columns(pl.col("uscc").str.to_uppercase().alias("__key"))
        .join(known.unique(), on="__key", how="anti")
        .drop("__key")
    )


def _summary(gaps: list[Link], ranked: pl.DataFrame, result: dict, top: int) -> list[dict]:
    """Per gap link: its status and local enterprises, the candidates ranked for it, how
    many of them are targets, and the best score."""
    status = {row["key"]: row for row in result["links"]}
    counts = dict(ranked.group_by("link").len().iter_rows())
    best = dict(ranked.group_by("link").agg(pl.col("score").max()).iter_rows())
    summary = []
    for link in gaps:
        matched = counts.get(link.key, 0)
        summary.append(
            {
                "link": link.key,
                "status": status[link.key]["status"],
                "enterprises": status[link.key]["enterprises"],
                "candidates": matched,
                "targets": min(matched, top),
                "top_score": best.get(link.key),
            }
        )
    return summary


def _empty(schema: pl.Schema, extras: list[str]) -> pl.DataFrame:
    types: dict[str, pl.DataType] = {name: pl.String() for name in OUTPUT_COLUMNS}
    types.update(rank=pl.Int64(), score=pl.Int64())
    types.update({name: schema[name] for name in extras})
    return pl.DataFrame(schema=types)


def _scan(
    scan: pl.LazyFrame,
    schema: pl.Schema,
    keywords: list[str],
    classes: list[str],
    exclude_provinces: Iterable[str],
    extras: list[str],
) -> pl.DataFrame:
    """The rows that match some gap link, outside the excluded provinces, with the gap
    keywords their business scope contains (``found``); InputError for bad cells (looked
    for in every row, in the same pass)."""
    industry = code(schema["industry_code"])
    # Every row's code is looked at as a substring (a cheap superset of the trimmed code
    # being one of the classes: " 3841", "C3841"); the exact test is made on the few kept.
    raw_code = pl.col("industry_code").cast(pl.String)
    if not classes:
        hit = pl.lit(False)
    elif schema["industry_code"].is_integer():
        hit = industry.is_in(classes)
    else:
        hit = raw_code.str.contains_any(classes)
    if keywords:
        hit = hit | pl.col("business_scope").cast(pl.String).str.contains_any(keywords)
    hit = hit.fill_null(False)
    provinces = [p.strip() for p in exclude_provinces if p and p.strip()]
    if provinces:
        hit = hit & ~pl.col("province").cast(pl.String).is_in(provinces).fill_null(False)
    uscc = pl.col("uscc").cast(pl.String)
    checks = {
        "registered_capital": number("registered_capital", schema["registered_capital"]),
        "founded": _dates("founded", schema["founded"]),
        "high_tech": yes_no("high_tech", schema["high_tech"]),
        "listed": yes_no("listed", schema["listed"]),
    }
    flags = list(checks)
    frame = (
        scan.with_row_index("__row", offset=2)
        # each checked column's value next to the cell as written
        .with_columns(
            *[value.alias(f"__value_{name}") for name, (value, _bad) in checks.items()],
            *[bad for _value, bad in checks.values()],
            (uscc.is_null() | (uscc.str.len_bytes() == 0)).alias("__bad_uscc"),
        )
        .with_columns(
            (pl.col("__bad_registered_capital") | (pl.col("__value_registered_capital") < 0)).alias(
                "__bad_registered_capital"
            )
        )
        .filter(hit | pl.any_horizontal(f"__bad_{name}" for name in ["uscc", *flags]))
        .select(
            "__row",
            text(uscc).alias("uscc"),
            text(pl.col("name")).alias("name"),
            text(pl.col("province")).alias("province"),
            text(pl.col("city")).alias("city"),
            industry.alias("industry_code"),
            *[pl.col(f"__value_{name}").alias(name) for name in flags],
            *extras,
            found_keywords(pl.col("business_scope").cast(pl.String), keywords).alias("found"),
            (pl.col("__bad_uscc") | text(uscc).is_null()).alias("__bad_uscc"),
            *[pl.col(f"__bad_{name}") for name in flags],
            # the cell as written, for the message, where it is bad
            *[
                pl.when(f"__bad_{name}").then(pl.col(name).cast(pl.String)).alias(f"__raw_{name}")
                for name in flags
            ],
        )
    )
    try:
        found = frame.collect(engine="streaming")
    except pl.exceptions.ComputeError as e:
        raise InputError(unreadable(e)) from None
    bad = found.filter(pl.any_horizontal(f"__bad_{name}" for name in ["uscc", *flags]))
    if bad.height:
        raise InputError(capped(_candidate_problems(bad, flags), bad.height, rows=True))
    return found.select(pl.exclude("^__bad_.*$", "^__raw_.*$"))


def _dates(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    """The column as dates (text as YYYY-MM-DD, also with / or .; a date-and-time's date)
    and ``__bad_<name>``: text that is not a date."""
    col = pl.col(name)
    if dtype == pl.Date:
        return [col, pl.lit(False).alias(f"__bad_{name}")]
    if isinstance(dtype, pl.Datetime):
        return [col.dt.date(), pl.lit(False).alias(f"__bad_{name}")]
    if dtype == pl.Null:
        return [col.cast(pl.Date), pl.lit(False).alias(f"__bad_{name}")]
    raw = col.cast(pl.String).str.strip_chars()
    value = raw.str.replace_all(r"[/.]", "-").str.to_date("%Y-%m-%d", strict=False)
    return [
        value.alias(name),
        (value.is_null() & raw.is_not_null() & (raw != "")).alias(f"__bad_{name}"),
    ]


def _candidate_problems(bad: pl.DataFrame, flags: list[str]) -> list[str]:
    what = {
        "registered_capital": "not a number of yuan at least 0",
        "founded": "not a date (YYYY-MM-DD)",
        "high_tech": "not yes or no",
        "listed": "not yes or no",
    }
    lines = []
    for row in bad.head(MAX_PROBLEM_LINES).iter_rows(named=True):
        at = f"row {row['__row']}"
        if row["__bad_uscc"]:
            lines.append(f"{at}, column uscc: empty")
        for name in flags:
            if row[f"__bad_{name}"]:
                lines.append(f"{at}, column {name}: {what[name]}: '{row[f'__raw_{name}']}'")
    return lines


def _demand(members: pl.DataFrame, local: pl.DataFrame, gaps) -> dict[str, int]:
    """Per gap link, the local chain masters in the links it supplies, each counted once."""
    masters = members.join(local.filter(pl.col("chain_master")).select("uscc"), on="uscc")
    edges = pl.DataFrame(
        [(link.key, to) for link in gaps for to in link.supplies],
        schema={"gap": pl.String, "link": pl.String},
        orient="row",
    )
    counts = dict(
        edges.join(masters.select("uscc", "link"), on="link")
        .group_by("gap")
        .agg(pl.col("uscc").n_unique())
        .iter_rows()
    )
    return {link.key: int(counts.get(link.key, 0)) for link in gaps}


def _scored(
    pairs: pl.DataFrame,
    found: pl.DataFrame,
    demand: dict[str, int],
    home_short: str | None,
    home_city: str | None,
) -> pl.DataFrame:
    table = pairs.join(found.drop("found"), on="__row", how="left")
    n = pl.col("keywords").list.len()
    keyword_points = pl.when(n > 0).then(
        pl.min_horizontal(KEYWORD_POINTS + (n - 1) * MORE_KEYWORD_POINTS, MAX_KEYWORD_POINTS)
    )
    capital = pl.col("registered_capital")
    band: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, pl.Int64))
    label: Then | ChainedThen = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    for at_least, band_points, band_label in CAPITAL_BANDS:
        band = band.when(capital >= at_least).then(pl.lit(band_points, pl.Int64))
        label = label.when(capital >= at_least).then(pl.lit(band_label))
    demand_n = pl.col("link").replace_strict(demand, return_dtype=pl.Int64)
    demand_points = pl.min_horizontal(demand_n * DEMAND_POINTS, MAX_DEMAND_POINTS)
    parts = [
        (pl.col("by_class"), pl.lit(CLASS_POINTS), pl.format("class {}", "industry_code")),
        (
            n > 0,
            keyword_points,
            pl.when(n > 1).then(pl.lit("keywords ")).otherwise(pl.lit("keyword "))
            + pl.col("keywords").list.join(", "),
        ),
        (pl.col("listed").fill_null(False), pl.lit(LISTED_POINTS), pl.lit("listed")),
        (pl.col("high_tech").fill_null(False), pl.lit(HIGH_TECH_POINTS), pl.lit("high-tech")),
        (band.is_not_null(), band, label),
        (
            demand_n > 0,
            demand_points,
            pl.format(
                "supplies {} chain master{}",
                demand_n,
                pl.when(demand_n > 1).then(pl.lit("s")).otherwise(pl.lit("")),
            ),
        ),
    ]
    if home_city is not None and home_city.strip():
        city = home_city.strip().removesuffix("市")
        same_city = pl.col("city").str.strip_suffix("市") == city
        if home_short is not None:
            same_city = same_city & (_province_short(pl.col("province")) == home_short)
        parts.append((same_city.fill_null(False), pl.lit(SAME_CITY_POINTS), pl.lit("same city")))
    else:
        same_city = pl.lit(False)
    if home_short is not None:
        short = _province_short(pl.col("province"))
        same = (short == home_short).fill_null(False) & ~same_city.fill_null(False)
        near = short.is_in(sorted(NEIGHBOURS.get(home_short, ()))).fill_null(False)
        parts.append((same, pl.lit(SAME_PROVINCE_POINTS), pl.lit("same province")))
        parts.append((near, pl.lit(NEIGHBOUR_POINTS), pl.lit("neighbouring province")))
    points = [pl.when(cond).then(p).otherwise(0).cast(pl.Int64) for cond, p, _ in parts]
    reasons = [pl.when(cond).then(pl.format("{} +{}", label_, p)) for cond, p, label_ in parts]
    return table.with_columns(
        pl.sum_horizontal(points).alias("score"),
        pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias("reasons"),
    )
