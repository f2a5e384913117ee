"""NEWSROOM_TEST_CLOCK moves the suite's clock, in pytest and in the processes it starts."""

import os
import subprocess
import sys
import time

import pytest
from time_machine import escape_hatch

from tests.conftest import PROJECT_DIR

# Each test starts a Python process of its own.
pytestmark = pytest.mark.slow

READ_CLOCK = (
    "import django; django.setup(); from django.utils import timezone; "
    "print(timezone.now().isoformat(), timezone.localdate().isoformat())"
)


def clock_in_a_new_process(value: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.test_settings", "NEWSROOM_TEST_CLOCK": value}
    result = subprocess.run(
        [sys.executable, "-c", READ_CLOCK], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_a_moved_clock_puts_utc_and_shanghai_on_different_days_and_months():
    now, local_day = clock_in_a_new_process("2027-01-31T17:30:00Z")
    assert now.startswith("2027-01-31T17:30")
    assert local_day == "2027-02-01"


def test_a_process_started_later_keeps_the_clock_its_parent_moved():
    # Moved to 17:30 an hour ago (real time, whatever clock this suite runs at): a process started now reads 18:30.
    real_now = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    now, _ = clock_in_a_new_process(f"2027-01-31T17:30:00Z@{real_now - 3600}")
    assert now.startswith("2027-01-31T18:30")
