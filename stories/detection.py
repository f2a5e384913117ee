"""Filing articles into stories, by near-duplicate text (``stories.signatures``).

:func:`detect` files each article: its signature and band rows are written
again (when its text or date changed), then its candidates are the articles
sharing a band key within ``STORIES_WINDOW_DAYS`` of its date (one index range
per key, at most ``reads.MAX_CANDIDATES`` rows), whose stored signatures are read in
one more query. The best match at or above the threshold decides: the article
joins that match's story, or else it is a story of its own. So a new article
costs the same few reads however many articles there are.

Two bodies are one story when their estimated Jaccard similarity reaches
``STORIES_THRESHOLD``, or when one is mostly contained in the other (an outlet
cut paragraphs): containment is estimated from the similarity and the two
shingle counts, and trusted only above half the threshold, where the estimate
is no longer noise.

An editor's decisions stand: an article an editor placed (merged, took out)
is never moved, and a lead an editor chose stays while it is a member.

Band rows are only needed while an article may be a candidate, so only the
articles of the last ``STORIES_BANDS_KEPT_DAYS`` (the window and a margin)
keep them: :func:`detect` prunes older rows after its commit, a bounded batch
at most once a minute per process (no scheduler needed: rows expire as fast as
articles arrive, and a batch a minute keeps up with 170,000 articles a day), and
``cluster_stories`` prunes behind its front as it files an old archive (while
it runs, it alone prunes: see ``stories.archive``). An article dated before
its window's band rows are kept (an old article edited, an import of old
posts) is compared instead with every stored signature of its window (at most
``MAX_SCANNED``: a few thousand at a week's window, not only those sharing a
band key) and writes no band rows: it keeps or changes its story as a new
article would, at the cost of one longer read.
"""

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import attrgetter

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from content.models import Article
from newsroom.pipelining import pipelined
from stories import reads
from stories.models import Band, Fingerprint, Story, StoryMember, insert
from stories.signals import stories_changed
from stories.signatures import Signature, signature, stored_values

logger = logging.getLogger(__name__)

# Stored signatures compared at most with an article older than the band rows kept.
MAX_SCANNED = 20_000
# Band rows deleted at most by one pruning statement, and how often (seconds) a process prunes.
PRUNE_BATCH = 5_000
PRUNE_INTERVAL = 60.0
# Set (in the cache) while ``cluster_stories`` files an archive: it prunes behind its own front.
ARCHIVE_FILING = "stories:filing-archive"
# One is "mostly contained" in the other when this share of its shingles is in it.
CONTAINMENT = 0.8
# What ``stories_changed`` receivers may read of each article without a query.
TOLD = ("pk", "author_id", "published_at")


@dataclass(frozen=True)
class Match:
    article_id: int
    story_id: int | None
    score: float
    # What its story keeps (lead, who chose it, copies) when the candidates' read brought it.
    story: Story | None = None


def same_story_scores(found: Signature, stored: np.ndarray, shingles: np.ndarray) -> np.ndarray:
    """How sure we are that ``found`` tells the story of each stored signature
    (rows of ``stored``, with their ``shingles`` counts), 0 where it does not:
    their similarity, or the containment of the shorter in the longer. All at
    once: hundreds of candidates, compared one by one, cost milliseconds."""
    threshold = settings.STORIES_THRESHOLD
    similarity = found.similarities(stored)
    shared = similarity * (found.shingles + shingles) / (1 + similarity)
    containment = np.minimum(shared / np.minimum(found.shingles, shingles), 1.0)
    contained = (similarity >= threshold / 2) & (containment >= CONTAINMENT)
    return np.where((similarity >= threshold) | contained, similarity, 0.0)


def detect(article_ids: Iterable[int], horizon: dt.datetime | None = None) -> int:
    """File these articles into stories, oldest first; returns how many were
    looked at. Each article is its own transaction (a savepoint inside a
    caller's): one that fails is logged and the others go on. The stories
    that changed are announced together once committed. Band rows are kept
    from ``horizon`` on (default: :func:`band_horizon`)."""
    horizon = horizon or band_horizon()
    done, changed, own_transactions = 0, {}, not transaction.get_connection().in_atomic_block
    for article in reads.articles_to_file(list(article_ids)):  # with what is stored of each (see remember)
        try:
            with filing_transaction(own_transactions):
                changed.update(detect_one(article, horizon))
        except Exception:
            logger.exception("story detection failed for article %s", article.pk)
        done += 1
    # Once for them all (an archive batch: once per batch), with the members read when refreshing.
    transaction.on_commit(partial(tell, [article for members in changed.values() for article in members]))
    transaction.on_commit(prune_now_and_then)
    return done


