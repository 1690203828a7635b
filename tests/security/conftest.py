"""Fixtures of the security tests: the app as it runs in production (not TESTING), a published
event taking registrations, and the e-mails that left for someone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.registration.conftest import open_event  # noqa: F401 - shared fixture

BASE_URL = "https://evenements.example.org"
FORGED_HOST = "attacker.example"


def production(**settings: Any) -> dict[str, Any]:
    """Settings of an app outside debug/testing (the startup checks then apply), with the test
    database, memory mail and no threads, so the test reads what happened."""
    return {
        "TESTING": False,
        "LOG_JSON": False,
        "JOBS_INPROCESS": "sync",
        "MAIL_SEND_AFTER_REQUEST": False,
        **settings,
    }


@pytest.fixture
def production_app_config() -> dict[str, Any]:
    return production(BASE_URL=BASE_URL)
