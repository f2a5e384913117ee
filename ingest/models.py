"""What the ingest app keeps about feeds beside ``content.Feed`` (app label
"articles"), which holds the subscription itself: each model here points at it.

- :class:`FeedHealth`: when a feed last answered, and whether editors were told of its trouble.
"""

from django.db import models

from content.models import Feed


class FeedHealth(models.Model):
    """Written by the fetcher (``ingest.feeds.runner``) and the health check (``ingest.feeds.health``)."""

    feed = models.OneToOneField(
        Feed, on_delete=models.CASCADE, primary_key=True, related_name="health", verbose_name="订阅源"
    )
    last_success_at = models.DateTimeField("上次成功", null=True, blank=True)
    # Set when editors were e-mailed about its trouble; cleared once it is well, so each episode mails once.
    alerted_at = models.DateTimeField("已提醒编辑", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "订阅源健康"

    def __str__(self):
        return str(self.feed)
