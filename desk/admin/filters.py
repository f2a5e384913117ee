"""The article list's filters.

Categories (~95 paths) and authors (thousands of sources) are too many to
list: their filters are a search box using the admin's own autocomplete (the
one the change form's category and author fields use), and the list keeps
only the chosen one in its query string.
"""

from django.contrib import admin

from content.models import Article, Author, Category
from content.queries import in_category


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"
    querysets = {
        Article.State.DRAFT: "drafts",
        Article.State.SCHEDULED: "scheduled",
        Article.State.PUBLISHED: "published",
    }

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() in self.querysets:
            return getattr(queryset, self.querysets[self.value()])()
        return queryset


class FilledFilter(admin.SimpleListFilter):
    """Articles whose ``field`` is filled in ("yes") or blank ("no")."""

    field = ""
    labels = ("", "")  # for yes and no

    def lookups(self, request, model_admin):
        return list(zip(("yes", "no"), self.labels, strict=True))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(**{self.field: ""})
        if self.value() == "no":
            return queryset.filter(**{self.field: ""})
        return queryset


class JunkFilter(FilledFilter):
    """Imported posts kept as drafts because they look like stubs (see ``records.junk_reason``)."""

    title = "疑似空文"
    parameter_name = "junk"
    field = "junk_reason"
    labels = ("疑似空文", "正常")


class PinnedFilter(admin.SimpleListFilter):
    title = "头条"
    parameter_name = "pinned"

    def lookups(self, request, model_admin):
        return [("yes", "置顶中")]

    def queryset(self, request, queryset):
        return queryset.pinned() if self.value() == "yes" else queryset


class HeadImageFilter(FilledFilter):
    title = "头图"
    parameter_name = "head_image"
    field = "head_image"
    labels = ("有头图", "无头图")


class SearchingFilter(admin.SimpleListFilter):
    """A filter on one related row, picked in a search box (``list-filters.js``).

    ``field_name`` is the article field whose autocomplete answers the search;
    the only choice listed is the one in force, so the filter costs a query
    only while it is used."""

    template = "admin/articles/searching_filter.html"
    field_name = ""
    model = None
    placeholder = ""

    def lookups(self, request, model_admin):
        chosen = self.chosen()
        return [(str(chosen.pk), str(chosen))] if chosen else []

    def has_output(self):
        return True  # the search box, even with nothing chosen

    def chosen(self):
        if not hasattr(self, "_chosen"):
            value = self.value()
            rows = self.rows()
            self._chosen = rows.filter(pk=value).first() if value and value.isdigit() else None
        return self._chosen

    def rows(self):
        return self.model.objects.all()

    def queryset(self, request, queryset):
        chosen = self.chosen()
        return queryset.filter(**{self.field_name: chosen}) if chosen else queryset

    def choices(self, changelist):
        chosen = self.chosen()
        yield {
            "parameter": self.parameter_name,
            "field_name": self.field_name,
            "placeholder": self.placeholder,
            "chosen": chosen,
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }


class CategoryFilter(SearchingFilter):
    title = "分类"
    parameter_name = "category"
    field_name = "categories"
    model = Category
    placeholder = "搜索分类…"

    def rows(self):
        return Category.objects.with_ancestry()

    def queryset(self, request, queryset):
        """Articles filed under the category or any below it."""
        chosen = self.chosen()
        return in_category(queryset, chosen) if chosen else queryset


class AuthorFilter(SearchingFilter):
    title = "作者或来源"
    parameter_name = "author"
    field_name = "author"
    model = Author
    placeholder = "搜索作者或来源…"
