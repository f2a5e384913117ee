"""The one HTML policy: what survives and what never does."""

import pytest

from articles.rendering import make_excerpt, reading_minutes, render_body
from articles.sanitizer import clean_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert('x')</script>",
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        "<svg><use href='#a'></use><script>x</script></svg>",
        "<button onclick='x()'>复制</button>",
    ],
)
def test_dangerous_elements_vanish_with_their_contents(dirty):
    assert clean_html(f"<p>前</p>{dirty}<p>后</p>") == "<p>前</p><p>后</p>"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()" style="color:red">文</p>', "<p>文</p>"),
        ('<a href="javascript:alert(1)">链接</a>', "<a>链接</a>"),
        ('<a href="file:///etc/passwd">本地</a>', "<a>本地</a>"),
        ('<img src="data:image/png;base64,AAAA">', ""),
        ("<!-- 注释 --><p>文</p>", "<p>文</p>"),
        ('<p data-id="1" class="x">文</p>', "<p>文</p>"),
    ],
)
def test_unsafe_attributes_and_urls_are_removed(dirty, clean):
    assert clean_html(dirty) == clean


def test_structure_is_kept():
    html = (
        "<h2>标题</h2><blockquote><p>引用</p></blockquote><ul><li>一</li></ul>"
        "<table><tbody><tr><td>格</td></tr></tbody></table>"
    )
    assert clean_html(html) == html


def test_images_load_lazily_without_referrer_and_lose_the_proxy():
    cleaned = clean_html('<img src="https://cors.zfour.workers.dev/?http://img.example.com/a.png" alt="图">')
    assert cleaned == '<img src="http://img.example.com/a.png" alt="图" loading="lazy" referrerpolicy="no-referrer">'


def test_lazy_load_placeholders_give_way_to_the_real_image():
    cleaned = clean_html('<img src="https://x.example/blank.png" data-original="https://img.example.com/real.jpg">')
    assert 'src="https://img.example.com/real.jpg"' in cleaned and "data-original" not in cleaned


def test_links_opening_a_new_window_get_noopener():
    cleaned = clean_html('<a href="https://example.com" target="_blank">外链</a>')
    assert cleaned == '<a href="https://example.com" target="_blank" rel="noopener noreferrer">外链</a>'


def test_tags_written_inside_code_blocks_stay_visible_as_text():
    cleaned = clean_html('<pre><code><script src="tf.js"></script>\nconst a = {b: 1};</code></pre>')
    assert cleaned == '<pre><code>&lt;script src="tf.js"&gt;&lt;/script&gt;\nconst a = {b: 1};</code></pre>'


def test_cleaning_is_idempotent():
    once = clean_html('<p style="x">文<img src="https://cors.zfour.workers.dev/?http://a.example/b.png"></p>')
    assert clean_html(once) == once


def test_markdown_is_rendered_then_sanitised():
    body = render_body("# 标题\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |", "markdown").html
    assert "<h1>标题</h1>" in body and "<table>" in body and "script" not in body


def test_html_bodies_are_never_run_through_markdown():
    body = render_body("<div>\n    <p>缩进的 HTML 不是代码块</p>\n</div>", "html").html
    assert "<pre>" not in body and "<p>缩进的 HTML 不是代码块</p>" in body


def test_excerpt_cuts_chinese_on_characters_and_prefers_a_full_stop():
    text = "第一句话说完了。" * 20
    excerpt = make_excerpt(f"<p>{text}</p>")
    assert excerpt.endswith("。") and len(excerpt) <= 120


def test_excerpt_without_a_nearby_full_stop_ends_with_an_ellipsis():
    assert make_excerpt("<p>" + "字" * 300 + "</p>") == "字" * 120 + "…"


def test_reading_time_counts_characters_not_words():
    assert reading_minutes("<p>" + "字" * 2000 + "</p>") == 5
