"""The analytics input: files read into Polars, and how their problems are told.

Every command reads its tables here (``.csv``, ``.xlsx`` or ``.parquet``, told apart by their
ending), and every engine reports bad input the same way: an ``InputError`` with one problem
a line, rows numbered as a spreadsheet shows them (the header is row 1), at most
``MAX_PROBLEM_LINES`` of them, each named by its file when a command prints it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl

if TYPE_CHECKING:
    from .sheets import Grid

FORMATS = (".csv", ".xlsx", ".parquet")
MAX_PROBLEM_LINES = 20
# The registry import's yes/no words; beacon.core.resources takes them from here.
TRUE_WORDS = ("1", "true", "yes", "y", "t", "是", "有", "√", "x")
FALSE_WORDS = ("0", "false", "no", "n", "f", "否", "无", "")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

T = TypeVar("T")
Table = TypeVar("Table", pl.DataFrame, pl.LazyFrame)


class InputError(ValueError):
    """Input that cannot be used: one problem a line, rows numbered as a spreadsheet shows
    them (the header is row 1). Given ``file``, ``row`` or ``column``, each line names them
    first, as ``FILE: row N, column C: problem``."""

    def __init__(
        self,
        problem: str,
        *,
        file: Path | str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.problem, self.file, self.row, self.column = problem, file, row, column
        cell = [f"row {row}"] if row is not None else []
        cell += [f"column {column}"] if column is not None else []
        prefix = f"{file}: " if file is not None else ""
        prefix += f"{', '.join(cell)}: " if cell else ""
        if prefix:
            problem = "\n".join(prefix + line for line in problem.splitlines())
        super().__init__(problem)


# ---------------------------------------------------------------- reading files


def read_table(path: Path) -> pl.DataFrame:
    """The first sheet or the whole file, every column as text (a parquet file's date columns
    as dates, a spreadsheet's date cells as YYYY-MM-DD), the header names trimmed."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            frame = pl.read_csv(path, infer_schema=False)
        except pl.exceptions.NoDataError:
            raise InputError("the file is empty") from None
        except pl.exceptions.ComputeError as e:
            # The rest of Polars' message is advice on its own options.
            raise InputError(f"not a readable CSV file: {str(e).splitlines()[0]}") from None
    elif suffix == ".xlsx":
        grid = _first_sheet(path)
        header = _header(grid.header)
        frame = pl.DataFrame(
            {name: [_cell(r[i]) for r in grid.rows] for i, name in enumerate(header)},
            schema=dict.fromkeys(header, pl.String),
        )
    elif suffix == ".parquet":
        frame = pl.read_parquet(path)
        frame = frame.with_columns(
            pl.col(name).cast(pl.String)
            for name, dtype in frame.schema.items()
            if not dtype.is_temporal()
        )
    else:
        raise InputError(f"the file must end in {', '.join(FORMATS)}")
    return _trimmed(frame, frame.columns)


def read_typed_table(path: Path) -> pl.DataFrame:
    """The first sheet or the whole file with the types its cells have: a CSV file's as
    inferred from its first 10,000 rows, a spreadsheet's as stored (an empty cell missing).
    Header names are trimmed in a spreadsheet only."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema_length=10_000, try_parse_dates=False)
    # These two messages have always named the file, and ``beacon evaluate`` names it again
    # in front of them; its users' scripts read them as they are.
    if suffix == ".xlsx":
        from .sheets import SheetError

        try:
            grid = _first_sheet(path)
        except SheetError as e:
            if e.code == "empty":
                raise InputError(str(e), file=path) from None
            raise
        header = _header(grid.header)
        columns = {name: [r[i] for r in grid.rows] for i, name in enumerate(header)}
        return pl.DataFrame(columns, strict=False)
    raise InputError(f"the file must end in {', '.join(FORMATS)}", file=path)


def scan_table(path: Path) -> pl.LazyFrame:
    """A CSV file (every cell as text), or else a Parquet file (columns as stored), as a lazy
    scan: nothing read yet but a CSV file's header or a Parquet file's footer. The header
    names are trimmed. A spreadsheet cannot be scanned: the caller has checked the ending."""
    if path.suffix.lower() == ".csv":
        scan = pl.scan_csv(path, infer_schema=False)
    else:
        scan = pl.scan_parquet(path)
    try:
        names = scan.collect_schema().names()
    except pl.exceptions.NoDataError:
        raise InputError("the file is empty") from None
    except pl.exceptions.ComputeError as e:
        raise InputError(unreadable(e)) from None
    return _trimmed(scan, names)


def unreadable(error: Exception) -> str:
    """The problem of a scanned file Polars could not read, with the usual cure."""
    first = str(error).splitlines()[0]
    if "utf-8" in first.lower() or "utf8" in first.lower():
        return f"not UTF-8 text ({first}): save the file as CSV UTF-8"
    return f"not a readable file: {first}"


def _first_sheet(path: Path) -> Grid:
    """An XLSX file's first sheet as the one bounded reader reads it (blank rows skipped),
    with the limits the deployment set."""
    # Imported here: the reader's module imports this one for InputError.
    from .sheets import Limits, read_xlsx

    with path.open("rb") as source:
        return read_xlsx(source, Limits.from_environ())


def _header(names: list[Any]) -> list[str]:
    return ["" if h is None else str(h).strip() for h in names]


def _cell(value: Any) -> str | None:
    """A spreadsheet cell as the text its CSV export would have: a whole number without
    ``.0`` (an id typed as a number), a date or date-and-time cell as YYYY-MM-DD."""
    if value == "" or value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _trimmed(table: Table, names: list[str]) -> Table:
    trimmed = {name: name.strip() for name in names if name != name.strip()}
    return table.rename(trimmed) if trimmed else table


# ---------------------------------------------------------------- the commands' problems


def read_checked(
    path: Path | None,
    check: Callable[[pl.DataFrame], T],
    problems: list[str],
    *,
    must_exist: bool = False,
) -> T | None:
    """``check`` of the file as ``read_table`` reads it; or None with its problems added,
    each named by the file, so that one run of a command lists every file's problems. None
    without a problem for an option not given (no path); with ``must_exist``, a path that
    is not a file is the one problem "no such file", before anything is read."""
    if path is None:
        return None
    if must_exist and not path.is_file():
        problems.append(f"{path}: no such file")
        return None
    try:
        return check(read_table(path))
    except (InputError, OSError, pl.exceptions.PolarsError) as e:
        problems.extend(named(path, e))
        return None


def named(file: Path | str, problem: BaseException | str) -> list[str]:
    """The problem's lines, each named by its file, as every command prints them."""
    return str(InputError(str(problem), file=file)).splitlines()


def fail(problems: Iterable[str]) -> int:
    """Every problem on stderr, one a line; the exit status of a command that wrote nothing."""
    for line in problems:
        print(line, file=sys.stderr)
    return 1


def capped(lines: list[str], total: int, *, rows: bool = False) -> str:
    """At most MAX_PROBLEM_LINES lines, then how many of the ``total`` problems are not
    listed. With ``rows``, ``total`` counts bad rows and ``lines`` are the problems of the
    first MAX_PROBLEM_LINES of them; what is counted then is the rows after those."""
    shown = lines[:MAX_PROBLEM_LINES]
    if rows:
        more = total - min(total, MAX_PROBLEM_LINES)
        rest = f"and {more} more row{'s' if more > 1 else ''} with problems"
    else:
        more = total - len(shown)
        rest = f"and {more} more problem{'s' if more > 1 else ''}"
    if more > 0:
        shown.append(rest)
    return "\n".join(shown)


# ---------------------------------------------------------------- columns and cells


def require(
    frame: pl.DataFrame | pl.LazyFrame,
    names: Iterable[str],
    error: type[InputError] = InputError,
) -> None:
    """``error`` naming every one of the columns ``names`` the table does not have."""
    present = frame.collect_schema().names() if isinstance(frame, pl.LazyFrame) else frame.columns
    missing = [name for name in names if name not in present]
    if missing:
        raise error("\n".join(f"missing column: {name}" for name in missing))


def text(column: pl.Expr) -> pl.Expr:
    """The column as trimmed text, missing where empty."""
    value = column.cast(pl.String).str.strip_chars()
    return pl.when(value.str.len_bytes() > 0).then(value)


def yes_no(name: str, dtype: pl.DataType, empty: bool | None = False) -> list[pl.Expr]:
    """The column as a boolean (the registry import's yes/no words, 0 and 1, a boolean
    column as it is; empty is ``empty``) and ``__bad_<name>``: a value that is none of them."""
    col = pl.col(name)
    if dtype == pl.Boolean:
        value = col if empty is None else col.fill_null(empty)
        return [value, pl.lit(False).alias(f"__bad_{name}")]
    if dtype == pl.Null:
        return [pl.lit(empty, pl.Boolean).alias(name), pl.lit(False).alias(f"__bad_{name}")]
    word = col.cast(pl.String).str.strip_chars().str.to_lowercase()
    false_words = [w for w in FALSE_WORDS if w or empty is not None]
    # when/then rather than replace_strict, which the streaming engine cannot run part by
    # part: on a candidate file it would hold the whole column in memory.
    value = (
        pl.when(word.is_in(TRUE_WORDS))
        .then(pl.lit(True))
        .when(word.is_in(false_words))
        .then(pl.lit(False))
    )
    blank = col.is_null() | ((word == "") if empty is not None else pl.lit(False))
    return [
        pl.when(blank).then(pl.lit(empty, pl.Boolean)).otherwise(value).alias(name),
        (value.is_null() & ~blank).alias(f"__bad_{name}"),
    ]


def number(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    """The column as Float64 (text with thousands separators too; empty is missing) and
    ``__bad_<name>``: text that is not a number."""
    col = pl.col(name)
    if dtype.is_float():
        return [col.cast(pl.Float64).fill_nan(None), pl.lit(False).alias(f"__bad_{name}")]
    if dtype.is_numeric() or dtype == pl.Null:
        return [col.cast(pl.Float64), pl.lit(False).alias(f"__bad_{name}")]
    raw = col.cast(pl.String).str.strip_chars().str.replace_all(",", "", literal=True)
    value = raw.cast(pl.Float64, strict=False)
    return [
        value.alias(name),
        (value.is_null() & raw.is_not_null() & (raw != "")).alias(f"__bad_{name}"),
    ]
