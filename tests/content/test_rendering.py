"""Rendering bodies (Markdown or HTML, then sanitised) and text derived from them: excerpts and reading time."""

from content.rendering import make_excerpt, reading_minutes, render_body


def test_excerpt_keeps_words_of_separate_paragraphs_apart():
    assert make_excerpt("<p>First paragraph.</p><p>Second one.<br>Third</p>") == "First paragraph. Second one. Third"


def test_markdown_is_rendered_then_sanitised():
    body = render_body("# 标题\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |", "markdown").html
    assert "<h2>标题</h2>" in body and "<table>" in body and "script" not in body


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
