"""Building search documents from articles, in bulk.

``search.receivers`` indexes the articles of every committed change (once per
batch for the importer); ``rebuild_search`` calls
:func:`rebuild` over every article after the tokeniser changes (so does the
``rebuild_search_documents`` task, queued from the admin or ``--enqueue``).
"""

from collections.abc import Iterable, Iterator

from content.models import Article
from content.search_documents import SearchDocument
from search import backends
from search.tokens import searchable_body, tokens

# Text past this many characters of a body is not searched: it keeps a document
# well under PostgreSQL's 1 MB tsvector limit (phrases stop matching past
# 16,383 tokens there anyway).
MAX_BODY_CHARACTERS = 50_000


def build(article: Article) -> SearchDocument:
    """The document of ``article``, whose author and tags are loaded."""
    highest = [article.title, article.author.name, *(tag.name for tag in article.tags.all())]
    title_tokens = " ".join(token for text in highest for token in tokens(text))
    body_tokens = " ".join(tokens(searchable_body(article.body)[:MAX_BODY_CHARACTERS]))
    published_at = article.published_at if article.status == Article.Status.PUBLISHED else None
    return SearchDocument(
        article=article,
        **backends.current().fields(title_tokens, body_tokens, published_at),
        published_at=published_at,
    )


def index(article_ids: Iterable[int]) -> int:
    """(Re)build the documents of these articles with one insert; returns how many."""
    articles = Article.objects.filter(pk__in=list(article_ids)).select_related("author").prefetch_related("tags")
    documents = [build(article) for article in articles]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["title_tokens", "body_tokens", "vector", "published_at"],
    )
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
