"""Export articles as Hexo posts (YAML front matter + HTML/Markdown body).

    python manage.py export_posts DIR [--all] [-v 2]

Writes one ``<slug>.md`` per published article (``--all`` adds drafts and
scheduled articles) with ``ingest.exporter``. ``import_posts DIR``
into an empty database gives the same articles back. Files of the same name
are overwritten; anything else in DIR is left alone.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.models import Article
from ingest.exporter import post_file_name, post_text

CHUNK_SIZE = 500  # articles per query; their categories and tags are prefetched per chunk


class Command(BaseCommand):
    help = "Export published articles as Hexo posts (front matter + body) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder for the posts (created if missing)")
        parser.add_argument(
            "--all", action="store_true", dest="include_drafts", help="also export drafts and scheduled articles"
        )

    def handle(self, *args, directory, include_drafts=False, verbosity=1, **options):
        folder = Path(directory)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"{directory}: cannot export into it: {exc.strerror}") from exc
        articles = Article.objects.all() if include_drafts else Article.objects.published()
        count = 0
        for article in articles.for_listing().iterator(chunk_size=CHUNK_SIZE):
            name = post_file_name(article)
            try:
                (folder / name).write_text(post_text(article), encoding="utf-8", newline="\n")
            except OSError as exc:
                raise CommandError(f"{folder / name}: cannot write: {exc.strerror}") from exc
            count += 1
            if verbosity >= 2:
                self.stdout.write(name)
        self.stdout.write(self.style.SUCCESS(f"exported {count} articles to {directory}"))
