"""The editors' admin. Saving an article renders and sanitises its body
through the same function the importer uses."""

from django.contrib import admin
from django.db import models

from articles.models import Article, ArticleSource, Author, Category, Tag


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "user"]
    list_filter = ["kind"]
    search_fields = ["name", "bio"]
    autocomplete_fields = ["user"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "path"]
    list_select_related = ["parent__parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    fields = ["file_name", "content_hash", "imported_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "author", "published_at", "edited_in_admin"]
    list_filter = ["status", "author__kind", "edited_in_admin", "categories"]
    list_select_related = ["author"]
    search_fields = ["title", "body_source"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "categories"]
    readonly_fields = ["edited_in_admin", "created_at", "updated_at"]
    inlines = [ArticleSourceInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "categories", "tags"]}),
        ("正文", {"fields": ["body_format", "body_source", "excerpt"]}),
        ("图片", {"fields": ["head_image", "thumbnail"]}),
        ("发布", {"fields": ["status", "published_at", "allow_comments"]}),
        ("记录", {"fields": ["edited_in_admin", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        if "body_source" in form.changed_data and "excerpt" not in form.changed_data:
            obj.excerpt = ""  # derive it again from the new body
        obj.render()
        if change and obj.sources.exists():
            obj.edited_in_admin = True  # a re-import must not overwrite the editor's work
        super().save_model(request, obj, form, change)
