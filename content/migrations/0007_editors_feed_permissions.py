"""The Editors group manages feeds: add, change and view, but no delete (as 0004).

Permissions are normally created after all migrations have run (post_migrate),
so the ones needed here are created now if missing; post_migrate then skips them.
"""

from django.db import migrations

GROUP = "Editors"
ACTIONS = ["add", "change", "view"]


def feed_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    model = apps.get_model("articles", "feed")
    content_type = ContentType.objects.get_for_model(model)
    for action in ACTIONS:
        # The name Django itself would give it.
        name = f"Can {action} {model._meta.verbose_name_raw}"
        yield Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_feed", defaults={"name": name}
        )[0]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*feed_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*feed_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_feed"),
        ("articles", "0004_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
