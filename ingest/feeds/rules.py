"""Feed rules applied to items: keep or drop, hold as draft, add tags, file into a category.

The rules of a feed are its own plus the global ones (no feed), in their
order. Each matching rule acts: *drop* drops the item, *draft* loads it as a
draft, and every matching rule adds its tags and category. If a feed has
*keep* rules, an item none of them matches is dropped. Matching looks at the
item's title and the visible text of its sanitised body (``patterns``).

Each rule records the items it matched (:class:`~ingest.models.RuleHit`, once
per item however often the feed repeats it): its hit count. The same logic
previews an unsaved rule on the last 100 items in the admin.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from content.models import Article, ArticleSource
from content.rendering import visible_text
from ingest.feeds.patterns import Matcher, compile_pattern
from ingest.models import FeedRule, RuleHit
from ingest.records import PostRecord

PREVIEW_ITEMS = 100
Action = FeedRule.Action


@dataclass
class Decision:
    """What the rules do to one item."""

    drop: bool = False
    draft: bool = False
    tags: list[str] = field(default_factory=list)
    category_paths: list[list[str]] = field(default_factory=list)
    rules: list[FeedRule] = field(default_factory=list)  # those that matched

    def apply(self, record: PostRecord) -> None:
        record.is_published = record.is_published and not self.draft
        record.tags += [tag for tag in self.tags if tag not in record.tags]
        record.category_paths += [path for path in self.category_paths if path not in record.category_paths]

    def describe(self) -> str:
        """The decision as the preview shows it."""
        if self.drop:
            return "丢弃"
        parts = ["存为草稿" if self.draft else "保留"]
        parts += [f"标签 {tag}" for tag in self.tags]
        parts += ["分类 " + " › ".join(path) for path in self.category_paths]
        return "，".join(parts)


class Rules:
    """The compiled rules for one feed's items, and the hits to record."""

    def __init__(self, rules: list[FeedRule]):
        self.rules = [(rule, compile_pattern(rule.match, rule.pattern)) for rule in rules]
        self.has_keep = any(rule.action == Action.KEEP for rule in rules)
        self.hits: dict[int, set[str]] = defaultdict(set)

    @classmethod
    def for_feed(cls, feed_id: int) -> "Rules":
        active = FeedRule.objects.filter(Q(feed_id=feed_id) | Q(feed__isnull=True), is_active=True)
        return cls(list(active.select_related("category__parent__parent")))

    def decide(self, title: str, text: str, item_key: str = "") -> Decision:
        decision, kept = Decision(), False
        for rule, matches in self.rules:
            if not _matches(rule, matches, title, text):
                continue
            decision.rules.append(rule)
            if item_key:
                self.hits[rule.pk].add(item_key)
            kept = kept or rule.action == Action.KEEP
            decision.drop = decision.drop or rule.action == Action.DROP
            decision.draft = decision.draft or rule.action == Action.DRAFT
            decision.tags += [tag for tag in split_tags(rule.add_tags) if tag not in decision.tags]
            if rule.category_id:
                decision.category_paths.append([category.name for category in rule.category.ancestry()])
        decision.drop = decision.drop or (self.has_keep and not kept)
        return decision

    def decide_record(self, record: PostRecord) -> Decision:
        return self.decide(record.title, visible_text(record.body_html), record.source_key)

    def record_hits(self) -> None:
        """Store the items each rule matched (an item seen again is not counted again)."""
        RuleHit.objects.bulk_create(
            [RuleHit(rule_id=rule_id, item_key=key) for rule_id, keys in self.hits.items() for key in keys],
            ignore_conflicts=True,
        )
        self.hits.clear()


def _matches(rule: FeedRule, matches: Matcher, title: str, text: str) -> bool:
    if rule.field == FeedRule.Field.TITLE:
        return matches(title)
    if rule.field == FeedRule.Field.TEXT:
        return matches(text)
    return matches(title) or matches(text)


def split_tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.replace("，", ",").split(",") if tag.strip()]


def preview(rule: FeedRule) -> list[tuple[Article, Decision]]:
    """What ``rule`` (saved or not) would do to the last 100 items of its feed (of any feed if global)."""
    sources = ArticleSource.objects.filter(feed__isnull=False)
    if rule.feed_id:
        sources = sources.filter(feed_id=rule.feed_id)
    article_ids = sources.order_by("-imported_at", "-pk").values("article_id")[:PREVIEW_ITEMS]
    articles = Article.objects.filter(pk__in=article_ids).only("pk", "title", "body").order_by("-created_at", "-pk")
    rules = Rules([rule])
    return [(article, rules.decide(article.title, visible_text(article.body))) for article in articles]
