from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "beacon.promotion"
    label = "promotion"
    verbose_name = _("Investment promotion")

    def ready(self):
        from beacon.core.scopes import register_scope_target

        from . import resources  # noqa: F401  (resources register their import kinds)

        register_scope_target("team", "promotion.Team", "code")

        from beacon.core.navigation import MenuGroup, MenuItem, register_group

        register_group(
            MenuGroup(
                _("Promotion"),
                (
                    MenuItem(_("Pipeline board"), "promotion:board", "promotion.lead"),
                    MenuItem(_("Leads"), "promotion:lead_list", "promotion.lead"),
                    MenuItem(_("Figures"), "promotion:figures", "promotion.lead"),
                    MenuItem(_("Activities"), "promotion:activity_list", "promotion.activity"),
                    MenuItem(_("Teams"), "promotion:team_list", "promotion.team"),
                    MenuItem(
                        _("Park entry rules"),
                        "promotion:parkentryrule_list",
                        "promotion.parkentryrule",
                    ),
                    MenuItem(
                        _("Targets"), "promotion:promotiontarget_list", "promotion.promotiontarget"
                    ),
                ),
            )
        )
