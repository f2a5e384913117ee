"""The seed crawler's route list (RSSHub style) → feeds to subscribe to.

    #新媒体                      group
    #--------------------       (a rule: ignored)
    ##高科技行业门户              source: the articles' author
    ###新闻                      channel
     - /ofweek/news             a route: a feed at RSSHUB_BASE_URL + route
    # - /ofweek/ai              a commented route: skipped, and reported

A route under a source with no channel heading is filed under group › source.
Lines that are neither (``slect:``, blank lines) are ignored.
"""

import re
from dataclasses import dataclass, field

from ingest.records import clean_text

HEADING = re.compile(r"^(#{1,3})(?!#)\s*(.*)$")
ROUTE = re.compile(r"^-\s*(/\S.*)$")
RULE = re.compile(r"^-{3,}$")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Route:
    line: int
    route: str
    path: list[str]  # group, source[, channel]

    @property
    def source(self) -> str:
        return self.path[1] if len(self.path) > 1 else self.path[0]


@dataclass
class FeedConfig:
    routes: list[Route] = field(default_factory=list)
    commented: list[Route] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # routes that cannot be filed


def parse_config(text: str) -> FeedConfig:
    config = FeedConfig()
    headings: list[str] = []  # group, source, channel as far as seen
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        heading = HEADING.match(line)
        body = heading[2].strip() if heading else line
        if heading and (RULE.match(body) or not body):
            continue
        route = ROUTE.match(body)
        if heading and not route:
            level = len(heading[1])
            headings = [*headings[: level - 1], *[""] * (level - 1 - len(headings)), _name(body)]
            continue
        if not route:
            continue
        path = [name for name in headings if name]
        found = Route(number, route[1].strip(), path)
        if not headings or not headings[0]:
            config.problems.append(f"line {number}: {found.route}: no group heading above it")
        elif heading:
            config.commented.append(found)
        else:
            config.routes.append(found)
    return config


def _name(heading: str) -> str:
    """A heading as a category name: ``[Naver](https://comic.naver.com)`` → ``Naver``;
    a ``/`` would split the path, so it becomes ``／``."""
    return clean_text(MARKDOWN_LINK.sub(r"\1", heading)).replace("/", "／")
