"""The read API: what anonymous callers see, filters, representation, tokens and the docs."""

import re

import pytest

from api.models import ApiToken
from content.models import Article
from tests.builders import bearer, make_article, make_author, make_category, make_token

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.fixture
def matrix():
    """One article in each state readers can meet (or not)."""
    return {
        "published": make_article("已发布", slug="published"),
        "draft": make_article("草稿", slug="draft", status=Article.Status.DRAFT),
        "scheduled": make_article("定时", slug="scheduled", days_ago=-1),
        "undated": make_article("无日期", slug="undated", days_ago=None),
    }


def test_anonymous_callers_list_only_published_articles(client, matrix):
    assert slugs(client.get(f"{API}/articles")) == ["published"]


@pytest.mark.parametrize("state", ["draft", "scheduled", "undated"])
def test_anonymous_callers_cannot_open_unpublished_articles(client, matrix, state):
    assert client.get(f"{API}/articles/{state}").status_code == 404


def test_anonymous_callers_never_find_unpublished_articles_by_search(client, matrix):
    response = client.get(f"{API}/search", {"q": "草稿"})
    assert response.status_code == 200 and response.json() == []
    assert [item["slug"] for item in client.get(f"{API}/search", {"q": "已发布"}).json()] == ["published"]


def test_an_unpublished_article_leaves_the_api(client, matrix):
    article = matrix["published"]
    article.status = Article.Status.DRAFT
    article.save()
    assert slugs(client.get(f"{API}/articles")) == []
    assert client.get(f"{API}/articles/published").status_code == 404


def test_a_staff_token_with_change_permission_opens_drafts_but_lists_only_published(client, matrix, staff_editor):
    headers = bearer(make_token(staff_editor))
    assert client.get(f"{API}/articles/draft", **headers).json()["state"] == "draft"
    assert client.get(f"{API}/articles/scheduled", **headers).json()["state"] == "scheduled"
    assert slugs(client.get(f"{API}/articles", **headers)) == ["published"]


def test_a_session_cookie_does_not_widen_what_the_api_shows(client, matrix, admin_user):
    client.force_login(admin_user)
    assert client.get(f"{API}/articles/draft").status_code == 404


def test_a_revoked_token_is_refused(client, matrix, staff_editor):
    secret = make_token(staff_editor)
    ApiToken.objects.get().revoke()
    response = client.get(f"{API}/articles", **bearer(secret))
    assert response.status_code == 401


def test_an_unknown_token_is_refused_not_treated_as_anonymous(client, matrix):
    assert client.get(f"{API}/articles", **bearer("nr_not-a-real-token")).status_code == 401


def test_a_token_of_an_inactive_user_is_refused(client, matrix, staff_editor):
    secret = make_token(staff_editor)
    staff_editor.is_active = False
    staff_editor.save()
    assert client.get(f"{API}/articles", **bearer(secret)).status_code == 401


def test_articles_are_filtered_by_category_path_including_sub_categories(client):
    news = make_category("新媒体", "36氪", "快讯")
    other = make_category("汽车")
    make_article("快讯", slug="flash").categories.add(news)
    make_article("汽车", slug="car").categories.add(other)
    assert slugs(client.get(f"{API}/articles", {"category": news.parent.path})) == ["flash"]
    assert slugs(client.get(f"{API}/articles", {"category": "no/such/path"})) == []


def test_articles_are_filtered_by_tag_and_author(client):
    source = make_author("36氪", kind="source")
    make_article("带标签", slug="tagged").tags.add("电动汽车")
    make_article("来源", slug="sourced", author=source)
    assert slugs(client.get(f"{API}/articles", {"tag": "电动汽车"})) == ["tagged"]
    assert slugs(client.get(f"{API}/articles", {"author": source.slug})) == ["sourced"]


def test_articles_are_filtered_by_date_range_and_updated_since(client):
    make_article("旧", slug="old", days_ago=30)
    recent = make_article("新", slug="new", days_ago=2)
    assert slugs(client.get(f"{API}/articles", {"published_after": "2000-01-01T00:00:00Z"})) == ["new", "old"]
    since = recent.published_at.isoformat()
    assert slugs(client.get(f"{API}/articles", {"published_after": since})) == ["new"]
    assert slugs(client.get(f"{API}/articles", {"published_before": since})) == ["old"]
    Article.objects.filter(slug="old").update(updated_at=recent.published_at)
    Article.objects.filter(slug="new").update(updated_at=recent.published_at.replace(year=2001))
    assert slugs(client.get(f"{API}/articles", {"updated_since": since})) == ["old"]


