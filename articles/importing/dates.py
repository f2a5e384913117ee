"""Publish dates as the crawler wrote them: RFC 2822 strings, ISO strings,
YAML timestamps and dates. A date without a zone is in ``settings.TIME_ZONE``."""

import datetime as dt
from email.utils import parsedate_to_datetime

from django.utils import timezone

NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def parse_date(value) -> tuple[dt.datetime | None, str]:
    """``(aware datetime, "")``, or ``(None, warning)`` when there is no usable date:
    such a post is imported as a draft for an editor to date, never guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "date: missing; imported as a draft"
    moment = _to_datetime(value)
    if moment is None:
        return None, f"date: cannot read {str(value)[:60]!r}; imported as a draft"
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment, ""


def _to_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value).strip()
    for parse in (_rfc2822, dt.datetime.fromisoformat, *(_strptime(f) for f in NAIVE_FORMATS)):
        try:
            return parse(text)
        except (TypeError, ValueError, IndexError):
            continue
    return None


def _rfc2822(text: str) -> dt.datetime:
    moment = parsedate_to_datetime(text)
    if moment is None:
        raise ValueError(text)
    return moment


def _strptime(fmt: str):
    return lambda text: dt.datetime.strptime(text, fmt)
