"""Search on PostgreSQL: a ``tsvector`` per document (title, source and tags
weighted A, body D) with a GIN index; terms become phrase ``tsquery``s
(``'电动' <-> '动汽' <-> '汽车'``), ranked with ``ts_rank_cd``."""

from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Expression, F, QuerySet, TextField, Value

from articles.search.query import Search, Term

# Weights of D, C, B, A: a title hit counts ten times a body hit.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
CONFIG = "simple"  # the tokens are ours already: no stemming, no stop words


def vector(title_tokens: str, body_tokens: str) -> Expression:
    """The ``tsvector`` of a document's two token fields, computed as it is written."""
    title = SearchVector(Value(title_tokens, output_field=TextField()), weight="A", config=CONFIG)
    return title + SearchVector(Value(body_tokens, output_field=TextField()), weight="D", config=CONFIG)


def matching(documents: QuerySet, search: Search) -> QuerySet:
    wanted = reduce(and_, map(_tsquery, search.wanted))
    for term in search.excluded:
        wanted &= ~_tsquery(term)
    return documents.filter(vector=wanted)


def relevance(search: Search) -> Expression:
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
