"""Background work on articles, queued from the admin (and ``rebuild_search
--enqueue``) and run by the worker (``run_worker``; see README "Background work")."""

from django.db import transaction
from django_tasks import task

from articles.body_repairs import size_local_images
from articles.importing.downloads import ImageFetcher
from articles.media import with_renditions
from articles.models import Article
from articles.rendering import RenderedBody
from articles.search.documents import rebuild


@task()
def rebuild_search_documents(article_ids: list[int] | None = None, batch_size: int = 2000) -> int:
    """Rebuild the search documents of these articles (every article when None); returns how many."""
    return sum(rebuild(batch_size, article_ids))


@task()
def download_remote_images(article_id: int) -> list[str]:
    """Copy the article's remote images into media storage and point its body,
    head image and thumbnail at the copies, as ``import_posts --download-images``
    does; an image that fails keeps its remote URL. Returns the warnings."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return [f"article {article_id} no longer exists"]
    images = ImageFetcher().localise_images(article.body, article.head_image, article.thumbnail, article.title)
    if not images.urls:
        return images.warnings
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article_id)
        if current.body != article.body:  # an editor saved meanwhile: their body wins
            return [*images.warnings, "the body changed while downloading; queue it again"]
        # The source keeps the remote addresses, as an import's does; the stored body points at the copies.
        body_html = with_renditions(size_local_images(images.localise_html(current.body)))
        current.render(RenderedBody(html=body_html, excerpt=current.excerpt))
        current.head_image = images.urls.get(current.head_image, current.head_image)
        current.thumbnail = images.thumbnail or images.urls.get(current.thumbnail, current.thumbnail)
        current.save()
    return images.warnings