@contextmanager
def filing_transaction(own: bool) -> Iterator[None]:
    """One article's transaction (``own``) or savepoint in a caller's, its
    statements pipelined (``newsroom.pipelining``): filing costs a round trip
    per read, not one per statement. Its own transaction commits inside the
    pipeline, its last writes and the COMMIT together, without waiting for
    the disk; a savepoint's statements are all sent before it is released,
    so an error rolls back this article alone."""
    if own:
        with pipelined(), transaction.atomic():
            commit_without_waiting_for_the_disk()
            yield
    else:
        with transaction.atomic(), pipelined():
            yield


def commit_without_waiting_for_the_disk() -> None:
    """PostgreSQL: this transaction commits without waiting for its WAL flush
    (a few ms on a busy disk; asynchronous commit). What detection writes is
    derived from an article that has already committed durably: a database
    crash may lose the last fraction of a second's filing (never corrupt it),
    and those articles, unfiled, are filed by ``cluster_stories``."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def band_horizon(front: dt.datetime | None = None) -> dt.datetime:
    """The date from which articles keep their band rows: ``STORIES_BANDS_KEPT_DAYS``
    before now (or before an archive run's ``front``, when earlier)."""
    now = timezone.now()
    return min(front or now, now) - dt.timedelta(days=settings.STORIES_BANDS_KEPT_DAYS)


def prune_bands(before: dt.datetime, limit: int = PRUNE_BATCH) -> int:
    """Delete at most ``limit`` band rows of articles dated before ``before``; returns how many."""
    oldest = Band.objects.filter(dated_at__lt=before).values("pk")[:limit]
    deleted, _ = Band.objects.filter(pk__in=oldest).delete()
    return deleted


_next_prune = 0.0  # when this process prunes next (time.monotonic)


def prune_now_and_then() -> None:
    """After a commit: one bounded batch of expired band rows, at most once per
    ``PRUNE_INTERVAL`` in this process, unless an archive run is pruning."""
    global _next_prune
    if time.monotonic() < _next_prune:
        return
    _next_prune = time.monotonic() + PRUNE_INTERVAL
    try:
        if not cache.get(ARCHIVE_FILING):
            prune_bands(band_horizon())
    except Exception:
        logger.exception("could not prune story band rows")


def detect_one(article: Article, horizon: dt.datetime) -> dict[int, list[Article]]:
    """File one article; returns the stories that changed, with their members."""
    found, dated = signature(article.body), article.published_at or article.created_at
    # Filed and fingerprinted go together (one transaction): an article never filed has no story.
    membership = StoryMember.objects.filter(article=article).first() if article.filed else None
    stored_again = remember(article, found, dated, banded=dated >= horizon)
    if membership is not None and (membership.placed_by_editor or not stored_again):
        # It stays; its story-mates' pages still show it as it is now (unpublished, renamed).
        return refreshed([membership.story_id])
    match = best_match(article, found, dated, horizon) if found is not None else None
    target = (match.story_id or story_of(match.article_id)) if match else None
    if membership is None and target is not None:
        return join(article, target, match.score, match.story if match.story_id == target else None)
    if membership is None:
        start_story(article)
        return {}  # no page names other sources for it; its own were forgotten with its change
    if membership.story_id == target or (target is None and alone(membership)):
        return refreshed([membership.story_id])
    before = membership.story_id
    after = target or Story.objects.create().pk
    # is_lead: not until its new story's refresh makes it the lead. An update, not save(): see filing_transaction.
    StoryMember.objects.filter(pk=membership.pk).update(
        story_id=after, similarity=match.score if match else None, is_lead=False
    )
    return refreshed([before, after], also=after)


def start_story(article: Article) -> Story:
    """A story of its own, written whole (nothing to count)."""
    story = Story.objects.create(**summarise(Story(lead=article), [article]))
    insert(StoryMember(article=article, story=story, is_lead=True))
    return story


def join(article: Article, story_id: int, similarity: float, story: Story | None) -> dict[int, list[Article]]:
    """Put ``article`` in the story; its pages show the others now. When what
    the story keeps came with the match (``story``), the story is written from
    its copies and this article, with no read: the membership, the story and
    the commit go to the database together."""
    insert(StoryMember(article=article, story_id=story_id, similarity=similarity))
    if story is None:
        return refreshed([story_id])
    members = sorted([*copied_members(story), article], key=first_published_first)
    keep(story, members)
    return {story_id: members}


def copied_members(story: Story) -> list[Article]:
    """A story's members as its copies describe them: enough to summarise the
    story (``status`` stands for whether it is published) and to tell which
    pages show them."""
    members = []
    for copy in story.copies:
        published_at = dt.datetime.fromisoformat(copy["published_at"]) if copy["published_at"] else None
        status = Article.Status.PUBLISHED if copy["published"] else Article.Status.DRAFT
        member = Article(pk=copy["id"], slug=copy["slug"], author_id=copy["author_id"], status=status)
        member.published_at, member.source_name = published_at, copy["source"]
        members.append(member)
    return members


def first_published_first(article: Article) -> tuple:
    """The order a story's members are read in (undated last, as PostgreSQL sorts them)."""
    return (article.published_at is None, article.published_at or dt.datetime.min.replace(tzinfo=dt.UTC), article.pk)


def remember(article: Article, found: Signature | None, dated: dt.datetime, banded: bool) -> bool:
    """Store the article's signature and (when ``banded``) band rows; False when
    they were already stored (``article`` comes with what is stored of it:
    see ``reads.articles_to_file``)."""
    data = found.to_bytes() if found is not None else None
    fields = {"signature": data, "shingles": found.shingles if found else 0, "dated_at": dated}
    if not article.filed:
        insert(Fingerprint(article=article, **fields))
    elif article.stored_date_unchanged and _bytes(article.stored_signature) == data:
        return False
    else:
        Fingerprint.objects.filter(article=article).update(**fields)
        Band.objects.filter(article=article).delete()
    if found is not None and banded:
        Band.objects.add(article.pk, set(found.band_keys()), dated)
    return True


def _bytes(value) -> bytes | None:
    return bytes(value) if value is not None else None  # PostgreSQL gives a memoryview


def best_match(article: Article, found: Signature, dated: dt.datetime, horizon: dt.datetime) -> Match | None:
    """The stored article most surely telling the same story, within the window,
    with its story: one query."""
    found_candidates = candidates(article, found, dated, horizon)
    if not found_candidates:
        return None
    ids, story_ids, stored, shingles, *_ = zip(*found_candidates, strict=True)
    scores = same_story_scores(found, stored_values(stored), np.array(shingles))
    best = max(range(len(ids)), key=lambda n: (scores[n], -ids[n]))
    if scores[best] <= 0:
        return None
    _, story_id, _, _, copies, lead_id, lead_chosen_by_id = found_candidates[best]
    story = reads.story_as_kept(story_id, lead_id, lead_chosen_by_id, copies) if copies is not None else None
    return Match(ids[best], story_id, float(scores[best]), story)


def candidates(article: Article, found: Signature, dated: dt.datetime, horizon: dt.datetime) -> list[tuple]:
    """``(article id, story id, signature, shingles, story copies, story lead id,
    story lead chosen by)`` to compare with: those sharing a band key within
    the window (``reads.candidates``), or, when the window starts before the
    band rows kept, every one dated within it (without what their story keeps:
    thousands of rows)."""
    window = dt.timedelta(days=settings.STORIES_WINDOW_DAYS)
    dates = (dated - window, dated + window)
    if dates[0] >= horizon:
        return reads.candidates(article.pk, found.band_keys(), dates)
    stored = Fingerprint.objects.filter(dated_at__range=dates, signature__isnull=False).exclude(article=article)
    story = StoryMember.objects.filter(article=OuterRef("article")).values("story_id")
    rows = stored.values_list("article_id", Subquery(story), "signature", "shingles")[:MAX_SCANNED]
    return [(*row, None, None, None) for row in rows]


def story_of(article_id: int) -> int:
    """A story for a matched article that has none (filed before its membership
    was written, or by a run that stopped): a story of its own."""
    [article] = reads.summaries([article_id])
    return start_story(article).pk


def alone(membership: StoryMember) -> bool:
    return not StoryMember.objects.filter(story_id=membership.story_id).exclude(pk=membership.pk).exists()


def refresh(story_ids: Iterable[int]) -> set[int]:
    """Bring these stories' lead, counts and dates up to date (an empty one
    goes); returns the ids of those that changed, for :func:`announce`."""
    return refresh_members(story_ids)[0]


def refreshed(story_ids: list[int], also: int | None = None) -> dict[int, list[Article]]:
    """Refresh these stories; those that changed, and ``also`` (or the first
    when none is given) whatever happened, with their members (for :func:`tell`)."""
    changed, members = refresh_members(story_ids)
    return {pk: members.get(pk, []) for pk in changed | {story_ids[0] if also is None else also}}


def refresh_members(story_ids: Iterable[int]) -> tuple[set[int], dict[int, list[Article]]]:
    """:func:`refresh`, with the members of every story it read."""
    wanted = set(story_ids)
    stories = {story.pk: (story, members) for story, members in members_of(wanted)}
    gone = wanted - stories.keys()  # no member left (or gone already)
    if gone:
        Story.objects.filter(pk__in=gone).delete()
    changed, read = set(gone), {pk: members for pk, (_, members) in stories.items()}
    changed |= {story.pk for story, members in stories.values() if keep(story, members)}
    return changed, read


def keep(story: Story, members: list[Article]) -> bool:
    """Write what ``story`` keeps of ``members`` (first published first) if it
    changed; returns whether it did."""
    summary = summarise(story, members)
    if summary["lead_id"] == story.lead_id and summary["copies"] == story.copies:
        return False  # the counts and dates follow from the copies
    Story.objects.filter(pk=story.pk).update(**summary, updated_at=timezone.now())  # compiles faster than save()
    if summary["lead_id"] != story.lead_id:
        StoryMember.objects.filter(story=story, is_lead=True).update(is_lead=False)
        StoryMember.objects.filter(article_id=summary["lead_id"]).update(is_lead=True)
    return True


def members_of(story_ids: set[int]) -> Iterator[tuple[Story, list[Article]]]:
    """Each of these stories with at least one member, with its members
    (first published first): one query. The story holds what refreshing
    reads of it: its lead, who chose it, and its copies."""
    for story_id, group in groupby(reads.members(sorted(story_ids)), key=attrgetter("member_of")):
        members = list(group)
        kept = members[0]
        yield (
            reads.story_as_kept(story_id, kept.story_lead_id, kept.story_lead_chosen_by_id, kept.story_copies),
            members,
        )


def summarise(story: Story, members: list[Article]) -> dict:
    """What a story keeps of its members (first published first): its lead,
    counts, dates and the copies a list card names."""
    dates = [article.published_at for article in members if article.published_at]
    return {
        "lead_id": _lead(story, members).pk,
        "article_count": len(members),
        "source_count": len({article.author_id for article in members}),
        "first_published_at": min(dates, default=None),
        "last_published_at": max(dates, default=None),
        "copies": [
            {
                "id": article.pk,
                "slug": article.slug,
                "source": article.source_name,
                "author_id": article.author_id,
                "published": article.status == Article.Status.PUBLISHED,
                "published_at": article.published_at.astimezone(dt.UTC).isoformat() if article.published_at else None,
            }
            for article in members
        ],
    }


def _lead(story: Story, members: list[Article]) -> Article:
    """The editor's choice while it is a member; else the earliest live member
    (readers must be able to open the card), else the earliest."""
    chosen = next((article for article in members if article.pk == story.lead_id), None)
    if story.lead_chosen_by_id and chosen is not None:
        return chosen
    far_future = timezone.now() + dt.timedelta(days=36500)

    def order(article: Article):
        return (not article.is_live, article.published_at or article.created_at or far_future, article.pk)

    return min(members, key=order)


def announce(story_ids: set[int]) -> None:
    """Tell the other apps which articles' story changed (after commit)."""
    if story_ids:
        tell(list(Article.objects.filter(story_membership__story_id__in=story_ids).only(*TOLD)))


def tell(articles: list[Article]) -> None:
    """Tell the other apps these articles' story changed (after commit), each
    once, with at least the fields ``TOLD``: the members detection has just
    read, so no receiver reads them again."""
    articles = sorted({article.pk: article for article in articles}.values(), key=attrgetter("pk"))
    if not articles:
        return
    for receiver, outcome in stories_changed.send_robust(sender=Story, articles=articles):
        if isinstance(outcome, Exception):
            logger.error("%s failed after a story changed", receiver.__qualname__, exc_info=outcome)
