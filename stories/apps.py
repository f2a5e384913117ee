from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "报道聚合"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stories import receivers

        receivers.connect()
