"""Seats added in the programme (a session's capacity, a bigger room) go at once to the people waiting.

The organiser changes the programme, not the registrations: the people on the session's waiting
list are promoted in arrival order and told by e-mail, without waiting for the next registration.
"""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.services import registration as reg
from tests.conftest import login
from tests.registration.helpers import outbox, registration_input

pytestmark = pytest.mark.usefixtures("request_ctx")


def _register(event, n, sessions=()):
    outcome = reg.register_attendee(event, registration_input(n, sessions=sessions))
    db.session.commit()
    return outcome.registration


def _session_form(event, session, **changes) -> dict:
    start = session.starts_at.astimezone(event.tz)
    end = session.ends_at.astimezone(event.tz)
    data = {
        "title": session.title,
        "type": session.type,
        "track": "",
        "day": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "room": str(session.room_id or ""),
        "capacity": "" if session.capacity is None else str(session.capacity),
        "description": session.description or "",
        "languages": ["fr"],
        "requires_registration": "y",
        "status": "scheduled",
        "save": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def full_workshop(client, open_event):
    """A workshop of one seat, taken; two people waiting for it, in this order."""
    event = open_event(workshop_capacity=1)
    seated = _register(event, 1, sessions=[event.w1.id])
    first, second = (_register(event, n, sessions=[event.w1.id]) for n in (2, 3))
    assert [p.choices[0].status for p in (seated, first, second)] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    login(client, event.owner)
    return event, first, second


def _choice_status(registration) -> str:
    db.session.expire_all()
    return registration.choices[0].status


def test_raising_a_workshop_capacity_in_the_session_form_promotes_in_order(client, full_workshop):
    event, first, second = full_workshop
    response = client.post(
        f"/manage/events/{event.id}/sessions/{event.w1.id}/edit",
        data=_session_form(event, event.w1, capacity="2"),
    )
    assert response.status_code == 302
    assert (_choice_status(first), _choice_status(second)) == ("confirmed", "waitlisted")
    [promoted] = outbox(to=first.email, kind="promoted")
    assert "Une place s'est libérée" in promoted.subject
    assert "Atelier n°1 — place confirmée" in promoted.body_text
    assert outbox(to=second.email, kind="promoted") == []
    assert reg.choice_position(second.choices[0]) == 1


def test_removing_the_limit_seats_everyone_waiting(client, full_workshop):
    event, first, second = full_workshop
    client.post(
        f"/manage/events/{event.id}/sessions/{event.w1.id}/edit",
        data=_session_form(event, event.w1, capacity=""),
    )
    assert (_choice_status(first), _choice_status(second)) == ("confirmed", "confirmed")
    assert len(outbox(kind="promoted")) == 2


def test_an_edit_that_adds_no_seat_promotes_nobody(client, full_workshop):
    event, first, second = full_workshop
    response = client.post(
        f"/manage/events/{event.id}/sessions/{event.w1.id}/edit",
        data=_session_form(event, event.w1, description="Apportez un ordinateur portable."),
    )
    assert response.status_code == 302
    assert (_choice_status(first), _choice_status(second)) == ("waitlisted", "waitlisted")
    assert outbox(kind="promoted") == []


def test_raising_the_capacity_through_the_api_promotes(client, full_workshop, api_token):
    event, first, second = full_workshop
    token = api_token(event.owner)
    response = client.patch(
        f"/api/v1/events/{event.code}/sessions/{event.w1.id}",
        json={"capacity": 3},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()
    assert (_choice_status(first), _choice_status(second)) == ("confirmed", "confirmed")
    assert outbox(to=second.email, kind="promoted")


def test_a_bigger_room_promotes_those_waiting_for_its_sessions(
    client, open_event, make_room, make_session
):
    event = open_event()
    room = make_room(event, "Salle Europe", capacity=1)
    visit = make_session(event, "Visite du chantier", "17:00", "18:00", room=room, type="workshop",
                         requires_registration=True)  # fmt: skip
    seated = _register(event, 1, sessions=[visit.id])
    waiting = _register(event, 2, sessions=[visit.id])
    assert (seated.choices[0].status, waiting.choices[0].status) == ("confirmed", "waitlisted")
    login(client, event.owner)
    response = client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/edit",
        data={
            "name": "Salle Europe",
            "capacity": "30",
            "location_notes": "",
            "step_free": "y",
            "position": "0",
        },
    )
    assert response.status_code == 302
    assert _choice_status(waiting) == "confirmed"
    assert outbox(to=waiting.email, kind="promoted")


def test_seats_of_a_cancelled_session_are_not_handed_out(client, full_workshop):
    event, first, second = full_workshop
    client.post(
        f"/manage/events/{event.id}/sessions/{event.w1.id}/edit",
        data=_session_form(event, event.w1, capacity="5", status="cancelled"),
    )
    assert (_choice_status(first), _choice_status(second)) == ("waitlisted", "waitlisted")
    assert outbox(kind="promoted") == []
