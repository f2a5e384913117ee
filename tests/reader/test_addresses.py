"""Reader addresses are built without resolving URL patterns per link; they must equal reverse()'s."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from newsroom.addresses import address

SLUGS = ["a-1", "芯片观察", "c 1", "100%", "a?b#c", "~x:y@z!$&'()*+,;=", "ARGUMENT"]
CASES = [(name, slug) for name in ["articles:detail", "articles:tag", "articles:author"] for slug in SLUGS]
CASES += [("articles:category", path) for path in [*SLUGS, "新媒体/36氪/汽车"]]  # only a path has slashes


@pytest.mark.parametrize(("name", "argument"), CASES)
def test_addresses_equal_what_reverse_gives(name, argument):
    assert address(name, argument) == reverse(name, args=[argument])


def test_addresses_follow_the_script_prefix():
    set_script_prefix("/新闻/")
    try:
        assert address("articles:detail", "芯片") == reverse("articles:detail", args=["芯片"])
        assert address("articles:detail", "芯片").startswith("/%E6%96%B0%E9%97%BB/articles/")
    finally:
        clear_script_prefix()
