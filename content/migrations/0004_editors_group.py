"""The Editors group: the everyday newsroom account's permissions.

Editors add, change, view and publish content (articles, categories, authors,
tags) and see where imported articles came from. They delete nothing and
cannot touch users, groups or permissions.

Permissions are normally created after all migrations have run (post_migrate),
so the ones needed here are created now if missing; post_migrate then skips them.
"""

from django.db import migrations

GROUP = "Editors"
GRANTS = {
    "article": ["add", "change", "view", "publish"],
    "category": ["add", "change", "view"],
    "author": ["add", "change", "view"],
    "tag": ["add", "change", "view"],
    "articlesource": ["view"],
}
CUSTOM_NAMES = {"publish_article": "Can publish, schedule and unpublish articles"}


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model_name, actions in GRANTS.items():
        model = apps.get_model("articles", model_name)
        content_type = ContentType.objects.get_for_model(model)
        for action in actions:
            codename = f"{action}_{model_name}"
            # The name Django itself would give it.
            name = CUSTOM_NAMES.get(codename, f"Can {action} {model._meta.verbose_name_raw}")
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_head_image_upload_and_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
