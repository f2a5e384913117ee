"""Rebuild the search document of every article (after the tokeniser changes).

    python manage.py rebuild_search [--batch-size 2000] [--workers N] [--dry-run] [--enqueue]

Works through the articles in batches by id, each batch in its own short
transaction, so the site keeps serving (and searching the old documents)
while it runs; ``--workers`` processes build batches side by side (one per CPU
by default). Shows a progress bar on a terminal. ``--enqueue`` leaves the
work to the background worker (``run_worker``) instead.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from content.models import Article
from search.documents import rebuild
from search.tasks import rebuild_search_documents


class Command(BaseCommand):
    help = "Rebuild the search documents of all articles, in batches, while the site serves."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="articles per transaction (default 2000)")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="processes building documents (default: 1 per CPU)"
        )
        parser.add_argument("--dry-run", action="store_true", help="count the articles; write nothing")
        parser.add_argument("--enqueue", action="store_true", help="queue the rebuild for the background worker")

    def handle(self, *args, batch_size=2000, workers=1, dry_run=False, enqueue=False, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if enqueue and not dry_run:
            rebuild_search_documents.enqueue(batch_size=batch_size)
            self.stdout.write(self.style.SUCCESS("queued the rebuild of every search document for the worker"))
            return
        total = Article.objects.count()
        if dry_run:
            self.stdout.write(f"would rebuild {total} search documents")
            return
        show = self.stdout.isatty() and verbosity > 0
        done = 0
        with tqdm(total=total, unit="article", disable=not show, file=sys.stderr) as progress:
            for rebuilt in rebuild(batch_size, workers=workers):
                done += rebuilt
                progress.update(rebuilt)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"rebuilt {done} search documents"))
