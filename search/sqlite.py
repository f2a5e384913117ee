"""Search on SQLite: an FTS5 table over the documents' token fields
(migration 0013 creates it and the triggers that keep it in step); terms become
FTS5 phrases (``"电动 动汽 汽车"``), ranked with ``bm25`` weighted by field."""

from django.db import connections, router
from django.db.models import Case, Expression, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from content.search_documents import SearchDocument
from search.query import Search, Term

TABLE = "articles_searchdocument_fts"
# Weights of the title and body columns: a title hit counts ten times a body hit.
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
MATCHING_IDS = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608  (a constant)


def write(documents: list) -> None:
    """Insert or replace ``documents`` (``search.documents.Document``): their
    tokens, which the triggers copy into the FTS5 table."""
    SearchDocument.objects.bulk_create(
        [SearchDocument(**document._asdict()) for document in documents],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["title_tokens", "body_tokens", "published_at"],
    )


def settle() -> None:
    """After many documents were written: fresh statistics for the planner."""
    with connections[router.db_for_write(SearchDocument)].cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")


def among(ids: list[int]) -> Q:
    return Q(pk__in=ids)


def spans(documents: QuerySet, *, live_only: bool) -> list[QuerySet]:
    """FTS5 reads a term's whole posting list whatever else is asked: searching
    span by span (see ``postgres.spans``) would only read it again."""
    return [documents]


def matching(documents: QuerySet, search: Search) -> QuerySet:
    return documents.filter(pk__in=RawSQL(MATCHING_IDS, [_expression(search)]))


def relevance(search: Search, article_ids: list[int]) -> Expression:
    """The bm25 score of each of ``article_ids``, from one FTS5 query.

    bm25() exists only inside a MATCH query and weighs each term by how many
    documents hold it; asked per article it would count them again each time."""
    wanted = " AND ".join(map(_phrase, search.wanted))
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connections[router.db_for_read(SearchDocument)].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) FROM {TABLE} "  # noqa: S608  (constants)
            f"WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})",
            [wanted, *article_ids],
        )
        scores = cursor.fetchall()
    return Case(
        *(When(pk=pk, then=Value(score)) for pk, score in scores), default=Value(0.0), output_field=FloatField()
    )


def estimate(matches: QuerySet) -> int:
    """SQLite has no planner estimate; its sites are small enough to count."""
    return matches.count()


def _expression(search: Search) -> str:
    expression = "(" + " AND ".join(map(_phrase, search.wanted)) + ")"
    return " NOT ".join([expression, *map(_phrase, search.excluded)])


def _phrase(term: Term) -> str:
    """``"a b"``, ``"a b"*`` when the term ends in a lone CJK character (tokens are letters and digits only)."""
    return '"' + " ".join(term.tokens) + '"' + ("*" if term.prefix else "")
