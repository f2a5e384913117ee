"""The body editor: it can only write what the sanitiser keeps, imported bodies
fit its schema without losing text, and Markdown gets a sanitised preview."""

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.fields import create_sanitizer

from content.rendering import visible_text
from content.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from desk.widgets import EXTENSIONS
from ingest.errors import ParseError
from ingest.hexo import parse_post
from tests.builders import add_url
from tests.conftest import CORPUS_DIR, POSTS_DIR, needs_corpus

editor_schema = create_sanitizer(EXTENSIONS)  # what the editor's schema lets through (nh3, its own allow-list)


def preview_url() -> str:
    return reverse("admin:articles_preview_body")


def test_everything_the_editor_writes_is_kept_by_the_sanitiser():
    allowed = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    assert allowed["tags"] <= ALLOWED_TAGS
    assert {"h2", "h3", "h4", "strong", "em", "s", "a", "ul", "ol", "blockquote", "pre", "code"} <= allowed["tags"]
    assert {"table", "figure", "figcaption", "img", "hr"} <= allowed["tags"]
    assert not {"h1", "h5", "h6", "span", "u"} & allowed["tags"]
    kept = {"img": {"src", "alt", "width", "height"}, "a": {"href", "title", "target"}}
    for tag, attributes in kept.items():
        assert attributes <= set(ALLOWED_ATTRIBUTES[tag])


def parsed_bodies(folder) -> dict[str, str]:
    bodies = {}
    for path in sorted(folder.glob("*.md")):
        try:
            bodies[path.name] = parse_post(path.read_bytes(), path.name).body_html
        except ParseError:
            continue
    return bodies


def assert_text_survives_the_editor(bodies: dict[str, str]):
    """Every character of text is still there (a dropped <div> may join two
    lines here, where ProseMirror would make them paragraphs)."""
    for name, body in bodies.items():
        assert "".join(visible_text(editor_schema(body)).split()) == "".join(visible_text(body).split()), name


def test_imported_fixture_bodies_fit_the_editor_without_losing_text():
    bodies = parsed_bodies(POSTS_DIR)
    assert len(bodies) >= 5
    assert_text_survives_the_editor(bodies)


@pytest.mark.corpus
@needs_corpus
def test_corpus_bodies_fit_the_editor_without_losing_text():
    assert_text_survives_the_editor(parsed_bodies(CORPUS_DIR))


@pytest.mark.django_db
def test_the_markdown_preview_is_rendered_and_sanitised_like_a_save(admin_client):
    answer = admin_client.post(
        preview_url(), {"body_source": "## 小标题\n\n**重点**<script>alert(1)</script>", "body_format": "markdown"}
    ).json()
    assert "<h2>小标题</h2>" in answer["html"] and "<strong>重点</strong>" in answer["html"]
    assert "script" not in answer["html"]


@pytest.mark.django_db
def test_the_preview_is_for_editors_only(client, django_user_model):
    django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.login(username="reader", password="pw")
    assert client.post(preview_url(), {"body_source": "x", "body_format": "markdown"}).status_code == 403


@pytest.mark.django_db
def test_the_change_form_offers_the_editor_for_the_body(admin_client):
    page = admin_client.get(add_url()).content.decode()
    assert "data-newsroom-prose-editor=" in page and f'data-preview-url="{preview_url()}"' in page
    assert 'src="/static/admin/newsroom/prose-editor.js" type="module"' in page


@pytest.mark.django_db
def test_a_preview_of_a_body_too_deep_to_render_says_why(admin_client):
    answer = admin_client.post(preview_url(), {"body_source": "> " * 100 + "深", "body_format": "markdown"})
    assert answer.status_code == 400 and "正文无法渲染" in answer.json()["error"]
