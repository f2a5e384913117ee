"""export_posts: articles written back as Hexo posts that import_posts reads back unchanged."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from content.models import Article, Author, Category, Tag
from content.rendering import BodyFormat
from ingest.exporter import post_text
from tests.builders import make_article, make_author, make_category
from tests.conftest import CORPUS_DIR, needs_corpus

pytestmark = pytest.mark.django_db

TRICKY_TITLE = """他说："AI 不是'魔法'" {实测}: 50%? / 结论 #1"""
MARKDOWN = "## 快充\n\n电池**十分钟**充到 80%。\n\n- 续航\n- 回收\n\n![电芯](https://img.example.com/cell.png)"


def export(folder, *args, **options) -> str:
    out = StringIO()
    call_command("export_posts", str(folder), *args, stdout=out, **options)
    return out.getvalue()


def wipe_database() -> None:
    for model in (Article, Author, Category, Tag):
        model.objects.all().delete()


@pytest.fixture
def round_trip(tmp_path, run_import):
    """Export, empty the database, import the export: the articles that came back, by title."""

    def run(*args) -> dict[str, Article]:
        folder = tmp_path / "export"
        export(folder, *args)
        wipe_database()
        result = run_import(folder)
        assert not result.failed, result.stderr
        return {article.title: article for article in Article.objects.for_listing()}

    return run


def category_names(article: Article) -> list[list[str]]:
    return sorted([c.name for c in path] for path in article.category_paths())


def filed_under(article: Article, *paths: tuple[str, ...]) -> Article:
    article.categories.add(*(make_category(*path) for path in paths))
    return article


# What comes back


def test_titles_with_quotes_braces_and_slashes_come_back_unchanged(round_trip):
    make_article(TRICKY_TITLE)
    assert list(round_trip()) == [TRICKY_TITLE]


def test_titles_that_contain_entities_are_not_decoded_on_the_way_back(round_trip):
    make_article("AT&amp;T 与 &copy 符号")
    assert list(round_trip()) == ["AT&amp;T 与 &copy 符号"]


def test_the_author_comes_back(round_trip):
    make_article(author=make_author("36氪"))
    (article,) = round_trip().values()
    assert article.author.name == "36氪"


def test_a_single_category_path_comes_back(round_trip):
    filed_under(make_article(), ("新媒体", "高科技行业门户", "新闻"))
    (article,) = round_trip().values()
    assert category_names(article) == [["新媒体", "高科技行业门户", "新闻"]]


def test_several_category_paths_come_back(round_trip):
    filed_under(make_article(), ("新媒体", "36氪", "快讯"), ("新媒体", "IT之家"), ("汽车",))
    (article,) = round_trip().values()
    assert category_names(article) == [["新媒体", "36氪", "快讯"], ["新媒体", "IT之家"], ["汽车"]]


def test_tags_come_back(round_trip):
    make_article().tags.add("电动汽车", "快充", "AI")
    (article,) = round_trip().values()
    assert sorted(article.tags.names()) == ["AI", "快充", "电动汽车"]


def test_the_publish_date_comes_back_to_the_microsecond(round_trip):
    published_at = make_article().published_at
    (article,) = round_trip().values()
    assert article.published_at == published_at


def test_markdown_articles_stay_markdown(round_trip):
    original = make_article(body=MARKDOWN, body_format=BodyFormat.MARKDOWN)
    (article,) = round_trip().values()
    assert (article.body_format, article.body_source) == (BodyFormat.MARKDOWN, MARKDOWN)
    assert article.body == original.body


def test_html_bodies_come_back_unchanged(round_trip):
    original = make_article(body='<h2>快充</h2><p>电池<a href="https://example.com/?a=1&amp;b=2">充到</a> 80%。</p>')
    (article,) = round_trip().values()
    # Back as an imported post (the format does not say who wrote it), whose outbound links are nofollow.
    assert article.body == original.body.replace('">充到', '" rel="nofollow noopener">充到')


def test_an_article_without_a_source_exports_its_stored_html(round_trip):
    original = make_article(body="<p>只有<strong>净化后</strong>的正文。</p>")
    Article.objects.filter(pk=original.pk).update(body_source="")
    (article,) = round_trip().values()
    assert article.body == original.body


def test_the_head_image_and_thumbnail_come_back(round_trip):
    make_article(head_image="https://img.example.com/head.jpg", thumbnail="/media/imported/thumb.png")
    (article,) = round_trip().values()
    assert (article.head_image, article.thumbnail) == ("https://img.example.com/head.jpg", "/media/imported/thumb.png")


