"""Feeds point at their category and source; an item's ArticleSource at its feed.

Before, a feed held its category path and source name as text, and its items
were found by a prefix of ``ArticleSource.key`` (``feed:<id>:``).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

SLUG_MAX_LENGTH = 80


# slug_base and unique_slug as the models had them when this migration was written (frozen here).
def slug_base(text, fallback):
    return slugify(text, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-_") or fallback


def unique_slug(rows, text, fallback):
    base = slug_base(text, fallback)
    if not rows.filter(slug=base).exists():
        return base
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def category_for(Category, levels):
    """The category at the end of ``levels``, created as ``Category.save()`` would (slug, path)."""
    parent = None
    for name in levels:
        found = Category.objects.filter(parent=parent, name=name).first()
        if found is None:
            siblings = Category.objects.filter(parent=parent)
            slug = unique_slug(siblings, name, "category")
            found = Category.objects.create(
                parent=parent, name=name, slug=slug, path=f"{parent.path}/{slug}" if parent else slug
            )
        parent = found
    return parent


def author_for(Author, name):
    found = Author.objects.filter(name=name).first()
    if found is None:
        slug = unique_slug(Author.objects.all(), name, "author")
        found = Author.objects.create(name=name, slug=slug, kind="source")
    return found


def link_feeds(apps, schema_editor):
    Feed = apps.get_model("articles", "Feed")
    ArticleSource = apps.get_model("articles", "ArticleSource")
    Category = apps.get_model("articles", "Category")
    Author = apps.get_model("articles", "Author")
    for feed in Feed.objects.all():
        levels = [level.strip() for level in feed.category_path.split("/") if level.strip()]
        feed.category = category_for(Category, levels or [slug_base(feed.url, "feed")])
        feed.source = author_for(Author, feed.source_name.strip() or levels[min(1, len(levels) - 1)])
        feed.save(update_fields=["category", "source"])
        ArticleSource.objects.filter(key__startswith=f"feed:{feed.pk}:").update(feed=feed)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_editors_feed_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlesource",
            name="feed",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sources",
                to="articles.feed",
                verbose_name="订阅源",
            ),
        ),
        migrations.AddField(
            model_name="feed",
            name="category",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="feeds", to="articles.category"
            ),
        ),
        migrations.AddField(
            model_name="feed",
            name="source",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="feeds", to="articles.author"
            ),
        ),
        migrations.AddField(
            model_name="feed",
            name="download_images",
            field=models.BooleanField(default=False, help_text="把文章里的图片复制到本站存储", verbose_name="下载图片"),
        ),
        migrations.RunPython(link_feeds, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="feed",
            options={"ordering": ["category__path", "url"], "verbose_name": "订阅源", "verbose_name_plural": "订阅源"},
        ),
        migrations.RemoveField(model_name="feed", name="category_path"),
        migrations.RemoveField(model_name="feed", name="source_name"),
        migrations.AlterField(
            model_name="feed",
            name="category",
            field=models.ForeignKey(
                help_text="如 新媒体 › 高科技行业门户 › 新闻",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feeds",
                to="articles.category",
                verbose_name="分类",
            ),
        ),
        migrations.AlterField(
            model_name="feed",
            name="source",
            field=models.ForeignKey(
                help_text="文章的作者（来源）",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feeds",
                to="articles.author",
                verbose_name="来源",
            ),
        ),
        migrations.AlterField(
            model_name='articlesource',
            name='content_hash',
            field=models.CharField(db_index=True, max_length=64, verbose_name='内容哈希'),
        ),
        migrations.AlterField(
            model_name='articlesource',
            name='file_name',
            field=models.CharField(max_length=500, verbose_name='文件名'),
        ),
        migrations.AlterField(
            model_name='articlesource',
            name='imported_at',
            field=models.DateTimeField(auto_now=True, verbose_name='导入时间'),
        ),
    ]
