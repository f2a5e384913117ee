"""File an existing archive into stories (new articles are filed as they are saved).

    python manage.py cluster_stories [--batch-size 500] [--dry-run]

Works through the articles oldest first in batches, each article in its own
short transaction, so the site keeps serving while it runs. Articles already
filed are skipped: an interrupted run carries on where it stopped when run
again. Shows a progress bar on a terminal.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from stories.archive import file_archive, unfiled_count


class Command(BaseCommand):
    help = "File every article not filed yet into its story, oldest first, in batches (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="articles read at a time (default 500)")
        parser.add_argument("--dry-run", action="store_true", help="count the articles to file; write nothing")

    def handle(self, *args, batch_size=500, dry_run=False, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        waiting = unfiled_count()
        if dry_run:
            self.stdout.write(f"would file {waiting} articles into stories")
            return
        show = self.stdout.isatty() and verbosity > 0
        filed = 0
        with tqdm(total=waiting, unit="article", disable=not show, file=sys.stderr) as progress:
            for done in file_archive(batch_size):
                filed += done
                progress.update(done)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"filed {filed} articles into stories"))
