"""Search documents follow their articles: rebuilt once a change has committed
(``content.signals``); a deleted article's document goes with it (cascade)."""

from content.signals import articles_changed
from search.documents import index


def index_changed(sender, articles, deleted=False, **kwargs) -> None:
    if not deleted:
        index(article.pk for article in articles)


def connect() -> None:
    articles_changed.connect(index_changed, dispatch_uid="search-documents")
