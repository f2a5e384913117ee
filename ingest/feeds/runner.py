"""Fetch the feeds that are due and load their items, a few feeds at a time.

Several fetchers may run at once (cron on every app node, or a ``--loop``
under a supervisor). A fetcher claims feeds with ``SELECT … FOR UPDATE SKIP
LOCKED`` and, in the same short transaction, moves their next fetch time a
lease ahead; then it fetches outside any transaction. Another fetcher skips
rows being claimed and no longer sees claimed feeds as due, so each feed is
fetched by one fetcher at a time (and again after the lease if one crashed).

Items go through the feed's rules (``ingest.feeds.rules``: dropped, held as
drafts, tagged, filed) and then the one import orchestration (``ingest.run``),
as post files do: an item that fails is reported and the others still load.
A feed that fails records its error and backs off: the next try waits its
interval doubled per consecutive failure, at most ``FEEDS_MAX_BACKOFF``.
"""

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from content.models import Feed
from ingest.feeds.fetch import FeedError, Response, fetch
from ingest.feeds.fulltext import fetch_full_text
from ingest.feeds.health import record_success
from ingest.feeds.items import ParsedFeed, item_record, parse_feed
from ingest.feeds.rules import Rules
from ingest.feeds.websub import keep_subscribed
from ingest.loader import Outcome
from ingest.records import PostRecord
from ingest.run import Importer, Pending
from ingest.run import summary as items_summary


@dataclass
class FeedResult:
    """What one fetch of one feed did: item outcomes, or the feed's error."""

    feed: Feed
    outcomes: Counter = field(default_factory=Counter)
    error: str = ""
    not_modified: bool = False
    problems: list[str] = field(default_factory=list)  # items that failed
    warnings: list[str] = field(default_factory=list)
    dropped: int = 0  # items the feed's rules dropped
    item_keys: dict[str, str] = field(default_factory=dict)  # item name → its source key


def fetch_due(feed_ids: Iterable[int] | None = None, *, download_images: bool | None = None) -> Iterator[FeedResult]:
    """Fetch every due feed (or the feeds ``feed_ids``, due or not) once.

    Item images are copied into media storage for every feed (``download_images``
    true), none (false), or the feeds set to (``None``, the default)."""
    importer = Importer()
    pending = None if feed_ids is None else set(feed_ids)
    while feeds := _claim(pending):
        for feed in feeds:
            copy_images = feed.download_images if download_images is None else download_images
            yield fetch_feed(feed, importer, download_images=copy_images)
        if pending is not None:
            pending -= {feed.pk for feed in feeds}


def _claim(pending: set[int] | None) -> list[Feed]:
    """Lock a few feeds (skipping those another fetcher holds) and lease them."""
    if pending is not None and not pending:
        return []
    now = timezone.now()
    feeds = Feed.objects.filter(pk__in=pending) if pending is not None else Feed.objects.due(now)
    with transaction.atomic():
        claimed = list(
            feeds.select_for_update(skip_locked=True, of=("self",))  # not the left-joined full-text row
            .select_related("category", "source", "full_text")
            .order_by(F("next_fetch_at").asc(nulls_first=True), "pk")[: settings.FEEDS_BATCH_SIZE]
        )
        Feed.objects.filter(pk__in=[feed.pk for feed in claimed]).update(next_fetch_at=now + _lease())
    return claimed


def _lease() -> dt.timedelta:
    """Long enough for a fetch to finish: the feed is not due again meanwhile."""
    return dt.timedelta(seconds=4 * settings.FEEDS_TIMEOUT + 60)


def fetch_feed(feed: Feed, importer: Importer, *, download_images: bool = False) -> FeedResult:
    result = FeedResult(feed)
    try:
        response = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        parsed = ParsedFeed([]) if response.not_modified else parse_feed(response)
    except FeedError as exc:
        result.error = str(exc)
        _record_failure(feed, result.error)
        return result
    result.not_modified = response.not_modified
    if response.not_modified:  # the feed still names the hub it named last time
        keep_subscribed(feed, None, None)
    else:
        keep_subscribed(feed, parsed.hub, parsed.topic)
    rules = Rules.for_feed(feed.pk)
    for item in importer.run(_items(feed, parsed.entries, rules, result), download_images=download_images):
        result.outcomes[item.outcome] += 1
        if item.error:
            result.problems.append(f"item {item.name}: {item.error}")
        result.warnings += [f"item {item.name}: warning: {warning}" for warning in item.warnings]
        if item.outcome in (Outcome.CREATED, Outcome.UPDATED) and _wants_full_text(feed):
            fetch_full_text.enqueue(result.item_keys[item.name])
    rules.record_hits()
    _record_success(feed, response, result)
    return result


def _items(feed: Feed, entries: list[dict], rules: Rules, result: FeedResult) -> Iterator[Pending]:
    """The feed's entries as items to import, filed under its category and by
    its source, as its rules decide: an item they drop is counted, not loaded."""
    path = [category.name for category in feed.category.ancestry()]
    for entry in entries:
        name = entry.get("link") or entry.get("id") or "?"
        try:
            record = item_record(entry, feed_id=feed.pk, author=feed.source.name, category_path=path)
        except Exception as exc:  # the importer reports it as this item's failure, like any parse error
            yield Pending(name=name, parse=functools.partial(_raise, exc))
            continue
        decision = rules.decide_record(record)
        if decision.drop:
            result.dropped += 1
            continue
        decision.apply(record)
        result.item_keys[name] = record.source_key
        yield Pending(name=name, parse=lambda _, record=record: record)


def _wants_full_text(feed: Feed) -> bool:
    """The feed gives summaries: each new or changed item's page is fetched (``fulltext``)."""
    options = getattr(feed, "full_text", None)
    return options is not None and options.enabled


def _raise(error: Exception, _data: bytes | None) -> PostRecord:
    raise error


def _record_success(feed: Feed, response: Response, result: FeedResult) -> None:
    """The feed itself answered; items that failed are kept as its last error for editors to see."""
    now = timezone.now()
    feed.etag = response.etag[: Feed._meta.get_field("etag").max_length]
    feed.last_modified = response.last_modified[: Feed._meta.get_field("last_modified").max_length]
    feed.last_status = Feed.Status.NOT_MODIFIED if response.not_modified else Feed.Status.OK
    feed.last_error, feed.consecutive_failures = "\n".join(result.problems), 0
    feed.last_fetched_at, feed.next_fetch_at = now, now + dt.timedelta(minutes=feed.interval_minutes)
    _save_status(feed)
    new_items = any(result.outcomes[outcome] for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.MERGED))
    record_success(feed, now, new_items=new_items)


def _record_failure(feed: Feed, error: str) -> None:
    now = timezone.now()
    feed.last_status, feed.last_error = Feed.Status.ERROR, error
    feed.consecutive_failures += 1
    backoff = feed.interval_minutes * 60 * 2 ** min(feed.consecutive_failures, 16)
    feed.last_fetched_at = now
    feed.next_fetch_at = now + dt.timedelta(seconds=min(backoff, settings.FEEDS_MAX_BACKOFF))
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
    feeds = f"feeds {len(results)}: fetched {fetched}, not modified {not_modified}, failed {failed}; "
    dropped = sum(result.dropped for result in results)
    return items_summary(items, dry_run=dry_run, prefix=feeds) + (f"; dropped by rules {dropped}" if dropped else "")
