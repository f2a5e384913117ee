"""Small text rules shared by the admin, the importer and the feeds, each written once.

No stored text carries control characters: XML 1.0 forbids most C0 controls
(and U+FFFE/U+FFFF, lone surrogates), so one ``\x1b`` in a title made every
feed listing it answer 500, and none of them is ever meant as text. Tab and
newline stay. :func:`without_controls` is applied to bodies by the sanitiser,
to crawled text by ``clean_text``, and to titles and names on every save
(:func:`keep_controls_out`, connected in ``ContentConfig.ready()``).
"""

import re

from django.db.models.signals import pre_save

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# Tags are separated by commas, Chinese commas, 、 or semicolons (either width).
TAG_SEPARATORS = re.compile(r"[,，、；;]")


def split_category_path(path: str) -> list[str]:
    """``新媒体/高科技行业门户/新闻`` → its levels, top first (blanks dropped)."""
    return [level.strip() for level in path.split("/") if level.strip()]


def without_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def keep_controls_out(text_fields: dict) -> None:
    """Strip control characters from these fields of these models on every save:
    ``{Author: ("name",), …}``."""
    for model, fields in text_fields.items():

        def strip_controls(sender, instance, fields=fields, **kwargs):
            for name in fields:
                setattr(instance, name, without_controls(getattr(instance, name)))

        pre_save.connect(
            strip_controls, sender=model, weak=False, dispatch_uid=f"text-without-controls-{model._meta.label}"
        )
