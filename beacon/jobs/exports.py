"""An export of more rows than ``BEACON_EXPORT_INLINE_ROWS`` is written by a worker: the page
queues its exporter's name and arguments (``core.downloads.export``), and the job calls the
same exporter as its owner; its result is the file, for its owner to download."""

from __future__ import annotations

from django.utils.translation import gettext as _

from beacon.core.downloads import EXPORTERS, ExportRefused

from .services import JobFailed, ResultFile, enqueue, job_kind

EXPORT = "export"


def queue_export(user, label: str, exporter: str, rows: int, args: dict) -> str:
    """Queue exporter ``exporter``'s file of ``rows`` rows for ``user``: the job's page."""
    return enqueue(user, EXPORT, label, exporter=exporter, rows=rows, args=args).get_absolute_url()


@job_kind(EXPORT)
def export(job, progress, *, exporter: str, rows: int, args: dict) -> ResultFile:
    progress(0, rows, _("Writing %(count)s rows") % {"count": rows})
    try:
        name, content = EXPORTERS[exporter](job.owner, **args)
    except ExportRefused as e:
        raise JobFailed(e.messages) from e
    progress(rows, rows)
    return ResultFile(name, content)
