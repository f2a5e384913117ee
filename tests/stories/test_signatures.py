"""What detection compares of a body: the story's own text, folded, whatever
an outlet adds around it or however it writes the punctuation."""

import hashlib

import numpy as np
import opencc
from datasketch import MinHash

from stories.signatures import BANDS, NUM_PERM, ROWS, SEED, STORY_TEXT_LENGTH, shingles, signature, story_text
from tests.stories.posts import STORY, html, republished


def test_bylines_sources_editors_and_copyright_lines_are_not_the_story():
    assert story_text(republished(STORY[:2])) == story_text(html(STORY[:2]).replace("，", ","))
    assert "李华" not in story_text(republished(STORY))


def test_punctuation_width_spacing_and_traditional_characters_fold_away():
    traditional = opencc.OpenCC("s2t.json").convert(html(STORY))
    half_width = html([paragraph.replace("，", ", ").replace("。", ". ") for paragraph in STORY])
    assert story_text(traditional) == story_text(half_width) == story_text(html(STORY))


def test_a_long_paragraph_mentioning_a_source_is_kept():
    paragraph = "来源于供应链的消息显示，" + STORY[1] + STORY[2]
    assert story_text(html([paragraph])) != ""


def test_the_same_text_always_gets_the_same_signature_and_band_keys():
    one, two = signature(html(STORY)), signature(html(STORY))
    assert one.similarity(two) == 1.0
    assert one.band_keys() == two.band_keys() and len(set(one.band_keys())) == BANDS


def test_too_little_text_has_no_signature():
    assert signature("<p>图片来自网络</p><p><img src='https://example.com/a.jpg'></p>") is None
    assert signature("<p>" + "🚗" * 200 + "</p>") is None


def test_a_story_is_signed_by_its_opening_however_long_the_body():
    opening = [STORY[n % len(STORY)] + f"第{n}段。" for n in range(40)]  # far past the first 1,500 characters
    ending = ["文末另附一段完全不同的补充说明，与报道本身无关。" * 5]
    assert len(story_text(html(opening))) == STORY_TEXT_LENGTH
    assert signature(html(opening)).similarity(signature(html(opening + ending))) == 1.0


def test_signatures_and_band_keys_stay_comparable_with_those_stored_before():
    """Stored signatures were made by datasketch's default hashing, and band
    keys by BLAKE2b of each band's three values salted with the band's number:
    new ones must equal them, value for value, or copies stop finding stored articles."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([shingle.encode() for shingle in shingles(story_text(html(STORY)))])
    found = signature(html(STORY))
    assert np.array_equal(found.values, minhash.hashvalues)
    stored_keys = [
        int.from_bytes(
            hashlib.blake2b(
                minhash.hashvalues[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes(),
                digest_size=8,
                salt=band.to_bytes(2, "little"),
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]
    assert found.band_keys() == stored_keys
