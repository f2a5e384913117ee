"""Every public page runs a fixed, small number of SQL queries, however many
articles, tags and categories there are (the budget is 8 with 400 articles)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Tag, TaggedArticle
from articles.signals import articles_changed
from tests.builders import make_category

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8
ARTICLES = 400


@pytest.fixture
def site():
    """400 published articles from 20 sources in 10 categories, two tags each (bulk inserts,
    announced once as the importer's bulk path does, so search finds them)."""
    now = timezone.now()
    authors = [Author.objects.create(name=f"来源{n}", kind=Author.Kind.SOURCE) for n in range(20)]
    categories = [make_category("新媒体", f"频道{n}", "新闻") for n in range(10)]
    tags = Tag.objects.bulk_create([Tag(name=f"标签{n}", slug=f"标签{n}") for n in range(30)])
    articles = Article.objects.bulk_create(
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
        for n in range(ARTICLES)
    )
    Article.categories.through.objects.bulk_create(
        Article.categories.through(article=article, category=categories[n % len(categories)])
        for n, article in enumerate(articles)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=tags[(n + k) % len(tags)])
        for n, article in enumerate(articles)
        for k in range(2)
    )
    articles_changed.send(sender=Article, articles=articles, deleted=False)
    return {"article": articles[200], "category": categories[3], "tag": tags[5], "author": authors[7]}


PAGES = {
    "home": lambda site: reverse("articles:home"),
    "home page 2": lambda site: reverse("articles:home") + "?page=2",
    "article": lambda site: site["article"].get_absolute_url(),
    "top category": lambda site: site["category"].parent.parent.get_absolute_url(),
    "category": lambda site: site["category"].get_absolute_url(),
    "tag": lambda site: site["tag"].get_absolute_url(),
    "author": lambda site: site["author"].get_absolute_url(),
    "year": lambda site: reverse("articles:year", args=[timezone.localdate().year]),
    "month": lambda site: reverse("articles:month", args=[timezone.localdate().year, timezone.localdate().month]),
    "search": lambda site: reverse("articles:search") + "?q=电动汽车",
    "search page 2": lambda site: reverse("articles:search") + "?q=电动汽车 充电&page=2",
    "feed": lambda site: reverse("articles:feed"),
    "atom feed": lambda site: reverse("articles:feed-atom"),
    "category feed": lambda site: reverse("articles:feed-category", args=[site["category"].path]),
    "tag feed": lambda site: reverse("articles:feed-tag", args=[site["tag"].slug]),
    "author feed": lambda site: reverse("articles:feed-author", args=[site["author"].slug]),
    "sitemap": lambda site: reverse("articles:sitemap"),
    "news sitemap": lambda site: reverse("articles:sitemap-news"),
    "robots.txt": lambda site: reverse("articles:robots"),
}


@pytest.mark.parametrize("page", PAGES)
def test_public_page_stays_within_the_query_budget(client, site, page, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(PAGES[page](site))
    assert response.status_code == 200
