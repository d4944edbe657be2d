from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "beacon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import (
            audit,  # noqa: F401  (lets the archive release the audit logs on SQLite)
            audit_resources,  # noqa: F401  (registers the audit logs' export tables)
            checks,  # noqa: F401  (registers the production checks)
            loginlog,  # noqa: F401  (connects the login log to the login signals)
        )
        from .account import on_login
        from .api import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
        from .changelog import register_models
        from .counts import forget
        from .navigation import MenuGroup, MenuItem, register_group

        register_models()
        post_migrate.connect(forget, sender=self, dispatch_uid="beacon.core.counts.forget")
        user_logged_in.connect(on_login, dispatch_uid="beacon.core.account.on_login")
        register_group(
            MenuGroup(
                _("Audit"),
                (
                    MenuItem(_("Change log"), "core:logentry_list", "core.changelogentry"),
                    MenuItem(_("Logins"), "core:accesslog_list", "core.loginrecord"),
                    MenuItem(_("Failed logins"), "core:accessfailurelog_list", "core.loginfailure"),
                ),
            )
        )
