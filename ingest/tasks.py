"""Background work of the ingest app, run by the worker (``run_worker``; see
README "Background work"): fetching feeds (the admin's "fetch now", so a slow
feed never holds a web request) and copying an article's remote images into
the media library (queued from the admin). The feeds' own tasks live beside
the code that queues them: ``ingest.feeds.fulltext.fetch_full_text`` and
``ingest.feeds.websub.subscribe``."""

from django.db import transaction
from django_tasks import task

from content.models import Article
from ingest.downloads import ImageFetcher
from ingest.feeds.runner import fetch_due, summary


@task()
def fetch_feeds(feed_ids: list[int]) -> str:
    """Fetch these feeds, due or not; their status and errors are recorded on each feed."""
    return summary(list(fetch_due(feed_ids)))


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
        images.point_at_copies(
            current,
            body_html=current.body,
            excerpt=current.excerpt,
            head_image=current.head_image,
            thumbnail=current.thumbnail,
        )
        current.save()
    return images.warnings
