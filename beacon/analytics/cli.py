"""``beacon evaluate --scheme S --input F --output O``: the batch evaluation, no database.

It runs without starting Django, so a million rows cost what Polars costs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from .conditions import RuleError
from .evaluation import evaluate
from .scheme import parse_scheme

FORMATS = (".csv", ".xlsx", ".parquet")


def read_table(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema_length=10_000, try_parse_dates=False)
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        if not rows:
            raise RuleError(f"{path}: the file is empty")
        header, body = [str(h).strip() for h in rows[0]], rows[1:]
        columns = {
            name: [None if r[i] == "" else r[i] for r in body] for i, name in enumerate(header)
        }
        return pl.DataFrame(columns, strict=False)
    raise RuleError(f"{path}: the file must end in {', '.join(FORMATS)}")


def numbers(frame: pl.DataFrame, names) -> pl.DataFrame:
    """Cast text columns the scheme computes with to numbers, naming every bad cell."""
    problems = []
    casts = []
    for name in sorted(names):
        if name not in frame.columns or frame.schema[name].is_numeric():
            continue
        col = pl.col(name).cast(pl.Utf8).str.strip_chars().str.replace_all(",", "")
        as_number = col.cast(pl.Float64, strict=False)
        bad = frame.with_row_index("row", offset=2).filter(
            as_number.is_null() & col.is_not_null() & (col != "")
        )
        for row, value in bad.select("row", name).head(20).iter_rows():
            problems.append(f"row {row}, column {name}: not a number: {value}")
        casts.append(as_number.alias(name))
    if problems:
        raise RuleError("\n".join(problems))
    return frame.with_columns(casts) if casts else frame


def write_table(frame: pl.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        # snappy writes twice as fast as the default zstd, for a file read once
        frame.write_parquet(path, compression="snappy")
    elif suffix == ".csv":
        frame.write_csv(path)
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("results")
        ws.append(frame.columns)
        for row in frame.iter_rows():
            ws.append(list(row))
        wb.save(path)


def fail(path: Path, problem) -> int:
    """Every problem on stderr, one per line, each named by its file; no output is written."""
    for line in str(problem).splitlines():
        print(f"{path}: {line}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beacon evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--scheme", type=Path, required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.output.suffix.lower() not in FORMATS:
        return fail(args.output, f"the output must end in {', '.join(FORMATS)}")
    try:
        scheme = parse_scheme(args.scheme.read_text(encoding="utf-8"))
    except (RuleError, OSError) as e:
        return fail(args.scheme, e)
    try:
        frame = read_table(args.input)
        needed = {"land_mu"} | {i.numerator for i in scheme.indicators}
        needed |= {i.denominator for i in scheme.indicators if i.denominator}
        result = evaluate(scheme, numbers(frame, needed))
    except (RuleError, OSError, pl.exceptions.PolarsError) as e:
        return fail(args.input, e)
    write_table(result.results, args.output)
    rated = int(result.results["rated"].sum())
    counts = ", ".join(f"{k} {v}" for k, v in result.class_counts().items())
    print(f"{rated} of {result.results.height} rows rated; classes: {counts}")
    for key, value in result.benchmarks.items():
        if value is not None:
            print(f"benchmark {key}: {value:.6g}")
    return 0
