"""Small text rules shared by the admin, the importer and the feeds, each written once.

No stored text carries control characters: XML 1.0 forbids most C0 controls
(and U+FFFE/U+FFFF, lone surrogates), so one ``\x1b`` in a title made every
feed listing it answer 500, and none of them is ever meant as text. Tab and
newline stay. :func:`without_controls` is applied to bodies by the sanitiser,
to crawled text by ``clean_text``, and to titles and names on every save
(``articles.signals``).
"""

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# Tags are separated by commas, Chinese commas, 、 or semicolons (either width).
TAG_SEPARATORS = re.compile(r"[,，、；;]")


def split_tag_names(text: str) -> list[str]:
    """``人工智能，电动汽车、芯片`` → three names (blanks dropped)."""
    return [name.strip() for name in TAG_SEPARATORS.split(text or "") if name.strip()]


def split_category_path(path: str) -> list[str]:
    """``新媒体/高科技行业门户/新闻`` → its levels, top first (blanks dropped)."""
    return [level.strip() for level in path.split("/") if level.strip()]


def without_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)
