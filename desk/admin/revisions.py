"""Revisions in the article admin: each save is one (who, and Django's own
change message as the comment); History lists them, compares any two side by
side and restores one (see ``content.revisions``)."""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from reversion.models import Version

from content import revisions


class ArticleRevisionsMixin:
    """For ``ArticleAdmin``: revisions made by the change form, and the History views."""

    def changeform_view(self, request, *args, **kwargs):
        with reversion.create_revision():
            return super().changeform_view(request, *args, **kwargs)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        revisions.record(request.user, f"新建：{entry.get_change_message()}")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        revisions.record(request.user, entry.get_change_message() or "保存，未改动字段")
        return entry

    def get_urls(self):
        views = [
            path("<int:pk>/history/compare/", self.admin_site.admin_view(self.compare_view), name="articles_compare"),
            path(
                "<int:pk>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="articles_restore",
            ),
        ]
        return views + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        listed = list(revisions.versions_of(article)) if article is not None else []
        return super().history_view(request, object_id, {"revisions": listed, **(extra_context or {})})

    def compare_view(self, request, pk):
        article = self._article_or_404(request, pk, self.has_view_or_change_permission)
        versions = revisions.versions_of(article)
        old = get_object_or_404(versions, pk=request.GET.get("old", 0))
        new = get_object_or_404(versions, pk=request.GET.get("new", 0))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"比较版本：{article}",
            "article": article,
            "old": old,
            "new": new,
            "comparisons": revisions.compare(old, new),
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, pk, version_id):
        article = self._article_or_404(request, pk, self.has_change_permission)
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        if not self._may_restore(request, article, version):
            raise PermissionDenied
        revisions.restore(version, request.user)
        when = timezone.localtime(version.revision.date_created)
        self.message_user(request, f"已恢复到 {when:%Y-%m-%d %H:%M} 的版本。", messages.SUCCESS)
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _article_or_404(self, request, pk, permission):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not permission(request, article):
            raise PermissionDenied
        return article

    def _may_restore(self, request, article, version: Version) -> bool:
        """Restoring a live version of a draft (or the reverse) publishes: that needs the publish permission."""
        stored = version.field_dict
        publishing = (stored.get("status"), stored.get("published_at")) != (article.status, article.published_at)
        return not publishing or self.has_publish_permission(request)
