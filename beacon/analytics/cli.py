"""``beacon evaluate``: the batch evaluation, from files to files, with no database.

    beacon evaluate --scheme S.yaml --input F --output O [--parks P]

It runs without starting Django, so a million rows cost what Polars costs. Files are
``.csv``, ``.xlsx`` or ``.parquet``, told apart by their ending. ``--output`` gets one row per
input row (see ``evaluation.evaluate``). ``--parks`` also writes the park results (see
``evaluation.park_results``): per park, its rated enterprises' land, tax and value added, tax
and value added per mu, mean score, class counts, and its rank by tax per mu; ``tax`` and
``value_added`` are read as numbers for it when the input has them. On any problem nothing is
written, neither file: every problem goes to stderr, one per line, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

import polars as pl

from .conditions import RuleError
from .evaluation import PARK_FIGURES, evaluate, park_results
from .scheme import parse_scheme

FORMATS = (".csv", ".xlsx", ".parquet")


def read_table(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema_length=10_000, try_parse_dates=False)
    if suffix == ".xlsx":
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except CalamineError as e:
            raise RuleError(f"not a readable XLSX file: {e}") from None
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


def write_table(table: pl.DataFrame | pl.LazyFrame, path: Path, sheet: str = "results") -> None:
    """Write a table; a plan (LazyFrame) is streamed to CSV and Parquet, part by part."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        # snappy writes twice as fast as the default zstd, for a file read once
        if isinstance(table, pl.LazyFrame):
            table.sink_parquet(path, compression="snappy")
        else:
            table.write_parquet(path, compression="snappy")
    elif suffix == ".csv":
        if isinstance(table, pl.LazyFrame):
            table.sink_csv(path)
        else:
            table.write_csv(path)
    else:
        from openpyxl import Workbook

        frame = table.collect() if isinstance(table, pl.LazyFrame) else table
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet)
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
    # Everything imported so far lives until the process ends: keep the cyclic garbage
    # collector off it, here and at exit (Polars' import alone leaves enough objects that
    # the final collection costs 30–40 ms).
    gc.freeze()
    description = __doc__.splitlines()[0].replace("``", "")
    parser = argparse.ArgumentParser(prog="beacon evaluate", description=description)
    parser.add_argument("--scheme", type=Path, required=True, help="the scheme, a YAML file")
    parser.add_argument(
        "--input", type=Path, required=True, help="one row per enterprise (csv, xlsx, parquet)"
    )
    parser.add_argument(
        "--output", type=Path, required=True, help="the results, one row per input row"
    )
    parser.add_argument(
        "--parks",
        type=Path,
        help="also write the park results: per park the rated enterprises' land_mu, tax and "
        "value_added, tax and value added per mu, mean score, class counts, and rank by tax "
        "per mu (csv, xlsx, parquet)",
    )
    args = parser.parse_args(argv)
    for path, what in ((args.output, "output"), (args.parks, "park results")):
        if path is not None and path.suffix.lower() not in FORMATS:
            return fail(path, f"the {what} must end in {', '.join(FORMATS)}")
    if args.parks is not None and args.parks.resolve() == args.output.resolve():
        return fail(args.parks, "the park results need a file of their own, not --output")
    try:
        scheme = parse_scheme(args.scheme.read_text(encoding="utf-8"))
    except (RuleError, OSError) as e:
        return fail(args.scheme, e)
    parks = None
    try:
        frame = read_table(args.input)
        needed = {"land_mu"} | {i.numerator for i in scheme.indicators}
        needed |= {i.denominator for i in scheme.indicators if i.denominator}
        if args.parks is not None:
            needed |= set(PARK_FIGURES)
        frame = numbers(frame, needed)
        height = frame.height
        result = evaluate(scheme, frame)
        if args.parks is not None:
            parks = park_results(result, frame)
        del frame  # its memory goes to writing the results
    except (RuleError, OSError, pl.exceptions.PolarsError) as e:
        return fail(args.input, e)
    # Without the park table nothing else needs the results: they go to the file as they
    # are computed, never all in memory at once.
    results = result.lazy() if parks is None else result.results
    outputs = [(results, args.output, "results")]
    if parks is not None:
        outputs.append((parks, args.parks, "parks"))
    for done, (table, path, sheet) in enumerate(outputs):
        try:
            write_table(table, path, sheet)
        except (OSError, ValueError, pl.exceptions.PolarsError) as e:
            # Both files or neither: remove what was written, even in part.
            for _table, written, _sheet in outputs[: done + 1]:
                written.unlink(missing_ok=True)
            return fail(path, e)
    counts = ", ".join(f"{k} {v}" for k, v in result.class_counts().items())
    print(f"{result.rated} of {height} rows rated; classes: {counts}")
    for key, value in result.benchmarks.items():
        if value is not None:
            print(f"benchmark {key}: {value:.6g}")
    if parks is not None:
        print(f"{parks.height} parks in {args.parks}")
    return 0
