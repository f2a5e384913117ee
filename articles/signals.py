"""What follows a change of content, in one place.

``articles_changed`` is sent once per written article (see ``articles.changes``
for when): by ``Article.save()``, by the importer's bulk path, when categories
or tags are added or removed, and on deletion (``deleted=True``). The receivers
here are connected in ``ArticlesConfig.ready()``, so that writes from the
admin, the importer, feeds and the shell all count. So is the rule that keeps
control characters out of titles and names, whoever saves them.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from articles.caching import forget_articles, forget_site
from articles.text import without_controls

# The fields holding a title, a name or a body source, per model (bodies are the sanitiser's).
TEXT_FIELDS = {
    "Article": ("title", "excerpt", "body_source"),
    "Author": ("name",),
    "Category": ("name",),
    "Tag": ("name",),
}

# sender=Article, articles=[Article, …], deleted=bool
articles_changed = Signal()


def forget_article_pages(sender, articles, deleted=False, **kwargs):
    """The pages showing these articles are stale; other pages stay cached."""
    forget_articles(articles, deleted=deleted)


def forget_all_pages(sender, created=False, **kwargs):
    """An author, category or tag renamed or deleted shows on most pages; a new
    one shows nowhere until an article using it is announced."""
    if not created:
        forget_site()


def refresh_listings(sender, articles, deleted=False, **kwargs):
    """The rows category and tag pages read (deleted articles' rows went with them)."""
    from articles import listings  # it reads the models, which send this signal

    if not deleted:
        listings.refresh(article.pk for article in articles)


def most_read_stale(sender, **kwargs):
    """An article changed (renamed, unpublished): 热门 is computed again at the next read."""
    from articles import most_read  # it reads the models, which import this module

    most_read.mark_stale()


def connect(*listed_models) -> None:
    """Articles announce themselves; the models pages list them by (authors,
    categories, tags) are followed through their own save and delete signals."""
    from articles.search.documents import index_changed  # it needs the models, which import this module

    # Listing rows first: what follows a change may read them.
    articles_changed.connect(refresh_listings, dispatch_uid="listings-articles")
    articles_changed.connect(forget_article_pages, dispatch_uid="reader-pages-articles")
    articles_changed.connect(most_read_stale, dispatch_uid="most-read-articles")
    articles_changed.connect(index_changed, dispatch_uid="search-documents")
    for model in listed_models:
        post_save.connect(forget_all_pages, sender=model, dispatch_uid=f"reader-pages-save-{model.__name__}")
        post_delete.connect(forget_all_pages, sender=model, dispatch_uid=f"reader-pages-delete-{model.__name__}")


def text_without_controls(sender, instance, **kwargs):
    for name in TEXT_FIELDS[sender.__name__]:
        setattr(instance, name, without_controls(getattr(instance, name)))


def keep_controls_out(*models) -> None:
    for model in models:
        pre_save.connect(text_without_controls, sender=model, dispatch_uid=f"text-without-controls-{model.__name__}")
