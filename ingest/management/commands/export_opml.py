"""Write every subscribed feed to an OPML 2.0 file, each under its category path.

    python manage.py export_opml [FILE]     (standard output without FILE)

Any feed reader imports it, and so does ``import_opml``: folders become the
category path again and each feed's title names its source.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest.feeds.subscriptions import export_document, exported_feeds


class Command(BaseCommand):
    help = "Export all feeds as OPML (folders for categories)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="", help="where to write it (default: standard output)")

    def handle(self, *args, file="", **options):
        feeds = exported_feeds()
        document = export_document(feeds)
        if not file:
            self.stdout.write(document.decode(), ending="")
            return
        try:
            Path(file).write_bytes(document)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"wrote {len(feeds)} feed(s) to {file}"))
