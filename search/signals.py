"""The signals the search app sends (imports nothing but ``django.dispatch``)."""

from django.dispatch import Signal

# Sent when the worker has indexed articles after their change was announced
# (``search.tasks.index_articles``): article_ids=[…]. Search pages cached
# meanwhile do not show them yet.
documents_indexed = Signal()
