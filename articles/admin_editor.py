"""The change form's helpers behind the body editor: the Markdown preview
(rendered and sanitised exactly as a save would) and where pictures are
uploaded (the media library, ``articles.admin_media``)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles.rendering import BodyFormat, render_body


class ArticleEditorMixin:
    """For ``ArticleAdmin``: the editor's endpoints, and their addresses on the body's widget."""

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.body_preview_view))
        return [path("preview-body/", preview, name="articles_preview_body"), *super().get_urls()]

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
        return JsonResponse({"html": render_body(request.POST.get("body_source", ""), body_format).html})
