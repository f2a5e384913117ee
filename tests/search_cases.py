"""The search relevance set: small articles of our own, the queries, and the
expected answer worked out without the index (also used by bench/search.py).

An article is expected for a query when its normalised visible text (title,
source, tags and body without markup or addresses) contains every term, a
Latin word only whole (``span`` is not in ``spanning``).
"""

import re

from content.models import Article
from search.forms import SearchForm
from search.tokens import CJK, normalise, searchable_body

# 2-character, 4-character, Latin, mixed, traditional, full-width and markup words.
RELEVANCE_QUERIES = [
    "电动",
    "汽车",
    "数据",
    "用户",
    "技术",
    "微软",
    "芯片",
    "游戏",
    "动画",
    "电动汽车",
    "人工智能",
    "Windows",
    "iPhone",
    "5G",
    "Docker",
    "AI",
    "苹果 芯片",
    "Apple 芯片",
    "华为 5G",
    "遊戲",
    "動畫",
    "電動汽車",
    "Ｗｉｎｄｏｗｓ",
    "ＡＰＰＬＥ",
    "span",
    "style",
    "referrerpolicy",
    "href",
    "https",
]

# (title, source, tags, body): written for these tests.
ARTICLES = [
    ("电动汽车销量创新高", "新能源观察", ["电动汽车"], "<p>今年电动汽车销量同比增长三成，充电桩建设提速。</p>"),
    (
        "电动自行车新国标",
        "交通周刊",
        [],
        "<p>电动自行车限速二十五公里。</p><p>另一则消息：汽车行业整体平稳。</p>",
    ),
    ("台灣遊戲市場觀察", "巴哈姆特", ["遊戲"], "<p>今年的電玩遊戲與動畫作品都很熱門。</p>"),
    ("国产动画电影票房", "36氪", ["动画"], "<p>这部动画电影的票房突破十亿元，游戏改编也在路上。</p>"),
    ("Windows 11 更新解读", "cnBeta", ["微软"], "<p>微软推送 Windows 11 累积更新，修复了多个问题。</p>"),
    (
        "全角字母的新闻",
        "ZAKER",
        [],
        "<p>用户用输入法打出了 Ｗｉｎｄｏｗｓ 和 ＡＰＰＬＥ 两个词。</p>",
    ),
    (
        "苹果发布新款 iPhone",
        "爱范儿",
        ["苹果", "手机"],
        '<p><span style="color:red">Apple</span> 发布新款 iPhone，搭载自研芯片。'
        '<img src="https://img.example.com/style/span.jpg" referrerpolicy="no-referrer" alt=""></p>',
    ),
    (
        "华为 5G 基站出货",
        "OFweek",
        ["华为", "5G"],
        '<p>华为今年 5G 基站出货量领先。<a href="https://www.huawei.com/span-style">官网</a></p>',
    ),
    (
        "网页排版小知识",
        "少数派",
        [],
        "<p>CSS 的 style 属性和 span 元素是网页排版的基础，referrerpolicy 控制来源信息。</p>",
    ),
    (
        "跨度很大的项目",
        "少数派",
        [],
        "<p>Spanning multiple styles: a stylesheet for https://example.com/span only.</p>",
    ),
    ("人工智能芯片竞争加剧", "机器之心", ["人工智能", "芯片"], "<p>多家厂商发布人工智能芯片。</p>"),
    ("手机市场季度报告", "IDC", [], "<p>苹果与华为的手机出货量对比；芯片供应依然紧张。</p>"),
    ("5GHz 路由器评测", "什么值得买", [], "<p>这款路由器支持 5GHz 频段。</p>"),
]

# A piece of one title found nowhere else: its article must come first.
TITLE_PIECES = {"销量创新高": "电动汽车销量创新高", "票房": "国产动画电影票房", "基站出货": "华为 5G 基站出货"}

LATIN = rf"[^\W_{CJK}]"


def searchable_text(article: Article) -> str:
    """What a reader sees of ``article`` (author and tags loaded), normalised."""
    shown = [article.title, article.author.name, *(tag.name for tag in article.tags.all())]
    return normalise(" ".join([*shown, searchable_body(article.body)]))


def contains(text: str, term: str) -> bool:
    term = normalise(term)
    before = rf"(?<!{LATIN})" if re.match(LATIN, term[0]) else ""
    after = rf"(?!{LATIN})" if re.match(LATIN, term[-1]) else ""
    return re.search(before + re.escape(term) + after, text) is not None


def expected_ids(articles, query: str) -> set[int]:
    """Of ``articles``, those whose visible text contains every term of ``query``."""
    loaded = articles.select_related("author").prefetch_related("tags")
    texts = {article.pk: searchable_text(article) for article in loaded}
    return {pk for pk, text in texts.items() if all(contains(text, term) for term in query.split())}


def found(query: str) -> list[Article]:
    """What the reader page lists for ``query``, in order."""
    return list(SearchForm({"q": query}).results(Article.objects.published()))
