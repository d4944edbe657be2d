from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "beacon.chains"
    label = "chains"
    verbose_name = _("Industrial chains")

    def ready(self):
        from beacon.core.navigation import MenuGroup, MenuItem, register_group
        from beacon.core.views.generic import register_panel
        from beacon.registry.models import Enterprise

        from . import (
            jobs,  # noqa: F401  (registers the kind of job a target list is)
            membership,
        )
        from .views import chain_master_panel

        membership.connect()

        register_panel(Enterprise, chain_master_panel)
        register_group(
            MenuGroup(
                _("Chains"),
                (
                    MenuItem(_("Chain maps"), "chains:chain_list", "chains.chain"),
                    MenuItem(_("Target lists"), "chains:targetlist_list", "chains.targetlist"),
                ),
            )
        )
