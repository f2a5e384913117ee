"""Subscribe to one RSS or Atom feed.

    python manage.py add_feed URL --path 新媒体/高科技行业门户/新闻 [--source NAME] [--interval MINUTES]

Its items are filed under the category path and are by the source (an author
of kind source; by default the path's second level, the crawler's ``##`` source).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.ingest.fetch import FeedError, check_url
from articles.models import Feed


class Command(BaseCommand):
    help = "Subscribe to an RSS/Atom feed whose items become articles."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--path", required=True, help="category path, levels joined by / (group/source/channel)")
        parser.add_argument("--source", default="", help="source name, the articles' author (default: path level 2)")
        parser.add_argument("--interval", type=int, default=60, help="minutes between fetches (default 60)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; save nothing")

    def handle(self, *args, url, path, source="", interval=60, dry_run=False, **options):
        feed = new_feed(url, path, source, interval)
        if existing := Feed.objects.filter(url=feed.url).first():
            raise CommandError(f"{url}: already subscribed (feed {existing.pk})")
        if not dry_run:
            feed.save()
        prefix = "dry run, nothing written: would add" if dry_run else f"added feed {feed.pk}:"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {feed.url} → {' › '.join(feed.category_levels())}"))


def new_feed(url: str, path: str, source: str = "", interval: int = 60) -> Feed:
    """A checked, unsaved feed; a bad argument is a ``CommandError``."""
    try:
        check_url(url)
    except FeedError as exc:
        raise CommandError(f"{url}: {exc}") from exc
    levels = [level.strip() for level in path.split("/") if level.strip()]
    if not levels:
        raise CommandError("--path: give at least one category level")
    feed = Feed(
        url=url,
        category_path="/".join(levels),
        source_name=source.strip() or levels[min(1, len(levels) - 1)],
        interval_minutes=interval,
    )
    try:
        feed.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise CommandError(f"{url}: {'; '.join(exc.messages)}") from exc
    return feed
