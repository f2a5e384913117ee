"""Article revisions (django-reversion): what is recorded, how two compare, how one comes back.

A revision is made by every editor's save, bulk action and import *update*
(each inside ``reversion.create_revision()`` with who and a comment); an
article created by an import gets none, so a million imported articles do
not double the database. A revision holds the article with its categories
(primary keys in the article's own data) and its tags (the ``TaggedArticle``
rows, followed). ``prune_revisions`` keeps the last ``ARTICLE_REVISIONS_KEEP``.

Restoring goes through the one write path (``Article.save_as_editor()``), so
the body is rendered again and the change is announced once, and it is a
revision of its own: a restore can be undone like any edit.
"""

import difflib
from dataclasses import dataclass
from itertools import zip_longest

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from content import changes
from content.models import Article, Category, Tag, TaggedArticle
from content.rendering import paragraphs, render_body

# What a restore puts back (attribute names, as a version stores them); the
# rendered body and derived URLs follow from them on save.
RESTORED_FIELDS = [
    "title",
    "slug",
    "author_id",
    "body_format",
    "body_source",
    "excerpt",
    "head_image",
    "thumbnail",
    "head_image_file",
    "thumbnail_file",
    "status",
    "published_at",
    "pin_order",
    "pinned_until",
]
# What the comparison shows, in order, with its label; the body is compared as text.
COMPARED_FIELDS = [
    ("title", "标题"),
    ("body", "正文"),
    ("excerpt", "摘要"),
    ("status", "状态"),
    ("published_at", "发布时间"),
    ("categories", "分类"),
    ("tags", "标签"),
    ("head_image", "头图"),
    ("slug", "网址别名"),
    ("pin_order", "头条顺序"),
]


def register() -> None:
    """Called from ``ContentConfig.ready()``."""
    reversion.register(TaggedArticle)
    # The rendered body is derived from the source: storing it too would double each revision.
    reversion.register(Article, exclude=["body"], follow=["taggedarticle_set"])


def record(user, comment: str) -> None:
    """Say who made the current revision and why (inside ``reversion.create_revision()``)."""
    if user is not None:
        reversion.set_user(user)
    reversion.set_comment(comment)


def versions_of(article: Article):
    """The article's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


@dataclass(frozen=True)
class Snapshot:
    """An article as one version stored it, in the terms the comparison shows."""

    version: Version
    fields: dict
    category_names: list[str]
    tag_names: list[str]

    @classmethod
    def of(cls, version: Version) -> "Snapshot":
        fields = version.field_dict
        categories = Category.objects.with_ancestry().filter(pk__in=fields.get("categories", []))
        return cls(version, fields, sorted(map(str, categories)), sorted(tag.name for tag in tags_in(version)))

    def text_of(self, name: str) -> list[str]:
        """A field as lines of text: the body a line per paragraph, lists a line per item."""
        if name == "body":
            return paragraphs(
                render_body(self.fields.get("body_source", ""), self.fields.get("body_format", "html")).html
            )
        if name == "categories":
            return self.category_names
        if name == "tags":
            return self.tag_names
        value = self.fields.get(name)
        if name == "status":
            value = Article.Status(value).label
        elif name == "published_at" and value:
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return [str(value)] if value not in (None, "") else []


def tags_in(version: Version) -> list[Tag]:
    """The tags the article had in ``version``'s revision."""
    tagged = version.revision.version_set.get_for_model(TaggedArticle)
    rows = (row.field_dict for row in tagged)
    tag_ids = [row["tag_id"] for row in rows if str(row["content_object_id"]) == version.object_id]
    return list(Tag.objects.filter(pk__in=tag_ids))


@dataclass(frozen=True)
class FieldComparison:
    label: str
    rows: list[tuple[SafeString, SafeString]]  # old and new, side by side, differences marked
    changed: bool


def compare(old: Version, new: Version) -> list[FieldComparison]:
    """Every compared field of two versions side by side, with deletions and insertions marked."""
    before, after = Snapshot.of(old), Snapshot.of(new)
    comparisons = []
    for name, label in COMPARED_FIELDS:
        old_lines, new_lines = before.text_of(name), after.text_of(name)
        comparisons.append(FieldComparison(label, side_by_side(old_lines, new_lines), old_lines != new_lines))
    return comparisons


def side_by_side(old_lines: list[str], new_lines: list[str]) -> list[tuple[SafeString, SafeString]]:
    """Rows of (old, new) HTML: removed lines in <del>, added ones in <ins>, and
    a changed line marked character by character (Chinese has no spaces to split words at)."""
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [(escape(line), escape(line)) for line in old_lines[i1:i2]]
        else:
            for old, new in zip_longest(old_lines[i1:i2], new_lines[j1:j2]):
                rows.append(_changed_line(old, new))
    return rows


def _changed_line(old: str | None, new: str | None) -> tuple[SafeString, SafeString]:
    if old is None:
        return mark_safe(""), format_html("<ins>{}</ins>", new)
    if new is None:
        return format_html("<del>{}</del>", old), mark_safe("")
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            old_parts.append(escape(old[i1:i2]))
            new_parts.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            old_parts.append(f"<del>{escape(old[i1:i2])}</del>")
        if j2 > j1:
            new_parts.append(f"<ins>{escape(new[j1:j2])}</ins>")
    # Each part is escaped above.
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def restore(version: Version, user) -> Article:
    """Put the article back as ``version`` stored it, through the one write path."""
    article = Article.objects.get(pk=version.object_id)
    snapshot = Snapshot.of(version)
    with transaction.atomic(), changes.batch(), reversion.create_revision():
        for name in RESTORED_FIELDS:
            if name in snapshot.fields:
                setattr(article, name, snapshot.fields[name])
        article.save_as_editor()
        article.categories.set(Category.objects.filter(pk__in=snapshot.fields.get("categories", [])))
        article.tags.set(tags_in(version))
        when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
        record(user, f"恢复到 {when} 的版本（#{version.pk}）")
    return article
