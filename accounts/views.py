"""Enrolling a second factor: an authenticator app (TOTP), confirmed with its
first code, and ten backup codes shown once."""

from base64 import b32encode

import django_otp
import segno
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView, redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.policy import has_device

APP_DEVICE_NAME = "身份验证器"
BACKUP_DEVICE_NAME = "备用码"
BACKUP_CODES = 10


def enrol(request, site):
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if has_device(user):
        return redirect("admin:index")
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": APP_DEVICE_NAME})
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("code", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return render(
                request, "accounts/backup_codes.html", {**site.each_context(request), "codes": backup_codes(user)}
            )
        error = "验证码不对或已过期，请输入应用里当前显示的六位数字。"
    context = {
        **site.each_context(request),
        "title": "设置两步验证",
        # segno writes the SVG itself from the device's own otpauth:// address; nothing of the user's is in it but that.
        "qr_code": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),
        "secret": b32encode(device.bin_key).decode(),
        "error": error,
    }
    return render(request, "accounts/enrol.html", context)


def backup_codes(user) -> list[str]:
    """New backup codes for ``user`` (any earlier ones stop working): each opens the admin once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class StaffPasswordResetForm(PasswordResetForm):
    """Only staff get a reset link: the site has no reader accounts to recover."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class StaffPasswordResetView(PasswordResetView):
    form_class = StaffPasswordResetForm
