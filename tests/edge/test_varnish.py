"""Reader pages kept at the edge (Varnish) and purged there after every committed change."""

import json
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from content import revisions
from content.models import Article
from tests.builders import bearer, edit_form, make_article, make_feed, make_token
from tests.conftest import import_posts, run_queued_tasks
from tests.edge.conftest import free_port, request
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.slow


def cached(edge, path) -> str:
    """Read ``path`` through the edge until it is kept there; returns the page."""
    first = request(edge, path)
    assert first.status == 200
    again = request(edge, path)
    assert again.edge == "hit", again.headers
    return again.body


def test_a_reader_page_is_kept_at_the_edge(edge):
    article = make_article("边缘缓存的文章")
    path = article.get_absolute_url()
    first = request(edge, path)
    assert (first.edge, "边缘缓存的文章" in first.body) == ("miss", True)
    assert request(edge, path).edge == "hit"


def test_a_page_links_with_tracking_parameters_share_one_copy(edge):
    path = make_article().get_absolute_url()
    cached(edge, path)
    assert request(edge, f"{path}?utm_source=wechat&from=timeline&isappinstalled=0").edge == "hit"


def test_saving_an_article_inside_a_transaction_makes_its_page_fresh(edge):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    cached(edge, path)
    with transaction.atomic():
        article.title = "新标题"
        article.save()
    fresh = request(edge, path)
    assert "新标题" in fresh.body and "旧标题" not in fresh.body


def test_an_editors_save_in_the_admin_makes_the_page_fresh(edge, client):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    cached(edge, path)
    client.force_login(User.objects.create_superuser("editor"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(change, edit_form(article, title="新标题")).status_code == 302
    assert "新标题" in request(edge, path).body


def test_an_api_write_makes_the_page_fresh(edge, client):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    cached(edge, path)
    token = bearer(make_token(User.objects.create_superuser("editor")))
    data = json.dumps({"title": "新标题"})
    answer = client.patch(f"/api/v1/articles/{article.slug}", data, content_type="application/json", **token)
    assert answer.status_code == 200
    assert "新标题" in request(edge, path).body


def test_a_reimported_post_makes_its_page_fresh(edge, write_post):
    body = "<p>一篇足够长的导入文章，正文写满几句话，免得被当作空文。" * 5 + "</p>"
    post = write_post(title="导入的文章", body=body)
    assert not import_posts(post).failed
    path = Article.objects.get().get_absolute_url()
    cached(edge, path)
    write_post(title="导入的文章", body=body + "<p>导入后改过的正文。</p>")
    assert not import_posts(post).failed
    assert "导入后改过的正文" in request(edge, path).body


def test_a_changed_feed_item_makes_its_page_fresh(edge, settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    with serve_feeds() as server:
        feed = make_feed(server.url("/rss"), path=("新媒体", "高科技行业门户", "新闻"), source="OFweek")
        call_command("fetch_feeds", "--once", stdout=StringIO())
        path = Article.objects.get(title__startswith="电池厂商").get_absolute_url()
        cached(edge, path)
        status, kind, body = server.routes["/rss"]
        server.routes["/rss"] = (status, kind, body.replace("明年量产装车".encode(), "今年年底量产装车".encode()))
        call_command("fetch_feeds", "--feed", str(feed.pk), stdout=StringIO())
    assert "今年年底量产装车" in request(edge, path).body


def saved_as_revision(article, user, comment):
    with reversion.create_revision():
        article.save()
        revisions.record(user, comment)


def test_restoring_a_revision_makes_the_page_fresh(edge):
    editor = User.objects.create_superuser("editor")
    article = make_article("第一版")
    saved_as_revision(article, editor, "第一版")
    first = revisions.versions_of(article).get()
    article.title = "第二版"
    saved_as_revision(article, editor, "改标题")
    path = article.get_absolute_url()
    cached(edge, path)
    revisions.restore(first, editor)
    assert "第一版" in request(edge, path).body


def test_a_list_the_changed_article_is_not_on_stays_cached(edge):
    article = make_article("会改的文章")
    elsewhere = make_article("别处的文章")
    elsewhere.tags.add("别的标签")
    tag_page = elsewhere.tags.get().get_absolute_url()
    cached(edge, tag_page)
    article.title = "改过的文章"
    article.save()
    assert request(edge, tag_page).edge == "hit"


def test_a_rolled_back_save_purges_nothing(edge):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    cached(edge, path)
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "不会保存的标题"
        article.save()
        raise RuntimeError("the writer gives up")
    assert request(edge, path).edge == "hit"


def test_a_purge_the_edge_refuses_does_not_fail_the_save_and_the_worker_retries(edge, settings):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    cached(edge, path)
    settings.EDGE_PURGE_URL = f"http://127.0.0.1:{free_port()}/"  # the edge is unreachable
    article.title = "新标题"
    article.save()
    assert Article.objects.get().title == "新标题"
    assert DBTaskResult.objects.filter(task_path="edge.tasks.purge_keys").exists()
    settings.EDGE_PURGE_URL = f"{edge}/"  # it is back
    run_queued_tasks()
    assert "新标题" in request(edge, path).body


def test_signed_in_users_neither_get_nor_fill_edge_pages(edge, client):
    path = make_article().get_absolute_url()
    client.force_login(User.objects.create_user("writer", is_staff=True))
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    assert request(edge, path, headers=session).edge == "pass"
    assert request(edge, path, headers=session).edge == "pass"
    assert request(edge, path).edge == "miss"  # the signed-in visits filled nothing


def test_a_page_not_found_is_not_kept_at_the_edge(edge):
    missing = "/2026/01/01/not-published-yet/"
    assert request(edge, missing).status == 404
    assert request(edge, missing).edge != "hit"


def test_the_admin_is_never_cached_at_the_edge(edge):
    request(edge, "/admin/login/")
    assert request(edge, "/admin/login/").edge != "hit"


def test_only_trusted_addresses_may_purge(edge):
    assert request(edge, "/", method="PURGE", headers={"xkey-purge": "site"}, source="127.0.0.2").status == 403
    assert request(edge, "/", method="PURGE", headers={"xkey-purge": "site"}).status == 200


def test_the_edge_keeps_its_lifetime_header_to_itself_and_shows_the_keys(edge):
    answer = request(edge, make_article().get_absolute_url())
    assert "Surrogate-Control" not in answer.headers  # meant for the edge only
    assert answer.headers["Surrogate-Key"].startswith("site ")
