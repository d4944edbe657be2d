"""Reading and writing spreadsheets (CSV and XLSX), safely.

Reading is ``beacon.analytics.sheets``, the one bounded reader, with the limits of the
settings and its refusals worded in the user's language. Writing is the same module's, which
escapes cells that a spreadsheet would run as a formula; reading takes the escape off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from beacon.analytics.sheets import (
    Limits,
    SheetError,
    read_grid,
    unescaped,
    write_csv,
    write_xlsx,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The reader's refusals, by its code, for the web pages (the command line speaks English).
REFUSALS = {
    "empty": _("The file is empty."),
    "not_spreadsheet": _("The file is not a CSV or XLSX spreadsheet."),
    "not_xlsx": _("The file is not a CSV or XLSX spreadsheet."),
    "unreadable": _("The spreadsheet cannot be read."),
    "unpacked": _("The spreadsheet unpacks to more than %(limit)s bytes."),
    "rows": _("The file has more than %(limit)s rows (the limit BEACON_IMPORT_MAX_ROWS)."),
    "columns": _(
        "The file has a value in column %(column)s, beyond the %(limit)s columns allowed "
        "(the limit BEACON_IMPORT_MAX_COLUMNS)."
    ),
    "cells": _(
        "The file has more than %(limit)s cells with a value (the limit BEACON_IMPORT_MAX_CELLS)."
    ),
    "encoding": _("Line %(line)s: not valid %(encoding)s. Save the file as CSV UTF-8."),
    "unknown_encoding": _("Unknown encoding: %(encoding)s."),
    "undetected": _(
        "The text is neither UTF-8 nor Chinese text in GB18030: choose its encoding (for "
        "example Big5)."
    ),
}


# The encodings the import page offers for a CSV file; the command line takes any name.
CSV_ENCODINGS = (
    ("", _("Detect: UTF-8 or GB18030")),
    ("utf-8", "UTF-8"),
    ("gb18030", "GB18030 / GBK"),
    ("big5", "Big5"),
    ("utf-16", "UTF-16"),
)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]  # values as read: str, int, float, bool, date, datetime, time or None
    numbers: list[int]  # each row's number as the file shows it (the header is row 1)


def read_sheet(data: bytes, encoding: str | None = None) -> Sheet:
    """Parse CSV or XLSX bytes into a header row and its non-blank data rows; ``encoding``
    is a CSV file's declared encoding (None: UTF-8 or GB18030)."""
    if len(data) > settings.BEACON_UPLOAD_MAX_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(limit)s bytes.")
            % {"limit": settings.BEACON_UPLOAD_MAX_BYTES}
        )
    limits = Limits(
        rows=settings.BEACON_IMPORT_MAX_ROWS,
        columns=settings.BEACON_IMPORT_MAX_COLUMNS,
        cells=settings.BEACON_IMPORT_MAX_CELLS,
        unpacked_bytes=settings.BEACON_XLSX_MAX_UNPACKED_BYTES,
    )
    try:
        grid = read_grid(data, limits, encoding)
    except SheetError as e:
        raise SpreadsheetError(str(REFUSALS[e.code] % e.params)) from None
    headers = ["" if h is None else str(h).strip() for h in grid.header]
    # Whole numbers typed in Excel come as floats: an id or a year is an int. Text an
    # export escaped from running as a formula comes back as it was saved.
    rows = [
        [int(v) if isinstance(v, float) and v.is_integer() else unescaped(v) for v in row]
        for row in grid.rows
    ]
    return Sheet(headers, rows, grid.numbers)


def write_table(fmt: str, headers: Sequence[str], rows: Iterable[Sequence], title="data") -> bytes:
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, title)
    raise ValueError(fmt)
