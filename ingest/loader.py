""":class:`PostRecord` → models. Upserts on the record's source key.

A batch's new posts are created with bulk inserts in one transaction; every
other record is loaded in its own transaction, so a failure leaves no partial
article. Either way articles go through the model's one write path: bulk
creation runs ``Article.derive()`` and announces the batch once
(``content.changes``), as ``save()`` does for one article. Unique constraints
(source key, fingerprint, slug, category path, tag name) turn a concurrent
import of the same post into an IntegrityError, which is retried: the second
attempt finds what the other run created.
"""

from collections.abc import Iterator
from enum import StrEnum

import reversion
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connection, transaction

from content import changes
from content.models import Article, ArticleSource, Author, Category, Tag, TaggedArticle, assign_slugs
from ingest.downloads import LocalImages
from ingest.records import PostRecord, junk_reason

ATTEMPTS = 3


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MERGED = "merged"
    SKIPPED = "skipped"
    FAILED = "failed"


def already_imported(content_hashes: list[str]) -> set[str]:
    """Which of these file hashes were imported before (one query for a batch)."""
    return set(ArticleSource.objects.filter(content_hash__in=content_hashes).values_list("content_hash", flat=True))


def load_batch(
    loader: "Loader", batch: list[tuple[PostRecord, LocalImages]]
) -> Iterator[tuple[PostRecord, LocalImages, "Outcome | Exception"]]:
    """Load a batch in order: its new posts with bulk inserts, the rest one by one.

    Yields each record with its outcome, or the error that failed it (the
    other records still load). Used by the one import orchestration
    (``ingest.run``) for files and feed items alike.

    Images shipped beside the posts are stored first, outside any database
    transaction (storage may be remote); their names are content-addressed,
    so a load that fails afterwards leaves only a harmless unused file."""
    unstored = {}
    for record, _ in batch:
        try:
            _store_local_images(record)
        except OSError as exc:
            unstored[record.source_key] = exc
    loadable = [(record, images) for record, images in batch if record.source_key not in unstored]
    loader.expect([record for record, _ in loadable])
    created = loader.create_new(loadable)
    for record, images in batch:
        if record.source_key in unstored:
            yield record, images, unstored[record.source_key]
        elif record.source_key in created:
            created.discard(record.source_key)
            yield record, images, Outcome.CREATED
        else:
            try:
                outcome = loader.load(record, images)
            except Exception as exc:  # one record's failure, whatever it is, is its own
                yield record, images, exc
            else:
                yield record, images, outcome


