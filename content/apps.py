from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    # Tables, migrations, permissions and admin addresses keep the name they were made with.
    label = "articles"
    verbose_name = "内容"

    def ready(self):
        from content import changes, revisions, text
        from content.models import Article, Author, Category, Tag

        post_save.connect(changes.article_saved, sender=Article, dispatch_uid="articles-changed-save")
        post_delete.connect(changes.article_deleted, sender=Article, dispatch_uid="articles-changed-delete")
        for field in ("categories", "tags"):
            through = getattr(Article, field).through
            m2m_changed.connect(changes.article_filed, sender=through, dispatch_uid=f"articles-changed-{field}")
        for model in (Author, Category, Tag):
            post_save.connect(changes.name_saved, sender=model, dispatch_uid=f"names-changed-save-{model.__name__}")
            post_delete.connect(
                changes.name_deleted, sender=model, dispatch_uid=f"names-changed-delete-{model.__name__}"
            )
        text.keep_controls_out(
            {Article: ("title", "excerpt", "body_source"), Author: ("name",), Category: ("name",), Tag: ("name",)}
        )
        revisions.register()
