"""What the reader's site does when content changes, once the change has committed
(``content.signals``): the pages showing it are forgotten and 热门 is counted again."""

from content.signals import articles_changed, names_changed
from reader import most_read
from reader.caching import forget, forget_articles, forget_site, forget_story_articles
from search.signals import documents_indexed
from stories.signals import stories_changed


def forget_article_pages(sender, articles, deleted=False, **kwargs):
    """The pages showing these articles are stale; other pages stay cached."""
    forget_articles(articles, deleted=deleted)


def forget_all_pages(sender, created=False, **kwargs):
    """An author, category or tag renamed or deleted shows on most pages; a new
    one shows nowhere until an article using it is announced."""
    if not created:
        forget_site()


def forget_story_pages(sender, articles, **kwargs):
    """Articles joined, left or now lead a story: the pages showing them name other sources."""
    forget_story_articles(articles)


def forget_search_pages(sender, **kwargs):
    """The worker indexed articles whose change was announced before: search pages may find them now."""
    forget(["search"])


def most_read_stale(sender, **kwargs):
    """An article changed (renamed, unpublished): 热门 is computed again at the next read."""
    most_read.mark_stale()


def connect() -> None:
    articles_changed.connect(forget_article_pages, dispatch_uid="reader-pages-articles")
    articles_changed.connect(most_read_stale, dispatch_uid="most-read-articles")
    names_changed.connect(forget_all_pages, dispatch_uid="reader-pages-names")
    stories_changed.connect(forget_story_pages, dispatch_uid="reader-pages-stories")
    documents_indexed.connect(forget_search_pages, dispatch_uid="reader-pages-search")
