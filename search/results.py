"""What the reader page and the admin ask of search.

Results are taken from the newest ``SEARCH_RESULTS_WINDOW`` matching articles
(500 by default): a term in a third of a million articles is then ranked,
counted and paged over a bounded set, fast at any size, while a rarer term is
ranked over all its matches. Relevance is ``ts_rank_cd``/``bm25`` weighted by
field, divided by ``1 + age / SEARCH_RECENCY_DAYS`` so fresh news wins ties.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, FloatField, Func, QuerySet, Value
from django.utils import timezone

from content.search_documents import SearchDocument
from search import backends
from search.query import Search

NEWEST = "new"  # the other order is relevance


class DaysOld(Func):
    """Days since a date (0 for a future one), as a float."""

    output_field = FloatField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="GREATEST(EXTRACT(EPOCH FROM (NOW() - %(expressions)s))::float8, 0) / 86400"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="MAX(julianday('now') - julianday(%(expressions)s), 0)")


def newest_matches(articles: QuerySet, search: Search, *, live_only: bool = False) -> QuerySet:
    """``articles`` matching ``search``, at most the newest window of them (any order).

    The window is read from the search documents (``live_only``: only those
    readers may see), newest first, span of dates by span (see ``_window``);
    then one small query takes the articles by id."""
    return articles.filter(backends.current().among(_window(articles, search, live_only=live_only)))


def _window(articles: QuerySet, search: Search, *, live_only: bool) -> list[int]:
    """The ids of the newest ``SEARCH_RESULTS_WINDOW`` of ``articles`` that match."""
    if not search.wanted:
        return []
    documents = backends.current().matching(SearchDocument.objects.filter(article__in=articles), search)
    if live_only:  # mirrors Article.objects.published(), which ``articles`` applies anyway
        documents = documents.filter(published_at__lte=timezone.now())
    one_character = all(term.prefix for term in search.wanted)
    if one_character:
        documents = documents.filter(published_at__gte=_oldest_for_one_character())
    newest = documents.order_by(F("published_at").desc(nulls_first=True), "-article_id").values_list(
        "article_id", "published_at"
    )
    size = settings.SEARCH_RESULTS_WINDOW
    # Span by span under one LIMIT (UNION ALL): PostgreSQL runs the spans in
    # order and stops once the window is full, so a common term is read from
    # the last month alone, and a rare one from all (see ``postgres.spans``).
    # Lone characters are checked row by row, newest first along the date
    # index, until the window is full: a span would check all of its rows.
    spans = [newest] if one_character else backends.current().spans(newest, live_only=live_only)
    if len(spans) > 1 and backends.current().estimate(newest) < size:
        # A rare term (by the planner's estimate): all its matches in one
        # unordered read, no spans to plan; more than a window, and spans it is.
        matches = list(newest.order_by()[: size + 1])
        if len(matches) <= size:
            return [article_id for article_id, _ in sorted(matches, key=_newest_first)]
    first, *rest = [span[:size] for span in spans]
    rows = list(first.union(*rest, all=True)[:size] if rest else first)
    if rows != sorted(rows, key=_newest_first):  # the spans ran side by side (a parallel plan):
        rows = _span_by_span([first, *rest], size)  # ask for them in turn
    return [article_id for article_id, _ in rows]


def _newest_first(row: tuple) -> tuple:
    article_id, published_at = row
    return (published_at is not None, -published_at.timestamp() if published_at else 0, -article_id)


def _span_by_span(spans: list[QuerySet], size: int) -> list[tuple]:
    rows = []
    for span in spans:
        rows += span[: size - len(rows)]
        if len(rows) == size:
            break
    return rows


def _oldest_for_one_character():
    """The date of the ``SEARCH_ONE_CHARACTER_DOCUMENTS``-th newest dated
    document: a query of lone characters looks no further back (it is checked
    document by document, so it is bounded this way)."""
    dates = SearchDocument.objects.exclude(published_at=None).order_by("-published_at")
    boundary = dates.values_list("published_at", flat=True)[settings.SEARCH_ONE_CHARACTER_DOCUMENTS - 1 :][:1]
    return next(iter(boundary), dt.datetime.min.replace(tzinfo=dt.UTC))


def ranked(articles: QuerySet, search: Search, order: str = "") -> tuple[QuerySet, int]:
    """The reader's results, from published ``articles``: by relevance (with
    recency), or newest first; and how many there are (no COUNT query needed)."""
    window = _window(articles, search, live_only=True)
    results = articles.filter(backends.current().among(window))
    if order == NEWEST or not window:
        return results.order_by("-published_at", "-pk"), len(window)
    recency = Value(1.0) + DaysOld(F("published_at")) / Value(float(settings.SEARCH_RECENCY_DAYS))
    score = backends.current().relevance(search, window) / recency
    return results.alias(score=score).order_by("-score", "-published_at", "-pk"), len(window)


@dataclass(frozen=True)
class Count:
    number: int
    exact: bool


def estimate(articles: QuerySet, search: Search, in_window: int) -> Count:
    """How many of ``articles`` match: ``in_window`` itself when the window is not
    full, else the database's estimate (never an exact count over a million rows)."""
    if in_window < settings.SEARCH_RESULTS_WINDOW:
        return Count(in_window, exact=True)
    documents = SearchDocument.objects.filter(article__in=articles, published_at__lte=timezone.now())
    estimated = backends.current().estimate(backends.current().matching(documents, search))
    return Count(max(in_window, estimated), exact=False)
