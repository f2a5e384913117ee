"""Each PostgreSQL search document gains its date token (``articles.search.postgres``):
its month, ``月202611``, or ``无日期`` without a date. New documents are written
with it; this adds it to the existing ones, in SQL, without rebuilding them."""

from django.db import migrations

ADD_DATE_TOKENS = """
UPDATE articles_searchdocument
SET vector = vector || setweight(to_tsvector('simple', CASE WHEN published_at IS NULL THEN '无日期'
    ELSE '月' || to_char(published_at AT TIME ZONE 'UTC', 'YYYYMM') END), 'D')
"""


def add_date_tokens(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_DATE_TOKENS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_image_content_hash")]

    operations = [migrations.RunPython(add_date_tokens, migrations.RunPython.noop)]
