from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from beacon.core.urls import auth_urlpatterns
from beacon.registry.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    *auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("beacon.core.urls")),
    path("registry/", include("beacon.registry.urls")),
    path("evaluation/", include("beacon.evaluation.urls")),
    path("promotion/", include("beacon.promotion.urls")),
    path("chains/", include("beacon.chains.urls")),
    path("supervision/", include("beacon.supervision.urls")),
    path("api/v1/", include("beacon.api_urls")),
    path("api/v1/openapi.json", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

handler400 = "beacon.core.api.exceptions.bad_request"
handler403 = "beacon.core.api.exceptions.permission_denied"
handler404 = "beacon.core.api.exceptions.page_not_found"
handler500 = "beacon.core.api.exceptions.server_error"