class Loader:
    """Loads records; ``overwrite`` also replaces articles an editor has changed."""

    def __init__(self, *, overwrite: bool = False):
        self.overwrite = overwrite
        self._categories: dict[tuple[str, ...], Category] = {}
        self._authors: dict[str, Author] = {}
        self._tags: dict[str, Tag] = {}
        # Keys and fingerprints known to be absent from the database: loading
        # such a post needs no lookup. Filled per batch by expect().
        self._new_keys: set[str] = set()
        self._new_fingerprints: set[str] = set()

    def expect(self, records: list[PostRecord]) -> None:
        """Look up a batch's source keys and fingerprints in two queries."""
        keys = {record.source_key for record in records}
        fingerprints = {record.fingerprint for record in records}
        self._new_keys = keys - set(ArticleSource.objects.filter(key__in=keys).values_list("key", flat=True))
        self._new_fingerprints = fingerprints - set(
            Article.objects.filter(fingerprint__in=fingerprints).values_list("fingerprint", flat=True)
        )

    def create_new(self, batch: list[tuple[PostRecord, LocalImages]]) -> set[str]:
        """Create the batch's new articles (neither key nor fingerprint known,
        per expect()) with a handful of bulk inserts in one transaction.

        Returns the source keys created. On any error nothing is written and
        the set is empty: every record then goes through load() one by one,
        which reports each problem against its own file."""
        fresh = self._fresh(batch)
        if not fresh:
            return set()
        try:
            with transaction.atomic():
                _skip_commit_flush()
                created = self._create_all(fresh)
        except Exception:  # every record then reports its own problem through load()
            self._forget_cached_rows()
            return set()
        changes.changed(*created)
        keys = {record.source_key for record, _ in fresh}
        self._new_keys -= keys
        self._new_fingerprints -= {record.fingerprint for record, _ in fresh}
        return keys

    def _fresh(self, batch: list[tuple[PostRecord, LocalImages]]) -> list[tuple[PostRecord, LocalImages]]:
        """Records known to be new, each key and fingerprint once (a twin merges later)."""
        fresh, keys, fingerprints = [], set(), set()
        for record, images in batch:
            key, fingerprint = record.source_key, record.fingerprint
            if key in self._new_keys - keys and fingerprint in self._new_fingerprints - fingerprints:
                fresh.append((record, images))
                keys.add(key)
                fingerprints.add(fingerprint)
        return fresh

    def _create_all(self, fresh: list[tuple[PostRecord, LocalImages]]) -> list[Article]:
        created = [(self._copy(Article(), record, images), record) for record, images in fresh]
        articles = [article for article, _ in created]
        assign_slugs(articles)
        for article in articles:
            article.derive()
        insert(articles)
        Article.categories.through.objects.bulk_create(
            Article.categories.through(article=article, category=self._category(path))
            for article, record in created
            for path in record.category_paths
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag=tag)
            for article, record in created
            for tag in self._tags_named(record.tags)
        )
        ArticleSource.objects.bulk_create(_source(article, record) for article, record in created)
        return articles

    def load(self, record: PostRecord, local_images: LocalImages | None = None) -> Outcome:
        """Load one record; ``local_images`` maps remote image URLs to downloaded copies."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                # The article is announced once, with its categories and tags, after the commit.
                with changes.batch(), transaction.atomic():
                    _skip_commit_flush()
                    return self._load(record, local_images or LocalImages())
            except (IntegrityError, OperationalError):
                # Another import got there first (or a deadlock was broken):
                # try again, without rows cached during the rolled-back attempt.
                self._forget_cached_rows()
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _forget_cached_rows(self) -> None:
        for cache in (self._categories, self._authors, self._tags, self._new_keys, self._new_fingerprints):
            cache.clear()

    def _load(self, record: PostRecord, images: LocalImages) -> Outcome:
        if record.source_key not in self._new_keys:
            source = ArticleSource.objects.select_related("article").filter(key=record.source_key).first()
            if source is not None:
                return self._update(source, record, images)
        self._new_keys.discard(record.source_key)
        twin = None
        if record.fingerprint not in self._new_fingerprints:
            twin = Article.objects.filter(fingerprint=record.fingerprint).first()
        self._new_fingerprints.discard(record.fingerprint)
        if twin is not None:
            self._file_under(twin, record)
            self._record_source(twin, record)
            changes.changed(twin)  # filed under more categories, without being saved
            return Outcome.MERGED
        article = Article()
        self._fill(article, record, images)
        self._record_source(article, record)
        return Outcome.CREATED

    def _update(self, source: ArticleSource, record: PostRecord, images: LocalImages) -> Outcome:
        article = source.article
        if source.content_hash == record.content_hash:
            return Outcome.UNCHANGED
        if article.edited_in_admin and not self.overwrite:
            return Outcome.SKIPPED
        # An update is a revision (a creation is not: see content.revisions), taken once filed.
        with reversion.create_revision():
            self._fill(article, record, images)
            reversion.add_to_revision(article)
            reversion.set_comment(f"导入更新：{record.file_name}")
        source.content_hash = record.content_hash
        source.file_name = record.file_name
        source.save()
        return Outcome.UPDATED

    def _fill(self, article: Article, record: PostRecord, images: LocalImages) -> None:
        """Copy the record onto the article, save it and file it under its categories."""
        self._copy(article, record, images).save()
        self._file_under(article, record)

    def _copy(self, article: Article, record: PostRecord, images: LocalImages) -> Article:
        article.title = record.title
        article.author = self._author(record.author)
        article.body_format = record.body_format
        article.body_source = record.body_source
        images.point_at_copies(
            article,
            body_html=record.body_html,
            excerpt=record.excerpt,
            head_image=record.head_image,
            thumbnail=record.thumbnail,
        )
        article.published_at = record.published_at
        article.junk_reason = junk_reason(record.title, record.body_html, settings.IMPORT_JUNK_MIN_TEXT_LENGTH)
        publish = record.is_published and not article.junk_reason
        article.status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
        article.allow_comments = record.allow_comments
        article.fingerprint = record.fingerprint
        article.edited_in_admin = False
        return article

    def _file_under(self, article: Article, record: PostRecord) -> None:
        """Add the record's categories and tags (never removes any: merged feeds add up)."""
        Article.categories.through.objects.bulk_create(
            [
                Article.categories.through(article=article, category=self._category(path))
                for path in record.category_paths
            ],
            ignore_conflicts=True,
        )
        TaggedArticle.objects.bulk_create(
            [TaggedArticle(content_object=article, tag=tag) for tag in self._tags_named(record.tags)],
            ignore_conflicts=True,
        )

    def _record_source(self, article: Article, record: PostRecord) -> None:
        _source(article, record).save()

    def _author(self, name: str) -> Author:
        name = name or "佚名"
        if name not in self._authors:
            self._authors[name], _ = Author.objects.get_or_create(name=name, defaults={"kind": Author.Kind.SOURCE})
        return self._authors[name]

    def _tags_named(self, names: list[str]) -> list[Tag]:
        missing = [name for name in names if name.casefold() not in self._tags]
        for name in missing:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            self._tags[name.casefold()] = tag
        return [self._tags[name.casefold()] for name in names]

    def _category(self, path: list[str]) -> Category:
        key = tuple(path)
        if key not in self._categories:
            parent = self._category(path[:-1]) if len(path) > 1 else None
            self._categories[key], _ = Category.objects.get_or_create(parent=parent, name=path[-1])
        return self._categories[key]


def _source(article: Article, record: PostRecord) -> ArticleSource:
    return ArticleSource(
        article=article,
        feed_id=record.feed_id,
        key=record.source_key,
        file_name=record.file_name,
        content_hash=record.content_hash,
    )


def insert(articles: list[Article]) -> None:
    """``bulk_create`` for a batch of new articles, by ``COPY`` on PostgreSQL.

    Their bodies are long: sent as ``bulk_create``'s arrays, each one is
    escaped character by character in Python, where ``COPY`` escapes rows in C
    and the server parses no statement. The ids are drawn from the table's
    sequence first, as ``bulk_create`` would get them back."""
    if connection.vendor != "postgresql":
        Article.objects.bulk_create(articles)
        return
    meta = Article._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(articles)],
        )
        for article, (pk,) in zip(articles, cursor.fetchall(), strict=True):
            article.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for article in articles:
                copy.write_row([field.get_db_prep_save(field.pre_save(article, True), connection) for field in fields])
    for article in articles:
        article._state.adding, article._state.db = False, connection.alias


def _skip_commit_flush() -> None:
    """On PostgreSQL, don't wait for each file's commit to reach disk.

    A server crash can lose the last few imported files (never half of one:
    the database stays consistent), and importing again restores them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _store_local_images(record: PostRecord) -> None:
    for image in record.local_images:
        if not default_storage.exists(image.storage_name):
            with image.path.open("rb") as handle:
                default_storage.save(image.storage_name, File(handle))
