from . import views

ROUTES = {
    "zones": views.ZoneViewSet,
    "industry-classes": views.IndustryClassViewSet,
    "parks": views.ParkViewSet,
    "parcels": views.ParcelViewSet,
    "enterprises": views.EnterpriseViewSet,
    "figures": views.AnnualFigureViewSet,
    "innovation-platforms": views.InnovationPlatformViewSet,
    "talents": views.TalentViewSet,
}


def register(router) -> None:
    for prefix, viewset in ROUTES.items():
        router.register(f"registry/{prefix}", viewset, basename=f"registry-{prefix}")
