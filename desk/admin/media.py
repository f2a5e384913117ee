"""The media library in the admin: upload (also from inside the body editor),
thumbnails, search by alt text or caption, and where each picture is used."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from content import image_files
from content.images import Image
from content.models import Article
from desk.forms import HeadImageField


class ImageForm(forms.ModelForm):
    file = HeadImageField(label="图片文件", help_text="JPEG、PNG、GIF 或 WebP；保存为 480、960、1600 像素宽的 WebP。")

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the picture itself stays; its words can change
            del self.fields["file"]

    def save(self, commit=True):
        if "file" in self.cleaned_data:
            self.instance.store(self.cleaned_data["file"])
        return super().save(commit)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "alt", "caption", "credit", "size", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "alt"]
    search_fields = ["alt", "caption", "credit"]
    list_select_related = ["uploaded_by"]
    readonly_fields = ["preview", "size", "where_used", "uploaded_by", "uploaded_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "alt", "caption", "credit"]
        return ["preview", "alt", "caption", "credit", "size", "where_used", "uploaded_by", "uploaded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        upload = self.admin_site.admin_view(require_POST(self.upload_view))
        return [path("upload/", upload, name="articles_image_upload"), *super().get_urls()]

    def upload_view(self, request):
        """An upload from the body editor: the stored picture's URL and size, or the reason it was refused."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImageForm(request.POST, request.FILES)
        if not form.is_valid():
            reasons = [error for errors in form.errors.values() for error in errors]
            return JsonResponse({"error": "；".join(reasons)}, status=400)
        form.instance.uploaded_by = request.user
        image = form.save()
        width, height = image.size_at(960)
        return JsonResponse(
            {
                "id": image.pk,
                "url": image.url(),
                "width": width,
                "height": height,
                "alt": image.alt,
                "caption": image.caption,
            }
        )

    @admin.display(description="图")
    def preview(self, obj):
        if not obj.renditions:
            return "—"
        return format_html('<img src="{}" width="96" alt="">', obj.url(image_files.THUMBNAIL_WIDTH))

    @admin.display(description="尺寸")
    def size(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description="用在")
    def where_used(self, obj):
        used = Article.objects.filter(Q(body_source__contains=obj.name) | Q(head_image_library=obj)).only("title")
        if not used:
            return "还没有文章使用"
        links = [(reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in used[:50]]
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', links))
