"""Import seed posts (Hexo-style files: YAML front matter + HTML/Markdown body).

    python manage.py import_posts seeds/ more/post.md [--dry-run] [--overwrite] [--download-images] [--parsers N]

The files go through the one import orchestration (``ingest.run``),
the same that feed items go through. A broken file is reported as
``FILE: field: reason`` and skipped; the others still import. Files are parsed
in ``--parsers`` worker processes (one per CPU by default). The command ends
with a summary line (which says how many articles' search documents were left
to the worker, ``run_worker --batch``) and exits 1 if any file failed.
"""

import os
import sys
from collections import Counter
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ingest.files import find_post_files
from ingest.loader import Outcome
from ingest.run import Importer, post_file, summary
from search.tasks import queued_articles

PROGRESS_BAR_FROM = 200  # files; smaller imports finish before a bar helps
OUTCOME_NOTES = {Outcome.SKIPPED: "skipped (edited in the admin; --overwrite replaces it)"}


class Command(BaseCommand):
    help = "Import seed posts from files or folders (recursively: *.md, *.markdown, *.txt)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="post files or folders of posts")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument("--overwrite", action="store_true", help="also replace articles an editor has changed")
        parser.add_argument(
            "--download-images",
            action="store_true",
            help=(
                "copy the remote images of new and changed posts into media storage"
                " (a failed image keeps its remote URL, with a warning)"
            ),
        )
        parser.add_argument(
            "--parsers",
            type=int,
            default=os.cpu_count() or 1,
            help="worker processes parsing the files (default: one per CPU; 1 parses in this process)",
        )

    def handle(
        self, *args, paths, dry_run=False, overwrite=False, download_images=False, parsers=1, verbosity=1, **options
    ):
        try:
            files = find_post_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        importer = Importer(overwrite=overwrite, parsers=parsers)
        counts = Counter()
        # A dry run does everything inside one transaction and rolls it back,
        # so its report is exactly what a real run would do.
        with transaction.atomic() if dry_run else nullcontext(), self._progress(len(files)) as progress:
            # A dry run downloads nothing: it only reports.
            for result in importer.run(map(post_file, files), download_images=download_images and not dry_run):
                counts[result.outcome] += 1
                progress.update()
                self._report(result, verbosity)
            if dry_run:
                transaction.set_rollback(True)
        failed = counts[Outcome.FAILED]
        queued = 0 if dry_run else queued_articles()
        line = summary(counts, dry_run=dry_run, queued=queued)
        self.stdout.write((self.style.ERROR if failed else self.style.SUCCESS)(line))
        if failed:
            raise CommandError(f"{failed} post(s) failed to import", returncode=1)

    def _report(self, result, verbosity: int) -> None:
        if result.error:
            self.stderr.write(f"{result.name}: {result.error}")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"{result.name}: warning: {warning}"))
        if verbosity >= 2 or result.outcome == Outcome.SKIPPED:
            self.stdout.write(f"{result.name}: {OUTCOME_NOTES.get(result.outcome, result.outcome)}")

    def _progress(self, total: int) -> tqdm:
        show = self.stdout.isatty() and total >= PROGRESS_BAR_FROM
        return tqdm(total=total, unit="post", disable=not show, file=sys.stderr)
