"""Reading and writing spreadsheets (CSV and XLSX), safely.

Reading checks content, not the file name: an XLSX is a zip whose declared unpacked
size is checked before it is opened; anything else must decode as text (UTF-8, or
GB18030 as saved by Chinese Excel). Writing escapes cells that a spreadsheet would run
as a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]  # values as read: str, int, float, bool, datetime or None


def _is_blank(row: Sequence) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _clean(rows: Iterable[Sequence]) -> Sheet:
    table = [list(r) for r in rows]
    while table and _is_blank(table[0]):
        table.pop(0)
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    headers = ["" if h is None else str(h).strip() for h in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    body = [r[: len(headers)] + [None] * (len(headers) - len(r)) for r in table[1:]]
    while body and _is_blank(body[-1]):
        body.pop()
    return Sheet(headers, body)


def read_sheet(data: bytes) -> Sheet:
    """Parse CSV or XLSX bytes into a header row and data rows."""
    if not data or not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > settings.BEACON_UPLOAD_MAX_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s bytes.")
            % {"limit": settings.BEACON_UPLOAD_MAX_BYTES}
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise SpreadsheetError(_("The file is not a CSV or XLSX spreadsheet.")) from None
    if unpacked > settings.BEACON_XLSX_MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("The spreadsheet unpacks to more than the allowed size."))
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("The file is not a CSV or XLSX spreadsheet."))
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows: list[list] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own error types for every kind of broken file
        raise SpreadsheetError(_("The spreadsheet cannot be read.")) from None
    # calamine gives "" for empty cells and floats for whole numbers typed in Excel
    rows = [
        [None if v == "" else int(v) if isinstance(v, float) and v.is_integer() else v for v in r]
        for r in rows
    ]
    return _clean(rows)


def _read_csv(data: bytes) -> Sheet:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("The file is not a CSV or XLSX spreadsheet."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The file is not a CSV or XLSX spreadsheet."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[v if v.strip() else None for v in r] for r in csv.reader(io.StringIO(text), dialect)]
    return _clean(rows)


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    # BOM so that Excel opens the UTF-8 file with Chinese text intact
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "data") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_table(fmt: str, headers: Sequence[str], rows: Iterable[Sequence], title="data") -> bytes:
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, title)
    raise ValueError(fmt)
