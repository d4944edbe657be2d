"""Files users download (exports, templates, rule files, scorecards, a lead's documents):
one way to answer with a file, so each is typed by its name and saved under it, Chinese
names included."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import IO, cast, overload

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .tabular import XLSX_CONTENT_TYPE, write_table

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": XLSX_CONTENT_TYPE,
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".yaml": "application/yaml; charset=utf-8",
}
TABLE_FORMATS = ("csv", "xlsx")


@overload
def attachment(content: bytes | str, filename: str) -> HttpResponse: ...
@overload
def attachment(content: IO[bytes], filename: str) -> FileResponse: ...
def attachment(content, filename: str) -> HttpResponse | FileResponse:
    """``content`` (bytes, text, or an open file, which is streamed) to save as ``filename``."""
    if hasattr(content, "read"):
        return FileResponse(content, as_attachment=True, filename=filename)
    suffix = PurePath(filename).suffix.lower()
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream")
    )
    # str: Django returns None only when there is neither an attachment nor a file name
    response["Content-Disposition"] = cast(str, content_disposition_header(True, filename))
    return response


def table_attachment(
    fmt: str, headers: Sequence[str], rows: Iterable[Sequence], name: str, title: str = "data"
) -> HttpResponse:
    """A table as ``name.csv`` or ``name.xlsx`` (formula-escaped); 404 for another format."""
    if fmt not in TABLE_FORMATS:
        raise Http404
    return attachment(write_table(fmt, headers, rows, title), f"{name}.{fmt}")
