"""API tokens, webhooks and their deliveries, and which articles readers
have been told are published (to tell a publication from an update)."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from content.limits import NAME_MAX_LENGTH, URL_MAX_LENGTH

TOKEN_PREFIX = "nr_"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A secret that lets a program act as ``user`` in the write API.

    Only its SHA-256 digest is stored (the secret is long and random, so a
    fast hash is enough); the secret itself is shown once, when it is made."""

    name = models.CharField("用途", max_length=NAME_MAX_LENGTH, help_text="例如：移动应用、合作网站同步")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    prefix = models.CharField("开头", max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("上次使用", null=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def generate(self) -> str:
        """A new secret for this (unsaved) token; returns it, keeps only its digest."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.digest = secret[:10], self.digest_of(secret)
        return secret

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Event(models.TextChoices):
    """What happened to an article, as webhooks are told."""

    PUBLISHED = "article.published", "发布（含定时发布到点）"
    UPDATED = "article.updated", "已发布文章更新"
    UNPUBLISHED = "article.unpublished", "撤回或删除"


def all_events() -> list[str]:
    return list(Event.values)


class Webhook(models.Model):
    """An address told about publish events: a signed JSON POST per event."""

    name = models.CharField("名称", max_length=NAME_MAX_LENGTH)
    url = models.URLField("地址", max_length=URL_MAX_LENGTH, validators=[URLValidator(schemes=["http", "https"])])
    secret = models.CharField(
        "签名密钥", max_length=100, default=webhook_secret, help_text="接收方用它验证 X-Newsroom-Signature"
    )
    events = models.JSONField("事件", default=all_events)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "Webhook"

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with how the last attempt went."""

    class Status(models.TextChoices):
        PENDING = "pending", "等待发送"
        RETRYING = "retrying", "失败，将重试"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败，已放弃"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name="Webhook")
    event = models.CharField("事件", max_length=30, choices=Event.choices)
    payload = models.JSONField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    response_status = models.PositiveIntegerField("HTTP 状态", null=True)
    response_ms = models.PositiveIntegerField("响应时间（毫秒）", null=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_attempt_at = models.DateTimeField("上次尝试", null=True)
    next_attempt_at = models.DateTimeField("下次尝试", null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "Webhook 发送记录"

    def __str__(self):
        return f"{self.event} → {self.webhook}"


class AnnouncedArticle(models.Model):
    """An article that webhooks were told is published (until it is unpublished).

    A plain id rather than a foreign key: the row must outlive its article's
    deletion long enough to announce it."""

    article_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = verbose_name_plural = "已通知发布的文章"

    def __str__(self):
        return str(self.article_id)
