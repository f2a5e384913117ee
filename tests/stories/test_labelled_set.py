"""Precision and recall of story detection on a labelled set built from the
real posts in ../shared/corpus (see ``tests.stories.republications``): every
pair filed together must tell one story (precision ≥ 0.98), and nine in ten
pairs telling one story must be found (recall ≥ 0.9)."""

import pytest

from tests.conftest import CORPUS_DIR, needs_corpus
from tests.stories.republications import found_pairs, labelled_items, precision_recall, publish, same_story_pairs

pytestmark = [pytest.mark.django_db, needs_corpus]


def test_rerun_stories_are_found_and_different_stories_kept_apart():
    items = labelled_items(CORPUS_DIR)
    articles = publish(items)
    truth = same_story_pairs(items)
    precision, recall = precision_recall(truth, found_pairs(articles))
    assert len(truth) > 100  # the set is big enough to mean something
    assert precision >= 0.98, f"precision {precision:.3f}"
    assert recall >= 0.9, f"recall {recall:.3f}"
