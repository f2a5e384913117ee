"""Pagination that costs the same on page 1 of 20 articles or of a million.

Counting every article of a list and skipping thousands of rows (OFFSET) both
grow with the list. ``BoundedPaginator`` counts at most ``MAX_PAGES`` pages'
worth of rows (the count is shown as "1000+" beyond that) and serves no page
past them: a 404, as for any page that does not exist. The date archives
(year, month) are the way further into the past.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class BoundedPaginator(Paginator):
    max_pages = MAX_PAGES

    @cached_property
    def _capped_count(self) -> int:
        """Rows up to one past the cap: one COUNT over a LIMITed subquery."""
        limit = self.max_pages * self.per_page + 1
        object_list = self.object_list
        if hasattr(object_list, "count_up_to"):  # a list made of several queries (queries.PinsThenNewest)
            return object_list.count_up_to(limit)
        return object_list[:limit].count() if hasattr(object_list, "count") else len(object_list[:limit])

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.max_pages * self.per_page)

    @property
    def has_more(self) -> bool:
        """More rows than the pages reach ("1000+")."""
        return self._capped_count > self.count
