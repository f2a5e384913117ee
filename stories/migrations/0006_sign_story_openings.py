"""Signatures are now made of a text's first ``STORY_TEXT_LENGTH`` characters.

The articles new ones are compared with (those that keep band rows, a few
weeks' worth) are signed again when their text was longer, so a copy arriving now compares like with
like. Older signatures are signed again when their article is next filed (an
edit): remember() sees the signature change. This uses the signing code as it
is, on purpose: a signature is only comparable with one made the same way.
"""

from django.db import migrations

BATCH = 500


def sign_again(apps, schema_editor):
    from stories.signatures import signature

    Fingerprint, Band = apps.get_model("stories", "Fingerprint"), apps.get_model("stories", "Band")
    Article = apps.get_model("articles", "Article")
    ids = list(Band.objects.values_list("article_id", flat=True).distinct())
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        bodies = dict(Article.objects.filter(pk__in=batch).values_list("pk", "body"))
        stored = dict(Fingerprint.objects.filter(article_id__in=batch).values_list("article_id", "signature"))
        for article_id in batch:
            found = signature(bodies[article_id])
            if found is not None and bytes(stored[article_id] or b"") == found.to_bytes():
                continue  # a text within the limit: signed as before
            Fingerprint.objects.filter(article_id=article_id).update(
                signature=found.to_bytes() if found else None, shingles=found.shingles if found else 0
            )
            dated_at = Band.objects.filter(article_id=article_id).values_list("dated_at", flat=True).first()
            Band.objects.filter(article_id=article_id).delete()
            if found is not None:
                keys = set(found.band_keys())
                Band.objects.bulk_create(Band(key=key, article_id=article_id, dated_at=dated_at) for key in keys)


class Migration(migrations.Migration):
    dependencies = [("stories", "0005_band_pruning")]

    operations = [migrations.RunPython(sign_again, migrations.RunPython.noop, elidable=True)]
