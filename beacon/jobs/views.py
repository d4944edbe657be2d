"""The jobs page (the user's own jobs; the zone administration sees its users' too), a job's
page, which HTMX refreshes while the job runs, and its result file's download."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from beacon.core.views.generic import ObjectPermissionMixin

from .models import Job


class JobListView(ObjectPermissionMixin, View):
    model = Job
    per_page = 50

    def get(self, request):
        self.require()
        jobs = self.restricted().select_related("owner", "result_type")
        page = Paginator(jobs, self.per_page).get_page(request.GET.get("page"))
        others = jobs.exclude(owner=request.user).exists()
        return render(request, "jobs/job_list.html", {"page": page, "show_owner": others})


class JobView(ObjectPermissionMixin, View):
    model = Job

    def get(self, request, pk):
        job = get_object_or_404(self.restricted().select_related("owner", "result_type"), pk=pk)
        # HTMX polls for the job's state alone while it runs
        template = "jobs/inc/state.html" if request.headers.get("HX-Request") else "jobs/job.html"
        return render(request, template, {"job": job})


class JobFileView(ObjectPermissionMixin, View):
    model = Job

    def get(self, request, pk):
        job = get_object_or_404(self.restricted(), pk=pk)
        path = job.result_path
        if path is None or not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
