"""Import seed posts (Hexo-style files: YAML front matter + HTML/Markdown body).

    python manage.py import_posts seeds/ more/post.md [--dry-run] [--overwrite]

Each file is parsed (``articles.importing.parser``) and loaded
(``articles.importing.loader``) in its own transaction. A broken file is
reported as ``FILE: field: reason`` and skipped; the others still import. The
command ends with a summary line and exits 1 if any file failed.
"""

import sys
from collections import Counter
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from articles.importing.errors import ParseError
from articles.importing.files import PostFile, find_post_files
from articles.importing.loader import Loader, Outcome, is_already_imported
from articles.importing.parser import parse_post, sha256_hex

PROGRESS_BAR_FROM = 200  # files; smaller imports finish before a bar helps
OUTCOME_NOTES = {Outcome.SKIPPED: "skipped (edited in the admin; --overwrite replaces it)"}


class Command(BaseCommand):
    help = "Import seed posts from files or folders (recursively: *.md, *.markdown, *.txt)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="post files or folders of posts")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument("--overwrite", action="store_true", help="also replace articles an editor has changed")

    def handle(self, *args, paths, dry_run=False, overwrite=False, verbosity=1, **options):
        try:
            files = find_post_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        loader = Loader(overwrite=overwrite)
        counts = Counter()
        # A dry run does everything inside one transaction and rolls it back,
        # so its report is exactly what a real run would do.
        with transaction.atomic() if dry_run else nullcontext():
            for post in self._progress(files):
                outcome = self._import_one(post, loader)
                counts[outcome] += 1
                if verbosity >= 2 or outcome == Outcome.SKIPPED:
                    self.stdout.write(f"{post.name}: {OUTCOME_NOTES.get(outcome, outcome)}")
            if dry_run:
                transaction.set_rollback(True)
        self._summarise(counts, dry_run)

    def _import_one(self, post: PostFile, loader: Loader) -> Outcome:
        try:
            data = post.path.read_bytes()
            if is_already_imported(sha256_hex(data)):
                return Outcome.UNCHANGED
            record = parse_post(data, post.name, asset_dir=post.path.parent)
            outcome = loader.load(record)
        except (ParseError, OSError, DatabaseError) as exc:
            self.stderr.write(f"{post.name}: {exc}")
            return Outcome.FAILED
        for warning in record.warnings:
            self.stderr.write(self.style.WARNING(f"{post.name}: warning: {warning}"))
        return outcome

    def _progress(self, files: list[PostFile]):
        show = self.stdout.isatty() and len(files) >= PROGRESS_BAR_FROM
        return tqdm(files, unit="post", disable=not show, file=sys.stderr)

    def _summarise(self, counts: Counter, dry_run: bool) -> None:
        summary = ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)
        if dry_run:
            summary = f"dry run, nothing written: {summary}"
        style = self.style.ERROR if counts[Outcome.FAILED] else self.style.SUCCESS
        self.stdout.write(style(summary))
        if counts[Outcome.FAILED]:
            raise CommandError(f"{counts[Outcome.FAILED]} post(s) failed to import", returncode=1)
