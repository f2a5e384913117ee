"""The rich-text editor for HTML bodies: django-prose-editor (Tiptap/ProseMirror).

Its extensions are chosen to produce only what the sanitiser
(``content.sanitizer``) keeps: h2–h4, paragraphs, bold, italic, strike,
links, lists, blockquote, code and code blocks, tables, figures with
captions, horizontal rules and images. The sanitiser still decides what is
stored; the editor only makes the rest impossible to write.

The library's own widget loads its scripts through an import map, an inline
script the Content-Security-Policy refuses; ``prose-editor.js`` (static/admin/newsroom)
imports the editor module by its path instead and starts the same editor.
"""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django_prose_editor.config import expand_extensions
from js_asset import Script

EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Link": {"enableTarget": True, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Code": True,
    "CodeBlock": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
}
MARKER = "data-newsroom-prose-editor"


class RichTextEditor(forms.Textarea):
    """A textarea the editor takes over while the body's format is HTML (Markdown keeps the textarea)."""

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "admin/newsroom/editor.css",
            ]
        }
        js = [Script("admin/newsroom/prose-editor.js", type="module")]

    def render(self, name, value, attrs=None, renderer=None):
        """The textarea, then the Markdown preview the script fills in (hidden with HTML)."""
        textarea = super().render(name, value, attrs, renderer)
        preview = format_html(
            '<div class="markdown-preview" data-preview-for="{}" hidden><p class="markdown-preview-title">{}</p>'
            '<div class="markdown-preview-body" aria-live="polite"></div></div>',
            (attrs or {}).get("id", ""),
            "预览（保存时统一净化）",
        )
        return textarea + preview

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = {"extensions": expand_extensions(EXTENSIONS)}
        context["widget"]["attrs"][MARKER] = json.dumps(config, separators=(",", ":"), cls=DjangoJSONEncoder)
        return context
