"""Publish dates on the category and tag listing rows, and indexes that serve
each list's filter and order (see articles.listings)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_listings(apps, schema_editor):
    from articles import listings  # set-based SQL on the tables as this migration leaves them

    listings.rebuild()


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
