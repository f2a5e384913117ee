"""Search on PostgreSQL: a ``tsvector`` per document (title, source and tags
weighted A, body D) with a GIN index; terms become phrase ``tsquery``s
(``'电动' <-> '动汽' <-> '汽车'``), ranked with ``ts_rank_cd``."""

import datetime as dt
import json
from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import BooleanField, Expression, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from content.search_documents import SearchDocument
from search.query import Search, Term

# Weights of D, C, B, A: a title hit counts ten times a body hit.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
CONFIG = "simple"  # the tokens are ours already: no stemming, no stop words
# Every document holds one date token: its month (``月202611``), or ``无日期``
# for a draft. No text gives such a token (the tokeniser never joins CJK to
# digits, and makes no three-character CJK token). Months searched in turn by
# ``spans``, newest first: each of the last 12 months, then 16 quarters. A
# span's matches are all read and sorted before its newest are taken, so no
# span is longer than a quarter: an archive's busy years (a common phrase in
# 17,000 of 100,000 articles over three years) took half a second in one span
# of 48 months; 29 spans cost about 10 ms to plan.
UNDATED = "无日期"
SPAN_MONTHS = (1,) * 12 + (3,) * 16


def write(documents: list) -> None:
    """Insert or replace ``documents`` (``search.documents.Document``) in one
    statement: they travel as one JSON array (a single string to quote, where
    arrays of long texts are escaped element by element), and the server builds
    each ``tsvector`` (title and tags weighted A, body and date token D). Only
    the vector is stored: the token text would only make each row wider to read."""
    rows = [
        {
            "id": document.article_id,
            "title": document.title_tokens,
            "body": document.body_tokens,
            "published_at": document.published_at and document.published_at.isoformat(),
            "date": date_token(document.published_at),
        }
        for document in documents
    ]
    table = SearchDocument._meta.db_table
    with connections[router.db_for_write(SearchDocument)].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, title_tokens, body_tokens, published_at, vector) "  # noqa: S608  (constants)
            "SELECT id, '', '', published_at, "
            f"setweight(to_tsvector('{CONFIG}', title), 'A') || setweight(to_tsvector('{CONFIG}', body), 'D') "
            f"|| setweight(to_tsvector('{CONFIG}', date), 'D') "
            "FROM json_to_recordset(%s::json) "
            "AS document(id bigint, title text, body text, published_at timestamptz, date text) "
            "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector, published_at = EXCLUDED.published_at",
            [json.dumps(rows, ensure_ascii=False)],
        )


def settle() -> None:
    """After many documents were written: fresh statistics, and the GIN index's
    pending list merged into it (until then every search reads those rows one by one)."""
    table = SearchDocument._meta.db_table
    with connections[router.db_for_write(SearchDocument)].cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT gin_clean_pending_list('searchdocument_vector_gin'::regclass)")


def among(ids: list[int]) -> Q:
    """Rows whose id is one of ``ids``, sent as one array: the window's 500 ids
    written out as 500 parameters cost more to send than the query to run."""
    return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))


def date_token(published_at: dt.datetime | None) -> str:
    """The month a document is filed under, in UTC on purpose: it is stored in the
    index, so it must not move with the site's zone; ``spans`` counts months in UTC too."""
    return UNDATED if published_at is None else f"月{published_at.astimezone(dt.UTC):%Y%m}"


def spans(documents: QuerySet, *, live_only: bool) -> list[QuerySet]:
    """``documents`` (newest first) cut into spans of dates, newest first, for
    ``results._window`` to search in turn until its window is full.

    A common term is in a third of a million documents, and reading its list
    in the GIN index alone takes longer than the page may. Asked for the term
    *and* a month's token, the GIN index steps through the term's list by the
    month's, so a span costs what its months hold, whatever the term. The
    admin's spans start with drafts and dates past this month (from the date
    index); the last span is everything older than the months named."""
    month = dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [month]
    for _ in range(sum(SPAN_MONTHS) - 1):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    found = [] if live_only else [_with_token(documents, [UNDATED])]
    if not live_only:
        found.append(documents.filter(published_at__gte=(month + dt.timedelta(days=32)).replace(day=1)))
    taken = 0
    for count in SPAN_MONTHS:
        found.append(_with_token(documents, [date_token(start) for start in months[taken : taken + count]]))
        taken += count
    return [*found, documents.filter(published_at__lt=months[-1])]


def _with_token(documents: QuerySet, tokens: list[str]) -> QuerySet:
    either = " | ".join(f"'{token}'" for token in tokens)  # letters and digits only
    return documents.filter(vector=SearchQuery(either, config=CONFIG, search_type="raw"))


def matching(documents: QuerySet, search: Search) -> QuerySet:
    """Documents matching every wanted term and no excluded one. A term ending in
    a lone character is a prefix the GIN index would expand into thousands of
    keys: it is checked row by row instead (``ts_match_vq``, which the index
    cannot serve), among rows the other terms or the date index pick."""
    indexed = [_tsquery(term) for term in search.wanted if not term.prefix]
    checked = [_tsquery(term) for term in search.wanted if term.prefix]
    checked += [~_tsquery(term) for term in search.excluded]
    if indexed:
        documents = documents.filter(vector=reduce(and_, indexed))
    if checked:
        matches = Func(F("vector"), reduce(and_, checked), function="ts_match_vq", output_field=BooleanField())
        documents = documents.alias(checked=matches).filter(checked=True)
    return documents


def relevance(search: Search, article_ids: list[int]) -> Expression:
    """``ts_rank_cd`` of the article's document (``article_ids`` are filtered by the caller)."""
    wanted = reduce(and_, map(_tsquery, search.wanted))
    return SearchRank(F("search_document__vector"), wanted, weights=WEIGHTS, cover_density=True)


def estimate(matches: QuerySet) -> int:
    """The planner's estimate of how many documents ``matches`` has (no count over a million rows)."""
    with connections[matches.db].cursor() as cursor:  # the replica, if reads go there
        sql, params = matches.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return int(plan[0]["Plan"]["Plan Rows"])


def _tsquery(term: Term) -> SearchQuery:
    """``'a' <-> 'b'``, the last token a prefix (``:*``) when the term ends in a lone CJK character."""
    phrase = " <-> ".join(f"'{token}'" for token in term.tokens)  # tokens are letters and digits only
    return SearchQuery(phrase + (":*" if term.prefix else ""), config=CONFIG, search_type="raw")
