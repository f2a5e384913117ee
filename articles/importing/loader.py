""":class:`PostRecord` → models. Upserts on the record's source key.

Every record is loaded in its own transaction, so a failure leaves no partial
article. Unique constraints (source key, fingerprint, slug, category path, tag
name) turn a concurrent import of the same post into an IntegrityError, which
is retried: the second attempt finds what the other run created.
"""

from enum import StrEnum

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from articles.importing.parser import PostRecord
from articles.models import Article, ArticleSource, Author, Category

ATTEMPTS = 3


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MERGED = "merged"
    SKIPPED = "skipped"
    FAILED = "failed"


def is_already_imported(content_hash: str) -> bool:
    """True when a file with exactly these bytes was imported before."""
    return ArticleSource.objects.filter(content_hash=content_hash).exists()


class Loader:
    """Loads records; ``overwrite`` also replaces articles an editor has changed."""

    def __init__(self, *, overwrite: bool = False):
        self.overwrite = overwrite
        self._categories: dict[tuple[str, ...], Category] = {}
        self._authors: dict[str, Author] = {}

    def load(self, record: PostRecord) -> Outcome:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return self._load(record)
            except IntegrityError:
                # Rows cached during the rolled-back attempt may not exist.
                self._categories.clear()
                self._authors.clear()
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _load(self, record: PostRecord) -> Outcome:
        source = ArticleSource.objects.select_related("article").filter(key=record.source_key).first()
        if source is not None:
            return self._update(source, record)
        twin = Article.objects.filter(fingerprint=record.fingerprint).first()
        if twin is not None:
            self._file_under(twin, record)
            self._record_source(twin, record)
            return Outcome.MERGED
        article = Article()
        self._fill(article, record)
        article.tags.set(record.tags)
        self._record_source(article, record)
        return Outcome.CREATED

    def _update(self, source: ArticleSource, record: PostRecord) -> Outcome:
        article = source.article
        if source.content_hash == record.content_hash:
            return Outcome.UNCHANGED
        if article.edited_in_admin and not self.overwrite:
            return Outcome.SKIPPED
        self._fill(article, record)
        article.tags.add(*record.tags)
        source.content_hash = record.content_hash
        source.file_name = record.file_name
        source.save()
        return Outcome.UPDATED

    def _fill(self, article: Article, record: PostRecord) -> None:
        """Copy the record onto the article, save it and file it under its categories."""
        article.title = record.title
        article.author = self._author(record.author)
        article.body_format = record.body_format
        article.body_source = record.body_source
        article.body = record.body_html
        article.excerpt = record.excerpt
        article.head_image = record.head_image
        article.thumbnail = record.thumbnail
        article.published_at = record.published_at
        article.status = Article.Status.PUBLISHED if record.is_published else Article.Status.DRAFT
        article.allow_comments = record.allow_comments
        article.fingerprint = record.fingerprint
        article.edited_in_admin = False
        article.save()
        self._file_under(article, record)
        _store_local_images(record)

    def _file_under(self, article: Article, record: PostRecord) -> None:
        article.categories.add(*(self._category(path) for path in record.category_paths))

    def _record_source(self, article: Article, record: PostRecord) -> None:
        ArticleSource.objects.create(
            article=article, key=record.source_key, file_name=record.file_name, content_hash=record.content_hash
        )

    def _author(self, name: str) -> Author:
        name = name or "佚名"
        if name not in self._authors:
            self._authors[name], _ = Author.objects.get_or_create(name=name, defaults={"kind": Author.Kind.SOURCE})
        return self._authors[name]

    def _category(self, path: list[str]) -> Category:
        key = tuple(path)
        if key not in self._categories:
            parent = self._category(path[:-1]) if len(path) > 1 else None
            self._categories[key], _ = Category.objects.get_or_create(parent=parent, name=path[-1])
        return self._categories[key]


def _store_local_images(record: PostRecord) -> None:
    for image in record.local_images:
        if not default_storage.exists(image.storage_name):
            with image.path.open("rb") as handle:
                default_storage.save(image.storage_name, File(handle))
