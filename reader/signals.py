"""Signals the reader's site sends (imports nothing but ``django.dispatch``)."""

from django.dispatch import Signal

# The pages tagged with any of these surrogate keys are stale (``reader.caching.forget``),
# sent once the change behind it has committed: keys={"article:12", "home", …}.
pages_forgotten = Signal()
