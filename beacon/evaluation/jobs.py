"""An evaluation run started from the pages runs as a background job: the request checks
what it can at once and queues the run; the worker scores and stores it (in one transaction,
so a worker that dies leaves no part of a run) and the job links to the stored run."""

from django.utils.translation import gettext as _

from beacon.analytics.conditions import RuleError
from beacon.jobs.services import JobFailed, enqueue, job_kind

from .models import EvaluationRun, Scheme
from .services import run_evaluation

RUN = "evaluation.run"


def queue_run(user, scheme: Scheme, year: int, note: str = ""):
    """Queue a run of ``scheme`` over ``year`` for ``user``: the job."""
    label = _("Evaluation run: %(scheme)s, %(year)s") % {"scheme": scheme, "year": year}
    return enqueue(user, RUN, label, scheme=scheme.pk, year=year, note=note)


@job_kind(RUN)
def run(job, progress, *, scheme: int, year: int, note: str) -> EvaluationRun:
    try:
        stored = run_evaluation(
            Scheme.objects.get(pk=scheme), year, job.owner, note=note, progress=progress
        )
    except RuleError as e:
        raise JobFailed(str(e).splitlines()) from e
    progress(
        3,
        3,
        _("Run %(run)s: %(rated)s of %(total)s enterprises rated.")
        % {"run": stored.pk, "rated": stored.rated, "total": stored.enterprises},
    )
    return stored
