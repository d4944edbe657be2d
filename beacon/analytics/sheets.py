"""The one spreadsheet reader: an XLSX file's first sheet or a CSV file's text, bounded.

Imports, the upload pages and the batch commands all read spreadsheets here. A file is
hostile until read: an XLSX file's declared unpacked size is checked before it is opened,
its sheet is parsed as a stream of the cells it really holds (never as the rectangle its
corners span, nor the one its ``<dimension>`` claims), and reading stops with a
``SheetError`` naming the limit as soon as the rows, the columns or the cells read pass
theirs. Empty rows are skipped, not kept: each row read keeps its spreadsheet row number.

A CSV file is UTF-8 (with or without BOM), GB18030 (what Chinese Excel saves), or the
encoding it is declared to be; text that is not valid in it is refused with its line.

Cells that a spreadsheet would run as a formula are written escaped with a leading ``'``
(``safe_cell``; ``safe_frame`` for a Polars table), by the application's exports and the
batch commands' outputs alike; an import reads them back without it (``unescaped``).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from .io import InputError, Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A province's registry is a million enterprises: a sheet of Excel's full height, twenty
# columns wide, fits; the columns of every import and analytics input fit many times over.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 1_000
MAX_CELLS = 20_000_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may hold: data rows, columns, non-empty cells, and an XLSX file's
    unpacked bytes."""

    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    unpacked_bytes: int = MAX_UNPACKED_BYTES

    @classmethod
    def from_environ(cls) -> Limits:
        """The limits the deployment set (``BEACON_IMPORT_MAX_ROWS``, ``…_COLUMNS``,
        ``…_CELLS``, ``BEACON_XLSX_MAX_UNPACKED_BYTES``), the defaults otherwise."""

        def number(name: str, default: int) -> int:
            return int(os.environ.get(name, default))

        return cls(
            rows=number("BEACON_IMPORT_MAX_ROWS", MAX_ROWS),
            columns=number("BEACON_IMPORT_MAX_COLUMNS", MAX_COLUMNS),
            cells=number("BEACON_IMPORT_MAX_CELLS", MAX_CELLS),
            unpacked_bytes=number("BEACON_XLSX_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES),
        )


class SheetError(InputError):
    """The file as a whole cannot be read. ``code`` names the reason and ``params`` its
    figures, for a caller that words the message in the user's language."""

    MESSAGES = {
        "empty": "the file is empty",
        "not_spreadsheet": "not a CSV or XLSX file",
        "not_xlsx": "not a readable XLSX file: %(reason)s",
        "unreadable": "not a readable XLSX file: %(reason)s",
        "unpacked": "the spreadsheet unpacks to more than %(limit)s bytes",
        "rows": "more than %(limit)s rows (the limit BEACON_IMPORT_MAX_ROWS)",
        "columns": "a value in column %(column)s, beyond the %(limit)s columns allowed "
        "(the limit BEACON_IMPORT_MAX_COLUMNS)",
        "cells": "more than %(limit)s cells with a value (the limit BEACON_IMPORT_MAX_CELLS)",
        "encoding": "line %(line)s: not valid %(encoding)s",
        "unknown_encoding": "unknown encoding: %(encoding)s",
        "undetected": "the text is neither UTF-8 nor Chinese text in GB18030: declare its "
        "encoding (beacon import --encoding, for example big5)",
    }

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, params
        super().__init__(self.MESSAGES[code] % params)


@dataclass
class Grid:
    """A sheet as read: the header row's values and each non-blank row below it with its
    row number (the header is row 1), every row cut or padded to the header's width. An
    XLSX file's numbers are floats, its date cells dates, times or datetimes."""

    header: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def read_grid(data: bytes, limits: Limits, encoding: str | None = None) -> Grid:
    """An XLSX (told by its content) or CSV file's grid; ``encoding`` is a CSV file's
    declared encoding, None to accept UTF-8 and GB18030 only."""
    if not data.strip():
        raise SheetError("empty")
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(io.BytesIO(data), limits)
    if encoding is None and b"\x00" in data[:4096]:  # binary; or UTF-16, if declared
        raise SheetError("not_spreadsheet")
    return read_csv(decode(data, encoding), limits)


# ---------------------------------------------------------------- bounds


class _Bounds:
    """Counts what is read and refuses the first row or cell past a limit. The header is
    the first non-blank row and starts at its first value; rows are numbered from it (the
    header is row 1)."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.cells = limits, 0
        self.grid: Grid | None = None
        self.first_column = self.header_row = 0

    def add(self, number: int, cells: dict[int, Any]) -> None:
        """Keep row ``number``'s non-empty ``cells`` (by column, from 1)."""
        if not cells:
            return
        widest = max(cells)
        if widest > self.limits.columns:
            raise SheetError("columns", column=column_letters(widest), limit=self.limits.columns)
        self.cells += len(cells)
        if self.cells > self.limits.cells:
            raise SheetError("cells", limit=self.limits.cells)
        if self.grid is None:
            self.first_column, self.header_row = min(cells), number
            header = [cells.get(c) for c in range(self.first_column, widest + 1)]
            self.grid = Grid(header)
            return
        width = len(self.grid.header)
        row = [None] * width
        kept = False
        for column, value in cells.items():
            if 0 <= column - self.first_column < width:
                row[column - self.first_column], kept = value, True
        if not kept:
            return
        if len(self.grid.rows) >= self.limits.rows:
            raise SheetError("rows", limit=self.limits.rows)
        self.grid.rows.append(row)
        self.grid.numbers.append(number - self.header_row + 1)

    def done(self) -> Grid:
        if self.grid is None:
            raise SheetError("empty")
        return self.grid


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- XLSX

# Excel's own bounds: a sheet has at most this many rows, and a row this many columns. A
# file past them is not a spreadsheet; within them, what stays of a read row (an empty
# element, ~70 bytes) and a row's elements while it is read stay within tens of megabytes.
_ROWS = 1_048_576
_ROW_ELEMENTS = 16_384 * 4
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")
# Built-in number formats that show a date or time, the East Asian ones included.
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_DATE_CODE = re.compile(r"[dmyhsDMYHS]")
_NOT_DATE_PART = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xlsx(source: IO[bytes], limits: Limits) -> Grid:
    """The first sheet's grid, read as a stream of the cells it holds."""
    try:
        with zipfile.ZipFile(source) as zf:
            if sum(i.file_size for i in zf.infolist()) > limits.unpacked_bytes:
                raise SheetError("unpacked", limit=limits.unpacked_bytes)
            return _Workbook(zf, limits).first_sheet()
    except SheetError:
        raise
    except (zipfile.BadZipFile, _NoWorkbook) as e:
        raise SheetError("not_xlsx", reason=str(e)) from None
    except (KeyError, ValueError, EOFError, IndexError) as e:
        raise SheetError("unreadable", reason=str(e) or type(e).__name__) from None
    except Exception as e:  # the XML parser's and defusedxml's refusals
        raise SheetError("unreadable", reason=f"{type(e).__name__}: {e}") from None


class _NoWorkbook(ValueError):
    pass


class _NoDoctype:
    """A zip member read through, refused at the first ``<!DOCTYPE`` or ``<!ENTITY``: a
    spreadsheet's XML has neither, and without them no entity can expand. The bytes are
    looked at as UTF-8, so any other encoding is refused too: a NUL byte (UTF-16, UTF-32)
    or an XML declaration naming another one, under which the words would hide."""

    def __init__(self, member: IO[bytes]) -> None:
        self.member, self.tail = member, b""
        self.first = True

    def read(self, size: int = -1) -> bytes:
        chunk = self.member.read(size)
        if self.first:
            self.first = False
            declared = _DECLARED_ENCODING.match(chunk)
            if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
                raise ValueError("XML in an encoding other than UTF-8")
        seen = self.tail + chunk
        if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen or b"\x00" in chunk:
            raise ValueError("an XML document type declaration, or XML not in UTF-8")
        self.tail = seen[-8:]
        return chunk


_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")


class _Workbook:
    def __init__(self, zf: zipfile.ZipFile, limits: Limits) -> None:
        from defusedxml.ElementTree import fromstring

        self.zf, self.limits = zf, limits
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            raise _NoWorkbook("a zip file without xl/workbook.xml")
        workbook = fromstring(zf.read("xl/workbook.xml"))
        self.epoch = datetime(1899, 12, 30)
        self.sheet = "xl/worksheets/sheet1.xml"
        first = None
        for element in workbook.iter():
            tag = _local(element.tag)
            if tag == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = datetime(1904, 1, 1)
            elif tag == "sheet" and first is None:
                first = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        rels = "xl/_rels/workbook.xml.rels"
        if first is not None and rels in names:
            for rel in fromstring(zf.read(rels)).iter():
                if rel.get("Id") == first and rel.get("Target"):
                    target = rel.get("Target", "")
                    self.sheet = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if self.sheet not in names:
            raise KeyError(f"no {self.sheet}")
        self.strings = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self.dates = self._date_styles() if "xl/styles.xml" in names else set()

    def _events(self, name: str, starts: bool = False) -> Iterator[tuple[str, Any]]:
        """The member's end events (and start events with ``starts``), each element's tag
        set to its local name, parsed by the C parser (defusedxml's runs in Python, four
        times slower) from a stream that refuses any DTD, so no entity is ever declared."""
        # defusedxml's guard is a DTD refused, which _NoDoctype does on the raw bytes
        from xml.etree.ElementTree import iterparse  # nosec B405

        local: dict[str, str] = {}
        events = ("start", "end") if starts else ("end",)
        with self.zf.open(name) as member:
            for event, element in iterparse(_NoDoctype(member), events):  # nosec B314
                tag = element.tag
                if tag not in local:
                    local[tag] = _local(tag)
                element.tag = local[tag]
                yield event, element

    def _shared_strings(self) -> list[str]:
        """The shared strings, each item taken out of the tree once read (their count is
        bounded by the cells')."""
        strings: list[str] = []
        table = None
        for event, element in self._events("xl/sharedStrings.xml", starts=True):
            if event == "start":
                table = element if table is None else table
            elif element.tag == "si":
                strings.append(_text(element))
                if len(strings) > self.limits.cells:
                    raise SheetError("cells", limit=self.limits.cells)
                if table is not None:
                    table.remove(element)
        return strings

    def _date_styles(self) -> set[int]:
        """The indexes of the cell styles that show a number as a date or time."""
        from defusedxml.ElementTree import fromstring

        styles = fromstring(self.zf.read("xl/styles.xml"))
        codes = {}
        for element in styles.iter():
            if _local(element.tag) == "numFmt":
                codes[element.get("numFmtId")] = element.get("formatCode", "")
        dates = set()
        for element in styles.iter():
            if _local(element.tag) != "cellXfs":
                continue
            for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                number_format = xf.get("numFmtId", "0")
                code = codes.get(number_format)
                if code is None:
                    dated = number_format.isdigit() and int(number_format) in _DATE_FORMAT_IDS
                else:
                    dated = bool(_DATE_CODE.search(_NOT_DATE_PART.sub("", code)))
                if dated:
                    dates.add(index)
        return dates

    def first_sheet(self) -> Grid:
        # Only end events: a start event for each element would double the time. So a row
        # read stays, emptied, in <sheetData> until it ends; what is after it (merged
        # cells, hyperlinks, formatting) is not read at all.
        bounds = _Bounds(self.limits)
        number = rows = inside = 0
        for _event, element in self._events(self.sheet):
            inside += 1
            if element.tag == "sheetData":
                break
            if element.tag != "row":
                if inside > _ROW_ELEMENTS:
                    raise SheetError("unreadable", reason="a row too large")
                continue
            rows, inside = rows + 1, 0
            if rows > _ROWS:
                raise SheetError("rows", limit=_ROWS)
            number = int(element.get("r") or number + 1)
            column = 0
            cells: dict[int, Any] = {}
            for cell in element:
                if cell.tag != "c":
                    continue
                ref = _CELL_REF.match(cell.get("r") or "")
                column = _column_index(ref.group(1)) if ref else column + 1
                value = self._value(cell)
                if not _blank(value):
                    cells[column] = value
            bounds.add(number, cells)
            element.clear()
        return bounds.done()

    def _value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = next((e for e in cell if e.tag == "is"), None)
            return None if inline is None else _text(inline)
        raw = next((e.text for e in cell if e.tag == "v"), None)
        if raw is None or raw == "":
            return None
        if kind == "s":
            index = int(raw)
            if not 0 <= index < len(self.strings):
                raise IndexError(f"no shared string {index}")
            return self.strings[index]
        if kind in ("str", "e", "d"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        number = float(raw)
        if int(cell.get("s") or 0) in self.dates:
            return self._date(number)
        return number

    def _date(self, serial: float) -> date | datetime | time | float:
        if not 0 <= serial < 2_958_466:  # past 9999-12-31: not a date Excel can show
            return serial
        moment = self.epoch + timedelta(days=serial)
        moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
        if serial < 1:
            return moment.time()
        if moment.time() == time(0):
            return moment.date()
        return moment


@functools.lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def _text(element: Any) -> str:
    """A string item's text (its tags local names, as ``_stream`` gives them): its runs,
    without the phonetic guides (``rPh``)."""
    parts = []
    for child in element:
        if child.tag == "t":
            parts.append(child.text or "")
        elif child.tag == "r":
            parts.extend(t.text or "" for t in child if t.tag == "t")
    return "".join(parts)


# ---------------------------------------------------------------- CSV and encodings


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a CSV file: in ``encoding`` when declared; otherwise UTF-8 (a BOM
    allowed), or GB18030 when the bytes are not UTF-8 and read as Chinese text in it.
    Anything else is refused, asking for the encoding: GB18030 decodes almost any bytes,
    so a file in another encoding (Big5, Shift JIS) would otherwise import as mojibake."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise SheetError("unknown_encoding", encoding=encoding) from None
        return _strict(data, codec, encoding)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetError("undetected") from None
    if _simplified_share(text) < SIMPLIFIED_SHARE:
        raise SheetError("undetected")
    return text


# Simplified Chinese text saved as GB18030 is nearly all GB2312's characters (a rare
# character in a person's name aside); Big5 or Shift JIS bytes read as GB18030 are mostly
# kana, Greek, Cyrillic and rare characters (under 40% in measurements).
SIMPLIFIED_SHARE = 0.9


def _simplified_share(text: str) -> float:
    """The share of the non-ASCII characters that are GB2312's punctuation or hanzi."""
    wide = [c for c in text if ord(c) > 127]
    common = 0
    for character in wide:
        try:
            lead = character.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        common += 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7
    return common / len(wide) if wide else 1.0


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise SheetError(
            "encoding", line=data[: e.start].count(b"\n") + 1, encoding=label
        ) from None


def read_csv(text: str, limits: Limits) -> Grid:
    """The grid of CSV text (comma, semicolon or tab separated)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    # Only the separator is sniffed: the quoting is Excel's, whatever the first lines show
    # (the sniffer takes a sample without "" for a file where "" is no quote).
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    bounds = _Bounds(limits)
    try:
        # a record is one row, as a spreadsheet shows it, whatever lines its cells span
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            bounds.add(number, {i: v for i, v in enumerate(row, 1) if v.strip()})
    except csv.Error:
        raise SheetError("not_spreadsheet") from None
    return bounds.done()


# ---------------------------------------------------------------- formula escaping


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (CSV/formula injection), with a leading
    ``'`` so that it stays text; ``unescaped`` takes it off again on import."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescaped(value: Any) -> Any:
    """A cell as it was before ``safe_cell``: the ``'`` in front of a formula's first
    character comes off, so that an exported file imports unchanged."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1] in _TRIGGERS:
        return value[1:]
    return value


_TRIGGERS = "".join(FORMULA_PREFIXES)


def safe_frame(table: Table) -> Table:
    """``safe_cell`` over every text column of a table, as one Polars expression a column:
    a batch command's CSV output is escaped as it streams to the file."""
    import polars as pl

    schema = table.collect_schema() if isinstance(table, pl.LazyFrame) else table.schema
    escaped = []
    for name, dtype in schema.items():
        if dtype == pl.String:
            col = pl.col(name)
            risky = pl.any_horizontal(*(col.str.starts_with(p) for p in FORMULA_PREFIXES))
            escaped.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return table.with_columns(escaped) if escaped else table


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A CSV file Excel opens as it is: UTF-8 with a BOM, every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    # BOM so that Excel opens the UTF-8 file with Chinese text intact
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "data") -> bytes:
    """An XLSX file of one sheet, every cell through ``safe_cell``."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
