"""Subscribe to one RSS or Atom feed.

    python manage.py add_feed URL --path 新媒体/高科技行业门户/新闻 [--source NAME] [--interval MINUTES]
                                  [--full-text [--selector CSS]]

Its items are filed under the category path and are by the source (an author
of kind source; by default the path's second level, the crawler's ``##`` source).
The category and the source are created if they do not exist yet. With
``--full-text``, each item's page is fetched for the whole article
(``ingest.feeds.fulltext``), the feed giving only a summary.
"""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.models import Feed
from content.text import split_category_path
from ingest.feeds.fulltext import SelectorError, check_selector
from ingest.feeds.subscriptions import new_feed
from ingest.models import FullText


class Command(BaseCommand):
    help = "Subscribe to an RSS/Atom feed whose items become articles."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--path", required=True, help="category path, levels joined by / (group/source/channel)")
        parser.add_argument("--source", default="", help="source name, the articles' author (default: path level 2)")
        parser.add_argument("--interval", type=int, default=60, help="minutes between fetches (default 60)")
        parser.add_argument("--full-text", action="store_true", help="fetch each item's page for the whole article")
        parser.add_argument("--selector", default="", help="--full-text: CSS selector of the article on the page")
        parser.add_argument("--dry-run", action="store_true", help="check and report; save nothing")

    def handle(self, *args, url, path, source="", interval=60, full_text=False, selector="", dry_run=False, **options):
        if selector and not full_text:
            raise CommandError("--selector goes with --full-text")
        try:
            check_selector(selector)
        except SelectorError as exc:
            raise CommandError(f"--selector: {exc}") from exc
        if existing := Feed.objects.filter(url=url).first():
            raise CommandError(f"{url}: already subscribed (feed {existing.pk})")
        # A dry run creates the category and source too, then rolls them back.
        with transaction.atomic() if dry_run else nullcontext():
            feed = new_feed(url, split_category_path(path), source, interval)
            if dry_run:
                transaction.set_rollback(True)
            else:
                feed.save()
                if full_text:
                    FullText.objects.create(feed=feed, enabled=True, selector=selector.strip())
        prefix = "dry run, nothing written: would add" if dry_run else f"added feed {feed.pk}:"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {feed.url} → {feed.category}"))
