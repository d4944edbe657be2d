from . import views

ROUTES = {
    "chains": views.ChainViewSet,
    "target-lists": views.TargetListViewSet,
    "targets": views.TargetViewSet,
}


def register(router) -> None:
    for prefix, viewset in ROUTES.items():
        router.register(f"chains/{prefix}", viewset, basename=f"chains-{prefix}")
