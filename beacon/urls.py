from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path

from beacon.core.api.docs import RedocView, SchemaView, SwaggerView
from beacon.core.urls import auth_urlpatterns
from beacon.registry.views import HomeView

REDOC_POLICY = {"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}

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
    path("jobs/", include("beacon.jobs.urls")),
    path("api/v1/", include("beacon.api_urls")),
    path("api/v1/openapi.json", SchemaView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's start-up script as a file: no inline script
    path(
        "api/v1/docs/",
        SwaggerView.as_view(url_name="api-schema", template_name="core/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "api/v1/redoc/",
        # Redoc's bundle inserts <style> elements before it can be given a nonce and runs its
        # search in a worker made from a blob: this page alone, which shows the schema and no
        # data, lets in both (never an inline script). Its Redocly logo stays refused.
        csp_update(REDOC_POLICY)(
            RedocView.as_view(url_name="api-schema", template_name="core/redoc.html")
        ),
        name="api-redoc",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "beacon.core.api.exceptions.bad_request"
handler403 = "beacon.core.api.exceptions.permission_denied"
handler404 = "beacon.core.api.exceptions.page_not_found"
handler500 = "beacon.core.api.exceptions.server_error"
