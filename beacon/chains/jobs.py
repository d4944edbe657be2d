"""A target list made from its page is ranked by a worker: a large candidate file takes
longer than a page should wait. The request checks the form and queues the list; the
worker ranks the candidates and keeps the list with its targets in one transaction (a
worker that dies leaves no part of a list), and the job links to the list."""

from django.utils.translation import gettext as _

from beacon.analytics.conditions import RuleError
from beacon.jobs.services import JobFailed, enqueue, job_kind

from . import services
from .models import Chain, TargetList

TARGET_LIST = "chains.target_list"


def queue_target_list(user, chain: Chain, candidates, **options):
    """Queue the ranking of the file ``candidates`` (in the data folder) for ``chain``'s gaps,
    for ``user``: the job."""
    label = _("Target list: %(chain)s from %(file)s") % {"chain": chain, "file": candidates.name}
    return enqueue(
        user, TARGET_LIST, label, chain=chain.pk, candidates=candidates.name, options=options
    )


@job_kind(TARGET_LIST)
def make(job, progress, *, chain: int, candidates: str, options: dict) -> TargetList:
    files = {path.name: path for path in services.candidate_files()}
    if candidates not in files:
        raise JobFailed(
            [
                _("The candidate file %(file)s is no longer in the data folder.")
                % {"file": candidates}
            ]
        )
    progress(0, 1, _("Ranking the candidates in %(file)s") % {"file": candidates})
    try:
        made = services.make_target_list(
            Chain.objects.get(pk=chain), files[candidates], job.owner, **options
        )
    except (RuleError, ValueError) as e:
        raise JobFailed(str(e).splitlines()) from e
    progress(1, 1, _("%(count)s targets") % {"count": made.targets.count()})
    return made
