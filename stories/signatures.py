"""What detection compares: an article's story text, its MinHash signature and
the LSH band keys of that signature. Pure functions; nothing here reads the database.

The story text is what a reader sees of the body, less the lines outlets add
when they re-run a story (bylines, 来源, 责任编辑, copyright notices), folded
the way search folds text (NFKC, case, traditional → simplified:
``search.tokens.normalise``), with every character that is not a letter or a
digit dropped, so punctuation widths and spacing change nothing, and only its
first ``STORY_TEXT_LENGTH`` characters kept. Its shingles
are overlapping runs of ``SHINGLE_LENGTH`` characters, which suit Chinese
(no word boundaries needed) and Latin text alike.

The signature is datasketch's MinHash (``NUM_PERM`` 32-bit values); two texts'
Jaccard similarity is the share of equal values. The LSH band keys cut the
signature into ``BANDS`` bands of ``ROWS`` values, each hashed to one signed
64-bit key (band number included), so articles sharing any band key are the
candidates: with 42 bands of 3 rows a pair at Jaccard 0.5 shares a band with
probability 0.996, at 0.3 (a copy with most of its text cut) 0.68, and two
unrelated posts (0.05 at most) 0.005.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash

from content.rendering import iter_paragraphs
from search.tokens import normalise

SHINGLE_LENGTH = 5
# A story is told by its opening: copies that share their first 1,500
# characters of text tell one story, and outlets cut or add at the end. Longer
# bodies (up to 50 KB) would cost about 2 ms per 1,000 characters to sign
# (a hash and 128 permutations per shingle) and tell nothing more; the
# labelled set's precision and recall are 1.000 kept at 600 characters as at
# no limit (bench/stories.py labelled). A signature stored before the limit,
# of a longer text, still matches its copies' by containment (see
# ``stories.detection.same_story_score``) while its window lasts.
STORY_TEXT_LENGTH = 1_500
NUM_PERM = 128
BANDS, ROWS = 42, 3  # 126 of the 128 values
# A text with fewer shingles than this (a picture caption, a junk draft, a
# script shingling does not suit) is too short to say what story it tells: it
# stays a story of its own rather than match on its boilerplate.
MIN_SHINGLES = 60
# A block this short that is a byline ("来源：…", "责任编辑：…", "文|…") or a
# copyright or reprint notice is the outlet's, not the story's. Matched on
# folded text (simplified, case-folded), so traditional bylines go too.
BOILERPLATE_MAX_LENGTH = 120
BYLINE = re.compile(
    r"^\s*[【\[(]?\s*(?:来源|出处|责任编辑|编辑|作者|记者|撰文|摄影|图片来源|原标题|本文作者)\s*[:|/]"
    r"|^\s*[【\[(]?\s*[文图]\s*[|/]"
)
NOTICE = re.compile(r"©|\(c\)|copyright|all rights reserved|版权所有|未经许可|禁止转载|转载请注明|本文来自|本文由")
NOT_TEXT = re.compile(r"[\W_]+")
# One seed for every signature ever made: signatures stored years apart must stay comparable.
SEED = 1


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # NUM_PERM unsigned 32-bit values
    shingles: int  # how many distinct shingles the text has

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    def similarity(self, other: "Signature") -> float:
        """The estimated Jaccard similarity of the two texts' shingles."""
        return float(self.similarities(other.values[np.newaxis])[0])

    def similarities(self, stored: np.ndarray) -> np.ndarray:
        """The estimated Jaccard similarity with each of many signatures (rows of ``stored``)."""
        return np.count_nonzero(stored == self.values, axis=1) / len(self.values)

    def band_keys(self) -> list[int]:
        data, width = self.to_bytes(), ROWS * 4  # each band's values, as stored
        return [band_key(band, data[band * width : (band + 1) * width]) for band in range(BANDS)]


def stored_values(stored: Sequence[bytes]) -> np.ndarray:
    """Stored signatures (``Signature.to_bytes``) as one row of values each."""
    return np.frombuffer(b"".join(map(bytes, stored)), dtype="<u4").reshape(-1, NUM_PERM)


def band_key(band: int, values: bytes) -> int:
    digest = hashlib.blake2b(values, digest_size=8, salt=band.to_bytes(2, "little"))
    return int.from_bytes(digest.digest(), "little", signed=True)


def story_text(body_html: str) -> str:
    """The body's text as detection compares it (see the module docstring)."""
    kept, length = [], 0
    for block in map(normalise, iter_paragraphs(body_html)):
        if is_boilerplate(block):
            continue
        kept.append(NOT_TEXT.sub("", block))
        length += len(kept[-1])
        if length >= STORY_TEXT_LENGTH:
            break
    return "".join(kept)[:STORY_TEXT_LENGTH]


def is_boilerplate(folded_block: str) -> bool:
    return len(folded_block) <= BOILERPLATE_MAX_LENGTH and (
        BYLINE.search(folded_block) is not None or NOTICE.search(folded_block) is not None
    )


def shingles(text: str) -> set[str]:
    return {text[n : n + SHINGLE_LENGTH] for n in range(len(text) - SHINGLE_LENGTH + 1)}


def signature(body_html: str) -> Signature | None:
    """The body's signature, or None when it has too little text to tell a story by."""
    found = shingles(story_text(body_html))
    if len(found) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=permutations(), scheme="affine32")
    minhash.update_batch(sha1_hash32([shingle.encode() for shingle in found]).tolist())
    return Signature(minhash.hashvalues.astype(np.uint64), len(found))


@cache
def permutations() -> np.ndarray:
    """The ``SEED`` permutations, drawn once per process: drawing them again for
    each article took a tenth of signing it."""
    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def sha1_hash32(values: list[bytes]) -> np.ndarray:
    """datasketch's default hash (``hashfunc.sha1_hash32``: the first four bytes
    of each value's SHA-1, little-endian), for many values at once: the digests
    are read as one array instead of unpacked one by one, which was half the
    cost of signing. Signatures stay those datasketch makes by default."""
    digests = b"".join([hashlib.sha1(value).digest() for value in values])
    return np.frombuffer(digests, dtype="<u4")[:: hashlib.sha1().digest_size // 4]
