"""One import orchestration, for post files and feed items alike.

    read (and skip what is known by its hash) → parse → download images (optional) → load

``import_posts`` hands it post files and ``ingest.feeds`` a feed's items,
each as a :class:`Pending`; it yields one :class:`ItemResult` per item, and
:func:`summary` formats the counts for both. Whatever goes wrong with one item
(a bad field, a body that cannot be rendered, a database error) fails that item
alone, named, with the reason; the others go on.

Parsing (Markdown, the sanitiser) is most of an import's work and is pure, so
an :class:`Importer` made with ``parsers`` > 1 parses in that many worker
processes, one batch ahead of the batch being loaded; loading stays in this
process, in order, through the one write path.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import DatabaseError, connection

from content.models import Article, ArticleSource, CategoryListing, Tag, TaggedArticle
from content.search_documents import SearchDocument
from ingest.downloads import ImageFetcher, LocalImages
from ingest.errors import ParseError
from ingest.files import PostFile
from ingest.hexo import parse_post
from ingest.loader import Loader, Outcome, already_imported, load_batch
from ingest.records import PostRecord, sha256_hex
from newsroom.processes import worker_pool

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
    input by (a file); ``parse`` turns them (or nothing) into a record. A
    ``parse`` that pickles (a module-level function or a ``partial`` of one)
    can run in a worker process."""

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
        parse=PostFileParser(post.name, post.path.parent),
    )


@dataclass(frozen=True)
class PostFileParser:
    """``parse_post`` for one file, as a value that pickles (to a worker process)."""

    name: str
    folder: Path

    def __call__(self, data: bytes | None) -> PostRecord:
        return parse_post(data, self.name, asset_dir=self.folder)


@dataclass
class Started:
    """A batch read and checked, its parsing under way."""

    done: list[ItemResult]  # items already settled: unreadable or unchanged
    parsing: dict[Pending, Future]  # each item's record, or why it has none (text)


class Importer:
    """Imports items batch by batch. Make one per run: it remembers the rows
    and images it has seen (``overwrite`` also replaces articles an editor
    changed). ``parsers`` > 1 parses in that many worker processes (its items'
    ``parse`` must pickle)."""

    def __init__(self, *, overwrite: bool = False, parsers: int = 1):
        self.loader = Loader(overwrite=overwrite)
        self.parsers = parsers
        self._image_fetcher: ImageFetcher | None = None

    def run(self, items: Iterable[Pending], *, download_images: bool = False) -> Iterator[ItemResult]:
        """Import ``items``; ``download_images`` first puts their remote images in the media library."""
        if download_images and self._image_fetcher is None:
            self._image_fetcher = ImageFetcher()
        fetcher = self._image_fetcher if download_images else None
        items, written = iter(items), 0
        with worker_pool(self.parsers) as pool:
            batches = iter(lambda: list(islice(items, BATCH_SIZE)), [])
            for started in one_ahead(self._start(batch, pool) for batch in batches):
                for result in self._finish(started, fetcher):
                    written += result.outcome in WRITTEN
                    yield result
        if written >= ANALYZE_AFTER:
            analyze_tables()

    def _start(self, batch: list[Pending], pool: Executor | None) -> Started:
        """A batch costs a few queries up front: inputs seen before (same bytes)
        are known without being parsed; the others are handed to the parsers."""
        contents, done = {}, []
        for item in batch:
            try:
                contents[item] = item.read() if item.read else None
            except OSError as exc:
                done.append(_failed(item, exc))
        hashes = {item: sha256_hex(data) for item, data in contents.items() if data is not None}
        known = already_imported(list(hashes.values()))
        parsing = {}
        for item, data in contents.items():
            if item in hashes and hashes[item] in known:
                done.append(ItemResult(item.name, Outcome.UNCHANGED))
            else:
                parsing[item] = _submit(pool, item.parse, data)
        return Started(done, parsing)

    def _finish(self, started: Started, fetcher: ImageFetcher | None) -> Iterator[ItemResult]:
        """The batch's parsed records loaded (new posts created together)."""
        yield from started.done
        records = {}
        for item, parsing in started.parsing.items():
            try:
                parsed = parsing.result()
            except Exception as exc:  # the worker process itself failed (killed, or the record did not pickle)
                parsed = describe(exc)
            if isinstance(parsed, str):
                yield ItemResult(item.name, Outcome.FAILED, error=parsed)
            else:
                records[item] = parsed
        # Downloads happen before any transaction, never inside one.
        loadable = [(record, fetcher.localise(record) if fetcher else LocalImages()) for record in records.values()]
        for item, (record, images, result) in zip(records, load_batch(self.loader, loadable), strict=True):
            if isinstance(result, Exception):
                yield _failed(item, result)
            else:
                yield ItemResult(item.name, result, warnings=record.warnings + images.warnings)


def one_ahead(values: Iterator) -> Iterator:
    """Each value once the next one has been made: a batch is read, checked and
    handed to the parsers while the one before it loads."""
    previous = next(values, None)
    for value in values:
        yield previous
        previous = value
    if previous is not None:
        yield previous


def _submit(pool: Executor | None, parse: Callable[[bytes | None], PostRecord], data: bytes | None) -> Future:
    if pool is not None:
        return pool.submit(parse_safely, parse, data)
    parsed: Future = Future()
    parsed.set_result(parse_safely(parse, data))
    return parsed


def parse_safely(parse: Callable[[bytes | None], PostRecord], data: bytes | None) -> PostRecord | str:
    """The record, or why there is none: one input's failure, whatever it is,
    is its own. The reason is text, which crosses from a worker process intact
    (an exception may not survive pickling)."""
    try:
        return parse(data)
    except Exception as exc:
        return describe(exc)


def analyze_tables() -> None:
    """Fresh planner statistics for the tables an import fills; on PostgreSQL,
    their GIN indexes' pending lists merged too (the search documents'): rows
    added since the last merge are read one by one by every search until then."""
    tables = [Article, Article.categories.through, TaggedArticle, CategoryListing, ArticleSource, Tag, SearchDocument]
    names = [model._meta.db_table for model in tables]
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT gin_clean_pending_list(index.indexrelid::regclass) FROM pg_index index "
                "JOIN pg_class class ON class.oid = index.indexrelid JOIN pg_am am ON am.oid = class.relam "
                "WHERE am.amname = 'gin' AND index.indrelid = ANY(%s::regclass[])",
                [names],
            )


def _failed(item: Pending, error: Exception) -> ItemResult:
    return ItemResult(item.name, Outcome.FAILED, error=describe(error))


def describe(error: Exception) -> str:
    """The reason an item failed, as its report line shows it."""
    if isinstance(error, (ParseError, OSError, DatabaseError)):
        return str(error)
    # Not an expected kind of failure: the operator gets the traceback in the log.
    logger.error("import failed unexpectedly", exc_info=error)
    return f"cannot be imported ({type(error).__name__}: {str(error)[:200]})"


def summary(counts: Counter, *, dry_run: bool = False, prefix: str = "", queued: int = 0) -> str:
    """``created 5, updated 0, unchanged 2, merged 0, skipped 0, failed 1``, after ``prefix``;
    then how many articles' search documents wait for the worker, when ``queued``."""
    text = prefix + ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)
    if queued:
        text += f"; search: {queued:,} articles queued for the worker (run `manage.py run_worker --batch`)"
    return f"dry run, nothing written: {text}" if dry_run else text
