"""Split a seed post into YAML front matter and body, and read the front matter.

Real posts start with an empty line before ``---``; some have a blank line or
4-space indents inside the front matter, and a few are not valid YAML at all
(a title wrapped in many pairs of quotes). Those are read by a lenient line
parser and the caller is told, so it can warn.

Every value comes back as text (or a list of texts): YAML's own typing would
turn ``title: 2015`` into a number, ``title: 1.10`` into ``1.1`` and a
category called ``No`` into ``False``. The parser reads dates and flags itself.
"""

import re
from dataclasses import dataclass

import yaml

from ingest.errors import ParseError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL_TAG = "tag:yaml.org,2002:null"
_OPENING = re.compile(r"\A\s*---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.M)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$")
_ITEM_LINE = re.compile(r"^\s*-\s+(.*?)\s*$")
# An unquoted title (the old layout writes them so) is taken literally: YAML
# would cut "第 #3 期" at the " #" and fail on "Re: Zero".
_PLAIN_TITLE = re.compile(r"^title:[ \t]+(?![\s'\"\[{|>!#])(.+?)[ \t]*$", re.M)
# The crawler wrote every { and } as &#123;/&#125;. At the start of a value
# "&#123;" would read as a YAML anchor, so while YAML reads the front matter
# they stand in as private-use characters, and are put back as real braces.
_BRACE_STAND_INS = {"&#123;": "\ue07b", "&#125;": "\ue07d"}
_REAL_BRACES = str.maketrans({"\ue07b": "{", "\ue07d": "}"})


class _TextLoader(_BaseLoader):
    """Safe YAML in which a plain scalar is text, or null when empty or ``~``/``null``."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == _NULL_TAG]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
        if any(tag == _NULL_TAG for tag, _ in resolvers)
    }


@dataclass(frozen=True)
class FrontMatter:
    fields: dict
    body: str
    lenient: bool = False  # True when YAML failed and the line parser was used
    yaml_error: str = ""


def split_front_matter(text: str) -> FrontMatter:
    opening = _OPENING.match(text)
    if not opening:
        raise ParseError("front matter", "missing: a post starts with a '---' block")
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        raise ParseError("front matter", "missing its closing '---' line")
    head, body = text[opening.end() : closing.start()], text[closing.end() :]
    for escaped, stand_in in _BRACE_STAND_INS.items():
        head = head.replace(escaped, stand_in)
    try:
        fields = yaml.load(_quote_plain_title(head), Loader=_TextLoader)
    except yaml.YAMLError as exc:
        first_line = text.count("\n", 0, opening.end()) + 1
        lenient_fields = _real_braces(read_lenient(head))
        return FrontMatter(lenient_fields, body, lenient=True, yaml_error=_describe(exc, first_line))
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise ParseError("front matter", "is not a set of 'key: value' lines")
    return FrontMatter(_real_braces(fields), body)


def _quote_plain_title(head: str) -> str:
    return _PLAIN_TITLE.sub(lambda m: "title: '" + m.group(1).replace("'", "''") + "'", head, count=1)


def _describe(exc: yaml.YAMLError, first_line: int) -> str:
    """PyYAML's problem, with the line counted in the whole file."""
    reason = str(getattr(exc, "problem", "") or exc).strip()
    mark = getattr(exc, "problem_mark", None)
    return f"{reason} at line {first_line + mark.line}" if mark else reason


def _real_braces(value):
    if isinstance(value, str):
        return value.translate(_REAL_BRACES)
    if isinstance(value, list):
        return [_real_braces(item) for item in value]
    if isinstance(value, dict):
        return {key: _real_braces(item) for key, item in value.items()}
    return value


def strip_quotes(value: str) -> str:
    """Remove any number of matching quote pairs around a value."""
    value = value.strip()
    while len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    return value


def readable_value(value: str) -> str | None:
    """A value without its quotes, or None when it is half-written YAML (an
    unclosed quote, list or mapping): better missing than misread.

    ``"第一家"来了`` (quotes closed, text after them) is an unquoted
    value that happens to start with a quote, and is kept as written."""
    plain = strip_quotes(value)
    if not plain or plain[0] in "[{":
        return None
    if plain[0] in "'\"" and plain.count(plain[0]) % 2:
        return None
    return plain


def read_lenient(head: str) -> dict:
    """``key: value`` lines and ``- item`` lists, values unquoted; no YAML rules.

    A value goes on over the lines after it that are indented or that close
    its open quote (a title written over several lines is read whole). Lines
    it cannot make sense of are left out, so a required field that was among
    them is reported missing by the caller."""
    fields: dict = {}
    current_list: list | None = None
    scalar: list[str] = []  # the key and the lines of a value that may go on
    for line in head.splitlines():
        if not line.strip():
            continue
        item = _ITEM_LINE.match(line)
        if item and current_list is not None:
            if (plain := readable_value(item.group(1))) is not None:
                current_list.append(plain)
            continue
        key = _KEY_LINE.match(line)
        if not key:
            if scalar and _goes_on(line, scalar[1]):
                scalar[1] += "\n" + line.strip()
                _read_value(fields, *scalar)
            continue
        name, value = key.groups()
        current_list, scalar = None, []
        if not value:
            fields[name] = current_list = []
        else:
            scalar = [name, value]
            _read_value(fields, name, value)
    return fields


def _goes_on(line: str, value: str) -> bool:
    """Whether ``line`` continues ``value``: inside its open quote, or indented (and not a key of its own)."""
    if value[:1] in ("'", '"') and value.count(value[0]) % 2 == 1:
        return True
    return line[0].isspace() and not _KEY_LINE.match(line.strip())


def _read_value(fields: dict, name: str, value: str) -> None:
    if (plain := readable_value(value)) is not None:
        fields[name] = plain
    else:
        fields.pop(name, None)
