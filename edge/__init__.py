"""The edge cache in front of the site (Varnish, Fastly or Cloudflare), purged precisely.

Reader pages name what they show in ``Surrogate-Key``; when the reader's page
cache forgets keys after a committed change (``reader.signals.pages_forgotten``),
this app purges the same keys at the edge, at once. A purge that fails is
logged and queued for the worker, which tries again with a growing wait; it
never fails the editor's save. ``backends`` holds one class per edge, chosen
by ``EDGE_BACKEND``; ``middleware`` adds the headers that edge reads (how long
to keep a page, its tags). The reader's app never imports this one.
"""
