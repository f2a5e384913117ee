"""Article → Hexo post (YAML front matter + body): the importer in reverse.

Every key is written the way ``ingest.hexo`` reads it, so
importing an exported post into an empty database gives the same article.
Pure: uses the article's prefetched author, categories and tags, and never
writes anything.
"""

import html

import yaml
from django.utils import timezone

from content.models import Article
from content.rendering import BodyFormat, make_excerpt

# ext4 and most Linux file systems allow 255 bytes per name, and a Chinese
# character takes 3: a 90-character slug would not fit.
MAX_NAME_BYTES = 240
# Long titles and tag lists stay on one line instead of being folded.
YAML_WIDTH = 10_000


def post_file_name(article: Article) -> str:
    """``<slug>.md``: slugs are unique and file-system safe, titles are neither."""
    name = article.slug
    if len(name.encode()) > MAX_NAME_BYTES:
        name = f"{name.encode()[: MAX_NAME_BYTES - 12].decode(errors='ignore')}-{article.pk}"
    return f"{name}.md"


def post_text(article: Article) -> str:
    """The whole post: ``---``, the front matter, ``---``, a blank line, the body."""
    body_format, body = _body(article)
    fields = front_matter(article, body_format)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False, width=YAML_WIDTH)
    return f"---\n{front}---\n\n{body}\n"


def front_matter(article: Article, body_format: str) -> dict:
    """The front-matter keys, in Hexo's usual order; empty ones are left out."""
    fields = {"title": _text(article.title)}
    paths = [[_text(c.name) for c in path] for path in article.category_paths()]
    if paths:
        # Hexo: a flat list is ONE path (top level first), a list of lists is several.
        fields["categories"] = paths[0] if len(paths) == 1 else paths
    fields["author"] = _text(article.author.name)
    if article.published_at:
        fields["date"] = timezone.localtime(article.published_at).isoformat()
    if article.status != Article.Status.PUBLISHED:
        fields["published"] = False
    if tags := sorted(_text(tag.name) for tag in article.tags.all()):
        fields["tags"] = tags
    if article.excerpt and article.excerpt != make_excerpt(article.body):
        fields["excerpt"] = _text(article.excerpt)
    if article.head_image:
        fields["headimg"] = _text(article.head_image)
    if article.thumbnail:
        fields["thumbnail"] = _text(article.thumbnail)
    fields["comments"] = article.allow_comments
    fields["format"] = str(body_format)  # a plain str: safe_dump refuses enum members
    return fields


def _body(article: Article) -> tuple[str, str]:
    """The source as written (Markdown stays Markdown); the stored HTML if there is none."""
    if article.body_source.strip():
        return article.body_format, article.body_source
    return BodyFormat.HTML, article.body


def _text(value: str) -> str:
    """Front-matter text the importer reads back unchanged.

    The importer decodes HTML entities (crawled titles carry ``&#123;``), so a
    value that still contains one, such as ``AT&amp;T`` or ``&copy``, has its
    ampersands escaped.
    """
    return value.replace("&", "&amp;") if html.unescape(value) != value else value
