"""Fixtures of the delegation tests: a published future event with parallel workshops and a
technical visit, and the data of a Belgian delegation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from eventsys.extensions import db as _db

FUTURE: date = datetime.now(UTC).date() + timedelta(days=60)


@pytest.fixture
def forum(make_event, make_session, make_room, make_user) -> Callable[..., Any]:
    """A published event (fr, en, de, it) with two parallel workshops and a technical visit."""
    from eventsys.services import programme
    from eventsys.services import registration as reg

    def make(capacity: int | None = None, waitlist: bool = True, **data: Any):
        owner = make_user(platform_role="organiser")
        dates = {"start_date": FUTURE, "end_date": FUTURE, **data}
        event = make_event(owner=owner, languages="fr,en,de,it", **dates)
        room_a, room_b = make_room(event, "Salle Europe", 80), make_room(event, "Salle Afrique", 40)
        event.plenary = make_session(
            event, "Ouverture", "09:00", "09:45", type="opening", room=room_a
        )
        event.w1 = make_session(event, "Eau et assainissement", "10:00", "11:30", type="workshop", room=room_a,
                                requires_registration=True, capacity=30)  # fmt: skip
        event.w2 = make_session(event, "Voirie et mobilité", "10:00", "11:30", type="workshop", room=room_b,
                                requires_registration=True, capacity=30)  # fmt: skip
        event.visit = make_session(event, "Visite de la station d'épuration", "14:00", "17:00",
                                   type="technical_visit", requires_registration=True, capacity=12)  # fmt: skip
        programme.publish_event(event)
        reg.save_settings(event, {"capacity": capacity, "waitlist_enabled": waitlist})
        _db.session.commit()
        event.owner = owner
        return event

    return make


def member(n: int, **kw: Any) -> dict[str, Any]:
    names = ["Lucas", "Emma", "Noah", "Louise", "Arthur", "Alice", "Jules", "Chloé", "Adam", "Lina"]
    return {"first_name": names[n % 10], "last_name": "Peeters-" + "abcdefghij"[n % 10],
            "email": f"membre{n}@commune.be", "language": "fr", "role": "engineer", **kw}  # fmt: skip


def delegation_data(members: int | list[Any] = 5, **kw: Any):
    """A DelegationInput of a Belgian delegation (one interpreter, one member without an address)."""
    from eventsys.services.delegations import DelegationInput, MemberInput

    if isinstance(members, list):
        return DelegationInput(**{**delegation_data(0).__dict__, "members": members, **kw})
    people = [member(n) for n in range(members)]
    if members >= 5:
        people[1].update(language="de")
        people[2].update(email="", language="it")
        people[4].update(role="interpreter", language="en")
    fields = {
        "name": "ARDIC — Commune de Namur",
        "country": "BE",
        "institution": "Association régionale des directeurs et ingénieurs communaux",
        "head_first_name": "Marie",
        "head_last_name": "Dubois",
        "head_email": "marie.dubois@ardic.be",
        "head_language": "fr",
        "members": [MemberInput(**p) for p in people],
        "consent": True,
        **kw,
    }
    return DelegationInput(**fields)


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/", base_url="http://eventsys.test"):
        yield
