"""The editors' admin: write, review, schedule and publish.

Saving goes through the article's one write path (``Article.save_as_editor``:
rendering, the excerpt, re-import protection) and a form save, its categories
and tags included, is announced once (``content.changes.batch``). An article's state is shown as readers get
it: draft, scheduled (published with a future date) or published. Publishing
needs the ``articles.publish_article`` permission (the Editors group has it).
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import F
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html

from content import changes, revisions
from content.models import Article, ArticleSource, Author
from desk.admin.editor import ArticleEditorMixin
from desk.admin.filters import (
    AuthorFilter,
    CategoryFilter,
    HeadImageFilter,
    JunkFilter,
    PinnedFilter,
    StateFilter,
)
from desk.admin.revisions import ArticleRevisionsMixin
from desk.forms import ArticleForm
from ingest.tasks import download_remote_images
from newsroom.pagination import BoundedPaginator
from search.query import Search
from search.results import newest_matches
from search.tasks import rebuild_search_documents

PUBLISH_PERMISSION = "articles.publish_article"


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    fields = ["file_name", "content_hash", "imported_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AdminPaginator(BoundedPaginator):
    """Counts at most 20 pages of 100: narrow a bigger list with the filters or search."""

    max_pages = 20


class ArticleChangeList(ChangeList):
    """The list shows no bodies: 100 rows would otherwise read up to 10 MB."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body", "body_source")


