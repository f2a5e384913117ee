"""Subscribe to every feed of an OPML file, the list every feed reader exports.

    python manage.py import_opml FILE [--path 订阅/未分类] [--interval MINUTES] [--dry-run] [-v 2]

Nested folders become the category path; each feed's title names its source.
Feeds already subscribed, or listed twice, are left alone. A file that is not
well-formed OPML is refused with the line and the reason and subscribes
nothing; a feed that cannot be added is reported with its line, the others
are added, and the command exits 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.text import split_category_path
from ingest.feeds.opml import OpmlError, parse_opml
from ingest.feeds.subscriptions import DEFAULT_PATH, subscribe


class Command(BaseCommand):
    help = "Subscribe to the feeds of an OPML file (folders become the category path)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--path", default=DEFAULT_PATH, help=f"category path of feeds in no folder (default {DEFAULT_PATH})"
        )
        parser.add_argument("--interval", type=int, default=60, help="minutes between fetches (default 60)")
        parser.add_argument("--dry-run", action="store_true", help="report what would be added; write nothing")

    def handle(self, *args, file, path=DEFAULT_PATH, interval=60, dry_run=False, verbosity=1, **options):
        try:
            outlines = parse_opml(Path(file).read_bytes())
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        except OpmlError as exc:
            raise CommandError(f"{file}: {exc}; nothing subscribed") from exc
        result = subscribe(outlines, default_path=split_category_path(path), interval=interval, dry_run=dry_run)
        for outline, feed in result.added if verbosity >= 2 else []:
            self.stdout.write(f"line {outline.line}: {feed.url} → {feed.category}")
        for outline in result.repeated if verbosity >= 2 else []:
            self.stdout.write(f"line {outline.line}: {outline.url}: listed again; skipped")
        for problem in result.problems:
            self.stderr.write(f"{file}: {problem}")
        style = self.style.ERROR if result.problems else self.style.SUCCESS
        self.stdout.write(style(result.summary(dry_run)))
        if result.problems:
            raise CommandError(f"{len(result.problems)} feed(s) could not be added", returncode=1)
