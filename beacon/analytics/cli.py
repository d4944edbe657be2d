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
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from .evaluation import PARK_FIGURES, evaluate, park_results
from .io import FORMATS, MAX_PROBLEM_LINES, InputError, fail, named, number, read_typed_table
from .scheme import parse_scheme
from .sheets import safe_frame, write_xlsx


def numbers(frame: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
    """Cast text columns the scheme computes with to numbers, naming every bad cell (the
    first MAX_PROBLEM_LINES of each column)."""
    problems = []
    casts = []
    for name in sorted(names):
        if name not in frame.columns or frame.schema[name].is_numeric():
            continue
        as_number, bad = number(name, frame.schema[name])
        rows = frame.with_row_index("row", offset=2).filter(bad)
        for row, value in rows.select("row", name).head(MAX_PROBLEM_LINES).iter_rows():
            problems.append(f"row {row}, column {name}: not a number: {value}")
        casts.append(as_number)
    if problems:
        raise InputError("\n".join(problems))
    return frame.with_columns(casts) if casts else frame


def write_table(table: pl.DataFrame | pl.LazyFrame, path: Path, sheet: str = "results") -> None:
    """Write a table; a plan (LazyFrame) is streamed to CSV and Parquet, part by part. Text
    cells of a CSV or XLSX file are escaped from running as formulas."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        # snappy writes twice as fast as the default zstd, for a file read once
        if isinstance(table, pl.LazyFrame):
            table.sink_parquet(path, compression="snappy")
        else:
            table.write_parquet(path, compression="snappy")
    elif suffix == ".csv":
        # escaped as the application's exports are: an input's text runs as no formula
        if isinstance(table, pl.LazyFrame):
            safe_frame(table).sink_csv(path)
        else:
            safe_frame(table).write_csv(path)
    else:
        frame = table.collect() if isinstance(table, pl.LazyFrame) else table
        path.write_bytes(write_xlsx(frame.columns, frame.iter_rows(), sheet))


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
            return fail(named(path, f"the {what} must end in {', '.join(FORMATS)}"))
    if args.parks is not None and args.parks.resolve() == args.output.resolve():
        return fail(named(args.parks, "the park results need a file of their own, not --output"))
    try:
        scheme = parse_scheme(args.scheme.read_text(encoding="utf-8"))
    except (InputError, OSError) as e:
        return fail(named(args.scheme, e))
    parks = None
    try:
        frame = read_typed_table(args.input)
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
    except (InputError, OSError, pl.exceptions.PolarsError) as e:
        return fail(named(args.input, e))
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
            return fail(named(path, e))
    counts = ", ".join(f"{k} {v}" for k, v in result.class_counts().items())
    print(f"{result.rated} of {height} rows rated; classes: {counts}")
    for key, value in result.benchmarks.items():
        if value is not None:
            print(f"benchmark {key}: {value:.6g}")
    if parks is not None:
        print(f"{parks.height} parks in {args.parks}")
    return 0
