from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "beacon.evaluation"
    label = "evaluation"
    verbose_name = _("Per-mu evaluation")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, resources  # noqa: F401  (resources register their import kinds)

        auditlog.register(models.Scheme)
        auditlog.register(models.SchemeVersion, exclude_fields=["text"])
        auditlog.register(models.EvaluationRun, include_fields=["official", "note"])
        # Results are the run's frozen output; what changes later, and is logged, is the class.
        auditlog.register(
            models.EvaluationResult, include_fields=["final_class", "class_change_reason"]
        )
        auditlog.register(models.AnnualFlag)

        from beacon.core.navigation import MenuGroup, MenuItem, register_group
        from beacon.core.views.generic import register_panel
        from beacon.registry.models import Enterprise

        from .views import enterprise_panel

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
