"""Test settings for fetcher subprocesses: the feeds they fetch are served on 127.0.0.1."""

from newsroom.test_settings import *  # noqa: F403

FEEDS_ALLOW_PRIVATE_HOSTS = True
