"""Live feeds: RSS and Atom feeds fetched on a schedule, their items loaded as articles.

The pipeline mirrors the file importer and reuses it: ``fetch`` gets a feed's
bytes (with limits and a guard against server-side request forgery), ``items``
turns each item into the importer's ``PostRecord``, and ``runner`` claims due
feeds, applies the feed's ``rules`` and hands the records to the one import
orchestration, and records each feed's outcome (``health``). Around it:
``config`` reads the seed crawler's RSSHub route list, ``opml`` and
``subscriptions`` move sources in and out in bulk, ``fulltext`` replaces a
summary by its page's article (a task), ``websub`` has hubs push changes,
``patterns`` keeps the rules' regular expressions safe.
"""
