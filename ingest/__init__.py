"""What comes in and goes out as files and feeds.

Posts: ``files`` finds them, ``hexo`` (with ``frontmatter``, ``dates`` and
``assets``) parses one into a ``records.PostRecord`` without writing anything,
``loader`` turns records into articles, ``run`` is the one orchestration that
files and feed items share, ``downloads`` fetches remote images into the media
library, ``exporter`` writes articles back out as posts. Live feeds are in
``feeds``; background work in ``tasks``.
"""
