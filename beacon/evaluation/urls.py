from django.urls import path

from beacon.core.views.generic import model_urls

from . import views

app_name = "evaluation"

urlpatterns = [
    *model_urls("schemes", "scheme", views.SCHEME),
    *model_urls("runs", "evaluationrun", views.RUN),
    path("runs/<int:pk>/official/", views.RunOfficialView.as_view(), name="evaluationrun_official"),
    path(
        "runs/<int:pk>/export/<str:table>/",
        views.RunExportView.as_view(),
        name="evaluationrun_export",
    ),
    *model_urls("results", "evaluationresult", views.RESULT),
    path(
        "results/<int:pk>/scorecard.pdf",
        views.ScorecardPdfView.as_view(),
        name="evaluationresult_pdf",
    ),
    *model_urls("facts", "annualflag", views.ANNUAL_FLAG),
]
