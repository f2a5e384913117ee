"""Staff sessions end when idle and on a password change; a forgotten password is reset by e-mail."""

import datetime as dt
import re

import time_machine
from django.core import mail
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, log_in, reaches_admin


def test_a_session_ends_after_the_idle_time_and_not_while_in_use(client, settings, writer):
    idle = dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    log_in(client, "writer")
    with time_machine.travel(idle * 0.75):
        assert reaches_admin(client)  # in use: the idle clock starts again
    with time_machine.travel(idle * 1.5):
        assert reaches_admin(client)
    with time_machine.travel(idle * 1.5 + idle + dt.timedelta(minutes=1)):
        assert not reaches_admin(client)


def test_changing_the_password_ends_the_other_sessions(client, writer):
    other = type(client)()
    log_in(client, "writer")
    log_in(other, "writer")
    new = "another-newsroom-2025!"
    change = reverse("admin:password_change")
    client.post(change, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert reaches_admin(client)
    assert not reaches_admin(other)


def test_staff_reset_a_forgotten_password_by_email(client, writer):
    client.post(reverse("admin_password_reset"), {"email": "writer@example.com"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    new = "another-newsroom-2025!"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    log_in(client, "writer", new)
    assert reaches_admin(client)


def test_no_reset_mail_goes_to_a_user_who_is_not_staff(client, django_user_model):
    django_user_model.objects.create_user("reader", "reader@example.com", PASSWORD)
    client.post(reverse("admin_password_reset"), {"email": "reader@example.com"})
    assert mail.outbox == []


def test_the_login_page_offers_the_password_reset(client, db):
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).content.decode()
