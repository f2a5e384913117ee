"""Quirks of the crawled seed posts, through ``import_posts``: what a reader or editor sees afterwards."""

import datetime as dt
import html

import pytest

from content.models import Article, Category
from tests.conftest import POSTS_DIR

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def raw_post(title: str, front: str = "", body: str = "<p>正文内容。</p>") -> str:
    """A minimal post: the crawler's empty first line, the given front matter, an HTML body."""
    return f"\n---\ntitle: {title}\n{front}---\n\n{body}\n"


# Braces, entities and Unicode


def test_titles_show_real_braces_where_the_crawler_wrote_entities(run_import):
    run_import(POSTS_DIR / "crawler-braces.md")
    assert Article.objects.get().title == 'JSON 入门：{"键": "值"} 的写法'


def test_code_blocks_keep_their_braces(run_import):
    run_import(POSTS_DIR / "crawler-braces.md")
    assert "const point = { x: 1, y: 2 };" in Article.objects.get().body


def test_entities_in_titles_are_decoded(run_import, write_post):
    run_import(write_post(title="Ada&#039;s 工具箱&reg; 发布"))
    assert Article.objects.get().title == "Ada's 工具箱® 发布"


def test_decomposed_kana_is_stored_composed(run_import, write_post):
    run_import(write_post(title="カ\u3099イト\u3099", body="<p>新しいカ\u3099イト\u3099</p>"))
    article = Article.objects.get()
    assert article.title == "ガイド" and "新しいガイド" in article.body


# Titles


def test_a_title_in_many_pairs_of_quotes_imports_with_a_warning_naming_the_file(run_import):
    result = run_import(POSTS_DIR / "many-quotes.md")
    assert "many-quotes.md: warning: front matter: invalid YAML" in result.stderr
    assert Article.objects.get().title == "第3集"


def test_an_old_layout_title_without_quotes_is_imported_whole(run_import):
    run_import(POSTS_DIR / "old-layout.md")
    assert Article.objects.get().title == "数据库周刊 #12: 索引与查询优化"


def test_a_numeric_title_is_imported_as_text(run_import, write_post):
    run_import(write_post(raw=raw_post("2015", "date: Thu, 31 Dec 2015 00:00:00 GMT\n")))
    assert Article.objects.get().title == "2015"


def test_a_blank_title_fails_the_file(run_import, write_post):
    result = run_import(write_post(title=" "))
    assert result.failed and "post.md: title: missing or blank" in result.stderr
    assert not Article.objects.exists()


# Dates


def test_an_rfc2822_date_with_an_offset_is_stored_at_the_right_moment(run_import, write_post):
    run_import(write_post(raw=raw_post("'东八区'", "date: Thu, 01 Jul 2021 10:30:47 +0800\n")))
    assert Article.objects.get().published_at == dt.datetime(2021, 7, 1, 2, 30, 47, tzinfo=dt.UTC)


def test_a_yaml_date_is_published_at_midnight_site_time(run_import, write_post):
    run_import(write_post(raw=raw_post("'只有日期'", "date: 2021-03-22\n")))
    assert Article.objects.get().published_at == dt.datetime(2021, 3, 22, tzinfo=SHANGHAI)


def test_a_post_without_a_date_becomes_a_draft_with_a_warning(run_import, write_post):
    result = run_import(write_post("undated.md", raw=raw_post("'没有日期'")))
    assert "undated.md: warning: date: missing; imported as a draft" in result.stderr
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_post_with_an_invalid_date_is_not_shown_to_readers(run_import):
    run_import(POSTS_DIR / "invalid-date.md")
    assert not Article.objects.published().exists()


# Categories


def test_an_old_layout_post_is_filed_under_its_two_level_path(run_import):
    run_import(POSTS_DIR / "old-layout.md")
    (category,) = Article.objects.get().categories.all()
    assert [c.name for c in category.ancestry()] == ["编程", "数据库周刊 - 精选"]


def test_an_em_dash_level_and_a_plain_level_are_one_category(run_import, write_post):
    categories = "categories:\n - 编程\n - 开源中国\n - {}\ndate: 2021-03-23 09:10:00\n"
    write_post("a.md", raw=raw_post("'第一篇'", categories.format("— 资讯")))
    folder = write_post("b.md", raw=raw_post("'第二篇'", categories.format("资讯"))).parent
    run_import(folder)
    assert Category.objects.get(name="资讯").articles.count() == 2
    assert not Category.objects.filter(name__startswith="—").exists()


