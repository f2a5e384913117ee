"""The reader's search form: the query, the order and the filters."""

import datetime as dt

from django import forms
from django.db.models import Count, QuerySet
from django.utils import timezone

from content.models import Author, Category, CategoryListing
from content.queries import in_category
from search import results as search_results
from search.query import Search

# Categories and sources each filter offers: the most frequent among the results.
FACETS = 30


class SearchForm(forms.Form):
    """Bound to ``request.GET``. A filter with a bad value is reported on the
    page and left out; the rest of the search still runs."""

    q = forms.CharField(required=False, strip=False, label="关键词")
    sort = forms.ChoiceField(required=False, choices=[("", "相关度"), (search_results.NEWEST, "最新")], label="排序")
    category = forms.ModelChoiceField(
        Category.objects.with_ancestry(), required=False, to_field_name="path", empty_label="全部分类", label="分类"
    )
    source = forms.ModelChoiceField(
        Author.objects.filter(kind=Author.Kind.SOURCE),
        required=False,
        to_field_name="slug",
        empty_label="全部来源",
        label="来源",
    )
    start = forms.DateField(required=False, label="从", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="到", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.is_valid()  # fills cleaned_data with the good fields and errors with the others
        self.search = Search.parse(self.data.get("q", ""))
        self.in_window = 0  # how many results: set by results()

    def results(self, articles: QuerySet) -> QuerySet:
        """``articles`` that match, filtered and in the order asked for (``in_window`` of them).
        The category and source filters then offer what these results are filed under and come from."""
        results, self.in_window = search_results.ranked(
            self._filter(articles), self.search, self.cleaned_data.get("sort", "")
        )
        self._offer_facets(results.order_by())
        return results

    def _offer_facets(self, results: QuerySet) -> None:
        """A site has hundreds of sources and categories: rather than all of them,
        each filter offers the ``FACETS`` most frequent among the results, with
        how many results each has (and whatever the reader chose).

        The results are at most a window of articles: their rows are counted
        by source and by category (the category's listing rows), and only the
        offered sources and categories are read."""
        offers = {
            "source": (results, "author", "author__name", Author.objects.filter(kind=Author.Kind.SOURCE)),
            "category": (
                CategoryListing.objects.filter(article__in=results.values("pk")),
                "category",
                "category__path",
                Category.objects.with_ancestry(),
            ),
        }
        for name, (rows, group, then_by, choices) in offers.items():
            field = self.fields[name]
            offered = []
            if self.in_window:
                counted = rows.values(group).annotate(found=Count("pk")).order_by("-found", then_by)
                counts = dict(counted.values_list(group, "found")[:FACETS])
                found = choices.in_bulk(counts)
                offered = [_with_count(found[pk], counts[pk]) for pk in counts if pk in found]
            chosen = self.cleaned_data.get(name)
            if chosen is not None and chosen not in offered:
                offered.insert(0, chosen)
            field.widget.choices = [("", field.empty_label)] + [
                (field.prepare_value(choice), _counted(choice)) for choice in offered
            ]

    def estimate(self, articles: QuerySet) -> search_results.Count:
        """About how many of ``articles`` match, after ``results()``."""
        return search_results.estimate(self._filter(articles), self.search, self.in_window)

    def _filter(self, articles: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("category"):
            articles = in_category(articles, data["category"])
        if data.get("source"):
            articles = articles.filter(author=data["source"])
        if data.get("start"):
            articles = articles.filter(published_at__gte=_day_start(data["start"]))
        if data.get("end"):
            articles = articles.filter(published_at__lt=_day_start(data["end"] + dt.timedelta(days=1)))
        return articles


def _with_count(choice, found: int):
    choice.found = found
    return choice


def _counted(choice) -> str:
    found = getattr(choice, "found", None)
    return f"{choice}（{found}）" if found else str(choice)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
