"""The seed-post parser on its own: bytes in, a PostRecord (or a clear error) out. No database."""

import datetime as dt

import pytest
from django.utils import timezone

from ingest.errors import ParseError
from ingest.hexo import parse_post
from ingest.records import PostRecord, first_image
from tests.builders import crawled_post
from tests.conftest import POSTS_DIR

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def parse(text: str | bytes, name: str = "post.md") -> PostRecord:
    return parse_post(text if isinstance(text, bytes) else text.encode(), name)


def parse_error(text: str | bytes) -> str:
    with pytest.raises(ParseError) as caught:
        parse(text)
    return str(caught.value)


def parse_fixture(name: str) -> PostRecord:
    return parse_post((POSTS_DIR / name).read_bytes(), name)


# Files that are not posts


def test_an_empty_file_is_rejected():
    assert parse_error(b"") == "file: is empty"


def test_a_file_of_blank_lines_is_rejected_as_empty():
    assert parse_error(b"\n  \n\t\n") == "file: is empty"


def test_a_binary_file_is_rejected():
    assert parse_error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == "file: is binary, not a text post"


def test_a_utf16_file_is_rejected_with_a_hint_to_save_it_as_utf8():
    assert parse_error(crawled_post().encode("utf-16")) == "file: is UTF-16 text; save it as UTF-8"


def test_a_gbk_file_names_the_first_byte_that_is_not_utf8():
    assert parse_error(crawled_post().encode("gbk")).startswith("file: is not UTF-8 text (byte 0xb2 at offset 13)")


# Front matter


def test_the_crawlers_empty_line_before_the_front_matter_is_accepted():
    assert parse(crawled_post()).title == "测试文章"


def test_a_file_without_front_matter_is_rejected():
    assert parse_error("<p>只有正文。</p>") == "front matter: missing: a post starts with a '---' block"


def test_front_matter_without_its_closing_line_is_rejected():
    assert parse_error("\n---\ntitle: '没有结尾'\n\n<p>正文</p>") == "front matter: missing its closing '---' line"


def test_front_matter_that_is_not_key_value_lines_is_rejected():
    assert parse_error("---\n- 一\n- 二\n---\n<p>正文</p>") == "front matter: is not a set of 'key: value' lines"


def test_empty_front_matter_reports_the_missing_title():
    assert parse_error("---\n---\n<p>正文</p>") == "title: missing or blank"


def test_invalid_yaml_without_a_readable_title_is_rejected():
    message = parse_error((POSTS_DIR / "bad-yaml.md").read_bytes())
    assert message.startswith("front matter: invalid YAML (")
    assert message.endswith("and no readable title")


def test_invalid_yaml_is_reported_with_its_line_in_the_file():
    record = parse_fixture("many-quotes.md")
    assert record.warnings[0].startswith("front matter: invalid YAML (did not find expected key at line 3)")


def test_a_blank_line_and_four_space_indents_inside_the_front_matter_are_accepted():
    assert parse_fixture("old-layout.md").category_paths == [["编程", "数据库周刊 - 精选"]]


# Titles


def test_a_double_quoted_title_keeps_its_apostrophe():
    assert parse(crawled_post('''"Maker's 'Lab' 开放日"''')).title == "Maker's 'Lab' 开放日"


def test_a_title_in_many_pairs_of_quotes_is_recovered_with_a_warning():
    record = parse_fixture("many-quotes.md")
    assert record.title == "第3集"
    assert "read line by line" in record.warnings[0]


def test_a_title_recovered_line_by_line_keeps_the_rest_of_the_front_matter():
    assert parse_fixture("many-quotes.md").category_paths == [["二次元", "番剧更新 - 详情"]]


def test_an_unquoted_title_is_taken_literally_even_with_a_hash_and_a_colon():
    assert parse_fixture("old-layout.md").title == "数据库周刊 #12: 索引与查询优化"


def test_an_unquoted_title_that_starts_with_a_quoted_phrase_is_recovered():
    record = parse(crawled_post('"国产芯片第一家"登场，测试机构发布报告'))
    assert record.title == '"国产芯片第一家"登场，测试机构发布报告'


@pytest.mark.parametrize("title", ["2015", "1.10", "010", "yes", "2021-03-22"])
def test_a_title_that_looks_like_a_number_date_or_boolean_stays_text(title):
    assert parse(crawled_post(title)).title == title


