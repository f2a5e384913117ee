"""The reader's addresses of articles, categories, tags and authors, without
resolving URL patterns on every link.

A list page links a hundred times, and ``reverse()`` walks the URL patterns
on each call (a sixth of a home page's time, profiled). These addresses
take one argument each: the address around it is reversed once per URL
configuration and script prefix, and the argument is quoted as ``reverse()``
quotes it (the path characters of RFC 3986).
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

PLACEHOLDER = "ARGUMENT"  # passes every converter and needs no quoting
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


@lru_cache(maxsize=64)
def _around(name: str, urlconf, script_prefix: str) -> tuple[str, str]:
    before, _, after = reverse(name, urlconf=urlconf, args=[PLACEHOLDER]).partition(PLACEHOLDER)
    return before, after


def address(name: str, argument: str) -> str:
    """``reverse(name, args=[argument])`` for a one-argument URL pattern whose
    converter accepts ``argument`` (slugs and category paths, as saved)."""
    before, after = _around(name, get_urlconf(), get_script_prefix())
    return before + quote(str(argument), safe=PATH_SAFE) + after
