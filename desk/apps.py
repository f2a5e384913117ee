from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "编辑台"
