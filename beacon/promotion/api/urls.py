from . import views

ROUTES = {
    "teams": views.TeamViewSet,
    "activities": views.ActivityViewSet,
    "leads": views.LeadViewSet,
    "stage-history": views.StageChangeViewSet,
    "entry-rules": views.ParkEntryRuleViewSet,
    "targets": views.PromotionTargetViewSet,
}


def register(router) -> None:
    for prefix, viewset in ROUTES.items():
        router.register(f"promotion/{prefix}", viewset, basename=f"promotion-{prefix}")