def test_a_list_of_lists_files_the_article_under_each_path(run_import, write_post):
    front = "categories:\n - [编程, 掘金]\n - [新媒体, 36kr, 资讯]\ndate: 2021-03-23 09:10:00\n"
    run_import(write_post(raw=raw_post("'两个分类'", front)))
    paths = sorted(" › ".join(c.name for c in cat.ancestry()) for cat in Article.objects.get().categories.all())
    assert paths == ["新媒体 › 36kr › 资讯", "编程 › 掘金"]


# Images


def test_a_picsum_head_image_is_replaced_by_the_first_real_image_in_the_body(run_import):
    run_import(POSTS_DIR / "placeholder-images.md")
    article = Article.objects.get()
    assert article.head_image == "http://studio.example.com/media/render-farm.jpg"
    assert article.thumbnail == article.head_image


def test_a_post_without_any_real_image_has_no_head_image(run_import):
    run_import(POSTS_DIR / "old-layout.md")
    article = Article.objects.get()
    assert article.head_image == "" and article.thumbnail == ""


def test_a_proxied_head_image_with_an_inner_http_url_is_unwrapped(run_import, write_post):
    front = "headimg: 'https://cors.zfour.workers.dev/?http://img.example.com/cover.png'\ndate: 2022-09-10 05:10:02\n"
    run_import(write_post(raw=raw_post("'代理头图'", front)))
    assert Article.objects.get().head_image == "http://img.example.com/cover.png"


# Tags


def test_keyword_links_become_tags_and_their_text_stays_readable(run_import, write_post):
    link = '<a href="https://nev.example.com/" title="电动汽车">电动汽车</a>'
    body = f'<p>新一代<span class="hrefStyle">{link}</span>上市</p>'
    run_import(write_post(body=body))
    article = Article.objects.get()
    assert list(article.tags.names()) == ["电动汽车"]
    assert "电动汽车</a></span>上市" in article.body


def test_a_tags_string_in_the_front_matter_becomes_tags(run_import, write_post):
    run_import(write_post(front="tags: 数据库, 开源\n"))
    assert sorted(Article.objects.get().tags.names()) == ["开源", "数据库"]


# Bodies


def test_a_markdown_body_is_rendered_with_tables_and_code(run_import):
    run_import(POSTS_DIR / "markdown-body.md")
    body = Article.objects.get().body
    assert "<td>速度</td>" in body
    # Quotes in text may be written as &quot; or as they are: the same HTML either way.
    assert '<code class="language-python">print({"braces": True})' in html.unescape(body)


def test_an_html_body_is_never_run_through_markdown(run_import, write_post):
    run_import(write_post(body="<p>1. 不是列表 **也不是粗体**</p>"))
    body = Article.objects.get().body
    assert "**也不是粗体**" in body and "<ol>" not in body


def test_a_format_key_overrides_the_first_character(run_import, write_post):
    run_import(write_post(raw=raw_post("'声明为 Markdown'", "format: markdown\n", body="<!-- 注释 -->\n\n**粗体**")))
    assert "<strong>粗体</strong>" in Article.objects.get().body


def test_a_whitespace_only_body_fails_the_file(run_import):
    result = run_import(POSTS_DIR / "whitespace-body.md")
    assert result.failed and "whitespace-body.md: body: is empty" in result.stderr
    assert not Article.objects.exists()


# Files that are not posts


def test_an_empty_file_fails_with_a_reason(run_import, write_post):
    result = run_import(write_post(raw=b""))
    assert result.failed and "post.md: file: is empty" in result.stderr


def test_a_binary_file_fails_with_a_reason(run_import, write_post):
    result = run_import(write_post("cover.md", raw=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert result.failed and "cover.md: file: is binary, not a text post" in result.stderr


def test_a_file_without_front_matter_fails_with_a_reason(run_import):
    result = run_import(POSTS_DIR / "no-front-matter.md")
    assert "no-front-matter.md: front matter: missing" in result.stderr


def test_a_folder_with_only_hidden_posts_is_a_command_error(run_import, write_post):
    folder = write_post(".github/ISSUE_TEMPLATE.md").parent.parent
    result = run_import(folder)
    assert result.failed and "no posts found" in result.stderr
    assert not Article.objects.exists()


def test_an_image_path_too_long_for_the_file_system_fails_nothing(run_import, write_post):
    result = run_import(write_post(body=f'<p>正文</p><img src="{"b" * 300}.png">'))
    assert not result.failed
    assert "not found beside the post" in result.stderr
