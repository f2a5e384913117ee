"""Model rules: readable unique slugs, the published gate, the category tree."""

import pytest

from content.models import Article, Category
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db


def test_chinese_titles_get_readable_slugs():
    assert make_article("LG新能源以领先技术推动智能制造").slug == "lg新能源以领先技术推动智能制造"


def test_duplicate_titles_get_distinct_slugs():
    first, second = make_article("同名文章"), make_article("同名文章")
    assert (first.slug, second.slug) == ("同名文章", "同名文章-2")


def test_a_title_without_letters_still_gets_a_slug():
    assert make_article("？？？").slug == "article"


def test_published_is_live_published_and_due_only():
    live = make_article("已发布")
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("定时", days_ago=-1)
    assert list(Article.objects.published()) == [live]


def test_category_paths_nest_and_move_with_their_parent():
    leaf = make_category("新媒体", "高科技行业门户", "新闻")
    assert leaf.path == "新媒体/高科技行业门户/新闻"
    root = Category.objects.get(path="新媒体")
    root.slug = "media"
    root.save()
    leaf.refresh_from_db()
    assert leaf.path == "media/高科技行业门户/新闻"


def test_author_slugs_keep_chinese():
    assert make_author("人人都是产品经理").slug == "人人都是产品经理"


def test_prefetched_tags_come_in_the_order_they_were_added_once_each():
    first, second = make_article("第一篇"), make_article("第二篇")
    for name in ["芯片", "电池", "电动汽车"]:
        first.tags.add(name)
    second.tags.add("电动汽车", "电池")
    listed = {article.title: [tag.name for tag in article.tags.all()] for article in Article.objects.for_listing()}
    assert listed["第一篇"] == ["芯片", "电池", "电动汽车"]
    assert sorted(listed["第二篇"]) == ["电动汽车", "电池"]
