"""Files users download (exports, templates, rule files, scorecards, a lead's documents):
one way to answer with a file, so each is typed by its name and saved under it, Chinese
names included.

An export of rows (a list, a run's results) is made by an exporter, a function
``make(user, **args) -> (file name, content)`` registered under a name, and answered through
``export()``, the one place that decides whether it is written at once or, for more rows than
``BEACON_EXPORT_INLINE_ROWS``, by a worker: the jobs app registers what queues it, and its
job calls the same exporter with the same arguments, so the file is the page's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePath
from typing import IO, cast, overload

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
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
    filename, content = table_file(fmt, headers, rows, name, title)
    return attachment(content, filename)


def table_file(
    fmt: str, headers: Sequence[str], rows: Iterable[Sequence], name: str, title: str = "data"
) -> tuple[str, bytes]:
    """``table_attachment``'s file name and content, for an exporter."""
    if fmt not in TABLE_FORMATS:
        raise Http404
    return f"{name}.{fmt}", write_table(fmt, headers, rows, title)


EXPORTERS: dict[str, Callable[..., tuple[str, bytes]]] = {}
# ``queue(user, label, exporter, rows, args)`` -> the queued job's page, from the jobs app
EXPORT_QUEUE: list[Callable[..., str]] = []


class ExportRefused(Exception):
    """The export cannot be made (its filters no longer apply); ``messages`` say why."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def exporter(name: str) -> Callable[[Callable], Callable]:
    """Register ``make(user, **args) -> (file name, content)`` as the exporter ``name``."""

    def register(make: Callable) -> Callable:
        EXPORTERS[name] = make
        return make

    return register


def register_export_queue(queue: Callable[..., str]) -> None:
    EXPORT_QUEUE[:] = [queue]


def export(user, name: str, rows: int, label: str, **args) -> HttpResponse:
    """The file exporter ``name`` makes for ``user`` from ``args`` (JSON values): at once, or,
    for more than ``BEACON_EXPORT_INLINE_ROWS`` rows, queued for a worker, the user sent to
    the job's page."""
    if EXPORT_QUEUE and rows > settings.BEACON_EXPORT_INLINE_ROWS:
        return redirect(EXPORT_QUEUE[0](user, label, name, rows, args))
    filename, content = EXPORTERS[name](user, **args)
    return attachment(content, filename)
