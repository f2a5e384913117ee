"""Subscribing to feeds: one (``new_feed``, for ``add_feed`` and route lists),
many at once (an OPML list), and listing them all for export.

The OPML half is shared by ``import_opml``/``export_opml`` and the desk's OPML buttons. A feed
already subscribed, or listed twice, is recognised and left alone; a feed that
cannot be added (not http(s), a private address) is reported with its line
and the others are still added. Everything happens in one transaction, rolled
back for a dry run.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from content.models import Author, Category, Feed
from ingest.feeds.fetch import FeedError, check_subscribable
from ingest.feeds.opml import ExportedFeed, Outline, opml_document

# Where import_opml and the desk's OPML form file feeds that are in no folder.
DEFAULT_PATH = "订阅/未分类"
SOURCE_NAME_MAX_LENGTH = Author._meta.get_field("name").max_length
CATEGORY_NAME_MAX_LENGTH = Category._meta.get_field("name").max_length


def new_feed(url: str, levels: list[str], source: str = "", interval: int = 60) -> Feed:
    """A checked, unsaved feed filed under ``levels`` (top first), with its
    category and source created if missing; a bad argument is a ``CommandError``."""
    try:
        check_subscribable(url)
    except FeedError as exc:
        raise CommandError(f"{url}: {exc}") from exc
    if not levels:
        raise CommandError("--path: give at least one category level")
    source_name = source.strip() or levels[min(1, len(levels) - 1)]
    feed = Feed(
        url=url,
        category=Category.objects.get_or_create_path(levels),
        source=Author.objects.get_or_create(name=source_name, defaults={"kind": Author.Kind.SOURCE})[0],
        interval_minutes=interval,
    )
    try:
        feed.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise CommandError(f"{url}: {'; '.join(exc.messages)}") from exc
    return feed


@dataclass
class Subscribed:
    added: list[tuple[Outline, Feed]] = field(default_factory=list)
    already: list[Outline] = field(default_factory=list)  # subscribed before this file
    repeated: list[Outline] = field(default_factory=list)  # a second time in this file
    problems: list[str] = field(default_factory=list)  # "line 12: URL: reason"

    def summary(self, dry_run: bool) -> str:
        text = (
            f"added {len(self.added)}, already subscribed {len(self.already)}, "
            f"repeated in the file {len(self.repeated)}, failed {len(self.problems)}"
        )
        return f"dry run, nothing written: {text}" if dry_run else text


def subscribe(outlines: list[Outline], *, default_path: list[str], interval: int, dry_run: bool) -> Subscribed:
    """Subscribe to each new feed of ``outlines``, filed under its folders (or
    ``default_path`` when it is in none), by a source named after its title."""
    result = Subscribed()
    known = set(Feed.objects.filter(url__in=[outline.url for outline in outlines]).values_list("url", flat=True))
    seen: set[str] = set()
    with transaction.atomic():
        for outline in outlines:
            if outline.url in seen:
                result.repeated.append(outline)
            elif outline.url in known:
                result.already.append(outline)
            else:
                _add(outline, default_path, interval, result)
            seen.add(outline.url)
        Feed.objects.bulk_create([feed for _, feed in result.added])
        transaction.set_rollback(dry_run)
    return result


def _add(outline: Outline, default_path: list[str], interval: int, result: Subscribed) -> None:
    levels = [name[:CATEGORY_NAME_MAX_LENGTH] for name in outline.path] or default_path
    try:
        result.added.append((outline, new_feed(outline.url, levels, source_name(outline), interval)))
    except CommandError as exc:
        result.problems.append(f"line {outline.line}: {exc}")


def source_name(outline: Outline) -> str:
    """The feed's title, else its host: the articles' source."""
    return (outline.title or urlsplit(outline.url).hostname or outline.url)[:SOURCE_NAME_MAX_LENGTH]


def exported_feeds() -> list[ExportedFeed]:
    """Every feed, active or paused, under its category path, named after its source."""
    feeds = Feed.objects.select_related("source", "category__parent__parent").order_by("category__path", "url")
    return [ExportedFeed(f.url, f.source.name, [c.name for c in f.category.ancestry()]) for f in feeds]


def export_document(feeds: list[ExportedFeed]) -> bytes:
    """``feeds`` as the site's OPML file."""
    return opml_document(feeds, title=f"{settings.SITE_NAME} 订阅源", now=timezone.now())
