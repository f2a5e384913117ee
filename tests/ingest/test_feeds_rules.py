"""Feed rules: items kept, dropped, held as drafts, tagged and filed by keyword or regular expression."""

import time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from content.models import Article, Category, Feed
from ingest.feeds.patterns import compile_pattern
from ingest.models import FeedRule, RuleHit
from tests.builders import make_feed
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db
FIRST = "电池厂商发布新一代快充电芯"
SECOND = "宁德时代发布麒麟电池 & 快充方案"


@pytest.fixture(autouse=True)
def _local_feeds(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    settings.FEEDS_TIMEOUT = 0.5


@pytest.fixture
def server():
    with serve_feeds() as running:
        yield running


def fetch(*args) -> str:
    out = StringIO()
    call_command("fetch_feeds", "--once", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rule(pattern: str, action=FeedRule.Action.DROP, **fields) -> FeedRule:
    made = FeedRule(name=pattern, pattern=pattern, action=action, **fields)
    made.full_clean()
    made.save()
    return made


def titles() -> set[str]:
    return set(Article.objects.values_list("title", flat=True))


def test_a_drop_rule_drops_matching_items_and_counts_each_once(server):
    feed = make_feed(server.url("/rss"))
    drop = rule("麒麟", feed=feed, field=FeedRule.Field.TITLE)
    out = fetch()
    assert titles() == {FIRST}
    assert out.strip().endswith("; dropped by rules 1")
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None, etag="")  # the same items again
    fetch()
    assert RuleHit.objects.filter(rule=drop).count() == 1


def test_keep_rules_keep_only_the_items_they_match(server):
    feed = make_feed(server.url("/rss"))
    rule("十五分钟", action=FeedRule.Action.KEEP, feed=feed, field=FeedRule.Field.TEXT)
    fetch()
    assert titles() == {FIRST}


def test_a_draft_rule_holds_matching_items_as_drafts(server):
    make_feed(server.url("/rss"))
    rule(r"麒麟|固态", match=FeedRule.Match.REGEX, action=FeedRule.Action.DRAFT)
    fetch()
    assert not Article.objects.get(title=SECOND).is_live
    assert Article.objects.get(title=FIRST).is_live


def test_a_rule_adds_tags_and_files_into_a_category(server):
    make_feed(server.url("/rss"))
    batteries = Category.objects.get_or_create_path(["专题", "电池"])
    rule("宁德时代", action=FeedRule.Action.FILE, add_tags="动力电池，宁德时代", category=batteries)
    fetch()
    article = Article.objects.get(title=SECOND)
    assert {"动力电池", "宁德时代"} <= {tag.name for tag in article.tags.all()}
    assert ["专题", "电池"] in [[c.name for c in path] for path in article.category_paths()]
    assert not Article.objects.get(title=FIRST).tags.filter(name="动力电池").exists()


def test_a_global_rule_applies_to_every_feed_and_a_feed_rule_only_to_its_own(server):
    rss = make_feed(server.url("/rss"))
    make_feed(server.url("/atom"), path=("博客", "美团技术团队"), source="美团技术团队")
    other = make_feed("https://example.com/other", path=("其他",), is_active=False)
    rule("数据治理")  # global
    rule("电池厂商", feed=other)
    fetch("--feed", str(rss.pk), "--feed", str(Feed.objects.get(url=server.url("/atom")).pk))
    assert "美团外卖的数据治理实践" not in titles()
    assert FIRST in titles()


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a+)+\1", "invalid escape sequence: \\1"),
        (r"(?=x)y", "invalid perl operator: (?="),
        ("[电池", "missing ]: [电池"),
        (r"((\pL|\d){50}){20}", "pattern too large - compile failed"),
    ],
)
def test_a_bad_regular_expression_is_refused_with_its_reason_when_saved(pattern, reason):
    with pytest.raises(ValidationError) as refused:
        FeedRule(name="坏的", pattern=pattern, match=FeedRule.Match.REGEX).full_clean()
    assert reason in refused.value.message_dict["pattern"][0]


def test_a_catastrophic_backtracking_pattern_runs_in_linear_time():
    matches = compile_pattern(FeedRule.Match.REGEX, r"^(a+)+$")
    started = time.monotonic()
    assert not matches("a" * 50_000 + "b")
    assert time.monotonic() - started < 1  # a backtracking engine takes longer than the age of the universe


def test_a_tag_only_rule_needs_tags_or_a_category():
    with pytest.raises(ValidationError, match="需要填写标签或分类"):
        FeedRule(name="空", pattern="电池", action=FeedRule.Action.FILE).full_clean()
