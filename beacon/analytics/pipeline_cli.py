"""``beacon pipeline metrics --stages HISTORY [--leads LEADS] [--by G] [--from D --to D]
[--json]``: the investment-promotion pipeline figures, no database.

It runs without starting Django. HISTORY has one row per stage a lead reached (``lead_id``,
``stage``, ``date``); LEADS has ``lead_id`` and the columns to group by. Files are ``.csv``
or ``.xlsx`` (also ``.parquet``), told apart by their ending; every cell is read as text,
so lead ids like ``007`` stay as written. The figures go to stdout, as JSON with
``--json`` (see ``pipeline.figures``), else as a table. On any problem nothing goes to
stdout: every problem goes to stderr, one per line, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import gc
import json
from datetime import date
from pathlib import Path

from .io import fail, read_checked
from .pipeline import GROUPINGS, PAIRS, STAGES, check_history, check_leads, figures, parse_day


def _day(text: str | None, option: str, problems: list[str]) -> date | None:
    if text is None:
        return None
    try:
        return parse_day(text)
    except ValueError:
        problems.append(f"{option}: not a date: '{text}'")
        return None


def table(result: dict, by: str | None) -> str:
    """The figures as plain text: the whole selection, then each group."""
    parts = [_table(result)]
    for group in result.get("groups", []):
        name = "(none)" if group["group"] is None else group["group"]
        parts.append(f"{by}: {name}\n{_table(group)}")
    return "\n\n".join(parts)


def _table(figures: dict) -> str:
    width = max(len(f"{x} → {y}") for x, y in PAIRS)
    lines = [f"leads: {figures['leads']}", "", f"{'stage':<{width}}  reached"]
    lines += [f"{name:<{width}}  {figures['reached'][name]:>7}" for name in STAGES]
    lines += ["", f"{'step':<{width}}  {'rate':>6}  {'n':>7}  {'mean':>9}  {'median':>9}  p90"]
    for rate, days in zip(figures["conversion"], figures["cycle_days"], strict=True):
        step = f"{rate['from']} → {rate['to']}"
        figs = [_shown(days[k]) for k in ("mean", "median", "p90")]
        lines.append(
            f"{step:<{width}}  {_shown(rate['rate']):>6}  {days['count']:>7}  "
            f"{figs[0]:>9}  {figs[1]:>9}  {figs[2]}"
        )
    return "\n".join(lines)


def _shown(value: float | None) -> str:
    return "-" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    # Everything imported so far lives until the process ends: keep the cyclic garbage
    # collector off it (see beacon.analytics.cli).
    gc.freeze()
    parser = argparse.ArgumentParser(
        prog="beacon pipeline metrics", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--stages",
        type=Path,
        required=True,
        help="the history: one row per stage a lead reached, lead_id, stage, date "
        "(csv, xlsx, parquet)",
    )
    parser.add_argument(
        "--leads", type=Path, help="lead_id and the columns to group by (csv, xlsx, parquet)"
    )
    parser.add_argument("--by", choices=GROUPINGS, help="also give the figures per value")
    parser.add_argument(
        "--from", dest="start", metavar="DATE", help="only leads that entered 'lead' on or after"
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help="only leads that entered 'lead' on or before"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    problems: list[str] = []
    start = _day(args.start, "--from", problems)
    end = _day(args.end, "--to", problems)
    if start is not None and end is not None and start > end:
        problems.append(f"--from {start} is after --to {end}")
    if args.by is not None and args.leads is None:
        problems.append(f"--by {args.by} needs --leads")
    # Both files are checked whatever else is wrong, so one run lists every problem.
    history = read_checked(args.stages, check_history, problems)
    leads = read_checked(args.leads, lambda frame: check_leads(frame, args.by), problems)
    if problems or history is None:
        return fail(problems)
    result = figures(history, leads, args.by, start, end)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result, args.by))
    return 0
