"""What detection reads for every article it files, written out once.

Built by the ORM on every call, these reads cost about three times what
running them does (on the 5,000-article archive of ``bench/stories.py cost``,
PostgreSQL: the article with what is stored of it 1.5 ms against 0.45, its
candidates 2.0 against 0.55, a story's members 1.45 against 0.45), and a new
article makes each of them once. They are plain SQL that PostgreSQL and SQLite
read alike, the tables named by the models. Articles come back as ``Article``
instances, their fields converted as the ORM converts them, with the extra
attributes each function names.
"""

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from functools import lru_cache

from django.db import connection

from content.models import Article, Author
from stories.models import Band, Fingerprint, Story, StoryMember

# More articles than this are read this many at a time (bodies of up to 50 KB each).
CHUNK = 200
# Band rows read per article, at most: a bounded read whatever the archive's size.
MAX_CANDIDATES = 500

ARTICLE, AUTHOR = Article._meta.db_table, Author._meta.db_table
FINGERPRINT, BAND, MEMBER = Fingerprint._meta.db_table, Band._meta.db_table, StoryMember._meta.db_table
STORY = Story._meta.db_table
# What a story keeps of each member (``detection.summarise``), its source's name included.
SUMMARY = "a.id, a.slug, a.author_id, a.status, a.published_at, a.created_at, au.name AS source_name"
SOURCE = f"JOIN {AUTHOR} au ON au.id = a.author_id"


def articles_to_file(ids: Sequence[int]) -> Iterator[Article]:
    """The articles ``ids``, oldest first, with their bodies, ``source_name``
    and what detection stored of them: ``filed`` (a fingerprint is stored),
    ``stored_signature``, and ``stored_date_unchanged`` (it is stored under
    the article's date as it is now)."""
    if len(ids) > CHUNK:  # their order first, then the bodies a chunk at a time
        ids = list(Article.objects.filter(pk__in=ids).order_by("published_at", "pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        chunk = list(ids[first : first + CHUNK])
        yield from Article.objects.raw(articles_sql(len(chunk)), chunk)


def summaries(article_ids: Sequence[int]) -> list[Article]:
    """What a story keeps of these articles, with ``source_name``."""
    return list(
        Article.objects.raw(
            f"SELECT {SUMMARY} FROM {ARTICLE} a {SOURCE} WHERE a.id IN ({marks(len(article_ids))})", article_ids
        )
    )


def candidates(article_id: int, keys: Sequence[int], dates: tuple[dt.datetime, dt.datetime]) -> list[tuple]:
    """``(article id, story id, signature, shingles, story copies (JSON text),
    story lead id, story lead chosen by)`` of the stored signatures sharing one
    of ``keys`` within ``dates``, the article itself left out, at most
    ``MAX_CANDIDATES`` band rows read."""
    window = [connection.ops.adapt_datetimefield_value(date) for date in dates]
    with connection.cursor() as cursor:
        cursor.execute(candidates_sql(len(keys)), [*keys, *window, article_id, MAX_CANDIDATES])
        return cursor.fetchall()


def members(story_ids: Sequence[int]) -> list[Article]:
    """The members of these stories, by story and then first published
    first, with ``source_name``, the story's id (``member_of``) and what the
    story keeps of them as stored: ``story_lead_id``,
    ``story_lead_chosen_by_id`` and ``story_copies`` (JSON text)."""
    return list(Article.objects.raw(members_sql(len(story_ids)), story_ids))


def story_as_kept(story_id: int, lead_id: int | None, lead_chosen_by_id: int | None, copies: str) -> Story:
    """A story as far as the reads above bring it (its copies as JSON text):
    what detection compares and summarises, not a whole row."""
    return Story(pk=story_id, lead_id=lead_id, lead_chosen_by_id=lead_chosen_by_id, copies=json.loads(copies))


def marks(count: int) -> str:
    return ", ".join(["%s"] * count)


@lru_cache
def articles_sql(count: int) -> str:
    return (
        f"SELECT {SUMMARY}, a.body, f.article_id IS NOT NULL AS filed, f.signature AS stored_signature,"
        " f.dated_at = COALESCE(a.published_at, a.created_at) AS stored_date_unchanged"
        f" FROM {ARTICLE} a {SOURCE} LEFT JOIN {FINGERPRINT} f ON f.article_id = a.id"
        f" WHERE a.id IN ({marks(count)}) ORDER BY a.published_at, a.id"
    )


@lru_cache
def candidates_sql(keys: int) -> str:
    return (
        f"SELECT f.article_id, m.story_id, f.signature, f.shingles, s.copies, s.lead_id, s.lead_chosen_by_id"
        f" FROM {FINGERPRINT} f LEFT JOIN {MEMBER} m ON m.article_id = f.article_id"
        f" LEFT JOIN {STORY} s ON s.id = m.story_id"
        f" WHERE f.signature IS NOT NULL AND f.article_id IN (SELECT b.article_id FROM {BAND} b"
        f' WHERE b."key" IN ({marks(keys)}) AND b.dated_at BETWEEN %s AND %s AND b.article_id <> %s LIMIT %s)'
    )


@lru_cache
def members_sql(count: int) -> str:
    return (
        f"SELECT {SUMMARY}, m.story_id AS member_of, s.lead_id AS story_lead_id,"
        " s.lead_chosen_by_id AS story_lead_chosen_by_id, s.copies AS story_copies"
        f" FROM {MEMBER} m JOIN {STORY} s ON s.id = m.story_id JOIN {ARTICLE} a ON a.id = m.article_id {SOURCE}"
        f" WHERE m.story_id IN ({marks(count)}) ORDER BY m.story_id, a.published_at, a.id"
    )
