"""The import_posts command on small fixture posts: outcomes, errors and re-imports."""

import pytest
from django.db import connection

from content.models import Article, ArticleSource, Author, Category
from ingest import run
from tests.conftest import POSTS_DIR

pytestmark = pytest.mark.django_db


def test_proxied_images_are_unwrapped_in_body_head_image_and_thumbnail(run_import):
    run_import(POSTS_DIR / "proxied-images.md")
    article = Article.objects.get()
    assert "cors.zfour.workers.dev" not in article.body
    assert 'src="http://images.example.com/Upload/News/2022-08/29/one.png"' in article.body
    assert article.head_image == "http://images.example.com/Upload/News/2022-08/29/head.png"
    assert article.thumbnail == article.head_image


def test_script_and_event_handlers_are_gone_after_import(run_import):
    run_import(POSTS_DIR / "proxied-images.md")
    body = Article.objects.get().body
    assert "<script" not in body
    assert "pwned" not in body
    assert "onerror" not in body


def test_entities_and_encoded_braces_in_titles_are_decoded(run_import):
    run_import(POSTS_DIR / "proxied-images.md")
    assert Article.objects.get().title == "电池厂商发布新一代快充电芯 {实测} ®"


def test_broken_posts_are_reported_and_skipped_while_good_ones_import(run_import, write_post):
    good = write_post("good.md", title="好文章")
    write_post("bad.md", raw="\n---\ntitle: 'x'\ndate: [1\n")
    result = run_import(good.parent)
    assert result.failed
    assert "bad.md: front matter: missing" in result.stderr
    assert "created 1," in result.stdout and "failed 1" in result.stdout
    assert list(Article.objects.values_list("title", flat=True)) == ["好文章"]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("bad-yaml.md", "bad-yaml.md: front matter: invalid YAML"),
        ("no-front-matter.md", "no-front-matter.md: front matter: missing"),
        ("no-title.md", "no-title.md: title: missing or blank"),
    ],
)
def test_each_broken_fixture_names_file_field_and_reason(run_import, fixture, message):
    result = run_import(POSTS_DIR / fixture)
    assert result.failed
    assert message in result.stderr
    assert not Article.objects.exists()


def test_a_file_that_is_not_utf8_fails_with_the_offending_byte(run_import, write_post):
    path = write_post(raw="\n---\ntitle: 'caf\xe9'\n---\n\n<p>x</p>".encode("latin-1"))
    result = run_import(path)
    assert "post.md: file: is not UTF-8 text (byte 0xe9" in result.stderr


def test_bom_and_crlf_line_endings_are_accepted(run_import, write_post):
    raw = "\ufeff\r\n---\r\ntitle: 'Windows 文件'\r\ndate: 2021-09-02 01:48:36\r\n---\r\n\r\n<p>正文</p>\r\n"
    path = write_post(raw=raw)
    assert not run_import(path).failed
    assert Article.objects.get().title == "Windows 文件"


def test_an_unreadable_date_imports_a_draft_with_a_warning(run_import):
    result = run_import(POSTS_DIR / "invalid-date.md")
    assert "invalid-date.md: warning: date: cannot read 'Invalid Date'" in result.stderr
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None


def test_naive_crawl_times_are_read_in_the_site_time_zone(run_import, write_post):
    run_import(write_post(raw="\n---\ntitle: '抓取时间'\ndate: 2021-09-02 01:48:36\n---\n\n<p>正文</p>"))
    published = Article.objects.get().published_at
    assert published.isoformat() == "2021-09-01T17:48:36+00:00"  # 01:48 in Asia/Shanghai


def test_a_changed_file_updates_its_article(run_import, write_post):
    path = write_post(body="<p>第一版。</p>")
    run_import(path)
    write_post(body="<p>第二版。</p>")
    result = run_import(path)
    assert "updated 1" in result.stdout
    body = Article.objects.get().body
    assert "<p>第二版。</p>" in body and "第一版" not in body


def test_a_dry_run_reports_but_writes_nothing(run_import):
    result = run_import(POSTS_DIR / "proxied-images.md", dry_run=True)
    assert "dry run, nothing written: created 1" in result.stdout
    assert not Article.objects.exists()
    assert not Author.objects.exists() and not Category.objects.exists()


def test_the_same_article_in_two_feeds_is_merged_under_both_categories(run_import, write_post):
    body = "<p>同一篇文章被两个频道转载。</p>"
    write_post("a.md", body=body)
    twin = write_post(
        "b.md",
        raw=f"\n---\ntitle: '测试文章'\ncategories: \n - 设计\n - 另一来源\n - 推荐\nauthor: 测试来源\n"
        f"date: Mon, 29 Aug 2022 04:01:00 GMT\n---\n\n<div>   \n{body}\n  \n</div>\n            ",
    )
    result = run_import(twin.parent)
    assert "created 1, updated 0, unchanged 0, merged 1" in result.stdout
    article = Article.objects.get()
    assert sorted(c.path for c in article.categories.all()) == ["新媒体/测试来源/新闻", "设计/另一来源/推荐"]
    assert ArticleSource.objects.filter(article=article).count() == 2


def test_an_article_edited_in_the_admin_survives_a_reimport(run_import, write_post):
    path = write_post(body="<p>原文。</p>")
    run_import(path)
    Article.objects.update(title="编辑改过的标题", edited_in_admin=True)
    write_post(body="<p>上游更新了。</p>")
    result = run_import(path)
    assert "post.md: skipped (edited in the admin" in result.stdout
    assert Article.objects.get().title == "编辑改过的标题"
    assert "updated 1" in run_import(path, overwrite=True).stdout


def test_a_missing_path_is_a_command_error(run_import, tmp_path):
    result = run_import(tmp_path / "nope")
    assert result.failed and "no such file or folder" in result.stderr


def test_a_folder_without_posts_is_a_command_error(run_import, tmp_path):
    result = run_import(tmp_path)
    assert result.failed and "no posts found" in result.stderr


def planner_rows(table: str) -> int | None:
    """What the database's statistics say the table holds (None: never analysed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            rows = cursor.fetchone()[0]
            return None if rows < 0 else int(rows)
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        stat = cursor.fetchone()
        return int(stat[0].split()[0]) if stat else None


def test_a_large_import_leaves_the_tables_analysed_for_the_planner(run_import, write_post, monkeypatch):
    monkeypatch.setattr(run, "ANALYZE_AFTER", 3)
    for n in range(3):
        folder = write_post(f"post{n}.md", title=f"文章{n}", body=f"<p>第{n}篇的正文。</p>").parent
    run_import(folder)
    assert planner_rows(Article._meta.db_table) == 3
