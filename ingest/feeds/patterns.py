"""What a feed rule looks for: keywords, or a regular expression run by a safe engine.

Rules are typed by editors and run on every item of every feed, so a pattern
must never be able to hang the fetcher. Regular expressions run on RE2
(``google-re2``), which matches in time linear in the text and has no
backreferences or lookarounds, hence no catastrophic backtracking; the memory
of a compiled pattern is capped (``MAX_PATTERN_MEMORY``), and the text it sees
is cut at ``TEXT_LIMIT`` characters. A pattern RE2 cannot compile is refused,
with the reason, when the rule is saved.
"""

import re
from collections.abc import Callable

import re2

KEYWORD = "keyword"
REGEX = "regex"
TEXT_LIMIT = 100_000
MAX_PATTERN_MEMORY = 1 << 20
KEYWORD_SEPARATORS = re.compile(r"[,，、\n]+")

Matcher = Callable[[str], bool]


class PatternError(Exception):
    """Why a rule's pattern cannot be used."""


def compile_pattern(match: str, pattern: str) -> Matcher:
    """A test of whether a text contains the keywords (any of them) or matches the expression, ignoring case."""
    if match == REGEX:
        return _regex(pattern)
    keywords = [word.strip().casefold() for word in KEYWORD_SEPARATORS.split(pattern) if word.strip()]
    if not keywords:
        raise PatternError("至少填写一个关键词。")
    return lambda text: any(word in text[:TEXT_LIMIT].casefold() for word in keywords)


def _regex(pattern: str) -> Matcher:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = MAX_PATTERN_MEMORY
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(f"正则表达式无效：{_reason(exc)}") from exc
    return lambda text: compiled.search(text[:TEXT_LIMIT]) is not None


def _reason(error: Exception) -> str:
    reason = error.args[0] if error.args else str(error)
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
