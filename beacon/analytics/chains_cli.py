"""``beacon chains gaps`` and ``beacon chains target``: a chain's coverage by the zone's
enterprises, and targets for its gaps from a large company file, no database.

    beacon chains gaps --chain CHAIN.yaml --enterprises LOCAL [--overrides O] [--json]
    beacon chains target --chain CHAIN.yaml --enterprises LOCAL --candidates CANDIDATES \\
        --out TARGETS [--top 50] [--exclude-provinces 广东省,江苏省] [--exclude USCCS.csv] \\
        [--home-province P] [--home-city C] [--overrides O]

They run without starting Django. LOCAL (the registry: ``uscc, name, industry_code,
business_scope, chain_master``, optionally ``output`` and ``tax``), OVERRIDES (``uscc, link,
include``) and USCCS (``uscc``) are ``.csv``, ``.xlsx`` or ``.parquet``, every cell read as
text; CANDIDATES is ``.csv`` or ``.parquet``, scanned once, streaming. Industry classes must
be classes of GB/T 4754-2017. On any problem nothing is written, neither the file nor
anything on stdout: every problem goes to stderr, one per line, and the exit status is 1.
See docs/chains-cli.md.
"""

from __future__ import annotations

import argparse
import gc
import json
from pathlib import Path

import polars as pl

from .chains import Chain, check_local, check_overrides, coverage, load_known_classes, parse_chain
from .conditions import RuleError
from .io import InputError, fail, named, read_checked, require, text
from .sheets import safe_frame
from .targeting import DEFAULT_TOP, FORMATS, PROVINCES, province_short, target


def _chain(path: Path, problems: list[str]) -> Chain | None:
    try:
        return parse_chain(path.read_text(encoding="utf-8"), load_known_classes())
    except (RuleError, OSError, UnicodeDecodeError) as e:
        problems.extend(named(path, e))
        return None


def _usccs(frame: pl.DataFrame) -> list[str]:
    require(frame, ("uscc",))
    return frame.select(text(pl.col("uscc"))).to_series().drop_nulls().to_list()


def gaps(args) -> int:
    problems: list[str] = []
    chain = _chain(args.chain, problems)
    local = read_checked(args.enterprises, check_local, problems)
    overrides = read_checked(args.overrides, check_overrides, problems)
    if problems or chain is None or local is None:
        return fail(problems)
    result = coverage(chain, local, overrides)
    if args.json:
        shown = {
            "chain": result["chain"],
            "links": [
                {k: row[k] for k in ("key", "status", "enterprises", "chain_masters")}
                for row in result["links"]
            ],
            "gaps": result["gaps"],
            "coverage": result["coverage"],
        }
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        print(_gaps_table(chain, result))
    return 0


def _gaps_table(chain: Chain, result: dict) -> str:
    present = sum(1 for row in result["links"] if row["status"] != "missing")
    name = chain.name.get("zh") or chain.name.get("en") or ""
    width = max(len("link"), *(len(row["key"]) for row in result["links"]))
    lines = [
        f"chain {chain.key} ({name}): {present} of {len(result['links'])} links present, "
        f"coverage {result['coverage']}",
        "",
        f"{'link':<{width}}  {'segment':<10}  {'status':<7}  enterprises  chain masters",
    ]
    for row in result["links"]:
        lines.append(
            f"{row['key']:<{width}}  {row['segment']:<10}  {row['status']:<7}  "
            f"{row['enterprises']:>11}  {row['chain_masters']:>13}"
        )
    lines += ["", f"gaps: {', '.join(result['gaps']) or 'none'}"]
    return "\n".join(lines)


