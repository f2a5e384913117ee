"""Password guessing: a user and address are locked out after LOGIN_FAILURE_LIMIT failures."""

import datetime as dt

import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, log_in, reaches_admin, signed_in

GUESSES = 20


def error_note(response) -> str:
    page = response.content.decode()
    return page.split('class="errornote"')[1].split("</p>")[0] if 'class="errornote"' in page else ""


def guess(client, username, times=GUESSES, address="203.0.113.7"):
    for n in range(times):
        log_in(client, username, f"wrong-{n}", address=address)


def test_twenty_wrong_passwords_lock_the_account_for_that_address(client, protections, superuser):
    guess(client, "laoli")
    refused = log_in(client, "laoli")
    assert refused.status_code == 429
    assert "密码错误次数过多" in refused.content.decode()
    assert not signed_in(client)


def test_another_address_is_not_locked_out_by_default(client, protections, superuser):
    guess(client, "laoli")
    log_in(client, "laoli", address="198.51.100.9")
    assert signed_in(client)


def test_locking_by_user_refuses_every_address(client, protections, superuser):
    protections.AXES_LOCKOUT_PARAMETERS = ["username"]  # LOGIN_LOCKOUT_BY=user
    guess(client, "laoli")
    assert log_in(client, "laoli", address="198.51.100.9").status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, protections, superuser):
    guess(client, "laoli")
    with time_machine.travel(dt.timedelta(minutes=protections.LOGIN_COOLOFF_MINUTES + 1)):
        log_in(client, "laoli")
        assert signed_in(client)


def test_a_superuser_sees_the_lockout_in_the_admin_and_unlocks_it(client, protections, superuser, writer):
    guess(client, "writer")
    assert log_in(client, "writer").status_code == 429
    admin = type(client)()
    admin.force_login(superuser)
    protections.SECOND_FACTOR_FOR = "none"  # this test is about the lockout list, not the superuser's login
    attempts = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "writer" in attempts and "203.0.113.7" in attempts
    (attempt,) = AccessAttempt.objects.all()
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    log_in(client, "writer")
    assert signed_in(client) and reaches_admin(client)


def test_an_unknown_user_is_answered_and_locked_like_a_known_one(client, protections, superuser):
    known = log_in(client, "laoli", "wrong")
    unknown = log_in(client, "nobody", "wrong")
    assert unknown.status_code == known.status_code == 200
    assert error_note(unknown) == error_note(known) != ""
    guess(client, "nobody")
    assert log_in(client, "nobody").status_code == 429


def test_a_wrong_user_costs_one_password_hash_like_a_wrong_password(client, protections, superuser, monkeypatch):
    """Django hashes the guess for a user who does not exist too, so timing does not tell them apart."""
    hashes = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *args: hashes.append(1) or encode(self, *args))
    log_in(client, "laoli", "wrong")
    known = len(hashes)
    log_in(client, "nobody", "wrong")
    assert known == 1 and len(hashes) - known == 1


def test_a_successful_login_clears_earlier_failures(client, protections, superuser):
    protections.SECOND_FACTOR_FOR = "none"
    guess(client, "laoli", times=protections.AXES_FAILURE_LIMIT - 1)
    log_in(client, "laoli", PASSWORD)
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()
