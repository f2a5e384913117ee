from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "内容"

    def ready(self):
        from articles import signals  # noqa: F401  (connects the reader-page cache invalidation)
