"""Authors (people and sources), categories and tags in the admin."""

import taggit.models
from django.contrib import admin

from content.models import Author, Category, Tag

# Our tags are articles.Tag; taggit's own tag table is unused and would only confuse editors.
if admin.site.is_registered(taggit.models.Tag):
    admin.site.unregister(taggit.models.Tag)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "user"]
    list_filter = ["kind"]
    search_fields = ["name", "bio"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # Linking an author to a login is for those who manage users.
        return [] if request.user.has_perm("auth.change_user") else ["user"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "path"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]

    def get_queryset(self, request):
        # Each category reads as its full path, here and in autocomplete results.
        return super().get_queryset(request).with_ancestry()


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
