"""Stored images are what Pillow writes, never the bytes as uploaded or downloaded:
a GIF+JS or PNG+HTML polyglot is stored as a clean image."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.image_files import reencoded
from content.models import Article
from tests.builders import change_url, edit_form, make_article

SCRIPT = b"<script>alert(document.domain)</script>"


def png_with_html() -> bytes:
    """A valid PNG with an HTML page after its end: browsers sniffing HTML run it."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue() + b"<html><body>" + SCRIPT + b"</body></html>"


def gif_with_script() -> bytes:
    """A GIF whose comment block is JavaScript (the classic GIF/JS polyglot payload)."""
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 1).save(buffer, "GIF", comment=b"*/=alert(document.domain);/*" + SCRIPT)
    return buffer.getvalue()


def jpeg_with_comment() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG", comment=SCRIPT)
    return buffer.getvalue()


@pytest.mark.parametrize("polyglot", [png_with_html, gif_with_script, jpeg_with_comment])
def test_a_polyglot_is_written_again_as_a_clean_image(polyglot):
    data = polyglot()
    assert SCRIPT in data
    clean = reencoded(io.BytesIO(data))
    assert SCRIPT not in clean and b"alert" not in clean
    with Image.open(io.BytesIO(clean)) as image, Image.open(io.BytesIO(data)) as original:
        assert image.format == original.format and image.size == original.size


def test_an_animated_gif_keeps_its_frames():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (4, 4), colour).convert("P") for colour in ("red", "green", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    with Image.open(io.BytesIO(reencoded(buffer))) as image:
        assert image.n_frames == 3


@pytest.mark.django_db
def test_an_uploaded_polyglot_head_image_is_stored_clean(admin_client):
    article = make_article("头图")
    data = edit_form(article, head_image_file=SimpleUploadedFile("head.png", png_with_html()))
    assert admin_client.post(change_url(article), data).status_code == 302
    stored = Article.objects.get().head_image_file
    with stored.open("rb") as handle:
        content = handle.read()
    assert SCRIPT not in content and content.startswith(b"\x89PNG")
