"""Cursor (keyset) pagination: a page starts after the last row of the one before.

Unlike page numbers (``OFFSET``), a cursor costs the same at any depth,
needs no ``COUNT(*)``, and never repeats or skips a row when new articles
arrive while a client is paging. The cursor is opaque to callers: the sort
key of the last row, as base64-encoded JSON.
"""

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.db.models import Q, QuerySet
from ninja.errors import ValidationError


def encode(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def invalid_cursor() -> ValidationError:
    return ValidationError(
        [{"loc": ["query", "cursor"], "msg": "not a cursor this API gave out", "type": "value_error"}]
    )


def decode(cursor: str) -> list:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise invalid_cursor() from exc
    if not isinstance(key, list) or not key:
        raise invalid_cursor()
    return key


def is_id(value) -> bool:
    """A row id the database can compare (a 64-bit integer)."""
    return isinstance(value, int) and 0 <= value < 2**63


def newest_first(articles: QuerySet, cursor: str | None, field: str = "published_at") -> QuerySet:
    """``articles`` (or other rows) newest first by ``field``, from after ``cursor`` (a date and id)."""
    articles = articles.order_by(f"-{field}", "-id")
    if not cursor:
        return articles
    key = decode(cursor)
    try:
        published_at, pk = dt.datetime.fromisoformat(key[0]), int(key[1])
    except (TypeError, ValueError, IndexError) as exc:
        raise invalid_cursor() from exc
    if published_at.tzinfo is None or not is_id(pk):
        raise invalid_cursor()
    # The first condition alone lets the (status, published_at) index bound the scan.
    return articles.filter(**{f"{field}__lte": published_at}).filter(
        Q(**{f"{field}__lt": published_at}) | Q(**{field: published_at, "id__lt": pk})
    )


def by_id(rows: QuerySet, cursor: str | None) -> QuerySet:
    """``rows`` in id order, from after ``cursor`` (an id)."""
    rows = rows.order_by("id")
    if not cursor:
        return rows
    pk = decode(cursor)[0]
    if not is_id(pk):
        raise invalid_cursor()
    return rows.filter(id__gt=pk)


def page(rows: QuerySet, limit: int, key) -> tuple[list, str | None]:
    """The first ``limit`` of ``rows``, and the cursor of the next page (None at the end)."""
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, encode(*key(found[-1]))
