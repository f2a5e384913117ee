"""Forget cached reader pages whenever what they show changes.

Connected in ``ArticlesConfig.ready()`` so that saves from the admin, the
import command and the shell all count, not only those in a web process.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.caching import forget_reader_pages
from articles.models import Article, ArticleSource, Author, Category, Tag


def content_changed(sender, **kwargs):
    forget_reader_pages()


# An ArticleSource is saved when the importer merges a twin post into an
# existing article, filing it under more categories without saving the article.
for model in (Article, ArticleSource, Author, Category, Tag):
    post_save.connect(content_changed, sender=model, dispatch_uid=f"reader-pages-save-{model.__name__}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"reader-pages-delete-{model.__name__}")

# Filing an article under a category or tagging it saves neither model.
for through in (Article.categories.through, Article.tags.through):
    m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"reader-pages-m2m-{through.__name__}")