def test_a_blank_title_is_rejected():
    assert parse_error(crawled_post("' '")) == "title: missing or blank"


def test_a_title_of_punctuation_only_is_rejected_as_junk():
    assert parse_error(crawled_post("'_'")) == "title: '_' has no letters or digits"


def test_a_missing_title_is_never_rebuilt_from_the_file_name():
    text = "\n---\nauthor: 测试来源\ndate: 2021-09-02 01:48:36\n---\n\n<p>正文</p>"
    with pytest.raises(ParseError, match="title: missing or blank"):
        parse_post(text.encode(), "Example DB 20 发布.md")


def test_a_title_that_is_a_list_is_rejected():
    assert parse_error(crawled_post("[一, 二]")) == "title: must be text, not a list"


def test_a_title_too_long_for_the_database_is_rejected():
    assert parse_error(crawled_post("'" + "长" * 301 + "'")) == "title: is longer than 300 characters"


def test_escaped_braces_in_a_title_are_shown_as_braces():
    assert parse(crawled_post("'配置 &#123;name&#125; 字段'")).title == "配置 {name} 字段"


def test_an_unquoted_title_starting_with_an_escaped_brace_is_not_a_yaml_anchor():
    assert parse(crawled_post("&#123;新&#125;版本发布")).title == "{新}版本发布"


def test_named_and_numeric_entities_in_a_title_are_decoded():
    assert parse(crawled_post("'星云&reg;数据库 &amp; Ada&#039;s 工具箱'")).title == "星云®数据库 & Ada's 工具箱"


def test_ampersands_that_are_not_entities_stay_as_written():
    assert parse(crawled_post("'R&D&notes 与 A&B 联合报告'")).title == "R&D&notes 与 A&B 联合报告"


def test_decomposed_kana_in_a_title_is_composed():
    assert parse(crawled_post("'カ\u3099イト\u3099'")).title == "ガイド"


# Dates


def test_an_rfc2822_gmt_date_is_read():
    assert parse(crawled_post(date="Thu, 01 Jul 2021 02:30:47 GMT")).published_at == dt.datetime(
        2021, 7, 1, 2, 30, 47, tzinfo=dt.UTC
    )


def test_an_rfc2822_date_keeps_its_offset():
    assert parse(crawled_post(date="Thu, 01 Jul 2021 10:30:47 +0800")).published_at == dt.datetime(
        2021, 7, 1, 2, 30, 47, tzinfo=dt.UTC
    )


def test_an_rfc2822_date_with_an_unknown_zone_is_utc():
    assert parse(crawled_post(date="Thu, 01 Jul 2021 02:30:47 -0000")).published_at == dt.datetime(
        2021, 7, 1, 2, 30, 47, tzinfo=dt.UTC
    )


def test_a_naive_crawl_time_is_in_the_site_time_zone():
    published = parse(crawled_post(date="2021-09-02 01:48:36")).published_at
    assert published == dt.datetime(2021, 9, 2, 1, 48, 36, tzinfo=SHANGHAI)


def test_a_naive_crawl_time_ignores_whichever_zone_is_active():
    with timezone.override("America/New_York"):
        published = parse(crawled_post(date="2021-09-02 01:48:36")).published_at
    assert published == dt.datetime(2021, 9, 2, 1, 48, 36, tzinfo=SHANGHAI)


def test_an_iso_date_with_an_offset_is_read():
    published = parse(crawled_post(date="'2022-08-29T12:01:00+08:00'")).published_at
    assert published == dt.datetime(2022, 8, 29, 4, 1, tzinfo=dt.UTC)


def test_a_yaml_date_is_midnight_in_the_site_time_zone():
    assert parse(crawled_post(date="2021-03-22")).published_at == dt.datetime(2021, 3, 22, tzinfo=SHANGHAI)


def test_a_yaml_timestamp_with_single_digit_fields_is_read():
    assert parse(crawled_post(date="2021-9-2 1:48:36")).published_at == dt.datetime(
        2021, 9, 2, 1, 48, 36, tzinfo=SHANGHAI
    )


