"""One import orchestration, for post files and feed items alike.

    read (and skip what is known by its hash) → parse → download images (optional) → load

``import_posts`` hands it post files and ``ingest.feeds`` a feed's items,
each as a :class:`Pending`; it yields one :class:`ItemResult` per item, and
:func:`summary` formats the counts for both. Whatever goes wrong with one item
(a bad field, a body that cannot be rendered, a database error) fails that item
alone, named, with the reason; the others go on.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import DatabaseError, connection

from content.models import Article, ArticleSource, CategoryListing, Tag, TaggedArticle
from ingest.downloads import ImageFetcher, LocalImages
from ingest.errors import ParseError
from ingest.files import PostFile
from ingest.hexo import parse_post
from ingest.loader import Loader, Outcome, already_imported, load_batch
from ingest.records import PostRecord, sha256_hex

BATCH_SIZE = 200  # items whose hashes are checked, and new posts created, together
# After this many articles written, the planner's row estimates are stale (an
# import into an empty database leaves it estimating a few dozen rows for
# 100,000): the run ends by analysing the tables.
ANALYZE_AFTER = 1000
WRITTEN = {Outcome.CREATED, Outcome.UPDATED, Outcome.MERGED}

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Pending:
    """Something to import: its name in messages, and how to make its record.

    ``read`` gives the raw bytes when there are any to recognise an unchanged
    input by (a file); ``parse`` turns them (or nothing) into a record."""

    name: str
    parse: Callable[[bytes | None], PostRecord]
    read: Callable[[], bytes] | None = None


@dataclass
class ItemResult:
    name: str
    outcome: Outcome
    error: str = ""  # why it failed: "field: reason"
    warnings: list[str] = field(default_factory=list)


def post_file(post: PostFile) -> Pending:
    """A seed post file; images beside it are found relative to its folder."""
    return Pending(
        name=post.name,
        read=post.path.read_bytes,
        parse=lambda data: parse_post(data, post.name, asset_dir=post.path.parent),
    )


class Importer:
    """Imports items batch by batch. Make one per run: it remembers the rows
    and images it has seen (``overwrite`` also replaces articles an editor changed)."""

    def __init__(self, *, overwrite: bool = False):
        self.loader = Loader(overwrite=overwrite)
        self._image_fetcher: ImageFetcher | None = None

    def run(self, items: Iterable[Pending], *, download_images: bool = False) -> Iterator[ItemResult]:
        """Import ``items``; ``download_images`` first puts their remote images in the media library."""
        if download_images and self._image_fetcher is None:
            self._image_fetcher = ImageFetcher()
        fetcher = self._image_fetcher if download_images else None
        items, written = iter(items), 0
        while batch := list(islice(items, BATCH_SIZE)):
            for result in self._import_batch(batch, fetcher):
                written += result.outcome in WRITTEN
                yield result
        if written >= ANALYZE_AFTER:
            analyze_tables()

    def _import_batch(self, batch: list[Pending], fetcher: ImageFetcher | None) -> Iterator[ItemResult]:
        """A batch costs a few queries up front: inputs seen before (same bytes)
        are known without being parsed, and new posts are created together."""
        contents = {}
        for item in batch:
            try:
                contents[item] = item.read() if item.read else None
            except OSError as exc:
                yield _failed(item, exc)
        hashes = {item: sha256_hex(data) for item, data in contents.items() if data is not None}
        known = already_imported(list(hashes.values()))
        records = {}
        for item, data in contents.items():
            if item in hashes and hashes[item] in known:
                yield ItemResult(item.name, Outcome.UNCHANGED)
                continue
            try:
                records[item] = item.parse(data)
            except Exception as exc:  # one input's failure, whatever it is, is its own
                yield _failed(item, exc)
        # Downloads happen before any transaction, never inside one.
        loadable = [(record, fetcher.localise(record) if fetcher else LocalImages()) for record in records.values()]
        for item, (record, images, result) in zip(records, load_batch(self.loader, loadable), strict=True):
            if isinstance(result, Exception):
                yield _failed(item, result)
            else:
                yield ItemResult(item.name, result, warnings=record.warnings + images.warnings)


def analyze_tables() -> None:
    """Fresh planner statistics for the tables an import fills."""
    tables = [Article, Article.categories.through, TaggedArticle, CategoryListing, ArticleSource, Tag]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _failed(item: Pending, error: Exception) -> ItemResult:
    return ItemResult(item.name, Outcome.FAILED, error=describe(error))


def describe(error: Exception) -> str:
    """The reason an item failed, as its report line shows it."""
    if isinstance(error, (ParseError, OSError, DatabaseError)):
        return str(error)
    # Not an expected kind of failure: the operator gets the traceback in the log.
    logger.error("import failed unexpectedly", exc_info=error)
    return f"cannot be imported ({type(error).__name__}: {str(error)[:200]})"


def summary(counts: Counter, *, dry_run: bool = False, prefix: str = "") -> str:
    """``created 5, updated 0, unchanged 2, merged 0, skipped 0, failed 1``, after ``prefix``."""
    text = prefix + ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)
    return f"dry run, nothing written: {text}" if dry_run else text
