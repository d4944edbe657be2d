from django.urls import path

from beacon.core.views.generic import model_urls

from . import views

app_name = "promotion"

urlpatterns = [
    path("board/", views.BoardView.as_view(), name="board"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("activities/calendar/", views.ActivityCalendarView.as_view(), name="calendar"),
    *model_urls("teams", "team", views.TEAM),
    *model_urls("activities", "activity", views.ACTIVITY),
    *model_urls("leads", "lead", views.LEAD),
    path("leads/<int:pk>/move/", views.LeadMoveView.as_view(), name="lead_move"),
    path("leads/<int:pk>/claim/", views.ClaimDecideView.as_view(), name="lead_claim"),
    path("leads/<int:pk>/assign/", views.AssignParkView.as_view(), name="lead_assign"),
    path("leads/<int:pk>/documents/", views.DocumentUploadView.as_view(), name="lead_attach"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="leaddocument"),
    *model_urls("stage-history", "stagechange", views.STAGE_CHANGE),
    *model_urls("entry-rules", "parkentryrule", views.PARK_ENTRY_RULE),
    *model_urls("targets", "promotiontarget", views.PROMOTION_TARGET),
]
