"""``import_opml`` and ``export_opml``, with real exports from other feed readers' test suites (fixtures/README.md)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.models import Category, Feed
from ingest.feeds.opml import parse_opml
from tests.builders import make_feed

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_fixture(name: str, *args) -> tuple[str, str]:
    return run("import_opml", str(FIXTURES / name), *args)


def paths_of_feeds() -> dict[str, str]:
    return {feed.url: str(feed.category) for feed in Feed.objects.select_related("category__parent__parent")}


def test_an_rssowl_export_files_feeds_under_their_nested_folders():
    out, _ = import_fixture("miniflux-rssowl-nested.opml")
    assert out.strip() == "added 3, already subscribed 0, repeated in the file 0, failed 0"
    assert paths_of_feeds() == {
        "http://example.org/feed1/": "My Feeds › Some Category",
        "http://example.org/feed2/": "My Feeds › Some Category",
        "http://example.org/feed3/": "My Feeds › Another Category",
    }
    assert Feed.objects.get(url="http://example.org/feed3/").source.name == "Feed 3"


def test_folders_named_by_title_in_opml_1_0_become_categories():
    import_fixture("miniflux-version1.opml")
    assert paths_of_feeds() == {"http://example.org/feed1/": "Category 1", "http://example.org/feed2/": "Category 2"}


def test_feeds_in_no_folder_go_under_the_given_path_with_their_titles_unescaped():
    out, _ = import_fixture("miniflux-without-categories.opml", "--path", "订阅/海外")
    assert "added 13," in out
    feed = Feed.objects.get(url="http://www.nytimes.com/services/xml/rss/nyt/Business.xml")
    assert feed.source.name == "NYT > Business"
    assert str(feed.category) == "订阅 › 海外"


def test_a_feed_listed_twice_is_reported_once_and_a_host_without_a_domain_is_refused():
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"1 feed\(s\) could not be added"):
        call_command("import_opml", str(FIXTURES / "listparser-outline-duplication-1.xml"), stdout=out, stderr=err)
    assert out.getvalue().strip() == "added 0, already subscribed 0, repeated in the file 1, failed 1"
    assert "listparser-outline-duplication-1.xml: line 10: http://domain/feed: " in err.getvalue()
    assert not Feed.objects.exists()


def test_feeds_subscribed_before_are_recognised_and_left_alone():
    import_fixture("miniflux-rssowl-nested.opml")
    out, _ = import_fixture("miniflux-version1.opml")
    assert out.strip() == "added 0, already subscribed 2, repeated in the file 0, failed 0"
    assert str(Feed.objects.get(url="http://example.org/feed2/").category) == "My Feeds › Some Category"


def test_dry_run_reports_and_writes_nothing():
    out, _ = import_fixture("miniflux-rssowl-nested.opml", "--dry-run")
    assert out.strip() == "dry run, nothing written: added 3, already subscribed 0, repeated in the file 0, failed 0"
    assert not Feed.objects.exists() and not Category.objects.exists()


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("miniflux-invalid-character-entity.opml", "line 8, column 74: not well-formed (invalid token)"),
        ("listparser-html-entity-attribute.xml", "line 11, column 8: undefined entity"),
    ],
)
def test_a_malformed_file_is_refused_with_line_and_reason_and_subscribes_nothing(name, where):
    with pytest.raises(CommandError) as refused:
        import_fixture(name)
    assert str(refused.value) == f"{FIXTURES / name}: {where}; nothing subscribed"
    assert not Feed.objects.exists()


def test_a_file_that_is_not_opml_is_refused(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>\n')
    with pytest.raises(CommandError, match=r"line 2: not an OPML file \(its root element is <rss>\)"):
        run("import_opml", str(rss))


def test_an_entity_expansion_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.opml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://example.com/feed"/></body></opml>\n'
    )
    with pytest.raises(CommandError, match="line 2: refused"):
        run("import_opml", str(bomb))
    assert not Feed.objects.exists()


def test_a_feed_that_is_not_http_or_is_a_private_address_is_refused_and_the_others_added(tmp_path):
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
        '<outline text="本地" xmlUrl="http://127.0.0.1:8000/feed"/>\n'
        '<outline text="文件" xmlUrl="file:///etc/passwd"/>\n'
        '<outline text="好的" xmlUrl="https://example.com/feed"/>\n'
        "</body></opml>\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"2 feed\(s\) could not be added"):
        call_command("import_opml", str(opml), stdout=out, stderr=err)
    assert "line 3: http://127.0.0.1:8000/feed: 127.0.0.1 is a non-public address; refused" in err.getvalue()
    assert "line 4: file:///etc/passwd: only http(s) URLs with a host can be fetched" in err.getvalue()
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://example.com/feed"]


def test_export_lists_every_feed_under_its_category_and_imports_back_the_same(tmp_path):
    make_feed("https://rsshub.example/ofweek/news", path=("新媒体", "OFweek", "新闻"), source="OFweek")
    make_feed("https://rsshub.example/36kr/news", path=("新媒体", "36氪"), source="36氪 & 快讯", is_active=False)
    target = tmp_path / "feeds.opml"
    out, _ = run("export_opml", str(target))
    assert out.strip() == f"wrote 2 feed(s) to {target}"
    exported = {(o.url, o.title, o.path) for o in parse_opml(target.read_bytes())}
    assert exported == {
        ("https://rsshub.example/ofweek/news", "OFweek", ("新媒体", "OFweek", "新闻")),
        ("https://rsshub.example/36kr/news", "36氪 & 快讯", ("新媒体", "36氪")),
    }
    before = paths_of_feeds()
    Feed.objects.all().delete()
    run("import_opml", str(target))
    assert paths_of_feeds() == before


def test_export_to_standard_output_is_an_opml_document():
    make_feed()
    out, _ = run("export_opml")
    assert out.startswith("<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert [o.url for o in parse_opml(out.encode())] == ["https://example.com/feed"]


def test_titles_and_urls_escaped_twice_by_an_exporter_are_unescaped(tmp_path):
    opml = tmp_path / "twice.opml"
    opml.write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><body><outline text="科技 &amp;amp; 创业">\n'
        '<outline text="36氪 &amp;#38; 快讯" xmlUrl="https://example.com/feed?a=1&amp;amp;b=2"/>\n'
        "</outline></body></opml>\n",
        encoding="utf-8",
    )
    run("import_opml", str(opml))
    feed = Feed.objects.select_related("source", "category").get()
    assert (feed.url, feed.source.name, str(feed.category)) == (
        "https://example.com/feed?a=1&b=2",
        "36氪 & 快讯",
        "科技 & 创业",
    )
