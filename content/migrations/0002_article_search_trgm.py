"""Trigram indexes for reader search on PostgreSQL.

Chinese has no spaces between words, so search is substring matching
(``icontains``, which PostgreSQL runs as ``UPPER(col) LIKE UPPER(%q%)``). GIN
trigram indexes on those expressions serve it. SQLite has no such index and
scans, which is fine at its scale.
"""

from django.db import migrations

INDEXED_COLUMNS = ("title", "body")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in INDEXED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_{column}_trgm "
            f'ON articles_article USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in INDEXED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS article_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
