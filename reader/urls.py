from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from reader import syndication, views
from reader.caching import cache_for_readers as cached
from reader.sitemaps import NEWS_SITEMAP


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigitConverter(YearConverter):
    """Months and days as Hexo writes them: 08, not 8."""

    regex = "[0-9]{2}"

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

# Slugs keep Chinese characters, which <slug:> rejects: hence <str:>.
# Every public page is cached for anonymous readers (see reader.caching).
urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("articles/<str:slug>/", cached(views.ArticleDetailView.as_view()), name="detail"),
    path("articles/<str:slug>/qr.svg", cached(views.qr_code), name="qr"),
    path("read/<int:pk>/", views.count_read, name="read"),
    path("category/<path:path>/", cached(views.CategoryView.as_view()), name="category"),
    path("tag/<str:slug>/", cached(views.TagView.as_view()), name="tag"),
    path("author/<str:slug>/", cached(views.AuthorView.as_view()), name="author"),
    path("<yyyy:year>/", cached(views.YearView.as_view()), name="year"),
    path("<yyyy:year>/<dd:month>/", cached(views.MonthView.as_view()), name="month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<path:name>/", views.hexo_permalink, name="hexo-permalink"),
    path("search/", cached(views.SearchView.as_view()), name="search"),
    path("feed/", cached(syndication.ArticleFeed()), name="feed"),
    path("feed/atom/", cached(syndication.AtomArticleFeed()), name="feed-atom"),
    path("feed/category/<path:path>/", cached(syndication.CategoryFeed()), name="feed-category"),
    path("feed/tag/<str:slug>/", cached(syndication.TagFeed()), name="feed-tag"),
    path("feed/author/<str:slug>/", cached(syndication.AuthorFeed()), name="feed-author"),
    path("sitemap.xml", cached(views.sitemap_index), name="sitemap"),
    path("sitemap-articles-<yyyy:year>-<dd:month>-<dd:day>.xml", cached(views.day_sitemap), name="sitemap-day"),
    path("sitemap-news.xml", cached(sitemap), NEWS_SITEMAP, name="sitemap-news"),
    path("sitemap-tags-<int:block>.xml", cached(views.tag_sitemap), name="sitemap-tags"),
    path("sitemap-<str:section>.xml", cached(views.section_sitemap), name="sitemap-section"),
    path("robots.txt", cached(views.RobotsView.as_view()), name="robots"),
]
