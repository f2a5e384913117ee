"""The rows category and tag pages are read from, kept right on every write.

A category page lists everything filed under the category or below it, and a
tag page everything tagged; both newest first. With a million articles,
finding "the newest 20" by joining the link tables to the articles and
sorting costs a scan of every article in the category. Instead each article
has a ``CategoryListing`` row per category it is listed under (its own and
their ancestors) and its ``TaggedArticle`` rows, both carrying a copy of its
publish date (NULL unless it is marked published), so a page reads the first
rows of one index, ``(category or tag, published_at DESC, article DESC)``.

``CategoryListing.objects.refresh(ids)`` brings the rows of some articles up
to date; the write path (``content.changes``) calls it for each article
written, after its categories and tags are in place, inside the writer's
transaction. ``rebuild()`` does every article at once (after a bulk load).
Both are a few set-based statements, the same on PostgreSQL and SQLite.
"""

from collections.abc import Iterable

from django.db import connection, models, transaction

CHUNK = 500  # article ids per statement: well under SQLite's limit on parameters


class ListingManager(models.Manager):
    """``CategoryListing.objects``: the rows' one writer. It reads the related
    models off its own fields, so the models module can use it without this
    module importing them."""

    def refresh(self, article_ids: Iterable[int]) -> None:
        """Rebuild the listing rows of these articles (missing ids are ignored)."""
        ids = sorted(set(article_ids))
        with transaction.atomic():
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                self.filter(article_id__in=chunk).delete()
                self._write(f"a.id IN ({marks})", chunk)

    def rebuild(self) -> None:
        """Rebuild the listing rows of every article."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.model._meta.db_table}")
            self._write("1 = 1", [])

    def refresh_category(self, category) -> None:
        """After a category moves, its articles are listed under other ancestors."""
        self.refresh(self.filter(category=category).values_list("article_id", flat=True))

    def _write(self, where: str, params: list) -> None:
        Article = self.model._meta.get_field("article").related_model
        Category = self.model._meta.get_field("category").related_model
        TaggedArticle = Article._meta.get_field("tags").remote_field.through
        article, filed = Article._meta.db_table, Article.categories.through._meta.db_table
        category, listing, tagged = Category._meta.db_table, self.model._meta.db_table, TaggedArticle._meta.db_table
        live_date = "CASE WHEN a.status = %s THEN a.published_at END"
        published = Article.Status.PUBLISHED
        with connection.cursor() as cursor:
            # Each category an article is filed under, and every ancestor (a path
            # prefix) of those: the small category × ancestor table first, then one
            # equality join with the link rows.
            lines = (
                f"SELECT c.id AS category_id, above.id AS above_id FROM {category} c JOIN {category} above "
                "ON above.id = c.id OR substr(c.path, 1, length(above.path) + 1) = above.path || '/'"
            )
            cursor.execute(
                f"INSERT INTO {listing} (category_id, article_id, published_at) "
                f"SELECT DISTINCT lines.above_id, a.id, {live_date} FROM {article} a "
                f"JOIN {filed} f ON f.article_id = a.id JOIN ({lines}) lines ON lines.category_id = f.category_id "
                f"WHERE {where}",
                [published, *params],
            )
            cursor.execute(
                f"UPDATE {tagged} SET published_at = {live_date} FROM {article} a "
                f"WHERE a.id = {tagged}.content_object_id AND {where}",
                [published, *params],
            )
