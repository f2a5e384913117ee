"""The editors' article list: what it shows, its filters, and its cost."""

import pytest

from content.models import Article
from tests.builders import autocomplete, change_url, changelist_url, make_article, make_author, make_category

pytestmark = pytest.mark.django_db


def _filed(article, *path, tags=()):
    article.categories.add(make_category(*path))
    article.tags.add(*tags)
    return article


def test_the_list_of_100_articles_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for n in range(100):
        article = make_article(
            f"文章{n}", author=make_author(f"来源{n % 10}"), thumbnail=f"https://img.example/{n}.jpg"
        )
        _filed(article, "新媒体", f"来源{n % 10}", f"频道{n}", tags=[f"标签{n}", "科技"])
    # 11 today: session, user, two filters' choices, two counts, the page, its
    # categories and tags, and two for the date hierarchy.
    with django_assert_max_num_queries(13):
        response = admin_client.get(changelist_url())
    page = response.content.decode()
    assert page.count('<td class="field-state_label">已发布</td>') == 100
    assert "新媒体 › 来源9 › 频道99" in page and "标签99" in page


def test_the_list_shows_thumbnail_state_category_path_author_and_tags(admin_client):
    article = make_article("固态电池量产", author=make_author("36氪"), thumbnail="https://img.example/cell.jpg")
    _filed(article, "新媒体", "36氪", "汽车", tags=["电池", "电动汽车"])
    page = admin_client.get(changelist_url()).content.decode()
    assert 'src="https://img.example/cell.jpg"' in page
    assert "已发布" in page and "新媒体 › 36氪 › 汽车" in page and "36氪" in page
    assert "电池，电动汽车" in page


@pytest.mark.parametrize(
    ("state", "shown"),
    [("draft", "草稿文章"), ("scheduled", "定时文章"), ("published", "已发布文章")],
)
def test_the_state_filter_tells_drafts_scheduled_and_published_apart(admin_client, state, shown):
    make_article("草稿文章", status=Article.Status.DRAFT)
    make_article("定时文章", days_ago=-2)
    make_article("已发布文章", days_ago=2)
    page = admin_client.get(changelist_url(), {"state": state}).content.decode()
    titles = {"草稿文章", "定时文章", "已发布文章"}
    assert [title for title in titles if f">{title}</a>" in page] == [shown]


def test_the_category_filter_searches_and_offers_full_paths(admin_client):
    category = _filed(make_article(), "新媒体", "爱范儿", "新闻").categories.get()
    found = autocomplete(admin_client, "categories", "爱范")
    assert {"id": str(category.pk), "text": "新媒体 › 爱范儿 › 新闻"} in found
    page = admin_client.get(changelist_url(), {"category": category.pk}).content.decode()
    assert "新媒体 › 爱范儿 › 新闻" in page.split('id="changelist-filter"')[1]


def test_the_head_image_filter_finds_articles_without_one(admin_client):
    make_article("有图", head_image="https://img.example/a.jpg")
    make_article("无图")
    page = admin_client.get(changelist_url(), {"head_image": "no"}).content.decode()
    assert ">无图</a>" in page and ">有图</a>" not in page


def test_search_finds_words_in_the_body(admin_client):
    make_article("第一篇", body="<p>关于光刻机的报道。</p>")
    make_article("第二篇", body="<p>关于手机的报道。</p>")
    page = admin_client.get(changelist_url(), {"q": "光刻机"}).content.decode()
    assert ">第一篇</a>" in page and ">第二篇</a>" not in page


def test_drafts_link_to_a_preview_and_live_articles_to_their_page(admin_client):
    draft = make_article("草稿文章", status=Article.Status.DRAFT)
    live = make_article("已发布文章")
    page = admin_client.get(changelist_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}" target="_blank" rel="noopener">预览' in page
    assert f'href="{live.get_absolute_url()}" target="_blank" rel="noopener">查看' in page
    form = admin_client.get(change_url(draft)).content.decode()
    assert "预览（草稿）" in form
