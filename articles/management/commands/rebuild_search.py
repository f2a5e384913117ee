"""Rebuild the search document of every article (after the tokeniser changes).

    python manage.py rebuild_search [--batch-size 2000] [--dry-run]

Works through the articles in batches by id, each batch in its own short
transaction, so the site keeps serving (and searching the old documents)
while it runs. Shows a progress bar on a terminal.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from articles.search.documents import index


class Command(BaseCommand):
    help = "Rebuild the search documents of all articles, in batches, while the site serves."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="articles per transaction (default 2000)")
        parser.add_argument("--dry-run", action="store_true", help="count the articles; write nothing")

    def handle(self, *args, batch_size=2000, dry_run=False, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        total = Article.objects.count()
        if dry_run:
            self.stdout.write(f"would rebuild {total} search documents")
            return
        show = self.stdout.isatty() and verbosity > 0
        done, last = 0, 0
        with tqdm(total=total, unit="article", disable=not show, file=sys.stderr) as progress:
            while batch := list(
                Article.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
            ):
                done += index(batch)
                last = batch[-1]
                progress.update(len(batch))
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"rebuilt {done} search documents"))
