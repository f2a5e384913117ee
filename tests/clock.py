"""The suite's clock, moved by ``NEWSROOM_TEST_CLOCK`` (an ISO 8601 instant).

Dates that mix UTC and the site's zone (Asia/Shanghai) only go wrong while the
two calendars disagree, 16:00–24:00 UTC, or at a month's end. Running the suite
with the clock moved there shows such a mistake at any hour of the real run:

    NEWSROOM_TEST_CLOCK=2027-01-31T17:30:00Z make test

The clock keeps ticking from the instant given. ``newsroom.test_settings``
moves it in every process that loads the test settings: pytest itself and the
``manage.py`` processes the tests start. The first process writes down the real
time it moved the clock at (``INSTANT@EPOCH``), so a process started later moves
to the same moment as its parent rather than back to the instant given.
"""

import datetime as dt
import os
import time

import time_machine

VARIABLE = "NEWSROOM_TEST_CLOCK"


def move_clock(value: str) -> None:
    instant, _, since = value.partition("@")
    moved_to = dt.datetime.fromisoformat(instant)
    if moved_to.tzinfo is None:
        raise ValueError(f"{VARIABLE}={value!r}: give the instant with its zone, e.g. 2027-01-31T17:30:00Z")
    real_now = time.time()
    started = float(since) if since else real_now
    time_machine.travel(moved_to + dt.timedelta(seconds=real_now - started), tick=True).start()
    os.environ[VARIABLE] = f"{instant}@{started}"
