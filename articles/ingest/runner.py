"""Fetch the feeds that are due and load their items, a few feeds at a time.

Several fetchers may run at once (cron on every app node, or a ``--loop``
under a supervisor). A fetcher claims feeds with ``SELECT … FOR UPDATE SKIP
LOCKED`` and, in the same short transaction, moves their next fetch time a
lease ahead; then it fetches outside any transaction. Another fetcher skips
rows being claimed and no longer sees claimed feeds as due, so each feed is
fetched by one fetcher at a time (and again after the lease if one crashed).

A feed that fails records its error and backs off: the next try waits its
interval doubled per consecutive failure, at most ``FEEDS_MAX_BACKOFF``.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.importing.downloads import LocalImages
from articles.importing.errors import ParseError
from articles.importing.loader import Loader, Outcome, load_batch
from articles.ingest.fetch import DEFAULT_TIMEOUT, FeedError, Response, fetch
from articles.ingest.items import item_record, parse_feed
from articles.models import Feed

DEFAULT_BATCH_SIZE = 5  # feeds claimed at a time
DEFAULT_MAX_BACKOFF = 24 * 60 * 60  # seconds


@dataclass
class FeedResult:
    """What one fetch of one feed did: item outcomes, or the feed's error."""

    feed: Feed
    outcomes: Counter = field(default_factory=Counter)
    error: str = ""
    not_modified: bool = False
    problems: list[str] = field(default_factory=list)  # items that failed
    warnings: list[str] = field(default_factory=list)


def fetch_due(feed_ids: Iterable[int] | None = None) -> Iterator[FeedResult]:
    """Fetch every due feed (or the feeds ``feed_ids``, due or not) once."""
    loader = Loader()
    pending = None if feed_ids is None else set(feed_ids)
    while feeds := _claim(pending):
        for feed in feeds:
            yield fetch_feed(feed, loader)
        if pending is not None:
            pending -= {feed.pk for feed in feeds}


def _claim(pending: set[int] | None) -> list[Feed]:
    """Lock a few feeds (skipping those another fetcher holds) and lease them."""
    if pending is not None and not pending:
        return []
    now = timezone.now()
    feeds = Feed.objects.filter(pk__in=pending) if pending is not None else Feed.objects.due(now)
    size = getattr(settings, "FEEDS_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    with transaction.atomic():
        claimed = list(
            feeds.select_for_update(skip_locked=True).order_by(F("next_fetch_at").asc(nulls_first=True), "pk")[:size]
        )
        Feed.objects.filter(pk__in=[feed.pk for feed in claimed]).update(next_fetch_at=now + _lease())
    return claimed


def _lease() -> dt.timedelta:
    """Long enough for a fetch to finish: the feed is not due again meanwhile."""
    return dt.timedelta(seconds=4 * getattr(settings, "FEEDS_TIMEOUT", DEFAULT_TIMEOUT) + 60)


def fetch_feed(feed: Feed, loader: Loader) -> FeedResult:
    result = FeedResult(feed)
    try:
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        entries = [] if response.not_modified else parse_feed(response)
    except FeedError as exc:
        result.error = str(exc)
        _record_failure(feed, result.error)
        return result
    result.not_modified = response.not_modified
    _load(entries, feed, loader, result)
    _record_success(feed, response)
    return result


def _load(entries: list[dict], feed: Feed, loader: Loader, result: FeedResult) -> None:
    records = []
    for entry in entries:
        try:
            records.append(
                item_record(
                    entry,
                    key_prefix=feed.source_key_prefix,
                    author=feed.source_name,
                    category_path=feed.category_levels(),
                )
            )
        except ParseError as exc:
            result.outcomes[Outcome.FAILED] += 1
            result.problems.append(f"item {entry.get('link') or entry.get('id') or '?'}: {exc}")
    for record, _, outcome in load_batch(loader, [(record, LocalImages()) for record in records]):
        if isinstance(outcome, Exception):
            result.problems.append(f"item {record.file_name}: {outcome}")
            outcome = Outcome.FAILED
        else:
            result.warnings += [f"item {record.file_name}: warning: {warning}" for warning in record.warnings]
        result.outcomes[outcome] += 1


def _record_success(feed: Feed, response: Response) -> None:
    now = timezone.now()
    feed.etag = response.etag[: Feed._meta.get_field("etag").max_length]
    feed.last_modified = response.last_modified[: Feed._meta.get_field("last_modified").max_length]
    feed.last_status = Feed.Status.NOT_MODIFIED if response.not_modified else Feed.Status.OK
    feed.last_error, feed.consecutive_failures = "", 0
    feed.last_fetched_at, feed.next_fetch_at = now, now + dt.timedelta(minutes=feed.interval_minutes)
    _save_status(feed)


def _record_failure(feed: Feed, error: str) -> None:
    now = timezone.now()
    feed.last_status, feed.last_error = Feed.Status.ERROR, error
    feed.consecutive_failures += 1
    backoff = feed.interval_minutes * 60 * 2 ** min(feed.consecutive_failures, 16)
    feed.last_fetched_at = now
    feed.next_fetch_at = now + dt.timedelta(
        seconds=min(backoff, getattr(settings, "FEEDS_MAX_BACKOFF", DEFAULT_MAX_BACKOFF))
    )
    _save_status(feed)


def _save_status(feed: Feed) -> None:
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_status",
            "last_error",
            "consecutive_failures",
            "last_fetched_at",
            "next_fetch_at",
        ]
    )


def summary(results: list[FeedResult], dry_run: bool = False) -> str:
    """``feeds 3: fetched 2, not modified 1, failed 0; created 5, updated 0, …`` (items as the importer counts them)."""
    items = Counter()
    for result in results:
        items.update(result.outcomes)
    fetched = sum(1 for result in results if not result.error and not result.not_modified)
    not_modified = sum(1 for result in results if result.not_modified)
    failed = sum(1 for result in results if result.error)
    text = f"feeds {len(results)}: fetched {fetched}, not modified {not_modified}, failed {failed}; " + ", ".join(
        f"{outcome} {items[outcome]}" for outcome in Outcome
    )
    return f"dry run, nothing written: {text}" if dry_run else text
