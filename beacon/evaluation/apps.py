from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "beacon.evaluation"
    label = "evaluation"
    verbose_name = _("Per-mu evaluation")

    def ready(self):
        from beacon.core.navigation import MenuGroup, MenuItem, register_group
        from beacon.core.views.generic import register_panel
        from beacon.registry.models import Enterprise

        from . import (
            charts,
            jobs,  # noqa: F401  (registers the kind of job a run started from a page is)
            resources,  # noqa: F401  (resources register their import kinds)
        )
        from .views import enterprise_panel

        charts.connect()

        register_panel(Enterprise, enterprise_panel)

        register_group(
            MenuGroup(
                _("Evaluation"),
                (
                    MenuItem(
                        _("Runs"), "evaluation:evaluationrun_list", "evaluation.evaluationrun"
                    ),
                    MenuItem(
                        _("Results"),
                        "evaluation:evaluationresult_list",
                        "evaluation.evaluationresult",
                    ),
                    MenuItem(_("Schemes"), "evaluation:scheme_list", "evaluation.scheme"),
                    MenuItem(
                        _("Annual facts"), "evaluation:annualflag_list", "evaluation.annualflag"
                    ),
                ),
            )
        )
