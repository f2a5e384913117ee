"""Importing hostile or odd front matter: control characters, multi-line
titles in invalid YAML, and dates that cannot be right."""

import datetime as dt

import pytest
from django.utils import timezone

from content.models import Article
from ingest.dates import parse_date
from ingest.frontmatter import read_lenient
from ingest.hexo import parse_post

POST = "\n---\ntitle: {title}\nauthor: 来源\ndate: {date}\ncategories: {categories}\ntags: {tags}\n---\n\n<p>正文</p>\n"


def post(title="'标题'", date="2022-08-29 12:00:00", categories="新闻", tags="甲") -> bytes:
    return POST.format(title=title, date=date, categories=categories, tags=tags).encode()


def test_control_characters_never_reach_imported_titles_names_or_tags():
    record = parse_post(post(title="'标\x1b题\x07'", categories="'分\x1b类'", tags="'标\x7f签'"), "x.md")
    assert (record.title, record.category_paths, record.tags) == ("标题", [["分类"]], ["标签"])


def test_a_title_over_several_lines_in_invalid_yaml_is_read_whole():
    record = parse_post(post(title='"第一行\n  第二行\n  第三行"', categories="{broken"), "x.md")
    assert record.title == "第一行 第二行 第三行"
    assert any("invalid YAML" in warning for warning in record.warnings)


def test_lenient_reading_goes_on_over_indented_lines_and_open_quotes():
    fields = read_lenient("title: 开头\n  接着\nauthor: '作\n者'\ncategories:\n - 一\nstray line\n")
    assert fields == {"title": "开头\n接着", "author": "作\n者", "categories": ["一"]}


def test_an_indented_key_is_not_read_as_the_previous_value_going_on():
    assert read_lenient("title: 标题\n    author: 作者\n") == {"title": "标题"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1970-01-01 00:00:00", "is before 1990"),
        ("Thu, 01 Jan 1987 00:00:00 GMT", "is before 1990"),
        ("2999-01-01 00:00:00", "is more than a day in the future"),
    ],
)
def test_a_date_that_cannot_be_right_is_no_date_with_a_warning_naming_it(value, reason):
    moment, warning = parse_date(value)
    assert moment is None and warning == f"date: {value!r} {reason}; imported as a draft"


def test_a_date_a_few_hours_ahead_is_kept():
    soon = timezone.now() + dt.timedelta(hours=5)
    assert parse_date(soon.isoformat())[0] == soon


@pytest.mark.django_db
def test_an_imported_post_with_an_impossible_date_is_a_draft_and_the_warning_names_the_file(run_import, write_post):
    path = write_post("future.md")
    path.write_text(path.read_text().replace("Mon, 29 Aug 2022 04:01:00 GMT", "2999-01-01 00:00:00"))
    run = run_import(path)
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert "future.md" in run.stdout + run.stderr and "2999-01-01" in run.stdout + run.stderr
