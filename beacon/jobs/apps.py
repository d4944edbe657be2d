from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "beacon.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from beacon.core.downloads import register_export_queue
        from beacon.core.navigation import MenuGroup, MenuItem, register_group
        from beacon.core.views.generic import register_import_queue

        from .exports import queue_export
        from .imports import queue_import

        register_export_queue(queue_export)
        register_import_queue(queue_import)

        register_group(MenuGroup(_("Jobs"), (MenuItem(_("My jobs"), "jobs:job_list", "jobs.job"),)))
