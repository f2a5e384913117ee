"""The parser over every real post in ../shared/corpus/posts (skipped where it is absent). No database."""

import csv
import functools
from pathlib import Path

import pytest
from django.utils import timezone

from ingest.errors import ParseError
from ingest.hexo import parse_post
from ingest.records import PostRecord
from tests.conftest import CORPUS_DIR, needs_corpus

pytestmark = [pytest.mark.corpus, needs_corpus]

CORPUS_FILES = sorted(CORPUS_DIR.glob("*.md")) if CORPUS_DIR.is_dir() else []
BLANK_POST = "0060.md"
INVALID_YAML_POST = "0012.md"
corpus_posts = pytest.mark.parametrize("path", [p for p in CORPUS_FILES if p.name != BLANK_POST], ids=lambda p: p.name)


@functools.cache
def parse_corpus(path: Path) -> PostRecord:
    return parse_post(path.read_bytes(), path.name)


@functools.cache
def manifest() -> dict[str, dict]:
    with (CORPUS_DIR.parent / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


@corpus_posts
def test_every_corpus_post_parses(path):
    assert parse_corpus(path).title


def test_the_blank_corpus_post_is_rejected():
    with pytest.raises(ParseError, match="title: missing or blank"):
        parse_corpus(CORPUS_DIR / BLANK_POST)


def test_the_corpus_post_with_invalid_yaml_parses_with_a_warning():
    record = parse_corpus(CORPUS_DIR / INVALID_YAML_POST)
    assert record.warnings and record.warnings[0].startswith("front matter: invalid YAML")


@corpus_posts
def test_corpus_titles_show_no_escaped_braces_or_proxy_host(path):
    title = parse_corpus(path).title
    assert "&#123;" not in title and "&#125;" not in title and "cors.zfour.workers.dev" not in title


@corpus_posts
def test_corpus_dates_are_aware_or_missing_only_where_the_crawler_wrote_invalid_date(path):
    published = parse_corpus(path).published_at
    if manifest()[path.name]["date_raw"] == "Invalid Date":
        assert published is None
    else:
        assert published is not None and timezone.is_aware(published)


@corpus_posts
def test_corpus_categories_match_the_manifest_without_em_dashes(path):
    levels = manifest()[path.name]["categories"].split("/")
    assert parse_corpus(path).category_paths == [[level.removeprefix("— ") for level in levels]]


@corpus_posts
def test_corpus_head_images_are_never_placeholders_or_proxied(path):
    head_image = parse_corpus(path).head_image
    assert not any(junk in head_image for junk in ("picsum.photos", "cors.zfour.workers.dev", "blank.png"))


@corpus_posts
def test_corpus_bodies_show_real_braces(path):
    assert "&#123;" not in parse_corpus(path).body_html
