from django.urls import path

from beacon.core.views.generic import model_urls

from . import views

app_name = "supervision"

urlpatterns = [
    path("league/", views.LeagueView.as_view(), name="league"),
    path("list/", views.SupervisionListView.as_view(), name="list"),
    path("reminders/", views.RemindersView.as_view(), name="reminders"),
    path(
        "league-tables/<int:pk>/export/",
        views.LeagueTableExportView.as_view(),
        name="leaguetable_export",
    ),
    *model_urls("projects", "keyproject", views.KEY_PROJECT),
    *model_urls("milestones", "milestone", views.MILESTONE),
    *model_urls("reports", "progressreport", views.PROGRESS_REPORT),
    *model_urls("issues", "projectissue", views.PROJECT_ISSUE),
    *model_urls("league-tables", "leaguetable", views.LEAGUE_TABLE),
    *model_urls("rules", "statusrules", views.STATUS_RULES),
]
