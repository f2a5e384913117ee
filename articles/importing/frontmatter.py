"""Split a seed post into YAML front matter and body, and read the front matter.

Real posts start with an empty line before ``---``; some have a blank line or
4-space indents inside the front matter, and a few are not valid YAML at all
(a title wrapped in many pairs of quotes). Those are read by a lenient line
parser and the caller is told, so it can warn.
"""

import re
from dataclasses import dataclass

import yaml

from articles.importing.errors import ParseError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)(.*)\Z", re.S)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$")
_ITEM_LINE = re.compile(r"^\s*-\s+(.*?)\s*$")
# A value still starting with one of these after unquoting is half-written
# YAML (an unclosed quote, list or mapping): better missing than misread.
UNREADABLE_STARTS = "'\"[{"


@dataclass(frozen=True)
class FrontMatter:
    fields: dict
    body: str
    lenient: bool = False  # True when YAML failed and the line parser was used
    yaml_error: str = ""


def split_front_matter(text: str) -> FrontMatter:
    match = _FENCE.match(text)
    if not match:
        raise ParseError("front matter", "missing: a post starts with a '---' block")
    head, body = match.groups()
    try:
        fields = yaml.load(head, Loader=_Loader)
    except yaml.YAMLError as exc:
        reason = str(getattr(exc, "problem", "") or exc).strip()
        return FrontMatter(read_lenient(head), body, lenient=True, yaml_error=reason)
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise ParseError("front matter", "is not a set of 'key: value' lines")
    return FrontMatter(fields, body)


def strip_quotes(value: str) -> str:
    """Remove any number of matching quote pairs around a value."""
    value = value.strip()
    while len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    return value


def read_lenient(head: str) -> dict:
    """``key: value`` lines and ``- item`` lists, values unquoted; no YAML rules.

    Lines it cannot make sense of are left out, so a required field that was
    among them is reported missing by the caller."""
    fields: dict = {}
    current_list: list | None = None
    for line in head.splitlines():
        if not line.strip():
            continue
        item = _ITEM_LINE.match(line)
        if item and current_list is not None:
            current_list.append(strip_quotes(item.group(1)))
            continue
        key = _KEY_LINE.match(line)
        if not key:
            continue
        name, value = key.groups()
        current_list = None
        if not value:
            fields[name] = current_list = []
        elif (plain := strip_quotes(value)) and plain[0] not in UNREADABLE_STARTS:
            fields[name] = plain
    return fields
