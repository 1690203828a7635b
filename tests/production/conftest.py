"""Fixtures of the production tests: the check-in event and people, Redis when the machine has it."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest

from tests.checkin.conftest import desk_event, register, today  # noqa: F401 - shared fixtures
from tests.conftest import login

REDIS_URL = os.environ.get("EVENTSYS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_queue() -> Iterator[str]:
    """A queue name of its own on the test Redis (skips when there is no Redis); removed afterwards."""
    if not redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (set EVENTSYS_TEST_REDIS_URL)")
    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"*{name}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def organiser_client(client, desk_event):  # noqa: F811
    assert login(client, desk_event.owner).status_code == 302
    return client


@pytest.fixture(autouse=True)
def _fresh_redis_breaker():
    """A test that pointed at a dead Redis must not make the next one skip Redis."""
    from eventsys.jobs import queue as job_queue

    job_queue._REDIS.down_until = 0.0
    yield
    job_queue._REDIS.down_until = 0.0
