"""Publish dates as the crawler wrote them: RFC 2822 strings (``GMT`` or
``+0800``), ISO strings, the crawl time ``2021-09-02 01:48:36`` and YAML
timestamps. A date without a zone is in ``settings.TIME_ZONE``. A date that
cannot be right (before ``EARLIEST_YEAR``, or more than a day ahead) is no date."""

import datetime as dt
from email.utils import parsedate_to_datetime

from django.utils import timezone
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
WARNING_VALUE_LENGTH = 60
# Nothing on the site was published before the web had tech news in Chinese.
EARLIEST_YEAR = 1990
# Clocks and zones disagree by hours, never by more than a day.
LATEST_AHEAD = dt.timedelta(days=1)


def parse_date(value) -> tuple[dt.datetime | None, str]:
    """``(aware datetime, "")``, or ``(None, warning)`` when there is no usable date:
    such a post is imported as a draft for an editor to date, never guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "date: missing; imported as a draft"
    moment = _to_datetime(value)
    if moment is None:
        return None, f"date: cannot read {str(value)[:WARNING_VALUE_LENGTH]!r}; imported as a draft"
    if timezone.is_naive(moment):
        # The site's zone, not whichever zone happens to be active.
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    if moment.year < EARLIEST_YEAR or moment > timezone.now() + LATEST_AHEAD:
        when = f"before {EARLIEST_YEAR}" if moment.year < EARLIEST_YEAR else "more than a day in the future"
        return None, f"date: {str(value)[:WARNING_VALUE_LENGTH]!r} is {when}; imported as a draft"
    return moment, ""


def _to_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value).strip()
    for parse in (_rfc2822, dt.datetime.fromisoformat, *(_strptime(f) for f in NAIVE_FORMATS), _yaml_timestamp):
        try:
            return parse(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


def _rfc2822(text: str) -> dt.datetime:
    moment = parsedate_to_datetime(text)
    if moment is None:
        raise ValueError(text)
    if moment.tzinfo is None:
        # Python leaves "-0000" naive; RFC 2822 says it is UTC from a sender
        # whose own zone is unknown.
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _strptime(fmt: str):
    return lambda text: dt.datetime.strptime(text, fmt)


def _yaml_timestamp(text: str) -> dt.datetime:
    """What YAML itself accepts: ``2021-9-2 1:48:36``, ``2001-12-14 21:59:43.10 -5``."""
    if not SafeConstructor.timestamp_regexp.fullmatch(text):
        raise ValueError(text)
    return _to_datetime(SafeConstructor().construct_yaml_timestamp(ScalarNode("tag:yaml.org,2002:timestamp", text)))
