from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "账号安全"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site as the default (``admin.site``): it asks for a second factor."""

    default = False
    default_site = "accounts.admin_site.NewsroomAdminSite"
