"""Feed rules on the desk: edited with a preview of the last 100 items before saving, and their hit counts."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from ingest.feeds.rules import PREVIEW_ITEMS, preview
from ingest.models import FeedRule


@admin.register(FeedRule)
class FeedRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "feed_label", "field", "match", "pattern", "action", "is_active", "position", "hit_count"]
    list_editable = ["is_active", "position"]
    list_filter = ["is_active", "action", "match"]
    search_fields = ["name", "pattern", "feed__url"]
    autocomplete_fields = ["feed", "category"]
    list_select_related = ["feed"]
    change_form_template = "admin/ingest/feedrule/change_form.html"
    fields = ["name", "feed", "field", "match", "pattern", "action", "add_tags", "category", "is_active", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(hits_count=Count("hits"))

    @admin.display(description="订阅源", ordering="feed__url")
    def feed_label(self, obj):
        return obj.feed.url if obj.feed_id else "全部订阅源"

    @admin.display(description="命中", ordering="hits_count")
    def hit_count(self, obj):
        return obj.hits_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self._preview(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _preview(self, request, object_id, form_url, extra_context):
        """The form as submitted, unsaved, with what the rule would do to the last items."""
        obj = self.get_object(request, object_id) if object_id else None
        allowed = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        results = preview(form.instance) if form.is_valid() else None
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"预览规则：{form.instance.name or '新规则'}",
            "subtitle": None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preview": results,
            "preview_limit": PREVIEW_ITEMS,
            **(extra_context or {}),
        }
        return self.render_change_form(
            request, context, add=obj is None, change=obj is not None, obj=obj, form_url=form_url
        )
