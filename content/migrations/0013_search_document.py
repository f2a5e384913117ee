"""A search document per article (articles.search), and its index.

PostgreSQL: a GIN index over the document's ``tsvector``. SQLite: an FTS5 table
over the same pre-tokenised fields (the ``ascii`` tokenizer only splits on the
spaces between our tokens), kept in step with the documents by triggers.
Documents of existing articles are built by ``manage.py rebuild_search``.

The trigram indexes of migration 0002 served the substring search this
replaces; nothing reads them any more, and every article write paid for them.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS = "articles_searchdocument_fts"
DOCUMENTS = "articles_searchdocument"
POSTGRESQL_INDEX = [
    f"CREATE INDEX searchdocument_vector_gin ON {DOCUMENTS} USING gin (vector)",
    # Keep a document's vector in its row (compressed) up to a page: matching a
    # row then reads no TOAST table. The token fields move out first.
    f"ALTER TABLE {DOCUMENTS} ALTER COLUMN vector SET STORAGE MAIN",
    f"ALTER TABLE {DOCUMENTS} SET (toast_tuple_target = 8160)",
]
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title_tokens, body_tokens, "
    f"content='{DOCUMENTS}', content_rowid='article_id', tokenize='ascii', detail='full')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) VALUES (new.article_id, new.title_tokens, new.body_tokens); "
    "END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON {DOCUMENTS} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens); "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) VALUES (new.article_id, new.title_tokens, new.body_tokens); "
    "END",
]


TRIGRAM_INDEXES = {
    "article_title_trgm": 'UPPER("title") gin_trgm_ops',
    "article_body_trgm": 'UPPER("body") gin_trgm_ops',
}


def create_index(apps, schema_editor):
    statements = {
        "postgresql": POSTGRESQL_INDEX + [f"DROP INDEX IF EXISTS {name}" for name in TRIGRAM_INDEXES],
        "sqlite": SQLITE_INDEX,
    }
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for action in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{action}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    if schema_editor.connection.vendor == "postgresql":  # the search index goes with its table
        for name, expression in TRIGRAM_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON articles_article USING gin ({expression})")


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_autosaved_drafts")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("title_tokens", models.TextField()),
                ("body_tokens", models.TextField()),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("published_at", models.DateTimeField(editable=False, null=True)),
            ],
            options={
                "verbose_name": "搜索文档",
                "verbose_name_plural": "搜索文档",
                "indexes": [
                    models.Index(fields=["-published_at", "-article"], name="searchdocument_newest"),
                ],
            },
        ),
        migrations.RunPython(create_index, drop_index),
    ]
