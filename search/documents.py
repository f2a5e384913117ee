"""Building search documents from articles, in bulk.

``search.receivers`` indexes the articles of every committed change (once per
batch for the importer); ``rebuild_search`` calls
:func:`rebuild` over every article after the tokeniser changes (so does the
``rebuild_search_documents`` task, queued from the admin or ``--enqueue``).
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from content.models import Article
from search import backends
from search.tokens import searchable_body, tokens

# Text past this many characters of a body is not searched: it keeps a document
# well under PostgreSQL's 1 MB tsvector limit (phrases stop matching past
# 16,383 tokens there anyway).
MAX_BODY_CHARACTERS = 50_000
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


def rebuild(batch_size: int = 2000, article_ids: Iterable[int] | None = None) -> Iterator[int]:
    """Rebuild the documents of these articles (all when None) in batches by id,
    each one short statement, so the site keeps serving meanwhile; yields how
    many documents each batch rebuilt."""
    articles = Article.objects.order_by("pk")
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    last = 0
    while batch := list(articles.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size]):
        yield index(batch)
        last = batch[-1]
