"""A registry list's export of more rows than ``BEACON_EXPORT_INLINE_ROWS`` is written by a
worker: the request queues it with the list's filters and sends the user to the job, whose
result is the file, for its owner (and the zone administration) to download."""

from types import SimpleNamespace

from django.apps import apps
from django.http import QueryDict
from django.utils.translation import gettext as _

from beacon.core.views.generic import export_table
from beacon.jobs.services import JobFailed, ResultFile, enqueue, job_kind

from . import views

EXPORT = "registry.export"
LISTS = {
    pages["list"].model._meta.label_lower: pages["list"]
    for pages in (
        views.ZONE,
        views.PARK,
        views.INDUSTRY_CLASS,
        views.PARCEL,
        views.ENTERPRISE,
        views.ANNUAL_FIGURE,
        views.INNOVATION_PLATFORM,
        views.TALENT,
    )
}


def queue_export(user, model, query: QueryDict, fmt: str) -> str:
    """Queue the export of ``model``'s list as filtered by ``query``: the job's page."""
    label = _("Export: %(list)s (%(format)s)") % {
        "list": model._meta.verbose_name_plural,
        "format": fmt.upper(),
    }
    filters = {key: values for key, values in query.lists() if key != "export"}
    job = enqueue(user, EXPORT, label, model=model._meta.label_lower, filters=filters, fmt=fmt)
    return job.get_absolute_url()


@job_kind(EXPORT)
def export(job, progress, *, model: str, filters: dict, fmt: str) -> ResultFile:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, values)
    # the list page as its owner sees it, with the filters it was exported with
    page = LISTS[model]()
    page.request = SimpleNamespace(user=job.owner, GET=query)
    filterset = page.filtered(query)
    if filterset.is_bound and not filterset.is_valid():
        raise JobFailed(
            [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        )
    rows = filterset.qs
    total = rows.count()
    progress(0, total, _("Writing %(count)s rows") % {"count": total})
    name, content = export_table(apps.get_model(model), rows, fmt)
    progress(total, total)
    return ResultFile(name, content)
