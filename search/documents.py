"""Building search documents from articles, in bulk.

``search.receivers`` indexes the articles of every committed change (a big one,
such as an import's batch, through the worker: ``search.tasks.index_articles``);
``rebuild_search`` calls
:func:`rebuild` over every article after the tokeniser changes (so does the
``rebuild_search_documents`` task, queued from the admin or ``--enqueue``).
"""

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from typing import NamedTuple

from content.models import Article
from newsroom.processes import worker_pool
from search import backends
from search.tokens import searchable_body, tokens

# Text past this many characters of a body is not searched: it keeps a document
# well under PostgreSQL's 1 MB tsvector limit (phrases stop matching past
# 16,383 tokens there anyway).
MAX_BODY_CHARACTERS = 50_000
# After rebuilding this many documents, the backend settles its index (``settle``).
SETTLE_AFTER = 1000
DOCUMENT_FIELDS = ("title", "body", "status", "published_at", "author__name")


class Document(NamedTuple):
    """What a search document is made of; the backend decides how it stores it (``write``)."""

    article_id: int
    title_tokens: str
    body_tokens: str
    published_at: dt.datetime | None  # None unless the article is marked published


def build(article: Article) -> Document:
    """The document of ``article``, whose author and tags are loaded."""
    highest = [article.title, article.author.name, *(tag.name for tag in article.tags.all())]
    title_tokens = " ".join(token for text in highest for token in tokens(text))
    body_tokens = " ".join(tokens(searchable_body(article.body)[:MAX_BODY_CHARACTERS]))
    published_at = article.published_at if article.status == Article.Status.PUBLISHED else None
    return Document(article.pk, title_tokens, body_tokens, published_at)


def index(article_ids: Iterable[int]) -> int:
    """(Re)build the documents of these articles with one statement; returns how many."""
    articles = (
        Article.objects.filter(pk__in=list(article_ids))
        .select_related("author")
        .prefetch_related("tags")
        .only(*DOCUMENT_FIELDS)  # not the other long texts (the body's source)
    )
    documents = [build(article) for article in articles]
    if documents:
        backends.current().write(documents)
    return len(documents)


def rebuild(batch_size: int = 2000, article_ids: Iterable[int] | None = None, *, workers: int = 1) -> Iterator[int]:
    """Rebuild the documents of these articles (all when None) in batches by id,
    each one short statement, so the site keeps serving meanwhile; yields how
    many documents each batch rebuilt. ``workers`` > 1 builds the batches in
    that many processes (tokenising is most of the work), a few batches ahead."""
    batches, rebuilt = _batches(batch_size, article_ids), 0
    with worker_pool(workers) as pool:
        for count in map(index, batches) if pool is None else _ahead(pool, batches, 2 * workers):
            rebuilt += count
            yield count
    if rebuilt >= SETTLE_AFTER:
        backends.current().settle()


def _ahead(pool: Executor, batches: Iterator[list[int]], ahead: int) -> Iterator[int]:
    """``index`` of each batch, in order, from the pool, at most ``ahead`` batches in flight."""
    building: deque[Future] = deque()
    for batch in batches:
        building.append(pool.submit(index, batch))
        if len(building) > ahead:
            yield building.popleft().result()
    while building:
        yield building.popleft().result()


def _batches(batch_size: int, article_ids: Iterable[int] | None) -> Iterator[list[int]]:
    articles = Article.objects.order_by("pk")
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    last = 0
    while batch := list(articles.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size]):
        yield batch
        last = batch[-1]
