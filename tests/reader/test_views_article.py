"""One article's page: what a reader sees around the body, and what search
engines and link previews read from its head."""

import json
import re

import pytest
from django.utils import timezone

from content.models import Article
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_category("新媒体", "高科技行业门户", "新闻")


@pytest.fixture
def article(news):
    article = make_article(
        "电动汽车快充进入十五分钟时代",
        body='<p>快充技术让补能更快。</p><p><img src="/media/images/curve.png" alt="充电曲线"></p>',
        author=make_author("ZAKER", kind="source"),
        head_image="/media/images/cover.png",
    )
    # 04:01 GMT is 12:01 in Shanghai
    Article.objects.filter(pk=article.pk).update(published_at="2022-08-29T04:01:00Z")
    article.refresh_from_db()
    article.categories.add(news)
    article.tags.add("电动汽车", "充电")
    return article


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_source_author_is_shown_as_source(client, article):
    assert "来源：ZAKER" in page(client, article)


def test_date_is_shown_in_shanghai_time(client, article):
    assert "2022年8月29日 12:01" in page(client, article)


def test_breadcrumb_runs_from_the_top_category(client, article):
    html = page(client, article)
    assert re.search(r"新媒体</a></li><li><a [^>]*>高科技行业门户</a></li><li><a [^>]*>新闻</a>", html)


def test_head_image_is_shown_when_the_body_does_not_repeat_it(client, article):
    assert 'class="head-image" src="/media/images/cover.png"' in page(client, article)


def test_head_image_is_not_shown_twice(client, article):
    Article.objects.filter(pk=article.pk).update(head_image="/media/images/curve.png")
    assert 'class="head-image"' not in page(client, article)


def test_previous_and_next_articles_are_the_published_neighbours(client, article):
    older = make_article("更早的文章", days_ago=2000)
    make_article("更早的草稿", days_ago=1900, status=Article.Status.DRAFT)
    newer = make_article("更新的文章", days_ago=1)
    html = page(client, article)
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    assert "更早的草稿" not in html


def test_related_articles_share_tags_first_then_the_category(client, article, news):
    same_category = make_article("同一分类的文章", days_ago=1)
    same_category.categories.add(news)
    one_tag = make_article("一个相同标签", days_ago=3)
    one_tag.tags.add("充电")
    two_tags = make_article("两个相同标签", days_ago=5)
    two_tags.tags.add("充电", "电动汽车")
    make_article("无关的文章", days_ago=2).tags.add("游戏")
    related = page(client, article).split('id="related-heading"')[1]
    titles = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', related)
    assert titles == ["两个相同标签", "一个相同标签", "同一分类的文章"]


def test_related_articles_are_at_most_five_and_never_drafts(client, article):
    for n in range(7):
        make_article(f"相关{n}", days_ago=n + 1).tags.add("充电")
    make_article("相关草稿", status=Article.Status.DRAFT).tags.add("充电", "电动汽车")
    related = page(client, article).split('id="related-heading"')[1]
    assert len(re.findall(r"<li>", related)) == 5
    assert "相关草稿" not in related


def test_head_has_canonical_url_and_link_preview_tags(client, article):
    html = page(client, article)
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/cover.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="description" content="快充技术让补能更快。">' in html


def test_head_describes_the_article_as_a_news_article(client, article):
    data = json_ld(page(client, article))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["datePublished"] == "2022-08-29T12:01:00+08:00"
    assert data["author"] == {"@type": "Organization", "name": "ZAKER", "url": "http://testserver/author/zaker/"}
    assert data["image"] == ["http://testserver/media/images/cover.png"]
    assert set(data["keywords"]) == {"电动汽车", "充电"}


def test_json_ld_cannot_close_its_script_element(client, news):
    article = make_article("标题</script><script>alert(1)</script>")
    html = page(client, article)
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == article.title


def test_hexo_permalink_redirects_to_the_article(client, article):
    response = client.get("/2022/08/29/电动汽车快充进入十五分钟时代/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_hexo_permalink_under_category_folders_finds_the_imported_file(client, run_import, write_post):
    body = "<p>Apache Impala 4.0 发布，查询引擎带来多线程执行与更快的元数据加载。</p>"
    post = write_post("新媒体/ZAKER/新闻/Apache Impala 40 发布.md", title="Apache Impala 4.0 发布", body=body)
    assert not run_import(post.parents[3]).failed
    article = Article.objects.get(title="Apache Impala 4.0 发布")
    response = client.get("/2022/08/29/新媒体/ZAKER/新闻/Apache Impala 40 发布/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "url", ["/2022/09/05/电动汽车快充进入十五分钟时代/", "/2022/02/30/任何文章/", "/2022/08/29/别的文章/"]
)
def test_hexo_permalink_without_a_matching_article_is_404(client, article, url):
    assert client.get(url).status_code == 404


def test_hexo_permalink_does_not_reveal_drafts(client):
    draft = make_article("草稿文章", status=Article.Status.DRAFT, days_ago=0)
    day = timezone.localtime(draft.published_at)
    assert client.get(f"/{day:%Y/%m/%d}/草稿文章/").status_code == 404


def test_an_old_slug_redirects_to_the_article_after_an_editor_changes_it(client):
    article = make_article("电池回收进入规模化阶段")
    old_url = article.get_absolute_url()
    article.slug = "battery-recycling"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/battery-recycling/"


def test_editing_the_title_keeps_the_address(client):
    article = make_article("原来的标题")
    url = article.get_absolute_url()
    article.title = "改过的标题"
    article.save()
    assert client.get(url).status_code == 200


def test_an_old_slug_of_a_draft_stays_hidden_from_readers(client):
    article = make_article("草稿文章", status="draft")
    old_url = article.get_absolute_url()
    article.slug = "draft-moved"
    article.save()
    assert client.get(old_url).status_code == 404
