"""疑似空文: stub posts are imported as drafts with the reason, and listed under their own filter."""

import pytest

from content.models import Article
from ingest.hexo import parse_post
from ingest.records import junk_reason
from tests.builders import changelist_url
from tests.conftest import CORPUS_DIR, needs_corpus

NEWS = "<p>电池厂商发布新一代快充电芯，充电十五分钟可行驶四百公里，明年量产装车。</p>"


@pytest.mark.parametrize(
    ("title", "body", "reason"),
    [
        ("27474747？", "<div>gsjdbdjdndb</div>", "正文只有 11 个字（少于 30）"),
        ("IDA 7.6 released", "<div>  IDA 7.6 released </div>", "正文只是标题"),
        ("第10集", "<p>第10集</p><p>第10集</p>", "正文只是标题"),
        ("插画", '<p><img src="https://img.example/a.jpg" alt=""></p>', "正文只有 0 个字（少于 30）"),
        ("快充电芯", NEWS, ""),
    ],
)
def test_the_junk_rule_names_why_a_post_looks_empty(title, body, reason):
    assert junk_reason(title, body, 30) == reason


def test_the_minimum_length_is_a_setting(run_import, write_post, settings):
    settings.IMPORT_JUNK_MIN_TEXT_LENGTH = 3
    run_import(write_post(body="<p>正文内容。</p>").parent)
    assert Article.objects.get().junk_reason == ""


def test_a_stub_post_is_imported_as_a_draft_with_its_reason(run_import, write_post):
    assert not run_import(write_post(title="27474747？", body="gsjdbdjdndb").parent).failed
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.junk_reason == "正文只有 11 个字（少于 30）"


def test_a_real_post_is_published_as_before(run_import, write_post):
    run_import(write_post(body=NEWS).parent)
    article = Article.objects.get()
    assert article.is_live and article.junk_reason == ""


def test_the_junk_filter_lists_stubs_with_their_reason(admin_client, run_import, write_post):
    write_post("stub.md", title="IDA 7.6 released", body="IDA 7.6 released")
    run_import(write_post("news.md", title="快充电芯", body=NEWS).parent)
    page = admin_client.get(changelist_url(), {"junk": "yes"}).content.decode()
    assert "IDA 7.6 released" in page and "快充电芯" not in page
    assert "草稿，疑似空文：正文只是标题" in page


def test_an_editors_save_clears_the_suspicion(run_import, write_post):
    run_import(write_post(title="IDA 7.6 released", body="IDA 7.6 released").parent)
    article = Article.objects.get()
    article.status = Article.Status.PUBLISHED
    article.save_as_editor(update_fields=["status"])
    article.refresh_from_db()
    assert article.junk_reason == "" and article.status == Article.Status.PUBLISHED


def corpus_records() -> dict:
    """The corpus's posts that parse (the malformed ones are the parser tests' business)."""
    records = {}
    for path in sorted(CORPUS_DIR.glob("*.md")):
        try:
            records[path.name] = parse_post(path.read_bytes(), path.name)
        except Exception:
            continue
    return records


@pytest.mark.corpus
@needs_corpus
def test_the_corpus_stubs_are_caught_and_real_news_is_not():
    flagged = {name for name, r in corpus_records().items() if junk_reason(r.title, r.body_html, 30)}
    stubs = {"27474747？.md", "123.md", "2022年适合中国大陆的三款VPN梯子软件推荐，电脑手机均可用.md"}
    assert stubs <= flagged
    # Stubs, title-only posts and picture-only items: under a quarter of the sample.
    assert len(flagged) <= 20
    assert not any(name.startswith("LG新能源") for name in flagged)
