from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from beacon.core.urls import auth_urlpatterns
from beacon.registry.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    *auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("beacon.core.urls")),
    path("registry/", include("beacon.registry.urls")),
    path("api/v1/", include("beacon.api_urls")),
    path("api/v1/openapi.json", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
