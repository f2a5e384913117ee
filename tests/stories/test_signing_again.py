"""Migration 0006 signs again, by their opening, the long articles that new
articles are compared with, so a copy arriving after the change still joins."""

import importlib

import numpy as np
import pytest
from datasketch import MinHash
from django.apps import apps

from stories.models import Band, Fingerprint, StoryMember
from stories.signatures import NUM_PERM, SEED, Signature, shingles, signature
from tests.builders import make_article, make_author
from tests.stories.posts import STORY, html, republished

pytestmark = pytest.mark.django_db

LONG_STORY = [STORY[n % len(STORY)] + f"第{n}段。" for n in range(60)]  # about 5,000 characters of text


def signed_whole(body_html: str) -> Signature:
    """A signature as it was made before the limit: of the whole text."""
    from content.rendering import paragraphs
    from search.tokens import normalise
    from stories.signatures import NOT_TEXT, is_boilerplate

    text = NOT_TEXT.sub("", "".join(b for b in map(normalise, paragraphs(body_html)) if not is_boilerplate(b)))
    found = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([shingle.encode() for shingle in found])
    return Signature(minhash.hashvalues.astype(np.uint64), len(found))


def test_a_long_article_signed_whole_is_signed_by_its_opening_and_its_copy_joins_it():
    first = make_article("长篇报道", body=html(LONG_STORY), author=make_author("第一财经"), days_ago=1)
    old = signed_whole(first.body)
    Fingerprint.objects.filter(article=first).update(signature=old.to_bytes(), shingles=old.shingles)
    migration = importlib.import_module("stories.migrations.0006_sign_story_openings")
    migration.sign_again(apps, None)
    stored = Fingerprint.objects.get(article=first)
    assert bytes(stored.signature) == signature(first.body).to_bytes()
    assert set(Band.objects.filter(article=first).values_list("key", flat=True)) == set(
        signature(first.body).band_keys()
    )
    copy = make_article(
        "转载：长篇报道", body=republished(LONG_STORY, outlet="极客观察"), author=make_author("极客观察")
    )
    assert StoryMember.objects.get(article=copy).story_id == StoryMember.objects.get(article=first).story_id
