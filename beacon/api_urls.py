"""All of ``/api/v1/``: each app contributes its routes to one router."""

from rest_framework.routers import DefaultRouter

from beacon.registry.api.urls import register as register_registry

router = DefaultRouter()
register_registry(router)

urlpatterns = router.urls
