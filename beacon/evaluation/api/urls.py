from . import views

ROUTES = {
    "schemes": views.SchemeViewSet,
    "runs": views.EvaluationRunViewSet,
    "results": views.EvaluationResultViewSet,
    "facts": views.AnnualFlagViewSet,
}


def register(router) -> None:
    for prefix, viewset in ROUTES.items():
        router.register(f"evaluation/{prefix}", viewset, basename=f"evaluation-{prefix}")
