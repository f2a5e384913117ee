"""Filing an existing archive into stories (``manage.py cluster_stories``).

Articles are taken oldest first, so that each one's window already holds the
earlier copies it may join (and the first outlet's copy leads), by keyset on
the date index: a batch costs the same at the start and at the millionth
article. Articles already filed (a fingerprint stored) are skipped, which makes
an interrupted run resumable: run it again and it carries on (a batch is one
transaction, so at most one batch is filed again).
"""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Q

from content.models import Article
from stories.detection import detect
from stories.models import Fingerprint


def unfiled(batch_size: int) -> Iterator[list[int]]:
    """The ids of articles not filed yet, a batch at a time: dated ones by date, then undated ones."""
    dated = Article.objects.filter(published_at__isnull=False).order_by("published_at", "pk")
    last = None
    while True:
        page = dated.filter(Q(published_at__gt=last[0]) | Q(published_at=last[0], pk__gt=last[1])) if last else dated
        rows = list(page.values_list("published_at", "pk")[:batch_size])
        if not rows:
            break
        last = rows[-1]
        yield _not_filed([pk for _, pk in rows])
    undated = Article.objects.filter(published_at__isnull=True).order_by("pk")
    last_pk = 0
    while rows := list(undated.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size]):
        last_pk = rows[-1]
        yield _not_filed(rows)


def _not_filed(ids: list[int]) -> list[int]:
    filed = set(Fingerprint.objects.filter(article_id__in=ids).values_list("article_id", flat=True))
    return [pk for pk in ids if pk not in filed]


def file_archive(batch_size: int = 500) -> Iterator[int]:
    """File every article not filed yet; yields how many each batch filed. A
    batch is one transaction (each article a savepoint in it): one commit per
    batch rather than per article."""
    for batch in unfiled(batch_size):
        with transaction.atomic():
            filed = detect(batch) if batch else 0
        yield filed


def unfiled_count() -> int:
    return Article.objects.count() - Fingerprint.objects.count()
