"""The search backend of the database in use: ``postgres`` or ``sqlite``.

Each offers ``write(documents)`` (stores ``search.documents.Document``
tuples), ``settle()`` (after many were written), ``spans(documents, live_only)`` (the documents in
spans of dates, newest first, searched in turn), ``matching(documents,
search)``, ``among(ids)`` (a filter on article ids), ``relevance(search, article_ids)`` (an expression over those
articles) and ``estimate(matching documents)``.
"""

from types import ModuleType

from django.db import connection

from search import postgres, sqlite


def current() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite
