"""IndexNow and Baidu's push API told of published and updated articles, against stand-ins on 127.0.0.1
that answer as those services document (indexnow.org/documentation; 百度搜索资源平台 普通收录 API提交)."""

import json
import urllib.parse

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from api.tasks import ping_search_engines
from tests.builders import make_article
from tests.local_http import QuietHandler, serving

pytestmark = pytest.mark.django_db
KEY = "3f9a2c1b7d8e4f60a1b2c3d4e5f60718"


class SearchEngine(QuietHandler):
    """POST /indexnow: 200 for a JSON submission naming a key, 403 for another key (as IndexNow answers);
    POST /urls?site=…&token=…: Baidu's JSON, an error for an unknown token."""

    posts: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.posts.append((self.path, self.headers["Content-Type"], body))
        path, _, query = self.path.partition("?")
        if path == "/indexnow":
            status, answer = (200, b"") if json.loads(body).get("key") == KEY else (403, b"")
        else:
            token = urllib.parse.parse_qs(query).get("token")
            lines = body.decode().splitlines()
            ok = {"remain": 99_990, "success": len(lines)}
            answer = json.dumps(ok if token == ["good-token"] else {"error": 401, "message": "token is not valid"})
            status, answer = 200, answer.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture
def engine(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    settings.SITE_URL = "https://news.example.com"
    posts = []
    with serving(type("Handler", (SearchEngine,), {"posts": posts})) as url:
        settings.INDEXNOW_ENDPOINT = f"{url}/indexnow"
        settings.BAIDU_PUSH_ENDPOINT = f"{url}/urls"
        yield posts


def publish(title: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(title)


def test_publishing_submits_the_article_to_indexnow_with_the_sites_key(
    engine, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.INDEXNOW_KEY = KEY
    article = publish("发布", django_capture_on_commit_callbacks)
    run_tasks()
    [(path, content_type, body)] = engine
    assert path == "/indexnow" and content_type == "application/json; charset=utf-8"
    assert json.loads(body) == {
        "host": "news.example.com",
        "key": KEY,
        "keyLocation": f"https://news.example.com/{KEY}.txt",
        "urlList": [f"https://news.example.com{article.get_absolute_url()}"],
    }


def test_an_update_is_pushed_to_baidu_as_plain_text(engine, settings, run_tasks, django_capture_on_commit_callbacks):
    settings.BAIDU_PUSH_TOKEN = "good-token"
    article = publish("发布", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "改过的标题"
        article.save()
    run_tasks()
    assert [path for path, _, _ in engine] == ["/urls?site=https%3A%2F%2Fnews.example.com&token=good-token"] * 2
    assert (
        engine[1][1] == "text/plain"
        and engine[1][2].decode() == f"https://news.example.com{article.get_absolute_url()}"
    )
    assert [result.return_value for result in DBTaskResult.objects.order_by("enqueued_at")] == [[], []]


def test_an_engine_refusing_the_submission_is_the_tasks_result(engine, settings):
    settings.INDEXNOW_KEY = "another-key-1234"
    settings.BAIDU_PUSH_TOKEN = "bad-token"
    problems = ping_search_engines.call(["https://news.example.com/articles/x/"])
    assert problems == ["IndexNow: HTTP 403 Forbidden", "Baidu: 401 token is not valid"]


def test_unpublishing_and_drafts_ping_nobody(engine, settings, run_tasks, django_capture_on_commit_callbacks):
    settings.INDEXNOW_KEY = KEY
    with django_capture_on_commit_callbacks(execute=True):
        make_article("草稿", status="draft")
    run_tasks()
    assert engine == []


def test_nothing_is_queued_when_no_engine_is_configured(engine, run_tasks, django_capture_on_commit_callbacks):
    publish("发布", django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.filter(task_path__endswith="ping_search_engines").exists()


def test_the_key_file_proves_the_key_and_other_names_are_not_found(client, settings):
    settings.INDEXNOW_KEY = KEY
    response = client.get(f"/{KEY}.txt")
    assert response.status_code == 200 and response.content.decode() == KEY
    assert client.get("/someone-elses-key.txt").status_code == 404
    assert client.get(reverse("articles:robots")).status_code == 200
