from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "边缘缓存"

    def ready(self):
        from edge import purging

        purging.connect()
