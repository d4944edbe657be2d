from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("<int:pk>/", views.JobView.as_view(), name="job"),
    path("<int:pk>/download/", views.JobFileView.as_view(), name="job_download"),
]
