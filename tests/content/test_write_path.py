"""Every way an article is written goes through one path: the stored body is
sanitised, the excerpt derived, the reader cache forgotten, and the change
announced once per article (``articles_changed``)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command

from content import changes
from content.models import Article, ArticleSource
from content.signals import articles_changed
from ingest.loader import Loader
from reader.caching import version_key
from tests.builders import (
    add_url,
    article_form,
    change_url,
    changelist_url,
    crawled_post,
    edit_form,
    make_article,
    make_author,
    make_category,
    make_feed,
)
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db

SCRIPTED = '<p onclick="steal()">正文第一段，足够长的文字。</p><script>alert(1)</script>'


class Announcements:
    """What ``articles_changed`` said: how often each article was announced."""

    def __init__(self):
        self.sends: list[tuple[list[int], bool]] = []

    def __call__(self, sender, articles, deleted=False, **kwargs):
        self.sends.append(([article.pk for article in articles], deleted))

    def per_article(self) -> Counter:
        return Counter(pk for pks, _ in self.sends for pk in pks)


@pytest.fixture
def announced():
    receiver = Announcements()
    articles_changed.connect(receiver)
    yield receiver
    articles_changed.disconnect(receiver)


@pytest.fixture
def cache_token():
    """The version of the home page's surrogate key now; a write must replace it."""
    caches["default"].set(version_key("home"), "before", timeout=None)
    return lambda: caches["default"].get(version_key("home"))


def assert_written_once(article: Article, announced: Announcements, cache_token) -> None:
    article.refresh_from_db()
    assert "<script" not in article.body and "onclick" not in article.body
    assert article.excerpt.startswith("正文第一段")
    assert cache_token() != "before"
    assert announced.per_article()[article.pk] == 1


def test_a_plain_orm_create_renders_sanitises_and_announces_once(announced, cache_token):
    article = Article.objects.create(title="命令行写的文章", author=make_author(), body_source=SCRIPTED)
    assert_written_once(article, announced, cache_token)


def test_saving_a_script_through_the_orm_alone_stores_no_script():
    article = make_article()
    article.body_source = "<p>新正文</p><script>document.cookie</script>"
    article.save()
    article.refresh_from_db()
    assert article.body == "<p>新正文</p>"


def test_a_changed_body_gets_a_new_excerpt_unless_the_writer_set_one():
    article = make_article(body="<p>旧的正文。</p>")
    article.body_source = "<p>新的正文。</p>"
    article.save()
    assert Article.objects.get().excerpt == "新的正文。"
    article.body_source, article.excerpt = "<p>第三版正文。</p>", "编辑写的摘要"
    article.save()
    assert Article.objects.get().excerpt == "编辑写的摘要"


def test_a_save_that_leaves_the_body_alone_does_not_render_it_again(monkeypatch):
    article = Article.objects.get(pk=make_article().pk)
    monkeypatch.setattr(Article, "render", lambda self, rendered=None: pytest.fail("rendered again"))
    article.title = "只改了标题"
    article.save()


def test_the_admin_add_form_goes_through_the_write_path(admin_client, announced, cache_token):
    data = article_form(author=make_author().pk, body_source=SCRIPTED, tags="人工智能，芯片")
    assert admin_client.post(add_url(), data).status_code == 302
    article = Article.objects.get()
    assert_written_once(article, announced, cache_token)
    assert sorted(article.tags.names()) == ["人工智能", "芯片"]


def test_the_admin_change_form_announces_the_article_once_with_its_tags(admin_client, announced, cache_token):
    article = make_article()
    announced.sends.clear()
    response = admin_client.post(change_url(article), edit_form(article, body_source=SCRIPTED, tags="芯片"))
    assert response.status_code == 302
    assert_written_once(article, announced, cache_token)


def test_the_bulk_publish_action_announces_each_article_once(admin_client, announced, cache_token):
    drafts = [make_article(f"草稿{n}", body=SCRIPTED, status=Article.Status.DRAFT) for n in range(3)]
    announced.sends.clear()
    admin_client.post(
        changelist_url(),
        {"action": "publish_now", "_selected_action": [article.pk for article in drafts]},
    )
    for article in drafts:
        assert_written_once(article, announced, cache_token)
    assert len(announced.sends) == 1


def import_folder(tmp_path, count: int) -> None:
    for n in range(count):
        (tmp_path / f"post-{n}.md").write_text(crawled_post(f"'导入的文章{n}'", body=SCRIPTED), encoding="utf-8")
    call_command("import_posts", str(tmp_path), stdout=StringIO(), stderr=StringIO())


def test_a_bulk_import_batch_goes_through_the_write_path(tmp_path, announced, cache_token):
    import_folder(tmp_path, 3)
    assert Article.objects.count() == 3
    for article in Article.objects.all():
        assert_written_once(article, announced, cache_token)
    assert len(announced.sends) == 1  # the batch is announced together


def test_the_one_by_one_import_fallback_goes_through_the_write_path(tmp_path, announced, cache_token, monkeypatch):
    monkeypatch.setattr(Loader, "create_new", lambda self, batch: set())  # as when a bulk insert fails
    import_folder(tmp_path, 2)
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert_written_once(article, announced, cache_token)


def test_a_feed_item_goes_through_the_write_path(settings, announced, cache_token):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    with serve_feeds() as server:
        make_feed(server.url("/rss"))
        call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=StringIO())
    articles = Article.objects.all()
    assert len(articles) == 2 and cache_token() != "before"
    for article in articles:
        assert "<script" not in article.body and article.excerpt
        assert announced.per_article()[article.pk] == 1
    assert {source.feed.url for source in ArticleSource.objects.select_related("feed")} == {server.url("/rss")}


def test_deleting_an_article_is_announced(announced, cache_token):
    article = make_article()
    pk = article.pk
    announced.sends.clear()
    article.delete()
    assert announced.sends == [([pk], True)] and cache_token() != "before"


def test_tagging_and_filing_a_saved_article_is_announced(announced):
    article = make_article()
    announced.sends.clear()
    article.tags.add("芯片")
    make_category("新媒体").articles.add(article)  # the reverse side names the article by id
    assert announced.per_article() == {article.pk: 2}


def test_a_batch_that_fails_announces_nothing(announced):
    with pytest.raises(RuntimeError), changes.batch():
        make_article()
        raise RuntimeError("rolled back")
    assert announced.sends == []
