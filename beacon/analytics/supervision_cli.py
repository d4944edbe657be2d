"""``beacon supervise --projects P --milestones M --reports R [--rules RULES.yaml]
[--plan PLAN] --as-of DATE [--json]``: key-project status and the park league table, no
database.

It runs without starting Django. Files are ``.csv``, ``.xlsx`` or ``.parquet``, every cell
read as text. The result goes to stdout, as JSON with ``--json`` (see
``supervision.status``), else as a short table. On any problem nothing goes to stdout:
every problem goes to stderr, one per line, named by its file, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import gc
import json
from pathlib import Path

import polars as pl

from .conditions import RuleError
from .io import InputError, fail, read_checked, read_table
from .pipeline import parse_day
from .supervision import (
    DEFAULT_RULES,
    check_milestones,
    check_plan,
    check_projects,
    check_reports,
    parse_rules,
    supervise,
)


def _ids(path: Path) -> pl.Series | None:
    """The project ids of a projects file that failed its checks, so the other files'
    project ids are still checked against them; None if there are none to read."""
    try:
        frame = read_table(path)
        ids = frame.select(pl.col("project_id").cast(pl.String).str.strip_chars()).to_series()
    except (InputError, OSError, pl.exceptions.PolarsError):
        return None
    return ids.filter(ids.str.len_bytes() > 0)


def table(result: dict) -> str:
    lines = [f"as of {result['as_of']}", ""]
    for p in result["projects"]:
        flag = "  ESCALATE" if p.get("escalate") else ""
        lines.append(f"{p['project_id']}  {p['status']:<5}  lag {p['lag_points']}{flag}")
        lines += [f"    {reason}" for reason in p["reasons"]]
    lines += ["", "rank  park  projects  red  amber  green  composite"]
    lines += [
        f"{k['rank']:>4}  {k['park']}  {k['projects']:>8}  {k['red']:>3}  {k['amber']:>5}  "
        f"{k['green']:>5}  {k['composite']}"
        for k in result["parks"]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    gc.freeze()
    parser = argparse.ArgumentParser(prog="beacon supervise", description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=Path, required=True, help="the key projects")
    parser.add_argument("--milestones", type=Path, required=True, help="their milestones")
    parser.add_argument("--reports", type=Path, required=True, help="monthly cumulative reports")
    parser.add_argument("--rules", type=Path, help="a status rule file (default: the shipped one)")
    parser.add_argument("--plan", type=Path, help="monthly planned investment")
    parser.add_argument("--as-of", dest="as_of", metavar="DATE", required=True, help="YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    problems: list[str] = []
    try:
        as_of = parse_day(args.as_of)
    except ValueError:
        as_of = None
        problems.append(f"--as-of: not a date (YYYY-MM-DD): '{args.as_of}'")
    rules = DEFAULT_RULES
    if args.rules is not None:
        try:
            rules = parse_rules(args.rules.read_text(encoding="utf-8"))
        except (RuleError, OSError, UnicodeDecodeError) as e:
            problems.append(f"{args.rules}: {e}")
    # Every file is checked whatever else is wrong, so one run lists every problem.
    projects = read_checked(args.projects, check_projects, problems, must_exist=True)
    ids = _ids(args.projects) if projects is None else projects["project_id"]
    milestones = read_checked(
        args.milestones, lambda f: check_milestones(f, ids), problems, must_exist=True
    )
    reports = read_checked(args.reports, lambda f: check_reports(f, ids), problems, must_exist=True)
    plan = read_checked(args.plan, lambda f: check_plan(f, ids), problems, must_exist=True)
    if problems or as_of is None or projects is None or milestones is None or reports is None:
        return fail(problems)
    try:
        result = supervise(projects, milestones, reports, as_of, rules, plan)
    except RuleError as e:  # a field the projects do not have
        return fail([f"{args.rules or 'the default rules'}: {e}"])
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result))
    return 0
