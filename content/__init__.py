"""Articles and what they are made of: the only app with models.

Its app label is still ``articles``, so tables, migrations, permissions,
content types, revision data and ``/admin/articles/…`` addresses did not move.
It holds the models, the one write path (``Article.save()`` and
``changes``), the rows derived on write (``listings``) and the body pipeline
(``rendering``, ``sanitizer``, ``embeds``, ``body_repairs``), which writes
nothing; rendering reads the media library and the sizes of stored images. It imports none of the project's other apps:
they react to its ``signals``.
"""
