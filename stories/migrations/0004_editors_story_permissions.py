"""Editors (the everyday newsroom account, content migration 0004) may see
and change stories on the desk: merge them, take articles out, choose leads."""

from django.db import migrations

GROUP = "Editors"
ACTIONS = ["view", "change"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    model = apps.get_model("stories", "Story")
    content_type = ContentType.objects.get_for_model(model)
    for action in ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_story",
            defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="stories"))


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_story_copies"),
        ("articles", "0004_editors_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
