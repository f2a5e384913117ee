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
from django.db import transaction
from tqdm import tqdm

from articles.importing.downloads import ImageFetcher, LocalImages
from articles.importing.errors import ParseError
from articles.importing.files import PostFile, find_post_files
from articles.importing.loader import Loader, Outcome, already_imported, load_batch
from articles.importing.parser import PostRecord, parse_post, sha256_hex

PROGRESS_BAR_FROM = 200  # files; smaller imports finish before a bar helps
BATCH_SIZE = 200  # files whose hashes are checked with one query
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

    def handle(self, *args, paths, dry_run=False, overwrite=False, download_images=False, verbosity=1, **options):
        try:
            files = find_post_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        # A dry run downloads nothing: it only reports.
        self.image_fetcher = ImageFetcher() if download_images and not dry_run else None
        loader = Loader(overwrite=overwrite)
        counts = Counter()
        # A dry run does everything inside one transaction and rolls it back,
        # so its report is exactly what a real run would do.
        with transaction.atomic() if dry_run else nullcontext(), self._progress(len(files)) as progress:
            for start in range(0, len(files), BATCH_SIZE):
                for post, outcome in self._import_batch(files[start : start + BATCH_SIZE], loader):
                    counts[outcome] += 1
                    progress.update()
                    if verbosity >= 2 or outcome == Outcome.SKIPPED:
                        self.stdout.write(f"{post.name}: {OUTCOME_NOTES.get(outcome, outcome)}")
            if dry_run:
                transaction.set_rollback(True)
        self._summarise(counts, dry_run)

    def _import_batch(self, batch: list[PostFile], loader: Loader):
        """Yield ``(post, outcome)``. A batch costs a few queries up front: files
        seen before (same bytes) are known without being parsed, and new posts
        are known to be new without a lookup each, and are created together."""
        contents = {}
        for post in batch:
            try:
                contents[post] = post.path.read_bytes()
            except OSError as exc:
                yield post, self._failed(post, exc)
        hashes = {post: sha256_hex(data) for post, data in contents.items()}
        known = already_imported(list(hashes.values()))
        records = {}
        for post, data in contents.items():
            if hashes[post] in known:
                yield post, Outcome.UNCHANGED
                continue
            try:
                records[post] = parse_post(data, post.name, asset_dir=post.path.parent)
            except ParseError as exc:
                yield post, self._failed(post, exc)
        # Downloads happen before any transaction, never inside one.
        batch = [(record, self._local_images(record)) for record in records.values()]
        for post, (record, images, result) in zip(records, load_batch(loader, batch), strict=True):
            if isinstance(result, Exception):
                yield post, self._failed(post, result)
                continue
            self._warn(post, record.warnings + images.warnings)
            yield post, result

    def _local_images(self, record: PostRecord) -> LocalImages:
        return self.image_fetcher.localise(record) if self.image_fetcher else LocalImages()

    def _warn(self, post: PostFile, warnings: list[str]) -> None:
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"{post.name}: warning: {warning}"))

    def _failed(self, post: PostFile, error: Exception) -> Outcome:
        self.stderr.write(f"{post.name}: {error}")
        return Outcome.FAILED

    def _progress(self, total: int) -> tqdm:
        show = self.stdout.isatty() and total >= PROGRESS_BAR_FROM
        return tqdm(total=total, unit="post", disable=not show, file=sys.stderr)

    def _summarise(self, counts: Counter, dry_run: bool) -> None:
        summary = ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)
        if dry_run:
            summary = f"dry run, nothing written: {summary}"
        style = self.style.ERROR if counts[Outcome.FAILED] else self.style.SUCCESS
        self.stdout.write(style(summary))
        if counts[Outcome.FAILED]:
            raise CommandError(f"{counts[Outcome.FAILED]} post(s) failed to import", returncode=1)
