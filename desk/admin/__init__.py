"""The editors' desk in Django's admin, one module per part:

- ``articles``: writing, reviewing, scheduling and publishing articles, with
  ``editor`` (the rich-text editor and autosave), ``revisions`` (history,
  compare, restore) and ``filters`` (the list's sidebar);
- ``media``: the media library;
- ``names``: authors, categories and tags;
- ``feeds``: incoming feeds, and ``rules``: what is kept, dropped or filed of their items.
"""

from desk.admin import articles, feeds, media, names, rules  # noqa: F401  (each registers its models)
