from django.db import migrations
from django.utils import timezone


def record_live_articles(apps, schema_editor):
    """Articles already live were published before events existed: none is announced again."""
    announced = apps.get_model("api", "AnnouncedArticle")._meta.db_table
    articles = apps.get_model("articles", "Article")._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {announced} (article_id) SELECT id FROM {articles} WHERE status = %s AND published_at <= %s",
        ["published", timezone.now()],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_tokens_webhooks_announced"),
        ("articles", "0009_article_read_counts"),
    ]

    operations = [migrations.RunPython(record_live_articles, migrations.RunPython.noop)]
