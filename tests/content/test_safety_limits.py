"""No body, however shaped, holds up rendering: deep nesting is flattened,
pathological Markdown is refused with a reason, long bodies are refused."""

import pytest

from content.models import Article
from content.rendering import BODY_MAX_CHARS, MARKDOWN_MAX_DEPTH, BodyRefused, render_body
from content.sanitizer import MAX_DEPTH, clean_html
from ingest.errors import ParseError
from ingest.hexo import parse_post
from tests.builders import add_url, article_form, make_author


def depth(cleaned: str) -> int:
    deepest = level = 0
    for piece in cleaned.split("<")[1:]:
        if piece.startswith("/"):
            level -= 1
        elif not piece.startswith(("img", "br", "hr", "col")):
            level += 1
            deepest = max(deepest, level)
    return deepest


def test_nesting_beyond_the_limit_is_flattened_and_the_text_kept():
    cleaned = clean_html("<div>" * 10_000 + "深处的文字" + "</div>" * 10_000)
    assert "深处的文字" in cleaned and depth(cleaned) <= MAX_DEPTH


@pytest.mark.parametrize("unit", ["<ul><li>", "<blockquote>", "<table><tr><td>", "<b>"])
def test_unclosed_nesting_is_flattened(unit):
    assert depth(clean_html(unit * 5_000 + "x")) <= 2 * MAX_DEPTH  # the parser adds <tbody>


def test_flattened_bodies_clean_the_same_twice():
    once = clean_html("<div><p>a" * 200)
    assert clean_html(once) == once


@pytest.mark.parametrize(
    "source",
    [
        "- " * 999 + "x",
        "> " * 999 + "x",
        "".join(f"{chr(9) * level}- 第{level}层\n" for level in range(500)) + "\t" * 500 + "x",
    ],
)
def test_a_thousand_level_markdown_list_or_quote_is_refused_with_a_reason(source):
    with pytest.raises(BodyRefused, match="nests lists or quotes (999|500) levels deep"):
        render_body(source, "markdown")


def test_markdown_nested_within_the_limit_renders():
    source = "".join(f"{'    ' * level}- 第{level}层\n" for level in range(MARKDOWN_MAX_DEPTH - 1))
    assert "第30层" in render_body(source, "markdown").html


@pytest.mark.parametrize("source", ["[" * 50_000, "<b " * 20_000, "![" * 20_000, "*a" * 100_000, "字\n" * 100_000])
def test_pathological_markdown_is_refused(source):
    with pytest.raises(BodyRefused, match="too pathological"):
        render_body(source, "markdown")


def test_a_body_over_the_size_cap_is_refused():
    with pytest.raises(BodyRefused, match="over the 256,000 limit"):
        render_body("字" * (BODY_MAX_CHARS + 1), "html")


def test_an_imported_post_with_pathological_markdown_fails_naming_the_body():
    post = "---\ntitle: 深列表\nformat: markdown\n---\n" + "- " * 1_000 + "x"
    with pytest.raises(ParseError) as error:
        parse_post(post.encode(), "deep.md")
    assert error.value.field == "body" and "levels deep" in error.value.reason


@pytest.mark.django_db
def test_an_editor_saving_pathological_markdown_gets_a_field_error_not_a_crash(admin_client):
    data = article_form(title="深列表", author=make_author().pk, body_format="markdown", body_source="- " * 1_000 + "x")
    response = admin_client.post(add_url(), data)
    assert response.status_code == 200
    assert "正文无法渲染" in response.context["adminform"].form.errors["body_source"][0]
    assert not Article.objects.exists()
