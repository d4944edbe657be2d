from django.urls import path

from beacon.core.views.generic import model_urls

from .views import board, figures, leads, teams

app_name = "promotion"

urlpatterns = [
    path("board/", board.BoardView.as_view(), name="board"),
    path("figures/", figures.FiguresView.as_view(), name="figures"),
    path("activities/calendar/", teams.ActivityCalendarView.as_view(), name="calendar"),
    *model_urls("teams", "team", teams.TEAM),
    *model_urls("activities", "activity", teams.ACTIVITY),
    *model_urls("leads", "lead", leads.LEAD),
    path("leads/<int:pk>/move/", leads.LeadMoveView.as_view(), name="lead_move"),
    path("leads/<int:pk>/claim/", leads.ClaimDecideView.as_view(), name="lead_claim"),
    path("leads/<int:pk>/assign/", leads.AssignParkView.as_view(), name="lead_assign"),
    path("leads/<int:pk>/documents/", leads.DocumentUploadView.as_view(), name="lead_attach"),
    path("documents/<int:pk>/", leads.DocumentView.as_view(), name="leaddocument"),
    *model_urls("stage-history", "stagechange", leads.STAGE_CHANGE),
    *model_urls("entry-rules", "parkentryrule", leads.PARK_ENTRY_RULE),
    *model_urls("targets", "promotiontarget", teams.PROMOTION_TARGET),
]
