"""``manage.py rebuild_search``: every article's search document, rebuilt in batches."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.models import Article
from content.search_documents import SearchDocument
from search.query import Search
from search.results import ranked
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def rebuild(*args) -> str:
    out = StringIO()
    call_command("rebuild_search", *args, stdout=out)
    return out.getvalue()


def found(query: str) -> list[str]:
    results, _ = ranked(Article.objects.published(), Search.parse(query))
    return [article.title for article in results]


def test_rebuild_writes_the_documents_of_articles_written_without_them():
    for n in range(5):
        make_article(f"光刻机{n}")
    SearchDocument.objects.all().delete()
    assert found("光刻机") == []
    assert "rebuilt 5 search documents" in rebuild("--batch-size", "2")
    assert len(found("光刻机")) == 5


def test_rebuild_replaces_stale_documents():
    article = make_article("光刻机")
    SearchDocument.objects.filter(article=article).update(title_tokens="旧词", body_tokens="")
    rebuild()
    assert found("光刻机") == ["光刻机"]
    assert found("旧词") == []


def test_a_dry_run_only_counts():
    make_article("光刻机")
    SearchDocument.objects.all().delete()
    assert "would rebuild 1 search documents" in rebuild("--dry-run")
    assert not SearchDocument.objects.exists()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--batch-size"):
        rebuild("--batch-size", "0")


def test_the_admin_action_queues_the_rebuild_and_the_worker_brings_documents_back(admin_client, run_tasks):
    kept, lost = make_article("光刻机甲"), make_article("光刻机乙")
    SearchDocument.objects.filter(article=lost).delete()
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "rebuild_search", "_selected_action": [kept.pk, lost.pk]},
        follow=True,
    )
    assert "已安排重建 2 篇文章的搜索索引" in response.content.decode()
    assert found("光刻机") == ["光刻机甲"]  # nothing rebuilt inside the request
    assert run_tasks() == 1
    assert sorted(found("光刻机")) == ["光刻机乙", "光刻机甲"]


def test_enqueue_leaves_the_rebuild_of_every_document_to_the_worker(run_tasks):
    for n in range(3):
        make_article(f"光刻机{n}")
    SearchDocument.objects.all().delete()
    assert "queued" in rebuild("--enqueue", "--batch-size", "2")
    assert not SearchDocument.objects.exists()
    run_tasks()
    assert len(found("光刻机")) == 3


@pytest.mark.django_db(transaction=True)
def test_rebuild_in_worker_processes_writes_every_document_and_settles_the_index(monkeypatch):
    import search.documents

    monkeypatch.setattr(search.documents, "SETTLE_AFTER", 1)  # statistics and the index's pending rows
    for n in range(5):
        make_article(f"光刻机{n}")
    SearchDocument.objects.all().delete()
    assert "rebuilt 5 search documents" in rebuild("--batch-size", "2", "--workers", "2")
    assert sorted(found("光刻机")) == [f"光刻机{n}" for n in range(5)]
