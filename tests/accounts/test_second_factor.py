"""A second factor for those who may publish: enrolled from the admin, asked for at every login."""

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import PASSWORD, log_in, reaches_admin, signed_in


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def enrol(client) -> list[str]:
    """Scan (the device the page made), confirm with its code; returns the backup codes shown."""
    page = client.get(reverse("admin:second_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    shown = client.post(reverse("admin:second_factor"), {"code": code_of(device)})
    return shown.context["codes"]


def test_a_superuser_with_the_right_password_but_no_code_does_not_reach_the_admin(client, protections, superuser):
    enrolled(superuser)
    log_in(client, "laoli")
    assert not signed_in(client)
    assert not reaches_admin(client)


def test_a_superuser_with_a_valid_code_reaches_the_admin(client, protections, superuser):
    device = enrolled(superuser)
    log_in(client, "laoli", otp_device=device.persistent_id, otp_token=code_of(device))
    assert reaches_admin(client)


def test_a_code_used_once_is_refused_the_second_time(client, protections, superuser):
    device = enrolled(superuser)
    code = code_of(device)
    log_in(client, "laoli", otp_device=device.persistent_id, otp_token=code)
    assert reaches_admin(client)
    client.post(reverse("admin:logout"))
    log_in(client, "laoli", otp_device=device.persistent_id, otp_token=code)
    assert not reaches_admin(client)


def test_without_a_device_a_publisher_is_sent_to_enrol_then_gets_in(client, protections, superuser):
    log_in(client, "laoli")
    assert client.get(reverse("admin:index")).url == reverse("admin:second_factor")
    codes = enrol(client)
    assert len(codes) == 10
    assert reaches_admin(client)


def test_a_backup_code_opens_the_admin_once(client, protections, superuser):
    log_in(client, "laoli")
    code = enrol(client)[0]
    client.post(reverse("admin:logout"))
    backup = StaticToken.objects.get(token=code).device
    log_in(client, "laoli", otp_device=backup.persistent_id, otp_token=code)
    assert reaches_admin(client)
    client.post(reverse("admin:logout"))
    log_in(client, "laoli", otp_device=backup.persistent_id, otp_token=code)
    assert not reaches_admin(client)


def test_a_wrong_first_code_does_not_enrol(client, protections, superuser):
    log_in(client, "laoli")
    client.get(reverse("admin:second_factor"))
    page = client.post(reverse("admin:second_factor"), {"code": "000000"}).content.decode()
    assert "验证码不对" in page
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not reaches_admin(client)


def test_a_writer_who_may_not_publish_needs_only_a_password_by_default(client, protections, writer):
    log_in(client, "writer")
    assert reaches_admin(client)


def test_the_setting_widens_the_second_factor_to_every_staff_user(client, protections, writer):
    protections.SECOND_FACTOR_FOR = "staff"
    log_in(client, "writer")
    assert client.get(reverse("admin:index")).url == reverse("admin:second_factor")


def test_a_superuser_resets_a_lost_phone_and_the_user_enrols_again(client, protections, superuser, writer):
    protections.SECOND_FACTOR_FOR = "staff"
    enrolled(writer)
    admin = type(client)()
    device = enrolled(superuser)
    log_in(admin, "laoli", otp_device=device.persistent_id, otp_token=code_of(device))
    changelist = reverse("admin:auth_user_changelist")
    admin.post(changelist, {"action": "reset_second_factor", "_selected_action": [writer.pk]})
    assert not TOTPDevice.objects.filter(user=writer).exists()
    log_in(client, "writer")
    assert client.get(reverse("admin:index")).url == reverse("admin:second_factor")


def test_the_last_superuser_is_reset_from_the_command_line(protections, superuser):
    enrolled(superuser)
    out = StringIO()
    call_command("reset_second_factor", "laoli", stdout=out)
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert "enrol again" in out.getvalue()


def test_create_editor_says_how_to_enrol(protections, db, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD + "x")
    out = StringIO()
    call_command("create_editor", "xiaozhang", stdout=out)
    assert "two-step verification" in out.getvalue() and "authenticator app" in out.getvalue()


def test_a_code_from_minutes_ahead_is_refused(client, protections, superuser):
    device = enrolled(superuser)
    with time_machine.travel(dt.timedelta(minutes=2)):  # a code two minutes ahead of the server's clock
        late = code_of(device)
    log_in(client, "laoli", otp_device=device.persistent_id, otp_token=late)
    assert not reaches_admin(client)
