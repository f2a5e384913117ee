"""The search document of an article (see ``search``)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """An article's searchable text, normalised and pre-tokenised (tokens
    separated by spaces), in two fields weighted differently.

    PostgreSQL stores only ``vector``, built from the two token texts as the
    row is written (a GIN index, migration 0013), inline in the row so that
    checking a row needs no extra reads; the token fields stay empty there.
    SQLite leaves ``vector`` empty: an FTS5 table over the two token fields,
    kept in step by triggers, serves it instead.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title_tokens = models.TextField()  # title, source and tags: weighted highest
    body_tokens = models.TextField()  # the visible body text, without addresses
    vector = SearchVectorField(null=True, editable=False)
    # The article's publish date while it is marked published, else empty: a
    # copy that lets this table's own index find the newest matches quickly.
    # The reader's gate stays Article.objects.published().
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "搜索文档"
        indexes = [models.Index(fields=["-published_at", "-article"], name="searchdocument_newest")]

    def __str__(self):
        return f"search document of article {self.article_id}"
