"""Fixtures of the registration tests: a published event with workshops, form and API helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from eventsys.extensions import db as _db
from tests.registration.helpers import FUTURE


@pytest.fixture
def open_event(make_event, make_session, make_user) -> Callable[..., Any]:
    """A published future event; `workshops` sessions taking registrations (two in the same slot)."""
    from eventsys.services import programme
    from eventsys.services import registration as reg

    def make(owner=None, workshop_capacity: int | None = 2, settings: dict[str, Any] | None = None, **data: Any):
        owner = owner or make_user()
        day: date = data.pop("start_date", FUTURE)
        event = make_event(owner=owner, start_date=day, end_date=day, **data)
        plenary = make_session(event, "Ouverture", "09:30", "10:00", type="opening")
        w1 = make_session(event, "Atelier n°1", "14:30", "16:00", type="workshop", requires_registration=True,
                          capacity=workshop_capacity)  # fmt: skip
        w2 = make_session(event, "Atelier n°2", "14:30", "16:00", type="workshop", requires_registration=True,
                          capacity=workshop_capacity)  # fmt: skip
        morning = make_session(event, "Visite de terrain", "10:15", "11:15", type="workshop",
                               requires_registration=True, capacity=None)  # fmt: skip
        programme.publish_event(event)
        if settings:
            reg.save_settings(event, settings)
        _db.session.commit()
        event.owner, event.w1, event.w2, event.morning, event.plenary = owner, w1, w2, morning, plenary
        return event

    return make


@pytest.fixture
def api_token(app) -> Callable[..., str]:
    from eventsys.security import issue_api_token

    def make(user) -> str:
        _token, raw = issue_api_token(user, name="test")
        _db.session.commit()
        return raw

    return make


@pytest.fixture
def request_ctx(app):
    """Service calls build e-mail links from the current request, as in a view."""
    with app.test_request_context("/", base_url="http://eventsys.test"):
        yield
