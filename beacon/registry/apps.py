from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "beacon.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from beacon.core.navigation import MenuGroup, MenuItem, register_group

        from . import (
            resources,  # noqa: F401  (resources register their import kinds)
            tallies,
        )

        tallies.connect()

        register_group(
            MenuGroup(
                _("Registry"),
                (
                    MenuItem(_("Enterprises"), "registry:enterprise_list", "registry.enterprise"),
                    MenuItem(
                        _("Annual figures"), "registry:annualfigure_list", "registry.annualfigure"
                    ),
                    MenuItem(_("Parks"), "registry:park_list", "registry.park"),
                    MenuItem(_("Parcels"), "registry:parcel_list", "registry.parcel"),
                    MenuItem(
                        _("Innovation platforms"),
                        "registry:innovationplatform_list",
                        "registry.innovationplatform",
                    ),
                    MenuItem(
                        _("Talents and start-up teams"), "registry:talent_list", "registry.talent"
                    ),
                    MenuItem(
                        _("Industry classes"),
                        "registry:industryclass_list",
                        "registry.industryclass",
                    ),
                    MenuItem(_("Zones"), "registry:zone_list", "registry.zone"),
                ),
            )
        )
