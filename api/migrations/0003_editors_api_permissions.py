"""The Editors group configures webhooks (add, change, view; no delete), reads
their delivery log, and makes API tokens for themselves (see api.admin).

Permissions are normally created after all migrations have run (post_migrate),
so the ones needed here are created now if missing; post_migrate then skips them.
"""

from django.db import migrations

GROUP = "Editors"
GRANTED = {"webhook": ["add", "change", "view"], "webhookdelivery": ["view"], "apitoken": ["add", "view"]}


def api_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model_name, actions in GRANTED.items():
        model = apps.get_model("api", model_name)
        content_type = ContentType.objects.get_for_model(model)
        for action in actions:
            # The name Django itself would give it.
            name = f"Can {action} {model._meta.verbose_name_raw}"
            yield Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model_name}", defaults={"name": name}
            )[0]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*api_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*api_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_announce_live_articles"),
        ("articles", "0004_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
