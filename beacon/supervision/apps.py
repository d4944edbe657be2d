from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "beacon.supervision"
    label = "supervision"
    verbose_name = _("Key-project supervision")

    def ready(self):
        from beacon.core.navigation import MenuGroup, MenuItem, register_group
        from beacon.core.views.generic import register_panel
        from beacon.promotion.models import Lead

        from . import (
            current,
            jobs,  # noqa: F401  (registers the kinds of job publishing and reminding are)
        )
        from .views import lead_panel

        current.connect()
        register_panel(Lead, lead_panel)

        register_group(
            MenuGroup(
                _("Supervision"),
                (
                    MenuItem(
                        _("Key projects"), "supervision:keyproject_list", "supervision.keyproject"
                    ),
                    MenuItem(_("Supervision list"), "supervision:list", "supervision.keyproject"),
                    MenuItem(_("Reminders"), "supervision:reminders", "supervision.keyproject"),
                    MenuItem(_("League table"), "supervision:league", "supervision.leaguetable"),
                    MenuItem(
                        _("Progress reports"),
                        "supervision:progressreport_list",
                        "supervision.progressreport",
                    ),
                    MenuItem(
                        _("Issues"), "supervision:projectissue_list", "supervision.projectissue"
                    ),
                    MenuItem(
                        _("Status rules"), "supervision:statusrules_list", "supervision.statusrules"
                    ),
                ),
            )
        )
