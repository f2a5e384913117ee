"""Small text rules shared by the admin, the importer and the feeds, each written once."""

import re

# Tags are separated by commas, Chinese commas, 、 or semicolons (either width).
TAG_SEPARATORS = re.compile(r"[,，、；;]")


def split_tag_names(text: str) -> list[str]:
    """``人工智能，电动汽车、芯片`` → three names (blanks dropped)."""
    return [name.strip() for name in TAG_SEPARATORS.split(text or "") if name.strip()]


def split_category_path(path: str) -> list[str]:
    """``新媒体/高科技行业门户/新闻`` → its levels, top first (blanks dropped)."""
    return [level.strip() for level in path.split("/") if level.strip()]