def target_command(args) -> int:
    problems: list[str] = []
    if args.out.suffix.lower() not in FORMATS:
        problems.append(f"{args.out}: the targets file must end in {' or '.join(FORMATS)}")
    if args.top < 1:
        problems.append(f"--top must be at least 1, not {args.top}")
    if args.candidates.suffix.lower() not in FORMATS:
        problems.append(f"{args.candidates}: the candidate file must end in {' or '.join(FORMATS)}")
    elif not args.candidates.is_file():
        problems.append(f"{args.candidates}: no such file")
    home = args.home_province
    if home is not None and province_short(home) not in PROVINCES:
        problems.append(f"--home-province: unknown province '{home}'; write it as 广东省 or 广东")
    chain = _chain(args.chain, problems)
    local = read_checked(args.enterprises, check_local, problems)
    overrides = read_checked(args.overrides, check_overrides, problems)
    exclude = read_checked(args.exclude, _usccs, problems) or []
    if problems or chain is None or local is None:
        return fail(problems)
    provinces = [p for p in (args.exclude_provinces or "").split(",") if p.strip()]
    try:
        done = target(
            chain,
            local,
            args.candidates,
            overrides=overrides,
            exclude=exclude,
            exclude_provinces=provinces,
            home_province=home,
            home_city=args.home_city,
            top=args.top,
        )
    except (InputError, OSError, pl.exceptions.PolarsError) as e:
        return fail(named(args.candidates, e))
    try:
        if args.out.suffix.lower() == ".parquet":
            done.table.write_parquet(args.out)
        else:
            safe_frame(done.table).write_csv(args.out)
    except (OSError, pl.exceptions.PolarsError) as e:
        args.out.unlink(missing_ok=True)
        return fail([f"{args.out}: {e}"])
    if not done.gaps:
        print("no gaps: every link is strong; no targets")
    for gap in done.gaps:
        best = "" if gap["top_score"] is None else f", top score {gap['top_score']}"
        print(
            f"{gap['link']}: {gap['status']} ({gap['enterprises']} local), "
            f"{_count(gap['candidates'], 'matching candidate')}, "
            f"{_count(gap['targets'], 'target')}{best}"
        )
    print(f"{_count(done.table.height, 'target')} in {args.out}")
    return 0


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


def main(argv: list[str] | None = None) -> int:
    # Everything imported so far lives until the process ends: keep the cyclic garbage
    # collector off it (see beacon.analytics.cli).
    gc.freeze()
    parser = argparse.ArgumentParser(prog="beacon chains", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("--chain", type=Path, required=True, help="the chain file (YAML)")
    files.add_argument(
        "--enterprises",
        type=Path,
        required=True,
        help="the zone's enterprises: uscc, name, industry_code, business_scope, chain_master "
        "[, output, tax] (csv, xlsx, parquet)",
    )
    files.add_argument(
        "--overrides",
        type=Path,
        help="users' word on single enterprises: uscc, link, include (csv, xlsx, parquet)",
    )
    gaps_parser = commands.add_parser(
        "gaps", parents=[files], help="the links' coverage and the gaps"
    )
    gaps_parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    gaps_parser.set_defaults(run=gaps)
    target_parser = commands.add_parser(
        "target", parents=[files], help="rank candidate companies for the gaps"
    )
    target_parser.add_argument(
        "--candidates",
        type=Path,
        required=True,
        help="the companies to rank: uscc, name, province, city, industry_code, business_scope, "
        "registered_capital, founded, high_tech, listed (csv, parquet)",
    )
    target_parser.add_argument("--out", type=Path, required=True, help="the targets (csv, parquet)")
    target_parser.add_argument(
        "--top", type=int, default=DEFAULT_TOP, help="targets per gap link (default 50)"
    )
    target_parser.add_argument(
        "--exclude-provinces",
        metavar="P,Q",
        help="leave out companies whose province is one of these (comma-separated, as written "
        "in the file)",
    )
    target_parser.add_argument(
        "--exclude",
        type=Path,
        metavar="USCCS",
        help="leave out these companies, e.g. those open in the pipeline: a file with a uscc "
        "column (csv, xlsx, parquet)",
    )
    target_parser.add_argument("--home-province", help="the zone's province, for distance points")
    target_parser.add_argument("--home-city", help="the zone's city, for distance points")
    target_parser.set_defaults(run=target_command)
    args = parser.parse_args(argv)
    return args.run(args)
