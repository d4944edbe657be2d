from beacon.core.views.generic import model_urls

from . import views

app_name = "registry"

urlpatterns = [
    *model_urls("zones", "zone", views.ZONE),
    *model_urls("parks", "park", views.PARK),
    *model_urls("industry-classes", "industryclass", views.INDUSTRY_CLASS),
    *model_urls("parcels", "parcel", views.PARCEL),
    *model_urls("enterprises", "enterprise", views.ENTERPRISE),
    *model_urls("figures", "annualfigure", views.ANNUAL_FIGURE),
    *model_urls("platforms", "innovationplatform", views.INNOVATION_PLATFORM),
    *model_urls("talents", "talent", views.TALENT),
]