def test_an_article_has_sanitised_html_plain_text_excerpt_and_absolute_urls(client):
    body = '<p>正文<a href="/about/">链接</a><img src="/media/a.png"></p><script>alert(1)</script>'
    article = make_article("完整", slug="full", body=body, head_image="/media/head.jpg")
    article.categories.add(make_category("科技"))
    data = client.get(f"{API}/articles/full").json()
    assert "<script" not in data["body_html"]
    assert 'href="http://testserver/about/"' in data["body_html"]
    assert 'src="http://testserver/media/a.png"' in data["body_html"]
    assert data["body_text"].startswith("正文链接")
    assert data["excerpt"] == article.excerpt
    assert data["url"] == "http://testserver/articles/full/"
    assert data["head_image"] == "http://testserver/media/head.jpg"
    assert data["categories"][0]["url"] == "http://testserver/category/%E7%A7%91%E6%8A%80/"
    assert data["author"]["url"].startswith("http://testserver/author/")


def test_categories_come_as_a_tree(client):
    make_category("新媒体", "36氪", "快讯")
    make_category("新媒体", "OFweek")
    tree = client.get(f"{API}/categories").json()
    assert [node["name"] for node in tree] == ["新媒体"]
    assert sorted(child["name"] for child in tree[0]["children"]) == ["36氪", "OFweek"]
    kr = next(child for child in tree[0]["children"] if child["name"] == "36氪")
    assert [leaf["path"] for leaf in kr["children"]] == ["新媒体/36氪/快讯"]


def test_tags_and_authors_are_listed_a_page_at_a_time(client):
    for n in range(3):
        make_author(f"作者{n}")
        make_article(f"文章{n}").tags.add(f"标签{n}")
    first = client.get(f"{API}/tags", {"limit": 2}).json()
    second = client.get(f"{API}/tags", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [tag["name"] for tag in first["items"] + second["items"]] == ["标签0", "标签1", "标签2"]
    assert second["next_cursor"] is None
    authors = client.get(f"{API}/authors", {"limit": 100}).json()["items"]
    assert {"作者0", "作者1", "作者2"} <= {author["name"] for author in authors}


def test_search_names_the_parameter_it_cannot_use(client):
    response = client.get(f"{API}/search", {"q": "！！！"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_an_unchanged_article_answers_304_to_its_etag_and_date(client):
    make_article(slug="cached")
    first = client.get(f"{API}/articles/cached")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(f"{API}/articles/cached", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(f"{API}/articles/cached", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = client.get(f"{API}/articles")
    assert client.get(f"{API}/articles", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_a_changed_article_no_longer_matches_its_old_etag(client):
    article = make_article(slug="cached")
    etag = client.get(f"{API}/articles/cached")["ETag"]
    article.title = "改过的标题"
    article.save()
    assert client.get(f"{API}/articles/cached", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_anonymous_answers_may_be_cached_by_an_edge_token_answers_may_not(client, settings, staff_editor):
    settings.API_CACHE_SECONDS = 120
    make_article(slug="a")
    public = client.get(f"{API}/articles")
    assert public["Cache-Control"] == "public, max-age=120, stale-while-revalidate=120"
    assert "Authorization" in public["Vary"]
    private = client.get(f"{API}/articles", **bearer(make_token(staff_editor)))
    assert "private" in private["Cache-Control"] and "public" not in private["Cache-Control"]


def test_other_sites_may_read_the_api_from_a_browser(client):
    response = client.get(f"{API}/articles", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://partner.example")


def test_the_openapi_schema_describes_the_api(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert {"/api/v1/articles", "/api/v1/articles/{slug}", "/api/v1/categories", "/api/v1/search"} <= set(
        schema["paths"]
    )


def test_the_docs_page_runs_no_inline_script_so_the_csp_allows_it(client):
    response = client.get(f"{API}/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    inline = [tag for tag in re.findall(r"<script([^>]*)>", page) if "src=" not in tag and "json" not in tag]
    assert inline == []
    assert "cdn" not in page


def test_a_token_records_when_it_was_last_used(client, staff_editor):
    client.get(f"{API}/articles", **bearer(make_token(staff_editor)))
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("parameter", ["category", "tag", "author", "cursor"])
def test_a_nul_character_in_a_filter_is_refused_naming_it(client, parameter):
    response = client.get(f"{API}/articles", {parameter: "a\x00b"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == parameter


def test_a_nul_character_in_a_slug_is_refused(client):
    assert client.get(f"{API}/articles/a%00b").status_code == 422


@pytest.mark.parametrize("moment", ["4587-05-24T21:07:46-20:01", "2024-01-02T03:04:05", "0001-01-01T00:00:00+08:00"])
def test_any_time_the_schema_allows_is_answered_not_a_server_error(client, moment):
    response = client.get("/api/v1/articles", {"updated_since": moment, "published_after": moment})
    assert response.status_code in (200, 422)
