from . import views

ROUTES = {
    "projects": views.KeyProjectViewSet,
    "milestones": views.MilestoneViewSet,
    "reports": views.ProgressReportViewSet,
    "issues": views.ProjectIssueViewSet,
    "league-tables": views.LeagueTableViewSet,
    "status-rules": views.StatusRulesViewSet,
}


def register(router) -> None:
    for prefix, viewset in ROUTES.items():
        router.register(f"supervision/{prefix}", viewset, basename=f"supervision-{prefix}")
