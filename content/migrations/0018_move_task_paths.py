"""Tasks queued before the apps split name their function by its old module;
they are renamed so the worker still finds them after the upgrade."""

from django.db import migrations

MOVED = {
    "articles.tasks.download_remote_images": "ingest.tasks.download_remote_images",
    "articles.tasks.rebuild_search_documents": "search.tasks.rebuild_search_documents",
    "articles.ingest.tasks.fetch_feeds": "ingest.tasks.fetch_feeds",
}


def rename(apps, moves):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    rename(apps, MOVED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_article_pinned_index"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
