"""Filing an existing archive into stories (``manage.py cluster_stories``).

Articles are taken oldest first, so that each one's window already holds the
earlier copies it may join (and the first outlet's copy leads), by keyset on
the date index: a batch costs the same at the start and at the millionth
article. Articles already filed (a fingerprint stored) are skipped, which makes
an interrupted run resumable: run it again and it carries on (a batch is one
transaction, so at most one batch is filed again).

Band rows are written for every article filed and pruned behind the front
(``STORIES_BANDS_KEPT_DAYS`` before the batch's first date): the table never
holds more than the kept days, and each batch's windows are whole. While a run
goes on it alone prunes (a flag in the cache): live detection, pruning before
now, would take the rows the run's next batches compare with.
"""

import datetime as dt
from collections.abc import Iterator

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from content.models import Article
from stories.detection import ARCHIVE_FILING, PRUNE_BATCH, band_horizon, detect, prune_bands
from stories.models import Fingerprint


def unfiled(batch_size: int) -> Iterator[tuple[list[int], dt.datetime | None]]:
    """The ids of articles not filed yet, a batch at a time, with the batch's
    first date: dated ones by date, then undated ones (None: they are recent)."""
    dated = Article.objects.filter(published_at__isnull=False).order_by("published_at", "pk")
    last = None
    while True:
        page = dated.filter(Q(published_at__gt=last[0]) | Q(published_at=last[0], pk__gt=last[1])) if last else dated
        rows = list(page.values_list("published_at", "pk")[:batch_size])
        if not rows:
            break
        last = rows[-1]
        yield _not_filed([pk for _, pk in rows]), rows[0][0]
    undated = Article.objects.filter(published_at__isnull=True).order_by("pk")
    last_pk = 0
    while rows := list(undated.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size]):
        last_pk = rows[-1]
        yield _not_filed(rows), None


def _not_filed(ids: list[int]) -> list[int]:
    filed = set(Fingerprint.objects.filter(article_id__in=ids).values_list("article_id", flat=True))
    return [pk for pk in ids if pk not in filed]


def file_archive(batch_size: int = 500) -> Iterator[int]:
    """File every article not filed yet; yields how many each batch filed. A
    batch is one transaction (each article a savepoint in it): one commit per
    batch rather than per article."""
    try:
        for batch, front in unfiled(batch_size):
            cache.set(ARCHIVE_FILING, True, timeout=600)  # a batch takes seconds; a crashed run's flag expires
            horizon = band_horizon(front)
            with transaction.atomic():
                filed = detect(batch, horizon) if batch else 0
            while prune_bands(horizon) == PRUNE_BATCH:
                pass
            yield filed
    finally:
        cache.delete(ARCHIVE_FILING)


def unfiled_count() -> int:
    return Article.objects.count() - Fingerprint.objects.count()