def test_an_unreadable_date_leaves_the_post_undated_and_unpublished():
    record = parse(crawled_post(date="Invalid Date"))
    assert record.published_at is None and not record.is_published


def test_an_unreadable_date_is_reported_as_a_warning():
    assert parse(crawled_post(date="Invalid Date")).warnings == [
        "date: cannot read 'Invalid Date'; imported as a draft"
    ]


def test_a_missing_date_is_reported_as_a_warning():
    record = parse("\n---\ntitle: '没有日期'\n---\n\n<p>正文</p>")
    assert record.warnings == ["date: missing; imported as a draft"]


# Categories


def test_a_list_of_categories_is_one_path_top_level_first():
    assert parse(crawled_post()).category_paths == [["新媒体", "测试来源", "新闻"]]


def test_the_crawlers_em_dash_before_a_level_is_dropped():
    text = crawled_post().replace(" - 新闻", " - — 资讯")
    assert parse(text).category_paths == [["新媒体", "测试来源", "资讯"]]


def test_a_list_of_lists_is_several_paths():
    text = "\n---\ntitle: '两个频道'\ncategories:\n - [编程, 开源中国, 资讯]\n - [编程, 掘金]\n---\n\n<p>正文</p>"
    assert parse(text).category_paths == [["编程", "开源中国", "资讯"], ["编程", "掘金"]]


def test_a_name_beside_lists_is_a_path_of_its_own():
    text = "\n---\ntitle: '混合'\ncategories:\n - 新闻\n - [编程, 掘金]\n---\n\n<p>正文</p>"
    assert parse(text).category_paths == [["新闻"], ["编程", "掘金"]]


def test_a_single_category_name_is_a_one_level_path():
    assert parse("\n---\ntitle: '单个分类'\ncategories: 新闻\n---\n\n<p>正文</p>").category_paths == [["新闻"]]


def test_category_names_that_look_like_booleans_or_numbers_keep_their_spelling():
    text = "\n---\ntitle: '分类名'\ncategories:\n - No\n - 1.10\n---\n\n<p>正文</p>"
    assert parse(text).category_paths == [["No", "1.10"]]


def test_categories_given_as_a_mapping_are_rejected():
    text = "\n---\ntitle: '错误分类'\ncategories:\n  新闻: 科技\n---\n\n<p>正文</p>"
    assert parse_error(text) == "categories: must be a name or a list"


# Tags


def test_keyword_links_in_the_body_become_tags():
    body = '<p><span class="hrefStyle"><a href="https://nev.example.com/" title="电动汽车">电动汽车</a></span>市场</p>'
    assert parse(crawled_post(body=body)).tags == ["电动汽车"]


def test_keyword_link_text_stays_in_the_body():
    body = '<p>新一代<span class="hrefStyle"><a href="https://nev.example.com/" title="充电">充电</a></span>技术</p>'
    assert ">充电</a></span>技术" in parse(crawled_post(body=body)).body_html


def test_front_matter_tags_in_a_list_become_tags():
    assert parse(crawled_post(front="tags: [数据库, 开源]\n")).tags == ["数据库", "开源"]


def test_front_matter_tags_in_a_string_are_split_at_commas():
    assert parse(crawled_post(front="tags: 数据库, 开源，云原生、AI\n")).tags == ["数据库", "开源", "云原生", "AI"]


def test_the_same_tag_twice_in_different_case_is_one_tag():
    assert parse(crawled_post(front="tags: [Python, python, PYTHON]\n")).tags == ["Python"]


# Images


def test_the_image_proxy_is_removed_from_the_head_image():
    record = parse(
        crawled_post().replace("headimg: ''", "headimg: 'https://cors.zfour.workers.dev/?http://img.example.com/a.png'")
    )
    assert record.head_image == "http://img.example.com/a.png"


def test_a_picsum_head_image_gives_way_to_the_first_real_image_in_the_body():
    assert parse_fixture("placeholder-images.md").head_image == "http://studio.example.com/media/render-farm.jpg"


def test_a_picsum_head_image_with_no_image_in_the_body_means_no_image():
    text = crawled_post().replace("headimg: ''", "headimg: 'https://picsum.photos/400/300?random=7'")
    assert parse(text).head_image == ""


