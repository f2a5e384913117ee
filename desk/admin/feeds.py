"""Incoming feeds on the desk: their state, fetching now in the background, OPML in and out."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from content.models import Feed
from content.text import split_category_path
from ingest.feeds.health import DAYS_COUNTED, flagged_filter, trouble, with_health
from ingest.feeds.opml import OpmlError, parse_opml
from ingest.feeds.subscriptions import DEFAULT_PATH, export_document, exported_feeds, subscribe
from ingest.models import FullText, WebSubSubscription
from ingest.tasks import fetch_feeds

OPML_MAX_BYTES = 2 * 1024 * 1024


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Feeds failing or silent past the thresholds (``ingest.feeds.health``)."""

    title = "健康"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "需要关注（连续失败或长期无新内容）")]

    def queryset(self, request, queryset):
        return queryset.filter(flagged_filter()) if self.value() == "yes" else queryset


class OpmlImportForm(forms.Form):
    file = forms.FileField(label="OPML 文件", help_text="阅读器导出的订阅列表（.opml / .xml），不超过 2 MB")
    path = forms.CharField(label="未分组订阅源的分类", initial=DEFAULT_PATH, help_text="各级用 / 分隔")
    dry_run = forms.BooleanField(label="只检查，不订阅", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > OPML_MAX_BYTES:
            raise forms.ValidationError("文件超过 2 MB。")
        try:
            self.cleaned_data["outlines"] = parse_opml(upload.read())
        except OpmlError as exc:
            raise forms.ValidationError(f"不是有效的 OPML 文件，未订阅任何源：{exc}") from exc
        return upload

    def clean_path(self):
        levels = split_category_path(self.cleaned_data["path"])
        if not levels:
            raise forms.ValidationError("至少填写一级分类。")
        return levels


class FullTextInline(admin.StackedInline):
    """The per-feed switch for fetching each item's page, and the source's CSS selector."""

    model = FullText
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name = verbose_name_plural = "全文抓取（订阅源只给摘要时）"


class WebSubInline(admin.StackedInline):
    """The hub the feed pushes through, if it names one (kept by the fetcher; see ingest.feeds.websub)."""

    model = WebSubSubscription
    can_delete = False
    extra = 0
    fields = readonly_fields = [
        "hub",
        "topic",
        "state",
        "requested_at",
        "lease_expires_at",
        "last_push_at",
        "last_error",
    ]

    def has_add_permission(self, request, obj=None):
        return False


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
        "items_per_day",
        "last_success",
        "consecutive_failures",
        "error_label",
        "trouble_label",
    ]
    list_filter = [NeedsAttentionFilter, "is_active", "last_status"]
    search_fields = ["url", "source__name", "category__path", "category__name"]
    autocomplete_fields = ["category", "source"]
    list_select_related = ["source", "category__parent__parent", "health"]
    actions = ["fetch_now", "activate", "deactivate"]
    inlines = [FullTextInline, WebSubInline]
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

    def get_urls(self):
        own = [
            path("import-opml/", self.admin_site.admin_view(self.import_opml), name="articles_feed_import_opml"),
            path("export-opml/", self.admin_site.admin_view(self.export_opml), name="articles_feed_export_opml"),
        ]
        return own + super().get_urls()

    def import_opml(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpmlImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            result = subscribe(data["outlines"], default_path=data["path"], interval=60, dry_run=data["dry_run"])
            for problem in result.problems:
                self.message_user(request, f"未能订阅：{problem}", messages.ERROR)
            self.message_user(request, _opml_summary(result, data["dry_run"]), messages.SUCCESS)
            return redirect("admin:articles_feed_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": "导入 OPML",
        }
        return TemplateResponse(request, "admin/articles/feed/import_opml.html", context)

    def export_opml(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(export_document(exported_feeds()), content_type="text/x-opml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="newsroom-feeds.opml"'
        return response

    def get_queryset(self, request):
        since = timezone.now() - dt.timedelta(days=7)
        recent = Count("sources", filter=Q(sources__article__published_at__gte=since))
        return with_health(super().get_queryset(request)).annotate(recent_items=recent)

    @admin.display(description="分类", ordering="category__path")
    def category_label(self, obj):
        return str(obj.category)

    @admin.display(description="近 7 天文章", ordering="recent_items")
    def items_last_7_days(self, obj):
        return obj.recent_items or 0

    @admin.display(description="30 天日均", ordering="items_30_days")
    def items_per_day(self, obj):
        return f"{obj.items_30_days / DAYS_COUNTED:.1f}"

    @admin.display(description="上次成功", ordering="health__last_success_at")
    def last_success(self, obj):
        when = getattr(getattr(obj, "health", None), "last_success_at", None)
        return date_format(timezone.localtime(when), "Y-m-d H:i") if when else "—"

    @admin.display(description="需要关注")
    def trouble_label(self, obj):
        return format_html('<strong class="feed-trouble">⚠ {}</strong>', text) if (text := trouble(obj)) else "—"

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

    @admin.action(description="暂停（停用）所选订阅源")
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"已停用 {count} 个订阅源。", messages.SUCCESS)


def _opml_summary(result, dry_run: bool) -> str:
    text = (
        f"新订阅 {len(result.added)} 个，已订阅过 {len(result.already)} 个，"
        f"文件内重复 {len(result.repeated)} 个，失败 {len(result.problems)} 个。"
    )
    return f"只检查，未写入：{text}" if dry_run else text
