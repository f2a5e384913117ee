"""``manage.py create_editor USERNAME``: the everyday newsroom account.

A staff user in the Editors group (created by migration 0004): they write,
schedule and publish, but delete nothing and manage no users. The password
comes from ``--password``, else the ``EDITOR_PASSWORD`` environment variable,
else a prompt. Running it for an existing user resets the password if one is
given and puts the user in the group.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.policy import needs_second_factor
from content.models import Author

GROUP = "Editors"
PASSWORD_VARIABLE = "EDITOR_PASSWORD"


class Command(BaseCommand):
    help = "Create (or update) a staff user in the Editors group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help=f"the password (default: ${PASSWORD_VARIABLE}, else a prompt)")
        parser.add_argument("--email", default="")
        parser.add_argument("--author", help="byline the editor writes under: a staff author linked to the user")
        parser.add_argument("--dry-run", action="store_true", help="check everything, change nothing")

    def handle(self, *args, username, password, email, author, dry_run, **options):
        self.verbosity = options["verbosity"]
        group = Group.objects.filter(name=GROUP).first()
        if group is None:
            raise CommandError(f"There is no {GROUP} group: run `manage.py migrate` first.")
        user = get_user_model().objects.filter(username=username).first()
        password = password or os.environ.get(PASSWORD_VARIABLE) or (None if user else self._prompt())
        if password is not None:
            self._check(password, user or get_user_model()(username=username, email=email))
        if dry_run:
            self.stdout.write(f"Would {'update' if user else 'create'} editor {username} (dry run).")
            return
        with transaction.atomic():
            created = user is None
            user = self._save(user, username, email, password, group)
            if author:
                self._link_author(user, author)
        if self.verbosity >= 1:
            verb = "Created" if created else "Updated"
            self.stdout.write(self.style.SUCCESS(f"{verb} editor {username}; log in at /admin/."))
            if needs_second_factor(user):
                self.stdout.write(
                    "Editors may publish, so the first login asks them to set up two-step verification: "
                    "scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, "
                    "1Password…), enter its six-digit code, and keep the ten backup codes shown. "
                    "A lost phone: a superuser resets it (Users › 重置两步验证, "
                    f"or manage.py reset_second_factor {username})."
                )

    def _save(self, user, username, email, password, group):
        user = user or get_user_model()(username=username)
        user.is_staff = True
        user.email = email or user.email
        if password is not None:
            user.set_password(password)
        user.save()
        user.groups.add(group)
        return user

    def _link_author(self, user, name: str) -> None:
        author, _ = Author.objects.get_or_create(name=name, defaults={"kind": Author.Kind.STAFF})
        if author.user_id not in (None, user.pk):
            raise CommandError(f"Author {name} already belongs to another user.")
        if Author.objects.filter(user=user).exclude(pk=author.pk).exists():
            raise CommandError(f"{user.username} already writes as another author.")
        author.user = user
        author.save()
        if self.verbosity >= 2:
            self.stdout.write(f"Author {name} is linked to {user.username}.")

    def _prompt(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"Give a password with --password or ${PASSWORD_VARIABLE}.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return password

    def _check(self, password: str, user) -> None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
