"""Reader and admin search: a search document per article (the model is
``content.search_documents``), kept current after every committed change
(``receivers``), served by PostgreSQL full-text search or SQLite FTS5.

- ``tokens``: the one normalisation and tokeniser (CJK bigrams, whole Latin words);
- ``query``: the reader's query parsed into terms, highlighting and snippets;
- ``documents``: building documents from articles, in bulk;
- ``postgres`` / ``sqlite``: matching and ranking on each database;
- ``results``: what the reader page and the admin ask for;
- ``forms``: the reader's search form and its filters;
- ``tasks`` and the ``rebuild_search`` command: rebuilding every document.
"""
