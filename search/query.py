"""A reader's query: parsed into terms, and used to highlight what matched.

Spaces separate terms and every term must match; ``"quoted words"`` are one
phrase; ``-term`` (or ``-"a phrase"``) excludes. A term matches as a phrase of
its tokens (see ``search.tokens``), so ``电动汽车`` does not match 电动 and
汽车 far apart. A query that cannot be searched (too long, only punctuation,
only exclusions) is reported to the reader instead of being run.
"""

import re
from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from content.rendering import visible_text
from search.tokens import CJK, normalise, normalise_with_offsets, run_tokens, runs

MAX_QUERY_LENGTH = 60
MAX_TERMS = 5
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30  # characters of context shown before the first match
SNIPPET_SCAN_BLOCK = 1_000  # characters searched at a time for the first match
SNIPPET_SCAN_LIMIT = 5_000  # a match further into the body shows the excerpt instead
# Control characters, which PostgreSQL refuses in a string (NUL) and no reader types.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Chinese and typographic quotes count as the ASCII double quote.
QUOTES = str.maketrans(dict.fromkeys("“”„「」『』", '"'))
PIECES = re.compile(r'(?P<minus>-?)"(?P<phrase>[^"]*)"?|(?P<word>\S+)')
# Between two tokens of one phrase there may be anything that is not a token.
GAP = r"[\W_]*"
LATIN = rf"[^\W_{CJK}]"


@dataclass(frozen=True)
class Term:
    """One term of a query, normalised. ``tokens`` must stand next to each other
    in a document; when ``prefix`` the last one is a lone CJK character that
    may begin a longer token (it is matched as a prefix)."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool
    excluded: bool = False

    @classmethod
    def parse(cls, text: str, *, excluded: bool = False) -> "Term | None":
        pieces = runs(text)
        if not pieces:
            return None
        # Inside a phrase a CJK run keeps its last character as a token, as in a
        # document, except at the very end, where the text may go on.
        tokens = [token for n, run in enumerate(pieces) for token in run_tokens(run, with_last=n < len(pieces) - 1)]
        last = pieces[-1]
        return cls(text, tuple(tokens), prefix=last.is_cjk and len(last.text) == 1, excluded=excluded)

    def pattern(self) -> str:
        """A regular expression for this term in normalised text."""
        pieces = runs(self.text)
        body = GAP.join(re.escape(run.text) for run in pieces)
        before = "" if pieces[0].is_cjk else rf"(?<!{LATIN})"
        after = "" if pieces[-1].is_cjk else rf"(?!{LATIN})"
        return before + body + after


@dataclass(frozen=True)
class Search:
    text: str  # the query as shown back to the reader
    terms: tuple[Term, ...] = ()
    problem: str = ""  # why nothing was searched, in the reader's words

    @classmethod
    def parse(cls, raw: str) -> "Search":
        text = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())
        if len(text) > MAX_QUERY_LENGTH:
            return cls(text[:MAX_QUERY_LENGTH], problem=f"搜索词太长了，请控制在 {MAX_QUERY_LENGTH} 个字以内。")
        terms = tuple(dict.fromkeys(parse_terms(text)))[:MAX_TERMS]
        if text and not terms:
            return cls(text, problem="请输入要搜索的文字或数字。")
        if terms and all(term.excluded for term in terms):
            return cls(text, problem="请至少输入一个要找的词：减号开头的词只用来排除。")
        return cls(text, terms)

    @property
    def wanted(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.excluded)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.excluded)

    def highlight(self, text: str) -> SafeString:
        """``text`` escaped, with every match of a wanted term wrapped in ``<mark>``."""
        if not self.wanted:
            return conditional_escape(text)
        normalised, offsets = normalise_with_offsets(text)
        pieces, done = [], 0
        for match in self._matcher().finditer(normalised):
            start, end = offsets[match.start()], offsets[match.end() - 1] + 1
            if start < done:
                continue
            pieces += [conditional_escape(text[done:start]), f"<mark>{conditional_escape(text[start:end])}</mark>"]
            done = end
        pieces.append(conditional_escape(text[done:]))
        return mark_safe("".join(pieces))  # every piece was escaped above

    def snippet(self, body_html: str, fallback: str) -> SafeString:
        """A highlighted stretch of the body around the first match, else ``fallback``.

        Bodies run to tens of thousands of characters: the first
        ``SNIPPET_SCAN_LIMIT`` are checked for a match at all (folded at once),
        and the first match is then placed block by block, each block folded
        character by character."""
        text = visible_text(body_html)
        scanned = text[: SNIPPET_SCAN_LIMIT + MAX_QUERY_LENGTH]
        matcher = self._matcher() if self.wanted else None
        if matcher is None or matcher.search(normalise(scanned)) is None:
            return self.highlight(fallback)
        for block in range(0, len(scanned), SNIPPET_SCAN_BLOCK):
            # Blocks overlap by a query's length, so a match across two is found in the first.
            normalised, offsets = normalise_with_offsets(text[block : block + SNIPPET_SCAN_BLOCK + MAX_QUERY_LENGTH])
            if match := matcher.search(normalised):
                break
        else:  # folded at once the text matched, folded character by character it does not
            return self.highlight(fallback)
        start = max(0, block + offsets[match.start()] - SNIPPET_LEAD)
        stretch = text[start : start + SNIPPET_LENGTH]
        prefix = "…" if start else ""
        suffix = "…" if start + SNIPPET_LENGTH < len(text) else ""
        return self.highlight(f"{prefix}{stretch}{suffix}")

    def _matcher(self) -> re.Pattern:
        longest_first = sorted(self.wanted, key=lambda term: len(term.text), reverse=True)
        return re.compile("|".join(term.pattern() for term in longest_first))


def parse_terms(text: str) -> list[Term]:
    """The terms of a query, in order; pieces with nothing searchable in them are dropped."""
    terms = []
    for piece in PIECES.finditer(normalise(text.translate(QUOTES))):
        word = piece["word"]
        if word is not None:
            excluded = word.startswith("-") and len(word) > 1
            term = Term.parse(word[1:] if excluded else word, excluded=excluded)
        else:
            term = Term.parse(piece["phrase"], excluded=bool(piece["minus"]))
        if term is not None:
            terms.append(term)
    return terms
