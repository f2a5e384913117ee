"""Stories on the desk: today's stories by how many outlets carry them, and a
story's page, where an editor merges, takes an article out or chooses the
lead (``stories.editing``). Each decision goes into the story's history
(the admin's log: who, when, what)."""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from content.models import Article
from stories import editing
from stories.models import Story


class PeriodFilter(admin.SimpleListFilter):
    """Stories with a copy published today (the default), this week, or at any time."""

    title = "时间"
    parameter_name = "period"
    days = {"today": 0, "week": 6}

    def lookups(self, request, model_admin):
        return [("today", "今天"), ("week", "近 7 天"), ("all", "全部")]

    def choices(self, changelist):
        for lookup, label in self.lookup_choices:
            yield {
                "selected": (self.value() or "today") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "today"
        if value not in self.days:
            return queryset
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        since, until = today - dt.timedelta(days=self.days[value]), today + dt.timedelta(days=1)
        return queryset.filter(last_published_at__gte=since, last_published_at__lt=until)  # not scheduled ones


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["headline", "source_count", "article_count", "sources", "first_published_at", "last_published_at"]
    list_filter = [PeriodFilter]
    ordering = ["-source_count", "-last_published_at", "-id"]
    list_select_related = ["lead"]
    list_per_page = 50
    actions = ["merge_stories"]
    search_fields = ["lead__title"]

    def has_add_permission(self, request):
        return False  # stories are found, not written

    def has_delete_permission(self, request, obj=None):
        return False  # take the articles out instead

    @admin.display(description="主稿", ordering="lead__title")
    def headline(self, story):
        return story.lead.title if story.lead else f"报道 {story.pk}"

    @admin.display(description="来源")
    def sources(self, story):
        return "、".join(dict.fromkeys(copy["source"] for copy in story.copies))

    @admin.action(description="合并所选报道", permissions=["change"])
    def merge_stories(self, request, queryset):
        chosen = list(queryset)
        if len(chosen) < 2:
            self.message_user(request, "请至少选择两篇报道来合并。", messages.WARNING)
            return
        target = editing.merge(chosen)
        merged = "、".join(str(story.pk) for story in chosen if story.pk != target.pk)
        self.log_change(request, target, f"合并报道 {merged}")
        self.message_user(
            request, f"已把 {len(chosen)} 篇报道合并为一篇（{target.source_count} 家媒体）。", messages.SUCCESS
        )

    def get_urls(self):
        own = [
            path("<int:story_id>/take-out/", self.admin_site.admin_view(self.take_out), name="stories_story_take_out"),
            path("<int:story_id>/lead/", self.admin_site.admin_view(self.choose_lead), name="stories_story_lead"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A story's page: its members, each with the desk's buttons (nothing else of a story is edited by hand)."""
        story = get_object_or_404(Story.objects.select_related("lead", "lead_chosen_by"), pk=object_id)
        if not self.has_view_permission(request, story):
            raise PermissionDenied
        members = (
            Article.objects.filter(story_membership__story=story)
            .select_related("author", "story_membership")
            .defer("body", "body_source")
            .order_by("published_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "story": story,
            "members": members,
            "may_change": self.has_change_permission(request, story),
            "title": f"报道：{self.headline(story)}",
        }
        return TemplateResponse(request, "admin/stories/story/members.html", context)

    def _member(self, request, story_id) -> tuple[Story, Article]:
        """The story and the member article a decision (a POST) names."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        story = get_object_or_404(Story, pk=story_id)
        article = get_object_or_404(Article, pk=request.POST.get("article"), story_membership__story=story)
        return story, article

    def take_out(self, request, story_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story, article = self._member(request, story_id)
        alone = editing.take_out(story, article)
        self.log_change(request, story, f"移出《{article.title}》（文章 {article.pk}，现为报道 {alone.pk}）")
        self.message_user(request, f"已把《{article.title}》移出这篇报道。", messages.SUCCESS)
        if not Story.objects.filter(pk=story.pk).exists():  # it was the last member
            return redirect("admin:stories_story_change", alone.pk)
        return redirect("admin:stories_story_change", story.pk)

    def choose_lead(self, request, story_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story, article = self._member(request, story_id)
        editing.choose_lead(story, article, request.user)
        self.log_change(request, story, f"指定主稿《{article.title}》（文章 {article.pk}）")
        self.message_user(request, f"已指定《{article.title}》为主稿。", messages.SUCCESS)
        return redirect("admin:stories_story_change", story.pk)
