"""The reader fuzzed: generated XLSX files (cells anywhere up to XFD1048576, every cell type,
references left out, shared strings pointing anywhere), broken zips, and CSV bytes in any
encoding or none. Whatever comes in, the reader answers a grid or its own refusal
(``SheetError``), within a memory budget. The examples are few and fixed in number, so the
run stays a few seconds in CI."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beacon.analytics.sheets import Grid, Limits, SheetError, read_grid

from .hostile import bounded_call, xlsx

# Small limits, so that generated files pass them as often as they stay within.
LIMITS = Limits(rows=40, columns=60, cells=400, unpacked_bytes=2_000_000)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Mostly near the top left, where a sheet's cells are; now and then anywhere, the far corner
# and past it included.
near = st.integers(1, 60)
far_rows = st.one_of(st.sampled_from([1_000_000, 1_048_576]), st.integers(1))
far_columns = st.one_of(st.sampled_from([26, 16_384]), st.integers(1, 18_278))
coordinates = st.one_of(
    st.tuples(near, near), st.tuples(near, near), st.tuples(near, near), st.tuples(near, near)
) | st.tuples(far_rows, near | far_columns)
texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12
)


def letters(index: int) -> str:
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _escaped(text: str) -> str:
    return "".join(
        c if c.isprintable() and c not in "<>&\"'" else f"&#{ord(c)};"
        for c in text
        if c in "\t\n\r" or ord(c) >= 0x20
    )


NUMBERS = ["1", "-2.5", "1e308", "0", "3.25", "nan", "20240301", ""]


@st.composite
def cells(draw) -> str:
    kind = draw(st.sampled_from(["inlineStr", "s", "n", "b", "e", "str", "d", "date", "none"]))
    value = {
        "inlineStr": lambda: f"<is><t>{_escaped(draw(texts))}</t></is>",
        # now and then a cell Excel never writes: no such string, not a number
        "s": lambda: f"<v>{draw(st.integers(0, 4) | st.integers(0, 4) | st.integers(-1, 9))}</v>",
        "n": lambda: f"<v>{draw(st.sampled_from(NUMBERS) | st.sampled_from(NUMBERS + ['x']))}</v>",
        "b": lambda: f"<v>{draw(st.sampled_from(['0', '1', 'true', '']))}</v>",
        "e": lambda: "<v>#DIV/0!</v>",
        "str": lambda: f"<v>{_escaped(draw(texts))}</v>",
        "d": lambda: "<v>2024-03-01T00:00:00</v>",
        "date": lambda: f"<v>{draw(st.sampled_from(['45352', '-1', '0.5', '9e9']))}</v>",
        "none": lambda: "",
    }[kind]()
    t = {"date": "n", "none": "n"}.get(kind, kind)
    style = ' s="1"' if kind == "date" else ""
    return f'{{ref}} t="{t}"{style}>{value}</c>'


@st.composite
def sheets(draw) -> bytes:
    placed = draw(st.lists(st.tuples(coordinates, cells()), max_size=25))
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), cell in placed:
        by_row.setdefault(row, []).append((column, cell))
    xml = []
    for row in sorted(by_row):
        numbered = draw(st.booleans())
        parts = []
        for column, cell in sorted(by_row[row]):
            ref = f'<c r="{letters(column)}{row}"' if numbered or draw(st.booleans()) else "<c"
            parts.append(cell.replace("{ref}", ref))
        r = f' r="{row}"' if numbered else ""
        xml.append(f"<row{r}>{''.join(parts)}</row>")
    strings = draw(st.lists(texts.map(_escaped), min_size=5, max_size=5))
    dimension = draw(st.sampled_from([None, "A1", "A1:XFD1048576", "B2:A1", "nonsense"]))
    return _with_date_style(xlsx("".join(xml), strings=strings, dimension=dimension))


def _with_date_style(data: bytes) -> bytes:
    """Style 1 shows a date, as Excel's default short date does."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            z.writestr(item, source.read(item))
        z.writestr(
            "xl/styles.xml",
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        )
    return out.getvalue()


@st.composite
def broken(draw) -> bytes:
    """A generated workbook with bytes flipped, cut short or both."""
    data = bytearray(draw(sheets()))
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(4, len(data)))])


encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "gb18030", "big5", "shift_jis", "utf-16", "latin-1", "cp1252"]
)
csv_text = st.lists(
    st.lists(
        st.one_of(texts, st.sampled_from(['"', '""', ",", ";", "\t", "\n", "'="])), max_size=8
    ),
    max_size=12,
).map(lambda table: "\n".join(",".join(row) for row in table))


@st.composite
def csv_files(draw) -> bytes:
    text = draw(csv_text)
    return text.encode(draw(encodings), errors="replace") + draw(st.binary(max_size=8))


def read_or_refuse(data: bytes, encoding: str | None = None) -> None:
    """The reader's answer must be a grid within the limits, or its refusal."""
    try:
        grid = read_grid(data, LIMITS, encoding)
    except SheetError:
        return
    assert isinstance(grid, Grid)
    assert len(grid.rows) == len(grid.numbers) <= LIMITS.rows
    assert len(grid.header) <= LIMITS.columns
    assert all(len(row) == len(grid.header) for row in grid.rows)
    assert grid.numbers == sorted(grid.numbers)


@FUZZ
@given(st.one_of(sheets(), sheets(), sheets(), broken()))
def fuzz_xlsx(data: bytes) -> None:
    read_or_refuse(data)


@FUZZ
@given(st.one_of(csv_files(), st.binary(max_size=200)), st.sampled_from([None, "big5", "utf-8"]))
def fuzz_csv(data: bytes, encoding: str | None) -> None:
    read_or_refuse(data, encoding)


def test_generated_and_broken_xlsx_files_are_read_or_refused_in_bounded_memory():
    bounded_call(fuzz_xlsx)


def test_csv_bytes_in_any_encoding_are_read_or_refused_in_bounded_memory():
    bounded_call(fuzz_csv)
