"""``manage.py prune_revisions``: keep each article's last ``ARTICLE_REVISIONS_KEEP`` revisions.

django-reversion's own ``deleterevisions --keep`` does the work: a revision
shared by several articles (a bulk action) stays while it is among the last
ones of any of them. Run it from cron, e.g. nightly.
"""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from reversion.models import Revision


class Command(BaseCommand):
    help = "Delete article revisions beyond the last ARTICLE_REVISIONS_KEEP per article."

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=None, help="revisions kept per article (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")

    def handle(self, *args, keep=None, dry_run=False, verbosity=1, **options):
        keep = settings.ARTICLE_REVISIONS_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1 (deleterevisions deletes everything for 0)")
        before = Revision.objects.count()
        with transaction.atomic():
            call_command("deleterevisions", "articles.Article", keep=keep, verbosity=0, stdout=StringIO())
            deleted = before - Revision.objects.count()
            transaction.set_rollback(dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {deleted} revisions, keeping the last {keep} per article"))
