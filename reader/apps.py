from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "读者网站"

    def ready(self):
        from reader import receivers

        receivers.connect()
