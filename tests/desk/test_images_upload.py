"""Head image uploads in the admin: what is refused, and what an upload produces."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.image_files import THUMBNAIL_WIDTH
from content.models import Article
from tests.builders import change_url, changelist_url, edit_form, image_bytes, make_article, png_declaring

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("有头图的文章", head_image="https://remote.example/head.jpg")


def upload(admin_client, article, name, content):
    data = edit_form(article, head_image_file=SimpleUploadedFile(name, content))
    return admin_client.post(change_url(article), data)


def assert_refused(response, article, message):
    assert response.status_code == 200  # the form again, with the error
    assert message in response.context["adminform"].form.errors["head_image_file"][0]
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.head_image == "https://remote.example/head.jpg" and not article.head_image_file


def test_a_file_that_is_not_an_image_is_refused(admin_client, article):
    response = upload(admin_client, article, "head.jpg", b"<html>not a picture</html>")
    assert_refused(response, article, "这不是图片文件")


def test_an_image_over_the_size_limit_is_refused(admin_client, article, settings):
    settings.ARTICLE_IMAGE_MAX_BYTES = 1024
    response = upload(admin_client, article, "head.jpg", image_bytes())
    assert_refused(response, article, "图片太大")


@pytest.mark.parametrize("side", [10_000, 100_000])  # over our limit; over Pillow's own
def test_a_decompression_bomb_is_refused(admin_client, article, side):
    response = upload(admin_client, article, "bomb.png", png_declaring(side, side))
    assert_refused(response, article, "解压炸弹")


def test_a_truncated_image_is_refused(admin_client, article):
    response = upload(admin_client, article, "head.jpg", image_bytes()[:2000])
    assert_refused(response, article, "已损坏")


def test_an_upload_replaces_the_remote_url_and_gets_a_list_thumbnail(admin_client, article):
    assert upload(admin_client, article, "头图.jpg", image_bytes(1200, 800)).status_code == 302
    article.refresh_from_db()
    assert article.head_image == article.head_image_file.url and article.head_image_file.name.endswith(".jpg")
    assert article.thumbnail == article.thumbnail_file.url
    with article.thumbnail_file.open("rb") as stored, Image.open(stored) as thumbnail:
        assert thumbnail.format == "WEBP" and thumbnail.size == (THUMBNAIL_WIDTH, 320)
    assert f'src="{article.thumbnail}"' in admin_client.get(changelist_url()).content.decode()


def test_an_image_is_stored_under_the_extension_of_what_it_is(admin_client, article):
    upload(admin_client, article, "head.jpg", image_bytes(image_format="PNG"))
    article.refresh_from_db()
    assert article.head_image_file.name.endswith(".png")


def test_clearing_the_upload_leaves_the_article_without_a_head_image(admin_client, article):
    upload(admin_client, article, "head.jpg", image_bytes())
    article.refresh_from_db()
    data = edit_form(article, **{"head_image_file-clear": "on"})
    admin_client.post(change_url(article), data)
    article.refresh_from_db()
    assert not article.head_image_file and article.head_image == "" and article.thumbnail == ""


def test_an_imported_article_keeps_its_remote_image_until_one_is_uploaded(admin_client, article):
    data = edit_form(article, title="改了标题")
    admin_client.post(change_url(article), data)
    assert Article.objects.get().head_image == "https://remote.example/head.jpg"


def test_a_site_relative_image_path_is_accepted(admin_client, article):
    data = edit_form(article, head_image="/media/a.jpg")
    assert admin_client.post(change_url(article), data).status_code == 302
    assert Article.objects.get().head_image == "/media/a.jpg"
