"""Text as search sees it: one normalisation and one tokeniser, shared by
documents and queries so that both always fold the same way.

Normalising folds what readers consider the same text: NFKC (full-width
``Ｗｉｎｄｏｗｓ`` → ``Windows``), case folding, and traditional → simplified
Chinese with OpenCC (``遊戲`` → ``游戏``).

Tokens suit Chinese without a dictionary: a run of CJK characters becomes its
overlapping bigrams (``电动汽车`` → ``电动 动汽 汽车``) followed by the run's last
character on its own, so every 2-character query is one exact index lookup and
every character starts some token (a 1-character query is a prefix lookup).
Latin letters and digits stay whole words (``Windows11``, ``h264``).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import opencc

from content.rendering import visible_text

# Han (with extension A and the compatibility block), kana and Hangul syllables.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
RUNS = re.compile(rf"(?P<cjk>[{CJK}]+)|(?P<word>[^\W_{CJK}]+)")
# Longer "words" (base64, hashes) are cut: PostgreSQL refuses lexemes over 2 KB.
MAX_WORD_LENGTH = 100
# Addresses are not text a reader searches for; they are left out of documents.
URLS = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)


@cache
def _simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def _fold(text: str) -> str:
    """NFKC case folding (NFKC, casefold, NFKC again, as Unicode recommends)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


# A character folds the same way every time; text is folded character by
# character only to find matches in it (snippets), where this saves most of the work.
_fold_character = lru_cache(maxsize=65_536)(_fold)


def normalise(text: str) -> str:
    """``text`` folded for matching: full-width, case and traditional characters."""
    return _simplifier().convert(_fold(text))


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` character by character, with the offset in ``text`` of
    each normalised character, to highlight matches in the text as written.
    (Composed per character, so it can differ from ``normalise`` on decomposed accents.)"""
    pieces = [_fold_character(character) for character in text]
    offsets = [n for n, piece in enumerate(pieces) for _ in piece]
    folded = "".join(pieces)
    simplified = _simplifier().convert(folded)
    if len(simplified) != len(folded):  # a phrase conversion changed the length: go character by character
        simplified = "".join(_simplifier().convert(character) or character for character in folded)
    return simplified, offsets


@dataclass(frozen=True)
class Run:
    text: str
    is_cjk: bool


def runs(normalised: str) -> list[Run]:
    """The CJK runs and Latin/digit words of normalised text, in order."""
    return [
        Run(match.group()[:MAX_WORD_LENGTH] if match.lastgroup == "word" else match.group(), match.lastgroup == "cjk")
        for match in RUNS.finditer(normalised)
    ]


def run_tokens(run: Run, *, with_last: bool = True) -> list[str]:
    """A word is one token; a CJK run its bigrams, then (``with_last``) its last character."""
    if not run.is_cjk:
        return [run.text]
    bigrams = [run.text[n : n + 2] for n in range(len(run.text) - 1)]
    return bigrams + [run.text[-1]] if with_last or len(run.text) == 1 else bigrams


def tokens(text: str) -> list[str]:
    """The document tokens of ``text`` (normalised here): ``run_tokens`` of each
    of its ``runs``, written out inline because documents are built a million
    at a time (a rebuild), where the per-run objects cost half the time."""
    found: list[str] = []
    for match in RUNS.finditer(normalise(text)):
        piece = match.group()
        if match.lastgroup == "word":
            found.append(piece[:MAX_WORD_LENGTH])
        else:
            found += map(str.__add__, piece, piece[1:])  # the bigrams
            found.append(piece[-1])
    return found


def searchable_body(body_html: str) -> str:
    """What a reader sees of a stored body, without markup and addresses."""
    return URLS.sub(" ", visible_text(body_html))
