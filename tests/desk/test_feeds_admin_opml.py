"""The feeds list's OPML buttons: import a reader's export, export every feed."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.models import Feed
from ingest.feeds.opml import parse_opml
from tests.builders import make_feed

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(admin_client, name: str, **fields):
    data = {"file": SimpleUploadedFile(name, (FIXTURES / name).read_bytes()), "path": "订阅/未分类", **fields}
    return admin_client.post(reverse("admin:articles_feed_import_opml"), data, follow=True)


def test_the_feeds_list_offers_opml_import_and_export(admin_client):
    page = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    assert reverse("admin:articles_feed_import_opml") in page and "导入 OPML" in page
    assert reverse("admin:articles_feed_export_opml") in page and "导出 OPML" in page


def test_uploading_an_export_subscribes_its_feeds_under_their_folders(admin_client):
    page = upload(admin_client, "miniflux-rssowl-nested.opml").content.decode()
    assert "新订阅 3 个，已订阅过 0 个，文件内重复 0 个，失败 0 个。" in page
    assert str(Feed.objects.get(url="http://example.org/feed3/").category) == "My Feeds › Another Category"


def test_checking_only_subscribes_nothing(admin_client):
    page = upload(admin_client, "miniflux-version1.opml", dry_run="on").content.decode()
    assert "只检查，未写入：新订阅 2 个" in page
    assert not Feed.objects.exists()


def test_a_malformed_file_is_refused_on_the_form_with_its_line(admin_client):
    page = upload(admin_client, "miniflux-invalid-character-entity.opml").content.decode()
    assert "不是有效的 OPML 文件，未订阅任何源：line 8, column 74: not well-formed (invalid token)" in page
    assert not Feed.objects.exists()


def test_export_downloads_every_feed_as_opml(admin_client):
    make_feed("https://rsshub.example/ofweek/news", path=("新媒体", "OFweek", "新闻"))
    response = admin_client.get(reverse("admin:articles_feed_export_opml"))
    assert response["Content-Type"] == "text/x-opml; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    [outline] = parse_opml(response.content)
    assert (outline.url, outline.path) == ("https://rsshub.example/ofweek/news", ("新媒体", "OFweek", "新闻"))


def test_staff_who_may_not_add_feeds_cannot_import(client, django_user_model):
    editor = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(editor)
    assert client.get(reverse("admin:articles_feed_import_opml")).status_code == 403
