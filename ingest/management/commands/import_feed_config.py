"""Subscribe to the feeds of an RSSHub-style route list (the seed crawler's config).

    python manage.py import_feed_config config.yml [--base-url http://127.0.0.1:1200] [--dry-run]

``#`` group, ``##`` source and ``###`` channel headings give each route its
category path and source; each route line becomes a feed at the RSSHub base
URL (``RSSHUB_BASE_URL``, your own instance: there is no public default) plus
the route. Commented routes (``# - /route``) are skipped and listed; routes
already subscribed are left as they are.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.models import Feed
from ingest.feeds.config import FeedConfig, Route, parse_config
from ingest.feeds.subscriptions import new_feed


class Command(BaseCommand):
    help = "Subscribe to every route of an RSSHub-style config file (# group / ## source / ### channel)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--base-url", default="", help="RSSHub instance (default: the RSSHUB_BASE_URL setting)")
        parser.add_argument("--interval", type=int, default=60, help="minutes between fetches (default 60)")
        parser.add_argument("--dry-run", action="store_true", help="report what would be added; write nothing")

    def handle(self, *args, file, base_url="", interval=60, dry_run=False, verbosity=1, **options):
        try:
            config = parse_config(Path(file).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        base = (base_url or settings.RSSHUB_BASE_URL).rstrip("/")
        if not base:
            raise CommandError(
                "no RSSHub instance: set RSSHUB_BASE_URL to your own (README: Running RSSHub) or pass --base-url"
            )
        # A dry run creates categories and sources too, then rolls them back.
        with transaction.atomic():
            added, already = self._new_feeds(config, base, interval)
            Feed.objects.bulk_create([feed for _, feed in added])
            transaction.set_rollback(dry_run)
        for route, feed in added if verbosity >= 2 else []:
            self.stdout.write(f"line {route.line}: {feed.url} → {' › '.join(route.path)}")
        for route in config.commented:
            self.stdout.write(f"line {route.line}: {route.route}: commented out; skipped")
        for problem in config.problems:
            self.stderr.write(f"{file}: {problem}; skipped")
        summary = (
            f"added {len(added)}, already subscribed {already}, "
            f"commented out {len(config.commented)}, failed {len(config.problems)}"
        )
        style = self.style.ERROR if config.problems else self.style.SUCCESS
        self.stdout.write(style(f"dry run, nothing written: {summary}" if dry_run else summary))
        if config.problems:
            raise CommandError(f"{len(config.problems)} route(s) could not be added", returncode=1)

    def _new_feeds(self, config: FeedConfig, base: str, interval: int) -> tuple[list[tuple[Route, Feed]], int]:
        """Feeds for the routes not subscribed yet (each URL once), and how many
        routes were; bad routes go to ``config.problems``."""
        urls = [feed_url(base, route) for route in config.routes]
        seen = set(Feed.objects.filter(url__in=urls).values_list("url", flat=True))
        added, already = [], 0
        for route, url in zip(config.routes, urls, strict=True):
            if url in seen:
                already += 1
                continue
            seen.add(url)
            try:
                added.append((route, new_feed(url, route.path, route.source, interval)))
            except CommandError as exc:
                config.problems.append(f"line {route.line}: {exc}")
        return added, already


def feed_url(base: str, route: Route) -> str:
    """Routes may hold Chinese (``/4gamers/tag/英雄聯盟``), kept readable; spaces are encoded."""
    return f"{base}{route.route.replace(' ', '%20')}"
