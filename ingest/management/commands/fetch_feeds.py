"""Fetch the live feeds that are due and load their new and changed items.

    python manage.py fetch_feeds [--once | --loop --interval SECONDS] [--feed ID …] [--download-images] [--dry-run]

Each feed is fetched with a conditional GET and its items become articles
through the one import orchestration that ``import_posts`` uses
(``ingest.feeds``, ``ingest.run``). A feed that fails is
reported as ``FEED URL: reason``, backs off, and never stops the others. Each
round ends with a summary line; ``--once`` (the default) exits 1 if a feed failed.
Each round also e-mails editors about feeds newly failing or silent past the
thresholds (``ingest.feeds.health``), when ``FEEDS_ALERT_EMAILS`` is set.
"""

import argparse
import time
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from content.models import Feed
from ingest.feeds.health import alert_editors
from ingest.feeds.runner import FeedResult, fetch_due, summary


class Command(BaseCommand):
    help = "Fetch due RSS/Atom feeds (or the given ones) and import their items as articles."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="one round, then exit (the default; for cron)")
        mode.add_argument("--loop", action="store_true", help="round after round (under a process supervisor)")
        parser.add_argument("--interval", type=int, default=60, help="--loop: seconds between rounds (default 60)")
        parser.add_argument("--feed", type=int, action="append", dest="feed_ids", help="fetch this feed now")
        parser.add_argument(
            "--download-images",
            action="store_true",
            help="copy item images into media storage, for every feed (a feed can also be set to)",
        )
        parser.add_argument("--dry-run", action="store_true", help="fetch and report; write nothing")
        # Stops --loop after N rounds: for tests.
        parser.add_argument("--max-rounds", type=int, default=0, help=argparse.SUPPRESS)

    def handle(
        self,
        *args,
        loop=False,
        interval=60,
        feed_ids=None,
        dry_run=False,
        download_images=False,
        max_rounds=0,
        **options,
    ):
        if loop and interval < 1:
            raise CommandError("--interval must be at least 1 second")
        if feed_ids:
            missing = set(feed_ids) - set(Feed.objects.filter(pk__in=feed_ids).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no feed with id {', '.join(map(str, sorted(missing)))}")
        self.verbosity = options["verbosity"]
        # A dry run downloads nothing; otherwise every feed, or those set to.
        self.download_images = False if dry_run else (True if download_images else None)
        rounds = 0
        while True:
            failed = self._round(feed_ids, dry_run, loop)
            rounds += 1
            if not loop or rounds == max_rounds:
                break
            time.sleep(interval)
        if failed and not loop:
            raise CommandError(f"{failed} feed(s) failed", returncode=1)

    def _round(self, feed_ids: list[int] | None, dry_run: bool, loop: bool) -> int:
        """One pass over the due feeds; returns how many failed."""
        # A dry run does everything in one transaction and rolls it back.
        try:
            with transaction.atomic() if dry_run else nullcontext():
                results = list(fetch_due(feed_ids, download_images=self.download_images))
                if dry_run:
                    transaction.set_rollback(True)
        except DatabaseError as exc:
            if not loop:
                raise CommandError(f"database error: {exc}") from exc
            self.stderr.write(f"database error: {exc}; trying again next round")
            return 0
        self._report(results, dry_run)
        if not dry_run and (alerted := alert_editors()):
            self.stderr.write(f"e-mailed editors about {alerted} feed(s) failing or silent past the threshold")
        return sum(1 for result in results if result.error)

    def _report(self, results: list[FeedResult], dry_run: bool) -> None:
        for result in results:
            for line in result.problems + (result.warnings if self.verbosity >= 2 else []):
                self.stderr.write(f"{result.feed.url}: {line}")
        failures = [result for result in results if result.error]
        for result in failures:
            self.stderr.write(f"{result.feed.url}: {result.error}")
        self.stdout.write((self.style.ERROR if failures else self.style.SUCCESS)(summary(results, dry_run)))
