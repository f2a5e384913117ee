"""Reset a user's second factor when their phone is lost and the backup codes are gone.

    python manage.py reset_second_factor USERNAME

Their authenticator app and backup codes are deleted; at their next login they
enrol again. For the last superuser, who has nobody to ask in the admin.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.policy import forget_devices


class Command(BaseCommand):
    help = "Delete a user's authenticator app and backup codes so they enrol again at their next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        forget_devices([user])
        self.stdout.write(self.style.SUCCESS(f"{username}: second factor reset; they enrol again at their next login."))
