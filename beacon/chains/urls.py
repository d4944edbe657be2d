from django.urls import path

from beacon.core.views.generic import model_urls

from . import views

app_name = "chains"

urlpatterns = [
    *model_urls("maps", "chain", views.CHAIN),
    path("maps/<int:pk>/links/<slug:key>/", views.LinkView.as_view(), name="link"),
    *model_urls("targets", "targetlist", views.TARGET_LIST),
    path("targets/<int:pk>/to-pipeline/", views.ToPipelineView.as_view(), name="to_pipeline"),
]