def test_a_blank_png_placeholder_is_never_the_head_image():
    body = '<img src="https://cors.zfour.workers.dev/?http://studio.example.com/a/blank.png">'
    text = crawled_post(body=body).replace("headimg: ''", "headimg: 'http://studio.example.com/a/blank.png'")
    assert parse(text).head_image == ""


def test_empty_head_image_and_thumbnail_fall_back_to_the_first_body_image():
    record = parse(crawled_post(body='<p>图：</p><img src="https://img.example.com/one.jpg">'))
    assert (record.head_image, record.thumbnail) == ("https://img.example.com/one.jpg",) * 2


def test_an_absent_head_image_falls_back_to_the_thumbnail():
    text = "\n---\ntitle: '无头图'\nthumbnail: 'http://pbs.example.com/media/x.jpg'\n---\n\n<p>正文</p>"
    assert parse(text).head_image == "http://pbs.example.com/media/x.jpg"


def test_a_post_with_no_image_anywhere_has_no_head_image():
    assert parse(crawled_post()).head_image == ""


# Body


def test_a_body_starting_with_a_tag_is_html_and_never_markdown():
    record = parse(crawled_post(body="<p>**不是粗体** 和 _下划线_</p>"))
    assert record.body_format == "html" and "**不是粗体**" in record.body_html


def test_a_body_starting_with_text_is_markdown():
    record = parse("\n---\ntitle: 'Markdown'\n---\n\n一段 **加粗** 的文字。")
    assert record.body_format == "markdown" and "<strong>加粗</strong>" in record.body_html


def test_a_markdown_body_renders_tables():
    record = parse_fixture("markdown-body.md")
    assert "<table>" in record.body_html and "<td>速度</td>" in record.body_html


def test_a_markdown_body_renders_fenced_code():
    assert '<pre tabindex="0"><code class="language-python">' in parse_fixture("markdown-body.md").body_html


def test_a_format_key_wins_over_the_first_character():
    record = parse("\n---\ntitle: '声明格式'\nformat: html\n---\n\n纯文本 **不渲染**")
    assert record.body_format == "html" and "**不渲染**" in record.body_html


def test_an_unknown_format_is_rejected():
    assert parse_error(crawled_post(front="format: rst\n")) == "format: unknown body format 'rst' (html or markdown)"


def test_escaped_braces_in_an_html_code_block_become_real_braces():
    assert "const point = { x: 1, y: 2 };" in parse_fixture("crawler-braces.md").body_html


def test_escaped_braces_in_a_markdown_code_block_become_real_braces():
    record = parse("\n---\ntitle: '代码'\n---\n\n```js\nif (ok) &#123; run() &#125;\n```")
    assert "if (ok) { run() }" in record.body_html


def test_decomposed_kana_in_the_body_is_composed():
    assert "ガイド" in parse(crawled_post(body="<p>カ\u3099イト\u3099</p>")).body_html


def test_a_whitespace_only_body_is_rejected():
    assert parse_error((POSTS_DIR / "whitespace-body.md").read_bytes()) == "body: is empty (no text or images)"


def test_a_body_of_empty_markup_is_rejected():
    assert parse_error(crawled_post(body="<p> </p><p><br></p>")) == "body: is empty (no text or images)"


def test_an_image_only_body_is_accepted():
    assert parse(crawled_post(body='<img src="https://img.example.com/cover.jpg">')).body_html.startswith("<div>")


# Flags


def test_published_false_makes_a_draft():
    assert not parse(crawled_post(front="published: false\n")).is_published


def test_comments_true_allows_comments():
    assert parse(crawled_post().replace("comments: false", "comments: true")).allow_comments


def test_an_unreadable_flag_keeps_its_default_with_a_warning():
    record = parse(crawled_post().replace("comments: false", "comments: maybe"))
    assert not record.allow_comments
    assert record.warnings == ["comments: cannot read 'maybe' as true or false; using false"]


def test_the_first_image_is_found_even_after_a_quoted_angle_bracket():
    assert (
        first_image('<p>图</p><img alt="a>b" src="https://img.example.com/1.jpg">') == "https://img.example.com/1.jpg"
    )


def test_declared_tags_split_at_the_same_separators_editors_use():
    assert parse(crawled_post(front="tags: 芯片；电动汽车;AI、手机\n")).tags == ["芯片", "电动汽车", "AI", "手机"]
