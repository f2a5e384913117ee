"""Incoming feeds on the desk: their state, and fetching now in the background."""

import datetime as dt

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator

from content.models import Feed
from ingest.tasks import fetch_feeds


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "source",
        "category_label",
        "is_active",
        "last_status",
        "last_fetched_at",
        "items_last_7_days",
        "consecutive_failures",
        "error_label",
    ]
    list_filter = ["is_active", "last_status"]
    search_fields = ["url", "source__name", "category__path", "category__name"]
    autocomplete_fields = ["category", "source"]
    list_select_related = ["source", "category__parent__parent"]
    actions = ["fetch_now", "activate", "deactivate"]
    readonly_fields = ["last_status", "last_fetched_at", "last_error", "consecutive_failures", "etag", "last_modified"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "url",
                    "category",
                    "source",
                    "is_active",
                    "interval_minutes",
                    "download_images",
                    "next_fetch_at",
                ]
            },
        ),
        ("抓取记录", {"fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        since = timezone.now() - dt.timedelta(days=7)
        recent = Count("sources", filter=Q(sources__article__published_at__gte=since))
        return super().get_queryset(request).annotate(recent_items=recent)

    @admin.display(description="分类", ordering="category__path")
    def category_label(self, obj):
        return str(obj.category)

    @admin.display(description="近 7 天文章", ordering="recent_items")
    def items_last_7_days(self, obj):
        return obj.recent_items or 0

    @admin.display(description="上次错误")
    def error_label(self, obj):
        return Truncator(obj.last_error).chars(80) or "—"

    @admin.action(description="立即抓取所选订阅源")
    def fetch_now(self, request, queryset):
        # In the background: a slow feed must not hold this request.
        feed_ids = list(queryset.values_list("pk", flat=True))
        fetch_feeds.enqueue(feed_ids)
        self.message_user(request, f"已安排抓取 {len(feed_ids)} 个订阅源，稍后刷新本页查看结果。", messages.SUCCESS)

    @admin.action(description="启用所选订阅源（立即到期）")
    def activate(self, request, queryset):
        count = queryset.update(is_active=True, next_fetch_at=None)
        self.message_user(request, f"已启用 {count} 个订阅源。", messages.SUCCESS)

    @admin.action(description="停用所选订阅源")
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"已停用 {count} 个订阅源。", messages.SUCCESS)
