"""Reader and admin search: a search document per article, kept current on
write, served by PostgreSQL full-text search or SQLite FTS5.

- ``text``: the one normalisation and tokeniser (CJK bigrams, whole Latin words);
- ``query``: the reader's query parsed into terms, highlighting and snippets;
- ``documents``: building documents from articles, in bulk;
- ``postgres`` / ``sqlite``: matching and ranking on each database;
- ``results``: what the reader page and the admin ask for.
"""
