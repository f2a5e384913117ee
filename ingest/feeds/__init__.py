"""Live feeds: RSS and Atom feeds fetched on a schedule, their items loaded as articles.

The pipeline mirrors the file importer and reuses it: ``fetch`` gets a feed's
bytes (with limits and a guard against server-side request forgery), ``items``
turns each item into the importer's ``PostRecord``, and ``runner`` claims due
feeds, hands the records to the importer's ``Loader`` and records each feed's
outcome. ``config`` reads the seed crawler's RSSHub route list.
"""
