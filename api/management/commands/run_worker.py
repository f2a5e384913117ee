"""Run background work: the database queue's worker, plus the scheduled-article watch.

``django_tasks_db``'s ``db_worker`` runs the queued tasks (webhook deliveries,
feed fetches, hub pings); this command adds a thread that, every
``api.events.DUE_CHECK_SECONDS``, announces the scheduled articles whose time
has come, so nothing else (no cron) is needed for that. Run one or more per
node; the queue and the announcements are safe to share.
"""

import os
import threading

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from api import events


class Command(db_worker.Command):
    help = "Run queued background tasks and announce scheduled articles as they go live."

    def handle(self, *args, **options):
        if options["batch"]:  # one pass, for scripts and tests
            events.announce_due()
        elif not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # With --reload, only in the child that runs the code (not in the watching parent).
            threading.Thread(target=watch_due_articles, name="due-articles", daemon=True).start()
        super().handle(*args, **options)


def watch_due_articles(stop: threading.Event | None = None) -> None:
    """Announce due articles now, then every ``DUE_CHECK_SECONDS`` until ``stop`` is set."""
    stop = stop or threading.Event()
    while True:
        try:
            events.announce_due()
        except Exception:  # a database hiccup must not end the watch
            db_worker.logger.exception("announcing due articles failed")
        finally:
            close_old_connections()
        if stop.wait(events.DUE_CHECK_SECONDS):
            return