def test_an_excerpt_written_by_an_editor_comes_back(round_trip):
    make_article(excerpt="编辑写的摘要：快充成为竞争焦点。")
    (article,) = round_trip().values()
    assert article.excerpt == "编辑写的摘要：快充成为竞争焦点。"


def test_open_comments_stay_open(round_trip):
    make_article(allow_comments=True)
    (article,) = round_trip().values()
    assert article.allow_comments


# Which articles


def test_drafts_and_scheduled_articles_are_not_exported(tmp_path):
    make_article("已发布")
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("定时", days_ago=-1)
    export(tmp_path)
    assert [path.name for path in tmp_path.glob("*.md")] == ["已发布.md"]


def test_with_all_drafts_come_back_as_drafts(round_trip):
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("未定日期的草稿", status=Article.Status.DRAFT, days_ago=None)
    articles = round_trip("--all")
    assert {article.status for article in articles.values()} == {Article.Status.DRAFT}
    assert set(articles) == {"草稿", "未定日期的草稿"}


def test_with_all_scheduled_articles_stay_scheduled(round_trip):
    publish_at = make_article("定时", days_ago=-1).published_at
    (article,) = round_trip("--all").values()
    assert article.published_at == publish_at and not article.is_live


# The files


def test_files_are_named_after_the_slug_not_the_title(tmp_path):
    article = make_article(TRICKY_TITLE)
    export(tmp_path / "export")
    assert [path.name for path in (tmp_path / "export").iterdir()] == [f"{article.slug}.md"]


def test_chinese_text_is_written_as_readable_utf8(tmp_path):
    make_article("动力电池技术观察")
    export(tmp_path)
    assert "title: 动力电池技术观察\n" in (tmp_path / "动力电池技术观察.md").read_bytes().decode("utf-8")


def test_one_category_path_is_written_as_a_flat_list():
    article = filed_under(make_article(), ("新媒体", "高科技行业门户", "新闻"))
    assert "\ncategories:\n- 新媒体\n- 高科技行业门户\n- 新闻\nauthor:" in post_text(article)


def test_several_category_paths_are_written_as_a_list_of_lists():
    article = filed_under(make_article(), ("新媒体", "IT之家"), ("汽车",))
    assert "\ncategories:\n- - 新媒体\n  - IT之家\n- - 汽车\nauthor:" in post_text(article)


def test_dates_are_written_in_iso_8601_with_the_site_offset():
    article = make_article()
    article.published_at = dt.datetime(2022, 8, 29, 4, 1, tzinfo=dt.UTC)
    assert "\ndate: '2022-08-29T12:01:00+08:00'\n" in post_text(article)


def test_the_body_follows_the_front_matter():
    article = make_article(body="<p>正文内容。</p>")
    assert post_text(article).endswith("\nformat: html\n---\n\n<p>正文内容。</p>\n")


# The command


def test_the_command_ends_with_how_many_articles_went_where(tmp_path):
    make_article("一")
    make_article("二")
    assert export(tmp_path).endswith(f"exported 2 articles to {tmp_path}\n")


def test_verbosity_2_lists_each_file(tmp_path):
    make_article("一")
    assert export(tmp_path, verbosity=2).startswith("一.md\n")


def test_a_file_given_as_the_folder_is_refused(tmp_path):
    not_a_folder = tmp_path / "posts.md"
    not_a_folder.write_text("x")
    with pytest.raises(CommandError, match="posts.md: cannot export into it"):
        export(not_a_folder)


def test_the_number_of_queries_does_not_grow_with_the_articles(tmp_path, django_assert_max_num_queries):
    for n in range(20):
        filed_under(make_article(f"文章{n}"), ("新媒体", "36氪", "快讯"), ("汽车",)).tags.add("快充", f"标签{n}")
    with django_assert_max_num_queries(3):
        export(tmp_path)


# The real corpus


def snapshot() -> set[tuple]:
    """Every article as readers (or, for drafts, editors) see it, with its state."""
    return {
        (
            a.title,
            a.status,
            a.published_at,
            a.body,
            a.author.name,
            a.head_image,
            repr(category_names(a)),
            repr(sorted(a.tags.names())),
        )
        for a in Article.objects.for_listing()
    }


@needs_corpus
def test_the_real_corpus_comes_back_unchanged_after_export_and_import(tmp_path, run_import):
    run_import(CORPUS_DIR)
    before = snapshot()
    assert len(before) >= 70  # drafts too: stubs are imported as drafts (疑似空文)
    export(tmp_path / "export", "--all")
    wipe_database()
    result = run_import(tmp_path / "export")
    assert not result.failed, result.stderr
    assert snapshot() == before
