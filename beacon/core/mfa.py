"""A second factor for privileged roles (MLPS level 3), on django-otp.

Users of a role marked ``privileged`` (zone and system administrators) must add an
authenticator app (TOTP) before they can use Beacon, and then give its code at every
login; recovery codes stand in for a lost phone. django-otp stores the devices, throttles
wrong codes and marks the session as verified; the login form, the set-up page and the
enforcement are here because they follow Beacon's roles.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def requires_second_factor(user) -> bool:
    role = getattr(user, "role", None)
    return bool(settings.BEACON_MFA_REQUIRED and role is not None and role.privileged)


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code(user, code: str):
    """The device that accepts ``code``: the authenticator app's six digits, or a recovery
    code (used up by the check)."""
    model = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


class LoginForm(AuthenticationForm):
    """Username and password, and the second factor's code once the user has one."""

    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=20,
        help_text=_("From your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and has_second_factor(user):
            code = (cleaned.get("code") or "").replace(" ", "")
            if not code:
                raise forms.ValidationError(
                    _("Enter the verification code from your authenticator app."),
                    code="code_required",
                )
            device = verify_code(user, code)
            if device is None:
                raise forms.ValidationError(
                    _("The verification code is wrong or has expired."), code="code_invalid"
                )
            # django-otp marks the session verified when the login completes.
            user.otp_device = device
        return cleaned


class SecondFactorMiddleware:
    """Sends a privileged user whose session is not verified to set up or give a code."""

    open_paths = ("/logout/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and requires_second_factor(user)
            and not user.is_verified()
            and not request.path_info.startswith(self.open_paths)
            and request.path_info != reverse("two-factor")
        ):
            if request.path_info.startswith("/api/"):
                message = _("Your role needs a second factor: set it up in the web interface.")
                return JsonResponse({"detail": str(message)}, status=403)
            return redirect("two-factor")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )


class TwoFactorView(LoginRequiredMixin, View):
    """Add an authenticator app: scan the code, confirm one code, keep the recovery codes."""

    template_name = "core/two_factor.html"

    def pending_device(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)

    def render_setup(self, request, form, status=200):
        device = self.pending_device(request.user)
        return render(
            request,
            self.template_name,
            {"form": form, "qr_svg": qr_svg(device.config_url), "secret": device_secret(device)},
            status=status,
        )

    def get(self, request):
        if has_second_factor(request.user):
            return render(request, self.template_name, {"active": True})
        return self.render_setup(request, CodeForm())

    def post(self, request):
        if has_second_factor(request.user):
            return redirect("two-factor")
        form = CodeForm(request.POST)
        device = self.pending_device(request.user)
        if not form.is_valid() or not device.verify_token(form.cleaned_data["code"].strip()):
            form.add_error("code", _("The code is wrong or has expired; try the next one."))
            return self.render_setup(request, form, status=400)
        with transaction.atomic():
            device.confirmed = True
            device.save()
            StaticDevice.objects.filter(user=request.user).delete()
            backup = StaticDevice.objects.create(user=request.user, name="recovery")
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
        otp_login(request, device)
        return render(request, self.template_name, {"active": True, "recovery_codes": codes})


def device_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    svg = out.getvalue().decode()
    # generated by qrcode from the key: no text of a user's is in it
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308  # nosec
