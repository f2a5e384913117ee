"""Autosave: what an editor has typed but not saved, kept apart from the article.

The change form sends its text every ``AUTOSAVE_SECONDS`` (static/admin/newsroom/autosave.js)
into the editor's own slot for that article (or for a new one); the live
article is never touched. Reopening the form offers to put the text back;
saving the article empties the slot. A slot written in the last
``EDITING_WINDOW`` also tells others who is editing the article now.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

AUTOSAVE_SECONDS = 30
EDITING_WINDOW = dt.timedelta(seconds=3 * AUTOSAVE_SECONDS)
# The form fields an autosave keeps.
KEPT_FIELDS = ("title", "body_format", "body_source", "excerpt")


class AutosavedDraft(models.Model):
    """One editor's unsaved text for one article (``article`` is empty for a new one)."""

    article = models.ForeignKey(
        "articles.Article", null=True, on_delete=models.CASCADE, related_name="autosaves", verbose_name="文章"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="编辑")
    fields = models.JSONField("内容", default=dict)
    saved_at = models.DateTimeField("自动保存时间", auto_now=True)

    class Meta:
        app_label = "articles"
        verbose_name = verbose_name_plural = "自动保存"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_slot_per_editor"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(article__isnull=True), name="autosave_one_new_slot_per_editor"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.fields.get('title', '')}"

    @classmethod
    def keep(cls, user, article_id: int | None, data) -> "AutosavedDraft":
        fields = {name: data.get(name, "") for name in KEPT_FIELDS}
        draft, _ = cls.objects.update_or_create(article_id=article_id, user=user, defaults={"fields": fields})
        return draft

    @classmethod
    def newer_than_article(cls, user, article) -> "AutosavedDraft | None":
        """The editor's slot, if it holds text written after the article was last saved."""
        slot = cls.objects.filter(user=user, article=article).first()
        if slot is None or (article is not None and slot.saved_at <= article.updated_at):
            return None
        return slot

    @classmethod
    def others_editing(cls, user, article) -> list[str]:
        """Who else has autosaved this article within the editing window."""
        recent = cls.objects.filter(article=article, saved_at__gte=timezone.now() - EDITING_WINDOW)
        return sorted({slot.user.get_username() for slot in recent.exclude(user=user).select_related("user")})
