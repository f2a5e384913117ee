"""What the ingest app keeps about feeds beside ``content.Feed`` (app label
"articles"), which holds the subscription itself: each model here points at it.

- :class:`FeedHealth`: when a feed last answered, and whether editors were told of its trouble.
- :class:`FeedRule`: keep, drop, hold as draft, tag or file items by keyword or regular
  expression (``ingest.feeds.rules`` applies them), and :class:`RuleHit`, the items each matched.
- :class:`FullText`: fetch each item's page for the whole article (``ingest.feeds.fulltext``).
- :class:`WebSubSubscription`: a feed's hub pushes its changes to us (``ingest.feeds.websub``).
"""

from django.core.exceptions import ValidationError
from django.db import models

from content.limits import URL_MAX_LENGTH
from content.models import Category, Feed
from ingest.feeds.fulltext import SelectorError, check_selector
from ingest.feeds.patterns import PatternError, compile_pattern


class FeedHealth(models.Model):
    """Written by the fetcher (``ingest.feeds.runner``) and the health check (``ingest.feeds.health``)."""

    feed = models.OneToOneField(
        Feed, on_delete=models.CASCADE, primary_key=True, related_name="health", verbose_name="订阅源"
    )
    last_success_at = models.DateTimeField("上次成功", null=True, blank=True)
    last_item_at = models.DateTimeField("上次有新内容", null=True, blank=True)
    # Set when editors were e-mailed about its trouble; cleared once it is well, so each episode mails once.
    alerted_at = models.DateTimeField("已提醒编辑", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "订阅源健康"

    def __str__(self):
        return str(self.feed)


class FeedRule(models.Model):
    """A rule for the items of one feed, or of every feed when ``feed`` is empty."""

    class Field(models.TextChoices):
        TITLE = "title", "标题"
        TEXT = "text", "正文"
        ANY = "any", "标题或正文"

    class Match(models.TextChoices):
        KEYWORD = "keyword", "关键词（逗号分隔，任一出现即匹配，不分大小写）"
        REGEX = "regex", "正则表达式（RE2 语法，不分大小写）"

    class Action(models.TextChoices):
        KEEP = "keep", "只保留匹配的（其余丢弃）"
        DROP = "drop", "丢弃"
        DRAFT = "draft", "存为草稿"
        FILE = "file", "只加标签或分类"

    name = models.CharField("名称", max_length=100)
    feed = models.ForeignKey(
        Feed,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name="订阅源",
        help_text="留空则用于所有订阅源",
    )
    field = models.CharField("匹配位置", max_length=10, choices=Field.choices, default=Field.ANY)
    match = models.CharField("匹配方式", max_length=10, choices=Match.choices, default=Match.KEYWORD)
    pattern = models.CharField("关键词或正则表达式", max_length=500)
    action = models.CharField("动作", max_length=10, choices=Action.choices, default=Action.DROP)
    add_tags = models.CharField("加标签", max_length=200, blank=True, help_text="匹配时加上这些标签，逗号分隔")
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="加入分类",
        help_text="匹配时另外归入这个分类",
    )
    is_active = models.BooleanField("启用", default=True)
    position = models.PositiveIntegerField("顺序", default=0, help_text="小的先执行")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = verbose_name_plural = "订阅规则"

    def __str__(self):
        return self.name

    def clean(self):
        try:
            compile_pattern(self.match, self.pattern)
        except PatternError as exc:
            raise ValidationError({"pattern": str(exc)}) from exc
        if self.action == self.Action.FILE and not (self.add_tags.strip() or self.category_id):
            raise ValidationError({"add_tags": "“只加标签或分类”需要填写标签或分类。"})


class RuleHit(models.Model):
    """An item a rule matched, once however often the feed repeats it: the rule's hit count."""

    rule = models.ForeignKey(FeedRule, on_delete=models.CASCADE, related_name="hits", verbose_name="规则")
    item_key = models.CharField("条目标识", max_length=120)
    matched_at = models.DateTimeField("匹配时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "规则命中"
        constraints = [models.UniqueConstraint(fields=["rule", "item_key"], name="rule_hit_once_per_item")]

    def __str__(self):
        return f"{self.rule}: {self.item_key}"


class FullText(models.Model):
    """A feed whose items carry only a summary: each new or changed item's page
    is fetched and the article's own text and pictures kept (in the background)."""

    feed = models.OneToOneField(
        Feed, on_delete=models.CASCADE, primary_key=True, related_name="full_text", verbose_name="订阅源"
    )
    enabled = models.BooleanField("抓取全文", default=False, help_text="打开每条内容的原文网页，取出正文和图片")
    selector = models.CharField(
        "正文 CSS 选择器",
        max_length=300,
        blank=True,
        help_text="留空时自动识别正文；填写如 article .content 则只取这些元素",
    )

    class Meta:
        verbose_name = verbose_name_plural = "全文抓取"

    def __str__(self):
        return str(self.feed)

    def clean(self):
        try:
            check_selector(self.selector)
        except SelectorError as exc:
            raise ValidationError({"selector": str(exc)}) from exc


class WebSubSubscription(models.Model):
    """Our subscription to the WebSub hub a feed advertises; polling goes on as the fallback."""

    class State(models.TextChoices):
        REQUESTED = "requested", "已申请"
        VERIFIED = "verified", "已订阅"
        DENIED = "denied", "被拒绝"
        FAILED = "failed", "申请失败"

    feed = models.OneToOneField(
        Feed, on_delete=models.CASCADE, primary_key=True, related_name="websub", verbose_name="订阅源"
    )
    hub = models.URLField("WebSub hub", max_length=URL_MAX_LENGTH)
    topic = models.URLField("主题", max_length=URL_MAX_LENGTH)
    # Signs what the hub pushes (X-Hub-Signature, HMAC); a fresh one with each request.
    secret = models.CharField("密钥", max_length=64, editable=False)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField("申请时间", null=True, blank=True)
    lease_expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    last_push_at = models.DateTimeField("上次推送", null=True, blank=True)
    last_error = models.TextField("上次错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "WebSub 推送订阅"

    def __str__(self):
        return f"{self.feed} ← {self.hub}"
