"""Accounts and the login logs in the Django admin.

Accounts are the security administrator's (``security_admin``): a user's names, role and
whether it may log in; the password is set through Django's password forms, which keep
the password rules. No form sets ``is_superuser``, and ``is_staff`` follows the role.

The login logs are readable by those whose role may, changed by no one.

django-axes registers its logs (no longer written, kept as they were) with admins that let
anyone holding the model permission (a superuser, or a role a deployment widened) edit and
delete entries; they are replaced with read-only ones, as is Beacon's own login log's.
auditlog's own admin already refuses to add, change or delete change-log entries.
"""

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from . import gate
from .admin_scoped import ScopedModelAdmin
from .models import ApiToken, LoginFailure, LoginRecord, ScopeGrant, User
from .scopes import SCOPE_TARGETS, resolve_scope


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


class ScopeGrantForm(forms.ModelForm):
    """A grant by the key people use (a park's or team's code, an enterprise's USCC), as
    ``createuser --park/--team/--enterprise`` takes it, not by a row number."""

    key = forms.CharField(
        label=_("code"), help_text=_("A park's or team's code, or an enterprise's USCC.")
    )

    class Meta:
        model = ScopeGrant
        fields = ("kind",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grant = self.instance
        if grant.pk and grant.kind in SCOPE_TARGETS:
            label, field = SCOPE_TARGETS[grant.kind]
            target = apps.get_model(label).objects.filter(pk=grant.object_id).first()
            self.initial["key"] = getattr(target, field, grant.object_id)

    def clean(self):
        cleaned = super().clean()
        kind, key = cleaned.get("kind"), (cleaned.get("key") or "").strip()
        if kind and key:
            object_id = resolve_scope(kind, key) if kind in SCOPE_TARGETS else None
            if object_id is None:
                self.add_error("key", _("Nothing of this kind has this code."))
            else:
                self.instance.object_id = object_id
        return cleaned


class ScopeGrantInline(admin.TabularInline):
    model = ScopeGrant
    form = ScopeGrantForm
    extra = 0

    def _own(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def has_add_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_delete_permission(request, obj)


class ApiTokenInline(admin.TabularInline):
    """A user's API tokens, to revoke (delete); a token is issued on the command line, which
    shows its key once."""

    model = ApiToken
    fields = readonly_fields = ("prefix", "description", "created", "expires", "last_used")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class AccountAdmin(ScopedModelAdmin, UserAdmin):
    inlines = [ScopeGrantInline, ApiTokenInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # an administrator's own role is another's to change, or the split of duties would
        # be one person's choice
        if obj is not None and obj.pk == request.user.pk:
            return (*fields, "role", "is_active")
        return fields

    def get_inline_instances(self, request, obj=None):
        # grants are given once the account exists, as createuser gives them after creating it
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        obj.is_staff = bool(obj.role and obj.role.staff)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        def save():
            super(AccountAdmin, self).save_related(request, form, formsets, change)
            return list(ScopeGrant.objects.filter(user=form.instance))

        gate.write(request.user, "change", save)


@admin.register(LoginRecord)
class LoginRecordAdmin(ReadOnlyLogAdmin, admin.ModelAdmin):
    list_display = ("time", "kind", "username", "ip_address", "user_agent")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyLogAdmin, admin.ModelAdmin):
    list_display = ("time", "username", "ip_address", "user_agent", "locked_out")
    list_filter = ("locked_out",)
    search_fields = ("username", "ip_address")
