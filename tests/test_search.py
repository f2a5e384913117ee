"""Search: Chinese substring matching, highlighting, and friendly answers to
queries that cannot be searched."""

import pytest

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, Search
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def search(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_chinese_query_finds_a_word_inside_a_sentence(client):
    make_article("动力电池技术观察", body="<p>业内普遍认为，电动汽车的主流续航将稳定在五百公里以上。</p>")
    page = search(client, "电动汽车")
    assert "动力电池技术观察" in page
    assert "找到 1 篇文章" in page


def test_seed_article_is_found(client, run_import):
    from tests.conftest import PROJECT_DIR

    run_import(PROJECT_DIR / "seeds")
    assert "动力电池技术观察" in search(client, "电动汽车")


def test_every_term_must_match(client):
    make_article("电动汽车快充", body="<p>快充。</p>")
    make_article("电动汽车续航", body="<p>续航。</p>")
    page = search(client, "电动汽车 快充").replace("<mark>", "").replace("</mark>", "")
    assert "电动汽车快充" in page and "电动汽车续航" not in page


def test_title_matches_come_before_body_matches(client):
    make_article("正文提到", body="<p>电池</p>", days_ago=1)
    make_article("电池标题", body="<p>无关</p>", days_ago=5)
    page = search(client, "电池")
    assert page.index("<mark>电池</mark>标题") < page.index("正文提到")


def test_matches_are_highlighted_in_title_and_snippet(client):
    make_article("新能源汽车销量", body="<p>今年新能源汽车销量持续攀升。</p>")
    page = search(client, "汽车")
    assert "新能源<mark>汽车</mark>销量" in page
    assert "今年新能源<mark>汽车</mark>销量持续攀升。" in page


def test_latin_query_ignores_case(client):
    make_article("Apache Impala 4.0 发布")
    assert "<mark>Apache</mark> <mark>Impala</mark>" in search(client, "apache IMPALA")


def test_drafts_and_scheduled_articles_are_not_found(client):
    make_article("电池草稿", status=Article.Status.DRAFT)
    make_article("电池定时", days_ago=-1)
    assert "找到 0 篇文章" in search(client, "电池")


def test_query_is_escaped_when_shown_back(client):
    page = search(client, "<script>alert(1)</script>")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_highlighting_escapes_the_article_text(client):
    make_article("<b>电池</b> 与 & 符号")
    page = search(client, "电池")
    assert "&lt;b&gt;<mark>电池</mark>&lt;/b&gt; 与 &amp; 符号" in page


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("", "在页面顶部的搜索框输入关键词"),
        ("   ", "在页面顶部的搜索框输入关键词"),
        ("？！…%_", "请输入要搜索的文字或数字"),
        ("电" * (MAX_QUERY_LENGTH + 1), "搜索词太长了"),
        ("电池\x00", "找到 0 篇文章"),
    ],
    ids=["empty", "blank", "punctuation", "too-long", "nul"],
)
def test_queries_that_cannot_be_searched_get_a_friendly_page(client, query, answer):
    assert answer in search(client, query)


def test_like_wildcards_are_matched_literally(client):
    make_article("百分之百")
    assert "找到 0 篇文章" in search(client, "100%")


def test_search_pages_are_not_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "电池")


def test_parse_keeps_at_most_five_distinct_terms():
    assert Search.parse("a b a c d e f g").terms == ("a", "b", "c", "d", "e")


def test_snippet_centres_on_the_first_match():
    body = "<p>" + "前" * 200 + "电池" + "后" * 200 + "</p>"
    snippet = Search.parse("电池").snippet(body, fallback="")
    assert snippet.startswith("…前") and snippet.endswith("后…")
    assert "<mark>电池</mark>" in snippet
