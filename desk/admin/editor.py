"""The change form's helpers behind the body editor: the Markdown preview
(rendered and sanitised exactly as a save would), where pictures are
uploaded (the media library, ``desk.admin.media``), and autosave
(``content.autosave``): the editor's own slot, offered back on reopening,
and who else is editing."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from content.autosave import AUTOSAVE_SECONDS, AutosavedDraft
from content.rendering import BodyFormat, BodyRefused, render_body


class ArticleEditorMixin:
    """For ``ArticleAdmin``: the editor's endpoints, and their addresses on the body's widget."""

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.body_preview_view))
        autosave = self.admin_site.admin_view(self.autosave_view)
        return [
            path("preview-body/", preview, name="articles_preview_body"),
            path("autosave/", autosave, name="articles_autosave"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            autosave_url=reverse("admin:articles_autosave"),
            autosave_seconds=AUTOSAVE_SECONDS,
            autosaved=AutosavedDraft.newer_than_article(request.user, obj),
            others_editing=AutosavedDraft.others_editing(request.user, obj) if obj else [],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved: the editor's unsaved text (for this article, or for a new one) is no longer unsaved.
        AutosavedDraft.objects.filter(user=request.user, article=form.instance if change else None).delete()

    def autosave_view(self, request):
        """POST keeps the form's text in the editor's slot (``discard`` empties it); GET gives it back."""
        article = self._autosaved_article(request)
        if request.method == "GET":
            slot = AutosavedDraft.objects.filter(user=request.user, article=article).first()
            return JsonResponse({"fields": slot.fields if slot else None})
        if request.method != "POST":
            return JsonResponse({"error": "GET 或 POST"}, status=405)
        if request.POST.get("discard"):
            AutosavedDraft.objects.filter(user=request.user, article=article).delete()
            return JsonResponse({"discarded": True})
        slot = AutosavedDraft.keep(request.user, article.pk if article else None, request.POST)
        return JsonResponse({"saved_at": timezone.localtime(slot.saved_at).strftime("%H:%M:%S")})

    def _autosaved_article(self, request):
        """The article named by ``article`` (none: a new one), if the user may edit it."""
        pk = request.GET.get("article") or request.POST.get("article")
        if not pk:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        body = form.base_fields.get("body_source")
        if body is not None:
            body.widget.attrs["data-preview-url"] = reverse("admin:articles_preview_body")
            if request.user.has_perm("articles.add_image"):
                body.widget.attrs["data-upload-url"] = reverse("admin:articles_image_upload")
        return form

    def body_preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body_format = request.POST.get("body_format", BodyFormat.MARKDOWN)
        if body_format not in BodyFormat.values:
            return JsonResponse({"error": "未知的正文格式"}, status=400)
        try:
            return JsonResponse({"html": render_body(request.POST.get("body_source", ""), body_format).html})
        except BodyRefused as exc:
            return JsonResponse({"error": f"正文无法渲染：{exc}"}, status=400)
