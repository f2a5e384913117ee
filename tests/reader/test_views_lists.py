"""List pages: home, sections and date archives, as an anonymous reader."""

import datetime as dt

import pytest
from django.utils import timezone

from content.models import Article
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db


def dated(title: str, when: str, **fields) -> Article:
    """A published article at a Shanghai wall-clock time such as ``2022-08-29 12:00``."""
    article = make_article(title, **fields)
    local = dt.datetime.fromisoformat(when).replace(tzinfo=timezone.get_current_timezone())
    Article.objects.filter(pk=article.pk).update(published_at=local)
    return article


def test_home_features_the_three_newest_articles(client):
    for n in range(5):
        make_article(f"文章{n}", days_ago=n + 1, head_image=f"/media/{n}.png")
    featured = client.get("/").content.decode().split('id="latest-heading"')[0]
    assert all(f"文章{n}" in featured for n in range(3))
    assert "文章3" not in featured
    assert 'src="/media/0.png"' in featured


def test_later_home_pages_have_no_featured_articles(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"文章{n}", days_ago=n + 1)
    assert "头条" not in client.get("/?page=2").content.decode()


def test_empty_home_says_so(client):
    assert "这里还没有文章。" in client.get("/").content.decode()


def test_list_pages_link_to_the_next_page_keeping_other_parameters(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"电动汽车{n}", days_ago=n + 1)
    page = client.get("/search/?q=电动汽车").content.decode()
    assert 'href="/search/?q=%E7%94%B5%E5%8A%A8%E6%B1%BD%E8%BD%A6&amp;page=2"' in page


def test_page_past_the_end_is_404(client):
    make_article()
    assert client.get("/?page=9").status_code == 404


def test_category_page_lists_its_sub_categories_and_feed(client):
    news = make_category("新媒体", "高科技行业门户", "新闻")
    make_article().categories.add(news)
    page = client.get(news.parent.get_absolute_url()).content.decode()
    assert f'href="{news.get_absolute_url()}">新闻</a>' in page
    assert 'href="/feed/category/' in page


def test_year_archive_lists_the_years_articles_and_months(client):
    dated("八月的文章", "2022-08-29 12:00")
    dated("九月的文章", "2022-09-01 00:30")  # still 31 August in UTC
    dated("去年的文章", "2021-12-31 23:30")
    page = client.get("/2022/").content.decode()
    assert "<h1>2022 年</h1>" in page and "共 2 篇文章" in page
    assert "八月的文章" in page and "九月的文章" in page and "去年的文章" not in page
    assert 'href="/2022/08/"' in page and 'href="/2022/09/"' in page


def test_month_archive_uses_shanghai_dates(client):
    dated("九月的文章", "2022-09-01 00:30")
    assert "九月的文章" in client.get("/2022/09/").content.decode()
    assert client.get("/2022/08/").status_code == 404


def test_month_archive_links_to_the_nearest_months_with_articles(client):
    dated("六月的文章", "2022-06-10 12:00")
    dated("八月的文章", "2022-08-29 12:00")
    dated("明年一月的文章", "2023-01-05 12:00")
    page = client.get("/2022/08/").content.decode()
    assert "<h1>2022 年 8 月</h1>" in page and "共 1 篇文章" in page
    assert 'rel="prev" href="/2022/06/"' in page
    assert 'rel="next" href="/2023/01/"' in page


@pytest.mark.parametrize("url", ["/1999/", "/2022/13/", "/2022/07/"])
def test_empty_or_impossible_archives_are_404(client, url):
    dated("八月的文章", "2022-08-29 12:00")
    assert client.get(url).status_code == 404


def test_archives_leave_out_drafts_and_scheduled_articles(client):
    dated("草稿", "2022-08-29 12:00", status=Article.Status.DRAFT)
    assert client.get("/2022/08/").status_code == 404
    make_article("定时发布", days_ago=-1)
    assert "定时发布" not in client.get(f"/{timezone.localdate().year}/").content.decode()


def test_list_pages_have_a_canonical_url_per_page(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"文章{n}", days_ago=n + 1)
    assert '<link rel="canonical" href="http://testserver/">' in client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/?page=2">' in client.get("/?page=2").content.decode()


def test_category_and_tag_pages_count_only_what_readers_may_open(client):
    category = make_category("新媒体", "科技")
    for title, status, days_ago in [
        ("已发表", Article.Status.PUBLISHED, 1),
        ("又一篇", Article.Status.PUBLISHED, 2),
        ("草稿", Article.Status.DRAFT, 1),
        ("定时发表", Article.Status.PUBLISHED, -1),
    ]:
        article = make_article(title, status=status, days_ago=days_ago)
        article.categories.add(category)
        article.tags.add("电池")
    tag = Article.objects.get(title="已发表").tags.get()
    for url in (category.get_absolute_url(), category.parent.get_absolute_url(), tag.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "共 2 篇文章" in page, url
        assert "草稿" not in page and "定时发表" not in page
