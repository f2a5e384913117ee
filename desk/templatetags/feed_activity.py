"""The admin index's chart: articles per day for the last 30 days, one row per source.

Small multiples rather than one tangle of lines: each source gets a row of
daily bars scaled to its own busiest day, so a source that has gone quiet
shows as an empty stretch at the right whatever its volume. Inline SVG with
presentation attributes only (the Content-Security-Policy allows no inline
styles or scripts); the data is one aggregate query.
"""

import datetime as dt
from collections import defaultdict

from django import template
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from content.models import Article, Author

register = template.Library()

DAYS = 30
QUIET_DAYS = 7  # a source with nothing for this long is marked quiet
BAR_WIDTH, BAR_GAP, ROW_HEIGHT, LABEL_WIDTH = 8, 2, 26, 180


@register.inclusion_tag("admin/articles/feed_activity_chart.html")
def feed_activity_chart():
    today = timezone.localdate()
    first = today - dt.timedelta(days=DAYS - 1)
    series = _series(_daily_counts(first), first)
    return {
        "series": series,
        "first": first,
        "last": today,
        "width": LABEL_WIDTH + DAYS * (BAR_WIDTH + BAR_GAP) + 60,
        "height": max(1, len(series)) * ROW_HEIGHT + 20,
        "axis_y": len(series) * ROW_HEIGHT + 14,
        "end_x": LABEL_WIDTH + DAYS * (BAR_WIDTH + BAR_GAP),
    }


def _daily_counts(first: dt.date) -> dict[str, dict[dt.date, int]]:
    """Source name → day → articles published that day (in the site's zone)."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    rows = (
        Article.objects.published()
        .filter(author__kind=Author.Kind.SOURCE, published_at__gte=start)
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
        .values("author__name", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for row in rows:
        counts[row["author__name"]][row["day"]] = row["n"]
    return counts


def _series(counts: dict[str, dict[dt.date, int]], first: dt.date) -> list[dict]:
    days = [first + dt.timedelta(days=n) for n in range(DAYS)]
    ordered = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    series = []
    for row, (source, per_day) in enumerate(ordered):
        values = [per_day.get(day, 0) for day in days]
        peak, top = max(values), row * ROW_HEIGHT
        bars = [
            {
                "x": LABEL_WIDTH + n * (BAR_WIDTH + BAR_GAP),
                "y": top + ROW_HEIGHT - 4 - max(1, round(value / peak * (ROW_HEIGHT - 8))),
                "height": max(1, round(value / peak * (ROW_HEIGHT - 8))),
                "day": day,
                "value": value,
            }
            for n, (day, value) in enumerate(zip(days, values, strict=True))
            if value
        ]
        quiet = not any(values[-QUIET_DAYS:])
        series.append(
            {
                "source": source,
                "total": sum(values),
                "peak": peak,
                "quiet": quiet,
                "bars": bars,
                "y": top + ROW_HEIGHT - 8,
            }
        )
    return series