@admin.register(Article)
class ArticleAdmin(ArticleEditorMixin, ArticleRevisionsMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "list_thumbnail",
        "title",
        "state_label",
        "filed_under",
        "author",
        "published_label",
        "site_link",
    ]
    list_display_links = ["title"]
    list_filter = [
        StateFilter,
        JunkFilter,
        PinnedFilter,
        CategoryFilter,
        AuthorFilter,
        "published_at",
        HeadImageFilter,
        "author__kind",
        "edited_in_admin",
    ]
    list_select_related = ["author"]
    # No count of every article per request: the paginator counts a bounded number.
    paginator = AdminPaginator
    show_full_result_count = False
    # Served by the reader search's index (get_search_results); listed so the admin shows its search box.
    search_fields = ["title"]
    # Undated drafts and scheduled articles first: they are what needs attention.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    actions = ["publish_now", "unpublish", "download_images", "rebuild_search"]
    autocomplete_fields = ["author", "categories", "head_image_library"]
    readonly_fields = ["head_image_preview", "junk_reason", "edited_in_admin", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "categories", "tags", "loaded_at"]}),
        ("正文", {"fields": ["body_format", "body_source", "excerpt"]}),
        (
            "头图",
            {"fields": ["head_image_file", "head_image_library", "head_image_preview", "head_image", "thumbnail"]},
        ),
        ("发布", {"fields": ["status", "published_at", "junk_reason"]}),
        ("头条", {"fields": ["pin_order", "pinned_until"]}),
        ("记录", {"fields": ["edited_in_admin", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @property
    def media(self):
        # The searching list filters borrow the autocomplete widget's scripts and styles.
        autocomplete = AutocompleteSelect(Article._meta.get_field("author"), self.admin_site).media
        own = forms.Media(js=["admin/js/jquery.init.js", "admin/newsroom/list-filters.js"])
        return super().media + autocomplete + own

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def get_search_results(self, request, queryset, search_term):
        """The newest matches (drafts too), through the search index the readers use."""
        if not search_term.strip():
            return queryset, False
        return newest_matches(queryset, Search.parse(search_term)), False

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_inlines(self, request, obj):
        return [ArticleSourceInline] if obj is not None and obj.sources.exists() else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ["status", "published_at", "pin_order", "pinned_until"]
        if obj is not None and obj.head_image_file:
            fields += ["head_image", "thumbnail"]  # they point at the upload
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).first()
        if author is not None:
            initial.setdefault("author", author.pk)
        return initial

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def changeform_view(self, request, *args, **kwargs):
        # The article, then its categories and tags, are saved: one announcement for all.
        with changes.batch():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if "head_image_file" in form.changed_data:
            if obj.head_image_file:
                obj.attach_head_image(form.cleaned_data["head_image_file"])
            else:
                obj.detach_head_image()
        obj.save_as_editor()

    @admin.display(description="图")
    def list_thumbnail(self, obj):
        url = obj.thumbnail or obj.head_image
        if not url:
            return ""
        # Sized by attributes: the Content-Security-Policy allows no inline styles.
        return format_html('<img src="{}" width="64" alt="" loading="lazy" referrerpolicy="no-referrer">', url)

    @admin.display(description="头图预览")
    def head_image_preview(self, obj):
        if not obj.head_image:
            return "—"
        url = obj.thumbnail or obj.head_image
        return format_html('<img src="{}" width="320" alt="" referrerpolicy="no-referrer">', url)

    @admin.display(description="状态", ordering="status")
    def state_label(self, obj):
        notes = [f"疑似空文：{obj.junk_reason}" if obj.junk_reason else "", "头条" if obj.pin_order is not None else ""]
        return "，".join([obj.state.label, *filter(None, notes)])

    @admin.display(description="分类与标签")
    def filed_under(self, obj):
        """The first category's path (and how many more), the tags below it: one compact column."""
        categories = list(obj.categories.all())  # prefetched, by path
        category = str(categories[0]) if categories else "—"
        if len(categories) > 1:
            category += f"（另 {len(categories) - 1} 个）"
        tags = "，".join(tag.name for tag in obj.tags.all())
        return format_html('<span class="filed-category">{}</span><span class="filed-tags">{}</span>', category, tags)

    @admin.display(description="发布时间", ordering="published_at")
    def published_label(self, obj):
        return timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M") if obj.published_at else "—"

    @admin.display(description="网站")
    def site_link(self, obj):
        label = "查看" if obj.is_live else "预览"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description="立即发布所选文章", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        pending = [article for article in queryset if not article.is_live]
        message = f"批量操作“立即发布”：状态改为已发布，发布时间改为 {localize(timezone.localtime(now))}。"
        self._change_all(request, pending, message, status=Article.Status.PUBLISHED, published_at=now)
        unchanged = len(queryset) - len(pending)
        self.message_user(request, f"已发布 {len(pending)} 篇文章（已在线的 {unchanged} 篇未改动）。", messages.SUCCESS)

    @admin.action(description="撤回为草稿", permissions=["publish"])
    def unpublish(self, request, queryset):
        published = [article for article in queryset if article.status == Article.Status.PUBLISHED]
        self._change_all(request, published, "批量操作“撤回为草稿”：状态改为草稿。", status=Article.Status.DRAFT)
        self.message_user(request, f"{len(published)} 篇文章已撤回为草稿，读者不再能看到。", messages.SUCCESS)

    @admin.action(description="下载图片到本站", permissions=["change"])
    def download_images(self, request, queryset):
        # In the background: remote image hosts can be slow.
        article_ids = list(queryset.values_list("pk", flat=True))
        for article_id in article_ids:
            download_remote_images.enqueue(article_id)
        self.message_user(
            request, f"已安排下载 {len(article_ids)} 篇文章的图片到本站，稍后刷新文章查看。", messages.SUCCESS
        )

    @admin.action(description="重建搜索索引", permissions=["change"])
    def rebuild_search(self, request, queryset):
        article_ids = list(queryset.values_list("pk", flat=True))
        rebuild_search_documents.enqueue(article_ids)
        self.message_user(request, f"已安排重建 {len(article_ids)} 篇文章的搜索索引，稍后完成。", messages.SUCCESS)

    def _change_all(self, request, articles, message, **fields):
        """Set ``fields`` on each article and record the change in its history (and a revision).

        Each article is saved through the one write path, not updated in bulk
        (imported articles an editor (un)published must stay so on re-import);
        the whole action is announced once."""
        with changes.batch(), reversion.create_revision():
            for article in articles:
                for field, value in fields.items():
                    setattr(article, field, value)
                article.save_as_editor(update_fields=[*fields, "updated_at"])
            revisions.record(request.user, message)
        if articles:
            LogEntry.objects.log_actions(
                user_id=request.user.pk, queryset=articles, action_flag=CHANGE, change_message=message
            )
