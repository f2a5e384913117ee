"""The media library: uploads are checked and re-encoded into WebP renditions,
story pictures are served with srcset, sizes, width and height, and the library
is searchable and says where each picture is used."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as Pillow

from content.images import Image, with_renditions
from content.models import Article
from tests.builders import change_url, edit_form, image_bytes, make_article, png_declaring

pytestmark = pytest.mark.django_db


def upload_url() -> str:
    return reverse("admin:articles_image_upload")


def upload(client, name="电池.jpg", content=None, alt="一块动力电池", **fields):
    data = {"file": SimpleUploadedFile(name, content or image_bytes(2000, 1000)), "alt": alt, **fields}
    return client.post(upload_url(), data)


def stored(name: str) -> Pillow.Image:
    with default_storage.open(name) as handle:
        image = Pillow.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_an_upload_is_stored_as_480_960_and_1600_pixel_webp_renditions(admin_client, admin_user):
    answer = upload(admin_client, caption="新一代电芯", credit="36氪").json()
    image = Image.objects.get(pk=answer["id"])
    assert sorted(map(int, image.renditions)) == [480, 960, 1600]
    assert [stored(image.renditions[w]).size for w in ("480", "960", "1600")] == [(480, 240), (960, 480), (1600, 800)]
    assert all(stored(name).format == "WEBP" for name in image.renditions.values())
    assert (image.width, image.height, image.uploaded_by) == (1600, 800, admin_user)
    assert answer == {
        "id": image.pk,
        "url": default_storage.url(image.renditions["960"]),
        "width": 960,
        "height": 480,
        "alt": "一块动力电池",
        "caption": "新一代电芯",
    }


def test_a_small_picture_is_never_upscaled(admin_client):
    image = Image.objects.get(pk=upload(admin_client, content=image_bytes(600, 400)).json()["id"])
    assert sorted(map(int, image.renditions)) == [480, 600]


def test_the_stored_pictures_are_re_encoded_without_metadata(admin_client):
    buffer = io.BytesIO()
    exif = Pillow.Exif()
    exif[0x010F] = "相机厂商"
    Pillow.new("RGB", (800, 600), "red").save(buffer, "JPEG", exif=exif.tobytes())
    image = Image.objects.get(pk=upload(admin_client, content=buffer.getvalue()).json()["id"])
    assert not stored(image.renditions["480"]).getexif()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"alt": ""}, "这个字段是必填项"),
        ({"content": b"not an image"}, "这不是图片文件"),
        ({"content": png_declaring(100_000, 100_000)}, "超过"),
    ],
)
def test_an_upload_is_refused_with_a_reason(admin_client, fields, reason):
    response = upload(admin_client, **fields)
    assert response.status_code == 400 and reason in response.json()["error"]
    assert not Image.objects.exists()


def test_uploads_over_the_size_limit_are_refused(admin_client, settings):
    settings.ARTICLE_IMAGE_MAX_BYTES = 1000
    assert "图片太大" in upload(admin_client).json()["error"]


def test_only_those_who_may_add_pictures_upload(client, django_user_model):
    django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.login(username="reader", password="pw")
    assert upload(client).status_code == 403


def library_image(client) -> Image:
    return Image.objects.get(pk=upload(client).json()["id"])


def test_a_library_picture_in_a_body_gets_srcset_sizes_width_and_height(admin_client):
    image = library_image(admin_client)
    body = f'<figure><img src="{image.url()}" alt="编辑写的替代文字"><figcaption>图注</figcaption></figure>'
    article = make_article("有图的文章", body=body)
    img = article.body.split("<img ")[1].split(">")[0]
    assert f'srcset="{image.srcset()}"' in img and 'sizes="(max-width: 800px) 100vw, 800px"' in img
    assert 'width="960" height="480"' in img and 'alt="编辑写的替代文字"' in img
    assert all(f"{default_storage.url(name)} {w}w" in image.srcset() for w, name in image.renditions.items())


def test_other_pictures_are_left_as_the_sanitiser_made_them():
    html = '<p><img src="https://img.example/a.jpg" alt="" loading="lazy" referrerpolicy="no-referrer"></p>'
    assert with_renditions(html) == html


def test_the_reader_page_serves_the_picture_with_srcset(admin_client, client):
    image = library_image(admin_client)
    article = make_article("读者看到的图", body=f'<p><img src="{image.url()}" alt="电池"></p>')
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{image.srcset()}"' in page


def test_the_library_is_searched_by_alt_text_and_caption(admin_client):
    upload(admin_client, alt="一块动力电池", caption="宁德时代")
    upload(admin_client, alt="充电桩", caption="城市快充站")
    assert "充电桩" not in admin_client.get(reverse("admin:articles_image_changelist"), {"q": "宁德"}).content.decode()
    assert "充电桩" in admin_client.get(reverse("admin:articles_image_changelist"), {"q": "快充"}).content.decode()


def test_a_picture_says_where_it_is_used(admin_client):
    image = library_image(admin_client)
    make_article("用了这张图的文章", body=f'<p><img src="{image.url()}" alt="x"></p>')
    make_article("没用的文章")
    page = admin_client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert "用了这张图的文章" in page and "没用的文章" not in page


def test_the_head_image_can_be_picked_from_the_library(admin_client):
    image = library_image(admin_client)
    article = make_article("挑头图", head_image="https://remote.example/head.jpg")
    response = admin_client.post(change_url(article), edit_form(article, head_image_library=image.pk))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.head_image == default_storage.url(image.renditions["1600"])
    assert article.thumbnail == default_storage.url(image.renditions["480"])


def test_editors_may_upload_pictures(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("create_editor", "xiaowang", password="newsroom-2024!", stdout=StringIO())
    client.login(username="xiaowang", password="newsroom-2024!")
    assert upload(client).status_code == 200
    assert Article.objects.count() == 0
