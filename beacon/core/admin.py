"""The login log in the Django admin: readable by those whose role may, changed by no one.

django-axes registers its logs with admins that let anyone holding the model permission
(a superuser, or a role a deployment widened) edit and delete entries; the login log is
append-only, so those admins are replaced with read-only ones. auditlog's own admin already
refuses to add, change or delete change-log entries.
"""

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin


class ReadOnlyLogAdmin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model, vendor_admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(vendor_admin.__name__, (ReadOnlyLogAdmin, vendor_admin), {}))
