"""An upload of more data rows than ``BEACON_IMPORT_INLINE_ROWS`` is imported by a worker.

The import page reads the file to count its rows, keeps it in the job's folder (under
``BEACON_JOB_FILES``) and queues a job; the worker imports it as the user who uploaded it,
through the same resource as the page: the whole file is checked before anything is
written, every problem is one of the job's messages (``row N, column X: reason``), and a
file with any problem writes nothing. The upload is removed when the job ends, whatever its
end: a failed job's folder is removed, one whose worker died included.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from beacon.core.resources import Resource, get_resource
from beacon.core.tabular import SpreadsheetError, read_sheet

from .services import JobFailed, enqueue, job_files, job_kind

IMPORT = "import"
UPLOAD = "upload"


def queue_import(user, resource: Resource, data: bytes, encoding: str, dry_run: bool) -> str:
    """Queue the import of the uploaded ``data`` by ``resource`` for ``user``, the upload
    kept in the job's folder: the job's page."""
    label = (_("Import check: %(kind)s") if dry_run else _("Import: %(kind)s")) % {
        "kind": resource.model._meta.verbose_name_plural
    }
    # no worker sees the job before its upload is written
    with transaction.atomic():
        job = enqueue(
            user, IMPORT, label, resource=resource.kind, encoding=encoding, dry_run=dry_run
        )
        path = upload_of(job)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return job.get_absolute_url()


def upload_of(job) -> Path:
    return job_files(job) / UPLOAD


@job_kind(IMPORT)
def import_upload(job, progress, *, resource: str, encoding: str, dry_run: bool):
    path = upload_of(job)
    try:
        try:
            sheet = read_sheet(path.read_bytes(), encoding or None)
        except SpreadsheetError as e:
            raise JobFailed([str(e)]) from e
        rows = len(sheet.rows)
        progress(0, rows, _("Checking %(count)s rows") % {"count": rows})
        result = get_resource(resource).run(sheet, user=job.owner, dry_run=dry_run)
    finally:
        path.unlink(missing_ok=True)
    if not result.ok:
        raise JobFailed([str(problem) for problem in result.errors])
    summary = result.summary()
    if dry_run:
        summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
    progress(rows, rows, summary)
