"""All of ``/api/v1/``: each app contributes its routes to one router."""

from rest_framework.routers import DefaultRouter

from beacon.chains.api.urls import register as register_chains
from beacon.evaluation.api.urls import register as register_evaluation
from beacon.promotion.api.urls import register as register_promotion
from beacon.registry.api.urls import register as register_registry
from beacon.supervision.api.urls import register as register_supervision

router = DefaultRouter()
register_registry(router)
register_evaluation(router)
register_promotion(router)
register_chains(router)
register_supervision(router)

urlpatterns = router.urls
