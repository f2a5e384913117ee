"""The search page: what readers find, in what order, with which filters,
highlighting, and friendly answers to queries that cannot be searched."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from content.models import Article
from search.query import MAX_QUERY_LENGTH, Search
from tests.builders import make_article, make_author, make_category

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
    assert [term.text for term in Search.parse("a b a c d e f g").terms] == ["a", "b", "c", "d", "e"]


def test_snippet_centres_on_the_first_match():
    body = "<p>" + "前" * 200 + "电池" + "后" * 200 + "</p>"
    snippet = Search.parse("电池").snippet(body, fallback="")
    assert snippet.startswith("…前") and snippet.endswith("后…")
    assert "<mark>电池</mark>" in snippet


def test_a_snippet_finds_a_match_across_blocks_and_shows_the_excerpt_past_the_first_pages():
    near = "<p>" + "前" * 999 + "电池" + "后" * 200 + "</p>"  # the match straddles two blocks
    assert "<mark>电池</mark>" in Search.parse("电池").snippet(near, fallback="")
    far = "<p>" + "前" * 20_000 + "电池</p>"
    assert Search.parse("电池").snippet(far, fallback="摘要") == "摘要"


def titles(page: str) -> list[str]:
    """Result titles in page order, without highlighting."""
    plain = page.replace("<mark>", "").replace("</mark>", "")
    return re.findall(r'<h3><a href="[^"]*">([^<]*)</a></h3>', plain)


def test_a_phrase_does_not_match_its_words_far_apart(client):
    make_article("电动汽车普及", body="<p>正文。</p>")
    make_article("电动自行车", body="<p>另外，汽车市场平稳。</p>")
    assert titles(search(client, "电动汽车")) == ["电动汽车普及"]


def test_quoted_words_match_as_one_phrase(client):
    make_article("Apple Watch 评测")
    make_article("Watch 与 Apple 的故事")
    assert titles(search(client, '"Apple Watch"')) == ["Apple Watch 评测"]
    assert sorted(titles(search(client, "Apple Watch"))) == ["Apple Watch 评测", "Watch 与 Apple 的故事"]


def test_a_minus_excludes_a_term(client):
    make_article("电池快充", body="<p>汽车电池。</p>")
    make_article("电池回收")
    assert titles(search(client, "电池 -汽车")) == ["电池回收"]


def test_only_exclusions_get_a_friendly_page(client):
    assert "减号开头的词只用来排除" in search(client, "-汽车")


def test_one_chinese_character_finds_it_anywhere(client):
    make_article("汽车", body="<p>正文。</p>")
    make_article("车辆管理", body="<p>正文。</p>")
    make_article("火箭", body="<p>正文。</p>")
    assert sorted(titles(search(client, "车"))) == ["汽车", "车辆管理"]


def test_traditional_and_full_width_queries_find_simplified_and_half_width_text(client):
    make_article("游戏市场", body="<p>Windows 平台。</p>")
    assert titles(search(client, "遊戲")) == ["游戏市场"]
    assert titles(search(client, "Ｗｉｎｄｏｗｓ")) == ["游戏市场"]


def test_markup_and_addresses_are_not_searched(client):
    make_article("图片", body='<p><span style="color:red">红字</span><a href="https://example.com/p">链接</a></p>')
    for hidden in ("span", "style", "example", "https"):
        assert "找到 0 篇文章" in search(client, hidden), hidden


def test_source_and_tags_are_searched(client):
    article = make_article("无关标题", author=make_author("爱范儿", kind="source"))
    article.tags.add("折叠屏")
    assert titles(search(client, "爱范儿")) == ["无关标题"]
    assert titles(search(client, "折叠屏")) == ["无关标题"]


def test_an_edited_article_is_found_by_its_new_words(client):
    article = make_article("旧标题")
    article.title = "新标题光刻机"
    article.save()
    assert titles(search(client, "光刻机")) == ["新标题光刻机"]
    assert titles(search(client, "旧标题")) == []


def test_a_deleted_article_is_not_found(client):
    make_article("光刻机").delete()
    assert "找到 0 篇文章" in search(client, "光刻机")


def test_newest_order_lists_matches_by_date(client):
    make_article("芯片标题", body="<p>正文</p>", days_ago=5)
    make_article("新闻", body="<p>芯片</p>", days_ago=1)
    assert titles(search(client, "芯片")) == ["芯片标题", "新闻"]
    assert titles(client.get("/search/", {"q": "芯片", "sort": "new"}).content.decode()) == ["新闻", "芯片标题"]


def test_recency_decides_between_equal_matches(client):
    make_article("芯片旧闻", days_ago=300)
    make_article("芯片新闻", days_ago=1)
    assert titles(search(client, "芯片")) == ["芯片新闻", "芯片旧闻"]


def test_results_can_be_narrowed_to_a_category_and_its_subcategories(client):
    make_article("芯片甲").categories.add(make_category("科技", "半导体"))
    make_article("芯片乙").categories.add(make_category("财经"))
    page = client.get("/search/", {"q": "芯片", "category": make_category("科技").path}).content.decode()
    assert titles(page) == ["芯片甲"]


def test_results_can_be_narrowed_to_a_source(client):
    make_article("芯片甲", author=make_author("36氪", kind="source"))
    make_article("芯片乙", author=make_author("虎嗅", kind="source"))
    source = make_author("虎嗅")
    assert titles(client.get("/search/", {"q": "芯片", "source": source.slug}).content.decode()) == ["芯片乙"]


def test_results_can_be_narrowed_to_a_date_range(client):
    make_article("芯片新", days_ago=1)
    make_article("芯片旧", days_ago=30)
    start = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    end = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    assert titles(client.get("/search/", {"q": "芯片", "start": start, "end": end}).content.decode()) == ["芯片旧"]


def test_a_bad_filter_is_named_and_the_search_still_runs(client):
    make_article("芯片新")
    page = client.get("/search/", {"q": "芯片", "start": "2022-13-45"}).content.decode()
    assert titles(page) == ["芯片新"]
    assert 'class="error"' in page


def test_many_results_show_an_estimate_and_page_within_the_newest(client, settings):
    settings.SEARCH_RESULTS_WINDOW = 21  # a page and one more
    for n in range(25):
        make_article(f"芯片{n}", days_ago=n + 1)
    page = search(client, "芯片")
    # Exact on SQLite; PostgreSQL's planner estimate, never below what the window holds.
    estimate = re.search(r"约 (\d+) 条结果", page)
    assert estimate and int(estimate[1]) >= 21
    assert "第 1 / 2 页" in page
    assert titles(client.get("/search/", {"q": "芯片", "page": 2}).content.decode()) == ["芯片20"]
    assert client.get("/search/", {"q": "芯片", "page": 3}).status_code == 404


def test_the_filters_offer_the_sources_and_categories_of_the_results_with_counts(client):
    huxiu, kr = make_author("虎嗅", kind="source"), make_author("36氪", kind="source")
    for n in range(2):
        make_article(f"芯片{n}", author=huxiu).categories.add(make_category("科技"))
    make_article("芯片三", author=kr).categories.add(make_category("汽车"))
    make_article("电池", author=make_author("爱范儿", kind="source")).categories.add(make_category("数码"))
    page = search(client, "芯片")
    assert '<option value="new">最新</option>' in page
    options = re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<]+)</option>", page)
    assert options[options.index("虎嗅（2）") :][:2] == ["虎嗅（2）", "36氪（1）"]  # the most results first
    assert "科技（2）" in options and "汽车（1）" in options
    assert not [option for option in options if "爱范儿" in option or "数码" in option]  # nothing of theirs matched


def test_a_chosen_filter_stays_offered_when_nothing_matches(client):
    make_article("芯片甲")
    source = make_author("爱范儿", kind="source")
    page = client.get("/search/", {"q": "芯片", "source": source.slug}).content.decode()
    assert f'<option value="{source.slug}" selected>爱范儿</option>' in page


def test_a_very_long_article_is_saved_and_found_by_its_beginning(client):
    make_article("长文", body="<p>开头的光刻机" + "很长的正文，" * 40_000 + "</p>")
    assert titles(search(client, "光刻机")) == ["长文"]


def test_a_query_of_one_character_looks_through_the_newest_articles(client, settings):
    settings.SEARCH_ONE_CHARACTER_DOCUMENTS = 2
    for days_ago in (1, 2, 3):
        make_article(f"汽车{days_ago}", days_ago=days_ago)
    assert sorted(titles(search(client, "车"))) == ["汽车1", "汽车2"]
    assert len(titles(search(client, "车 汽车"))) == 3  # a longer term lifts the bound


def test_the_newest_matches_are_found_whether_from_this_month_or_years_ago(client, settings):
    settings.SEARCH_RESULTS_WINDOW = 4
    for days_ago in (3_000, 900, 400, 45, 0.01):  # past every span of months, then within each
        make_article(f"芯片{days_ago}", days_ago=days_ago)
    make_article("芯片定时", days_ago=-3)  # scheduled: not for readers
    page = client.get("/search/", {"q": "芯片", "sort": "new"}).content.decode()
    assert titles(page) == ["芯片0.01", "芯片45", "芯片400", "芯片900"]
    settings.SEARCH_RESULTS_WINDOW = 10
    assert len(titles(search(client, "芯片"))) == 5  # the oldest too, once the window has room
