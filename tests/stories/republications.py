"""A labelled set for story detection, built from real posts the way outlets
re-run a story: each post long enough to tell a story is re-published twice,
each copy with a new headline and a few of: byline, 来源 and copyright lines
added, pictures dropped, a paragraph cut, traditional characters (OpenCC
s2t), punctuation widths changed. Hard negatives come with it: every other
post (the same source's unrelated posts among them) and, for some posts, a
follow-up on the same subject that quotes the post's opening and then tells
another story. Shared by ``tests/stories/test_labelled_set.py`` and
``bench/stories_labelled.py``; the posts are read, never copied."""

import datetime as dt
import random
import re
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path

import opencc
from django.utils import timezone

from content.limits import TITLE_MAX_LENGTH
from content.models import Article, Author
from content.rendering import visible_text
from ingest.hexo import parse_post
from search.tokens import normalise
from stories.models import StoryMember

# A post with less visible text than this is not re-published: too short to tell a story by.
MIN_STORY_CHARACTERS = 200
COPIES = 2
BYLINES = ["来源：{outlet}", "责任编辑：{editor}", "作者：{editor}", "本文来自{outlet}，转载请注明出处。"]
COPYRIGHTS = ["© 2021 {outlet} 版权所有", "Copyright © {outlet}. All rights reserved.", "未经许可，禁止转载。"]
OUTLETS = ["科技日报网", "极客观察", "新浪科技", "快科技", "IT之家"]
EDITORS = ["王小明", "李华", "张伟"]
HEADLINE_TEMPLATES = ["重磅：{title}", "{title}（附详情）", "刚刚，{title}", "独家｜{title}", "{title}，业内人士这样看"]
FULL_TO_HALF = str.maketrans("，。：；！？（）“”", ',.:;!?()""')
HALF_TO_FULL = str.maketrans(",:;!?()", "，：；！？（）")
IMAGES = re.compile(r"<img\b[^>]*>|<figure\b.*?</figure>", re.IGNORECASE | re.DOTALL)
PARAGRAPHS = re.compile(r"<p\b[^>]*>.*?</p>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Item:
    story: str  # items with the same story are re-publications of each other
    title: str
    body: str  # HTML
    source: str  # the outlet publishing this copy
    kind: str  # original, copy or follow-up


@cache
def _traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


def corpus_posts(folder: Path) -> list:
    """The posts of ``folder`` that parse, in a stable order."""
    posts = []
    for path in sorted(folder.rglob("*.md")):
        try:
            posts.append(parse_post(path.read_bytes(), path.name))
        except Exception:  # noqa: BLE001  (a malformed post is left out, as the importer rejects it)
            continue
    return posts


def labelled_items(folder: Path, seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    items = []
    posts = [post for post in corpus_posts(folder) if post.body_html.strip()]
    stories = _stories_of(posts)
    long_enough = [len(visible_text(post.body_html)) >= MIN_STORY_CHARACTERS for post in posts]
    for n, post in enumerate(posts):
        source = post.author or "原站"
        items.append(Item(stories[n], post.title, post.body_html, source, "original"))
        if not long_enough[n]:
            continue
        for copy in range(COPIES):
            title, body = republished(post.title, post.body_html, rng)
            items.append(Item(stories[n], title, body, f"{rng.choice(OUTLETS)}{copy}", "copy"))
        following = (n + 1) % len(posts)
        if n % 3 == 0 and long_enough[following]:  # the next post's story, quoting this one's opening
            opening = visible_text(post.body_html)[:40]
            body = f"<p>此前报道：{opening}……</p>{posts[following].body_html}"
            items.append(Item(stories[following], f"后续：{post.title}", body, source, "quoting"))
    return items


def _stories_of(posts: list) -> list[str]:
    """Each post's story: the corpus itself carries a post twice, once in
    traditional characters, so posts whose titles fold alike tell one story."""
    first = {}
    return [f"post{first.setdefault(normalise(post.title), n)}" for n, post in enumerate(posts)]


def republished(title: str, body: str, rng: random.Random) -> tuple[str, str]:
    """``title`` and ``body`` as another outlet re-runs them."""
    outlet, editor = rng.choice(OUTLETS), rng.choice(EDITORS)
    changes = rng.sample(
        [_drop_pictures, _cut_paragraph, _traditional_characters, _swap_punctuation], k=rng.randint(2, 4)
    )
    for change in changes:
        body = change(body, rng)
    lines = [line.format(outlet=outlet, editor=editor) for line in rng.sample(BYLINES, k=2)]
    copyright_line = rng.choice(COPYRIGHTS).format(outlet=outlet)
    body = f"<p>{lines[0]}</p>{body}<p>{lines[1]}</p><p>{copyright_line}</p>"
    headline = rng.choice(HEADLINE_TEMPLATES).format(title=title)
    if _traditional_characters in changes:
        headline = _traditional().convert(headline)
    return headline, body


def _drop_pictures(body: str, rng: random.Random) -> str:
    return IMAGES.sub("", body)


def _cut_paragraph(body: str, rng: random.Random) -> str:
    """One paragraph of a post with at least four goes (a shorter post keeps them all)."""
    found = PARAGRAPHS.findall(body)
    if len(found) < 4:
        return body
    return body.replace(rng.choice(found[1:]), "", 1)


def _traditional_characters(body: str, rng: random.Random) -> str:
    return _traditional().convert(body)


def _swap_punctuation(body: str, rng: random.Random) -> str:
    return body.translate(FULL_TO_HALF if rng.random() < 0.5 else HALF_TO_FULL)


def same_story_pairs(items: list[Item]) -> set[frozenset[int]]:
    """The pairs of item indexes that tell the same story (the truth)."""
    return {frozenset((a, b)) for a, b in combinations(range(len(items)), 2) if items[a].story == items[b].story}


def precision_recall(truth: set[frozenset[int]], found: set[frozenset[int]]) -> tuple[float, float]:
    right = len(truth & found)
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    return precision, recall


def publish(items: list[Item]) -> list:
    """Save every item as a published article through the one write path (so
    each is filed into a story as an editor's save is), a few hours apart in
    the order given; returns the articles, in the same order."""
    start = timezone.now() - dt.timedelta(days=3)
    articles = []
    for n, item in enumerate(items):
        article = Article(
            title=item.title[:TITLE_MAX_LENGTH],
            author=Author.objects.get_or_create(name=item.source, defaults={"kind": Author.Kind.SOURCE})[0],
            body_source=item.body,
            status=Article.Status.PUBLISHED,
            published_at=start + dt.timedelta(minutes=20 * n),
        )
        article.save()
        articles.append(article)
    return articles


def found_pairs(articles: list) -> set[frozenset[int]]:
    """The pairs of positions in ``articles`` that detection filed into one story."""
    position = {article.pk: n for n, article in enumerate(articles)}
    members: dict[int, list[int]] = {}
    for article_id, story_id in StoryMember.objects.filter(article__in=articles).values_list("article_id", "story_id"):
        members.setdefault(story_id, []).append(position[article_id])
    return {frozenset(pair) for group in members.values() for pair in combinations(group, 2)}
