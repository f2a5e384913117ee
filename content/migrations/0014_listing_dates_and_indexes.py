"""Publish dates on the category and tag listing rows, and indexes that serve
each list's filter and order (see articles.listings)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_listings(apps, schema_editor):
    """Every article's listing rows, as ``content.listings`` built them when this
    migration was written (frozen here): set-based SQL on the tables as it leaves them."""
    Article = apps.get_model("articles", "Article")
    Category = apps.get_model("articles", "Category")
    CategoryListing = apps.get_model("articles", "CategoryListing")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    article, filed = Article._meta.db_table, Article.categories.through._meta.db_table
    category, listing, tagged = Category._meta.db_table, CategoryListing._meta.db_table, TaggedArticle._meta.db_table
    live_date = "CASE WHEN a.status = %s THEN a.published_at END"
    lines = (
        f"SELECT c.id AS category_id, above.id AS above_id FROM {category} c JOIN {category} above "
        "ON above.id = c.id OR substr(c.path, 1, length(above.path) + 1) = above.path || '/'"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {listing}")
        cursor.execute(
            f"INSERT INTO {listing} (category_id, article_id, published_at) "
            f"SELECT DISTINCT lines.above_id, a.id, {live_date} FROM {article} a "
            f"JOIN {filed} f ON f.article_id = a.id JOIN ({lines}) lines ON lines.category_id = f.category_id",
            ["published"],
        )
        cursor.execute(
            f"UPDATE {tagged} SET published_at = {live_date} FROM {article} a WHERE a.id = {tagged}.content_object_id",
            ["published"],
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_search_document'),
    ]

    operations = [
        migrations.CreateModel(
            name='CategoryListing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_status_date',
        ),
        migrations.AddField(
            model_name='taggedarticle',
            name='published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['status', '-published_at', '-id'], name='article_status_date_id'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['author', 'status', '-published_at', '-id'], name='article_author_date'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['-published_at', '-id'], name='article_date_id'),
        ),
        migrations.AddIndex(
            model_name='taggedarticle',
            index=models.Index(fields=['tag', '-published_at', '-content_object'], name='tagged_article_newest'),
        ),
        migrations.AddField(
            model_name='categorylisting',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listings', to='articles.article'),
        ),
        migrations.AddField(
            model_name='categorylisting',
            name='category',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listings', to='articles.category'),
        ),
        migrations.AddIndex(
            model_name='categorylisting',
            index=models.Index(fields=['category', '-published_at', '-article'], name='category_listing_newest'),
        ),
        migrations.AddConstraint(
            model_name='categorylisting',
            constraint=models.UniqueConstraint(fields=('category', 'article'), name='category_listing_unique'),
        ),
        migrations.RunPython(fill_listings, migrations.RunPython.noop),
    ]
