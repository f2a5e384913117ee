"""Reader pages: thin views over ``Article.objects.published()``."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from articles.models import Article, Author, Category, Tag


class PublishedArticleListMixin:
    """Paginated article cards, newest first, readers' articles only."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticleListMixin, ListView):
    template_name = "articles/home.html"


class CategoryView(PublishedArticleListMixin, ListView):
    """A category and everything filed under its sub-categories."""

    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category.objects.select_related("parent__parent"), path=self.kwargs["path"])
        subtree = Category.objects.filter(path__startswith=f"{self.category.path}/") | Category.objects.filter(
            pk=self.category.pk
        )
        return super().get_queryset().filter(categories__in=subtree).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagView(PublishedArticleListMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedArticleListMixin, ListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    """One article. Staff who can edit articles also see drafts and scheduled
    ones (a preview), which is never cached."""

    template_name = "articles/detail.html"

    def get_queryset(self):
        articles = Article.objects.for_listing()
        if self.request.user.has_perm("articles.change_article"):
            return articles
        return articles.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_live:
            add_never_cache_headers(response)
        return response
