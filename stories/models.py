"""A story and its members, and what detection keeps to find them again: each
article's signature and its LSH band rows (see ``stories.signatures``).

Every article detection has seen belongs to exactly one story, alone or with
its copies; articles it has not seen yet (before ``cluster_stories`` runs on
an old archive) have none, and readers see them as they always did.
"""

from collections.abc import Collection

from django.conf import settings
from django.db import connections, models, router

from content.models import Article


class Story(models.Model):
    """The copies of one story. The counts and dates are kept by
    ``stories.detection.refresh`` whenever a member joins or leaves."""

    lead = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="主稿"
    )
    # An editor chose the lead: detection keeps it for as long as it is a member.
    lead_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="指定主稿的编辑",
    )
    article_count = models.PositiveIntegerField("文章数", default=0)
    source_count = models.PositiveIntegerField("媒体数", default=0)
    first_published_at = models.DateTimeField("最早发布", null=True, blank=True)
    last_published_at = models.DateTimeField("最新发布", null=True, blank=True)
    # Every member as a list card names it (id, slug, source, author_id, published,
    # published_at), first published first: cards read it with their own row, no query.
    copies = models.JSONField("成员摘要", default=list, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)  # a member joined or left, the lead changed

    class Meta:
        verbose_name = verbose_name_plural = "报道"
        indexes = [
            # The API's list, newest first, and the desk's today.
            models.Index(fields=["-last_published_at", "-id"], name="story_newest"),
        ]

    def __str__(self):
        return f"报道 {self.pk}（{self.source_count} 家媒体）"


class StoryMember(models.Model):
    """An article's place in its story. ``is_lead`` is kept with ``Story.lead``
    so that lists hide the other members off this table's primary key."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="story_membership", verbose_name="文章"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="members", verbose_name="报道")
    is_lead = models.BooleanField("主稿", default=False)
    # An editor put it here (merged, taken out): detection never moves it again.
    placed_by_editor = models.BooleanField("编辑指定", default=False)
    similarity = models.FloatField("相似度", null=True, blank=True)  # with the article it matched on joining

    class Meta:
        verbose_name = verbose_name_plural = "报道成员"

    def __str__(self):
        return f"{self.article_id} in {self.story_id}"


class Fingerprint(models.Model):
    """An article's MinHash signature as last detected; none when its text is
    too short to tell a story by (it then stays a story of its own)."""

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE, related_name="+")
    signature = models.BinaryField(null=True)
    shingles = models.PositiveIntegerField(default=0)
    dated_at = models.DateTimeField()  # published_at, or created_at while undated

    class Meta:
        # An article older than the band rows kept is compared with its window's fingerprints.
        indexes = [models.Index(fields=["dated_at"], name="story_fingerprint_date")]

    def __str__(self):
        return f"fingerprint of {self.article_id}"


def insert(row: models.Model) -> None:
    """INSERT ``row`` (a model whose primary key is given, such as an article's
    fingerprint or membership) in a statement written out here: ``create``
    spends longer compiling it (about 0.5 ms) than the database spends storing
    it, and detection writes two such rows for every article it files."""
    connection = connections[router.db_for_write(type(row))]
    fields = row._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {row._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(values))})", values
        )


class BandQuerySet(models.QuerySet):
    def add(self, article_id: int, keys: Collection[int], dated_at) -> None:
        """Insert one article's band rows in a single statement written out
        here: ``bulk_create`` spends longer compiling its 42 rows (about 1.5 ms)
        than the database spends storing them, on every article filed. The
        article and date are passed once, not once per row: psycopg parses a
        statement of more than 50 parameters again on every call (0.6 ms)."""
        if not keys:
            return
        connection = connections[self.db]
        dated_at = connection.ops.adapt_datetimefield_value(dated_at)
        columns = ", ".join(connection.ops.quote_name(name) for name in ("key", "article_id", "dated_at"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.model._meta.db_table} ({columns}) SELECT keys.column1, %s, %s FROM (VALUES "
                + ", ".join(["(%s)"] * len(keys))
                + ") AS keys",
                [article_id, dated_at, *keys],
            )


class Band(models.Model):
    """One LSH band key of an article's signature (``signatures.BANDS`` per
    article). A new article's candidates are the rows with its keys in its
    date window: one index range per key, a bounded read at any size. Only the
    articles of the last ``STORIES_BANDS_KEPT_DAYS`` keep theirs (see
    ``stories.detection.prune_bands``): the table holds a few weeks, not the archive."""

    key = models.BigIntegerField()
    # Indexed by the unique constraint, which starts with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    dated_at = models.DateTimeField()

    objects = BandQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["key", "dated_at"], name="story_band_key_date"),
            models.Index(fields=["dated_at"], name="story_band_date"),  # pruning the oldest
        ]
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="story_band_unique")]

    def __str__(self):
        return f"{self.key} → {self.article_id}"
