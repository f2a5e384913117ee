from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "内容"

    def ready(self):
        from articles import changes, revisions, signals
        from articles.models import Article, Author, Category, Tag

        changes.connect(Article)
        signals.connect(Author, Category, Tag)
        signals.keep_controls_out(Article, Author, Category, Tag)
        revisions.register()
