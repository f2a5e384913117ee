"""Background work: scheduled articles announced when due, the worker command,
the WebSub hub, and writes that are rolled back announcing nothing."""

import datetime as dt
import threading
import urllib.parse
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api import events
from api.management.commands.run_worker import watch_due_articles
from api.models import AnnouncedArticle, Webhook, WebhookDelivery
from content.models import Article
from reader.caching import version_key
from tests.builders import make_article
from tests.local_http import QuietHandler, serving

pytestmark = pytest.mark.django_db


class Recorder(QuietHandler):
    """Answers 200 to any POST and keeps what was posted (in ``posts``, set per server)."""

    posts: list

    def do_POST(self):
        self.posts.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def listener(settings):
    """A webhook receiver on 127.0.0.1; yields the list of what it was sent."""
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    posts = []
    handler = type("Handler", (Recorder,), {"posts": posts})
    with serving(handler) as url:
        Webhook.objects.create(name="接收方", url=f"{url}/hook")
        yield posts


def go_live_unannounced(article: Article, ago=dt.timedelta(seconds=30)) -> None:
    """Time passes: a scheduled article's date is now behind us, with no write."""
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - ago)


def test_a_scheduled_article_fires_its_event_when_due(listener, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("定时发布", days_ago=-1)
    assert events.announce_due() == 0 and listener == []  # not yet
    go_live_unannounced(article)
    with django_capture_on_commit_callbacks(execute=True):
        assert events.announce_due() == 1
    run_tasks()
    assert len(listener) == 1 and b'"article.published"' in listener[0][1]
    assert events.announce_due() == 0  # once only


def test_a_due_article_makes_the_reader_cache_forget_its_pages(django_capture_on_commit_callbacks):
    article = make_article("定时发布", days_ago=-1)
    keys = [version_key(f"article:{article.pk}"), version_key("home")]
    caches["default"].set_many(dict.fromkeys(keys, "before"))
    go_live_unannounced(article)
    events.announce_due()
    assert all(version != "before" for version in caches["default"].get_many(keys).values())


def test_announcing_due_articles_costs_one_query_with_none_due(django_assert_num_queries):
    make_article("早已发布")
    with django_assert_num_queries(1):
        assert events.announce_due() == 0


def test_the_same_article_is_announced_published_once_even_if_two_processes_race():
    article = make_article("只发布一次", days_ago=-1)
    go_live_unannounced(article)
    article.refresh_from_db()
    first = events.publish_events([article])
    second = events.publish_events([article])
    assert [event["event"] for event in first + second] == ["article.published", "article.updated"]


def test_a_dry_run_import_announces_nothing(listener, run_import, write_post, django_capture_on_commit_callbacks):
    folder = write_post("a.md", title="试运行").parent
    with django_capture_on_commit_callbacks(execute=True):
        run_import(folder, dry_run=True)
    assert not DBTaskResult.objects.exists() and not AnnouncedArticle.objects.exists()


def test_an_import_announces_its_live_articles_once(
    listener, run_import, write_post, run_tasks, django_capture_on_commit_callbacks
):
    body = "<p>电池厂商发布新一代快充电芯，十分钟可充至八成电量，今年下半年量产装车。</p>"  # not a stub
    folder = write_post("a.md", title="导入一", body=body).parent
    write_post("b.md", title="导入二", body=body)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(folder)
    run_tasks()
    assert sorted(WebhookDelivery.objects.values_list("payload__article__title", flat=True)) == ["导入一", "导入二"]
    assert len(listener) == 2


def test_the_worker_watch_announces_due_articles_until_stopped(monkeypatch):
    calls = []
    monkeypatch.setattr(events, "announce_due", lambda: calls.append(1))
    stop = threading.Event()
    stop.set()
    watch_due_articles(stop)
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_run_worker_batch_runs_queued_tasks_and_announces_due_articles(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    posts = []
    with serving(type("Handler", (Recorder,), {"posts": posts})) as url:
        Webhook.objects.create(name="接收方", url=f"{url}/hook")
        article = make_article("定时发布", days_ago=-1)
        go_live_unannounced(article)
        out = StringIO()
        call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    assert len(posts) == 1
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_feeds_advertise_the_websub_hub_when_set(client, settings):
    settings.WEBSUB_HUB_URL = "https://hub.example.com/"
    make_article()
    assert b'<atom:link href="https://hub.example.com/" rel="hub"/>' in client.get("/feed/").content
    assert b'<link href="https://hub.example.com/" rel="hub"' in client.get("/feed/atom/").content


def test_feeds_name_no_hub_by_default(client):
    assert b'rel="hub"' not in client.get("/feed/").content


def test_publishing_pings_the_websub_hub(settings, run_tasks, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    settings.SITE_URL = "https://news.example.com"
    posts = []
    with serving(type("Handler", (Recorder,), {"posts": posts})) as url:
        settings.WEBSUB_HUB_URL = f"{url}/hub"
        with django_capture_on_commit_callbacks(execute=True):
            make_article("发布")
        run_tasks()
    assert len(posts) == 1
    form = urllib.parse.parse_qs(posts[0][1].decode())
    assert form["hub.mode"] == ["publish"]
    assert form["hub.url"] == ["https://news.example.com/feed/", "https://news.example.com/feed/atom/"]
