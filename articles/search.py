"""Reader search over titles and bodies.

Chinese has no spaces between words, so a term is matched as a substring
(``icontains``); on PostgreSQL the trigram indexes of migration 0002 serve it.
Spaces separate terms, and an article must contain every term. A query that
cannot be searched (empty, too long, only punctuation) is reported to the
reader instead of being run.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from articles.rendering import visible_text

MAX_QUERY_LENGTH = 60
MAX_TERMS = 5
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30  # characters of context shown before the first match
# Control characters, which PostgreSQL refuses in a string (NUL) and no reader types.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Search:
    text: str  # the query as shown back to the reader
    terms: tuple[str, ...] = ()
    problem: str = ""  # why nothing was searched, in the reader's words

    @classmethod
    def parse(cls, raw: str) -> "Search":
        text = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())
        if len(text) > MAX_QUERY_LENGTH:
            return cls(text[:MAX_QUERY_LENGTH], problem=f"搜索词太长了，请控制在 {MAX_QUERY_LENGTH} 个字以内。")
        words = [word for word in text.split() if any(character.isalnum() for character in word)]
        terms = tuple(dict.fromkeys(words))[:MAX_TERMS]
        if text and not terms:
            return cls(text, problem="请输入要搜索的文字或数字。")
        return cls(text, terms)

    def filter(self, articles: QuerySet) -> QuerySet:
        """``articles`` containing every term; those with all terms in the title first."""
        if not self.terms:
            return articles.none()
        for term in self.terms:
            articles = articles.filter(Q(title__icontains=term) | Q(body__icontains=term))
        in_title = reduce(and_, (Q(title__icontains=term) for term in self.terms))
        title_first = Case(When(in_title, then=Value(0)), default=Value(1))
        return articles.order_by(title_first, "-published_at", "-id")

    def highlight(self, text: str) -> SafeString:
        """``text`` escaped, with every term wrapped in ``<mark>``."""
        if not self.terms:
            return conditional_escape(text)
        pieces = self._pattern().split(text)
        # split() with one capturing group alternates: text, match, text, ...
        marked = (
            f"<mark>{conditional_escape(piece)}</mark>" if n % 2 else conditional_escape(piece)
            for n, piece in enumerate(pieces)
        )
        return mark_safe("".join(marked))  # every piece was escaped above

    def snippet(self, body_html: str, fallback: str) -> SafeString:
        """A highlighted stretch of the body around the first match, else ``fallback``."""
        text = visible_text(body_html)
        match = self._pattern().search(text) if self.terms else None
        if match is None:
            return self.highlight(fallback)
        start = max(0, match.start() - SNIPPET_LEAD)
        stretch = text[start : start + SNIPPET_LENGTH]
        prefix = "…" if start else ""
        suffix = "…" if start + SNIPPET_LENGTH < len(text) else ""
        return self.highlight(f"{prefix}{stretch}{suffix}")

    def _pattern(self) -> re.Pattern:
        longest_first = sorted(self.terms, key=len, reverse=True)
        return re.compile("(" + "|".join(map(re.escape, longest_first)) + ")", re.IGNORECASE)
