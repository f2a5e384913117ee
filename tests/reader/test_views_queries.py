"""Every public page runs a fixed, small number of SQL queries, however many
articles, tags and categories there are: the budget is 8, and a site ten
times bigger runs exactly as many queries per page as a small one."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.models import Article, Author, Tag, TaggedArticle
from content.signals import articles_changed
from tests.builders import make_category

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8
SMALL = {"articles": 60, "sources": 4, "channels": 3, "tags": 8}
BIG = {"articles": 600, "sources": 20, "channels": 12, "tags": 80}


def build_site(articles: int, sources: int, channels: int, tags: int) -> dict:
    """Published articles from ``sources`` in ``channels`` categories, two tags each
    (bulk, no signals: the listing rows are built the way a bulk load builds them)."""
    now = timezone.now()
    authors = [Author.objects.create(name=f"来源{n}", kind=Author.Kind.SOURCE) for n in range(sources)]
    categories = [make_category("新媒体", f"频道{n}", "新闻") for n in range(channels)]
    tag_rows = Tag.objects.bulk_create([Tag(name=f"标签{n}", slug=f"标签{n}") for n in range(tags)])
    created = Article.objects.bulk_create(
        Article(
            title=f"电动汽车新闻{n}",
            slug=f"news-{n}",
            author=authors[n % len(authors)],
            body=f"<p>第{n}篇：电动汽车充电网络建设提速。</p>",
            excerpt=f"第{n}篇：电动汽车充电网络建设提速。",
            thumbnail="/media/images/cover.png",
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(hours=n + 1),
        )
        for n in range(articles)
    )
    Article.categories.through.objects.bulk_create(
        Article.categories.through(article=article, category=categories[n % len(categories)])
        for n, article in enumerate(created)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=tag_rows[(n + k) % len(tag_rows)])
        for n, article in enumerate(created)
        for k in range(2)
    )
    articles_changed.send(sender=Article, articles=created, deleted=False)  # as the importer's bulk path does
    middle = created[len(created) // 2]
    day = timezone.localdate(middle.published_at)
    return {"article": middle, "category": categories[1], "tag": tag_rows[1], "author": authors[1], "day": day}


PAGES = {
    "home": lambda site: reverse("articles:home"),
    "home page 2": lambda site: reverse("articles:home") + "?page=2",
    "article": lambda site: site["article"].get_absolute_url(),
    "top category": lambda site: site["category"].parent.parent.get_absolute_url(),
    "category": lambda site: site["category"].get_absolute_url(),
    "tag": lambda site: site["tag"].get_absolute_url(),
    "author": lambda site: site["author"].get_absolute_url(),
    "year": lambda site: reverse("articles:year", args=[site["day"].year]),
    "month": lambda site: reverse("articles:month", args=[site["day"].year, site["day"].month]),
    "search": lambda site: reverse("articles:search") + "?q=电动汽车",
    "search page 2": lambda site: reverse("articles:search") + "?q=电动汽车 充电&page=2",
    "feed": lambda site: reverse("articles:feed"),
    "atom feed": lambda site: reverse("articles:feed-atom"),
    "category feed": lambda site: reverse("articles:feed-category", args=[site["category"].path]),
    "tag feed": lambda site: reverse("articles:feed-tag", args=[site["tag"].slug]),
    "author feed": lambda site: reverse("articles:feed-author", args=[site["author"].slug]),
    "sitemap index": lambda site: reverse("articles:sitemap"),
    "sitemap of a day": lambda site: reverse("articles:sitemap-day", args=[*site["day"].timetuple()[:3]]),
    "sitemap of tags": lambda site: reverse("articles:sitemap-tags", args=[0]),
    "news sitemap": lambda site: reverse("articles:sitemap-news"),
    "robots.txt": lambda site: reverse("articles:robots"),
}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_public_page_stays_within_the_query_budget(client, page):
    site = build_site(**SMALL)
    assert queries(client, PAGES[page](site)) <= QUERY_BUDGET


# Search estimates its total with one more query once the matches overflow its
# window (search/results.py): bounded, but not the same count at both sizes.
SAME_AT_ANY_SIZE = [page for page in PAGES if not page.startswith("search")]


@pytest.mark.slow  # builds a site of 60 articles and one of 600 for each page
@pytest.mark.parametrize("page", SAME_AT_ANY_SIZE)
def test_a_ten_times_bigger_site_runs_the_same_queries_per_page(client, page):
    small = queries(client, PAGES[page](build_site(**SMALL)))
    Article.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.all().delete()
    big = queries(client, PAGES[page](build_site(**BIG)))
    assert big == small
