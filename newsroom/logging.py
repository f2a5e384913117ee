"""Log lines for stdout: one line per event, each tagged with the request id.

The request id lives in a context variable set by ``RequestLogMiddleware``, so
any log call made while serving a request (a cache error, a slow query) carries
the same id as that request's access line, with no logger having to pass it on.
"""

import logging
from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` for the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class OneLineFormatter(logging.Formatter):
    """A traceback would span many lines; fold it into one so that every line
    of the log is one event, whatever collects it."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


def config(level: str) -> dict:
    """The ``LOGGING`` setting: everything to stdout at ``level``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "line": {
                "()": OneLineFormatter,
                "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
            },
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "line",
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        # Django's own handlers would print a second copy of each request error (and mail admins).
        "loggers": {"django": {"handlers": ["stdout"], "level": level, "propagate": False}},
    }
