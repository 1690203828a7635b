"""Places, seats and waiting lists: first come, first served, promotion on every freed place."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.services import personal_data
from eventsys.services import registration as reg
from eventsys.services.errors import EventFull, InvalidTransition, SessionFull
from tests.registration.helpers import outbox, registration_input

pytestmark = pytest.mark.usefixtures("request_ctx")


def _register(event, n, sessions=(), **kw):
    outcome = reg.register_attendee(event, registration_input(n, sessions=sessions, **kw))
    db.session.commit()
    return outcome.registration


def _positions(registrations):
    return [reg.status_view(r).position for r in registrations]


def test_event_capacity_then_waiting_list_in_arrival_order(open_event):
    event = open_event(settings={"capacity": 2})
    people = [_register(event, n) for n in range(5)]
    assert [p.status for p in people] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert _positions(people[2:]) == [1, 2, 3]
    assert reg.places_taken(event) == 2


def test_cancelling_promotes_the_first_person_waiting_and_tells_them(open_event):
    event = open_event(settings={"capacity": 1})
    first, second, third = (_register(event, n) for n in range(3))
    reg.cancel_registration(first)
    db.session.commit()
    assert (first.status, second.status, third.status) == ("cancelled", "confirmed", "waitlisted")
    assert reg.status_view(third).position == 1  # moved up, positions stay 1..N
    promoted = outbox(to=second.email, kind="promoted")
    assert len(promoted) == 1
    assert "Une place s'est libérée" in promoted[0].subject
    assert outbox(to=first.email, kind="cancelled")
    assert outbox(to=third.email, kind="promoted") == []


def test_session_waiting_list_is_per_session_and_fifo(open_event):
    event = open_event(workshop_capacity=2)
    people = [_register(event, n, sessions=[event.w1.id]) for n in range(5)]
    statuses = [p.choices[0].status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [reg.status_view(p).overall for p in people] == ["confirmed"] * 2 + ["waitlisted"] * 3
    other = _register(event, 9, sessions=[event.w2.id])
    assert other.choices[0].status == "confirmed"  # the other workshop has its own seats

    reg.cancel_registration(people[1])
    db.session.commit()
    assert people[2].choices[0].status == "confirmed"
    assert [reg.choice_position(p.choices[0]) for p in people[3:]] == [1, 2]
    assert outbox(to=people[2].email, kind="promoted")


def test_changing_workshop_frees_the_seat_for_the_first_waiting(open_event):
    event = open_event(workshop_capacity=1)
    seated = _register(event, 1, sessions=[event.w1.id])
    waiting = _register(event, 2, sessions=[event.w1.id])
    assert waiting.choices[0].status == "waitlisted"
    reg.change_choices(seated, [event.w2.id, event.morning.id])
    db.session.commit()
    live = {c.session_id: c.status for c in seated.live_choices}
    assert live == {event.w2.id: "confirmed", event.morning.id: "confirmed"}
    assert waiting.choices[0].status == "confirmed"
    assert outbox(to=waiting.email, kind="promoted")
    assert outbox(to=seated.email, kind="changed")


def test_keeping_a_workshop_keeps_its_seat_and_ticket(open_event):
    event = open_event(workshop_capacity=1)
    _register(event, 1, sessions=[event.w1.id])
    waiting = _register(event, 2, sessions=[event.w1.id])
    ticket = waiting.choices[0].ticket
    reg.change_choices(waiting, [event.w1.id, event.morning.id])
    db.session.commit()
    w1 = next(c for c in waiting.live_choices if c.session_id == event.w1.id)
    assert (w1.status, w1.ticket) == ("waitlisted", ticket)


def test_moderation_holds_the_place_until_approved_or_refused(open_event):
    event = open_event(settings={"capacity": 1, "moderation": True})
    pending = _register(event, 1)
    waiting = _register(event, 2)
    assert (pending.status, waiting.status) == ("pending", "waitlisted")
    assert "en attente de validation" in outbox(to=pending.email)[0].subject
    reg.refuse_registration(pending)
    db.session.commit()
    assert pending.status == "refused"
    assert waiting.status == "pending"  # promoted, still to be approved
    assert outbox(to=pending.email, kind="refused")
    reg.approve_registration(waiting)
    db.session.commit()
    assert waiting.status == "confirmed"
    assert outbox(to=waiting.email, kind="approved")
    with pytest.raises(InvalidTransition):
        reg.approve_registration(waiting)


def test_person_waiting_for_the_event_gets_workshop_seats_when_promoted(open_event):
    event = open_event(settings={"capacity": 1}, workshop_capacity=5)
    first = _register(event, 1, sessions=[event.w1.id])
    second = _register(event, 2, sessions=[event.w1.id])
    assert second.status == "waitlisted"
    assert second.choices[0].status == "requested"
    assert reg.seats_taken([event.w1.id])[event.w1.id] == 1  # a person waiting holds no seat
    reg.cancel_registration(first)
    db.session.commit()
    assert second.status == "confirmed"
    assert second.choices[0].status == "confirmed"


def test_raising_the_capacity_fills_the_new_places_in_order(open_event):
    event = open_event(settings={"capacity": 1})
    people = [_register(event, n) for n in range(4)]
    promoted = reg.save_settings(event, {"capacity": 3})
    db.session.commit()
    assert [p.id for p in promoted] == [people[1].id, people[2].id]
    assert [p.status for p in people] == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_without_waiting_lists_full_means_refused_and_nothing_saved(open_event):
    event = open_event(settings={"capacity": 1, "waitlist_enabled": False}, workshop_capacity=1)
    _register(event, 1, sessions=[event.w1.id])
    with pytest.raises(EventFull):
        reg.register_attendee(event, registration_input(2))
    db.session.rollback()
    reg.save_settings(event, {"capacity": None})
    db.session.commit()
    with pytest.raises(SessionFull):
        reg.register_attendee(event, registration_input(3, sessions=[event.w1.id]))
    db.session.rollback()
    assert len(reg.search_registrations(event)[0]) == 1


def test_registering_again_after_cancelling_reuses_the_registration(open_event):
    event = open_event(workshop_capacity=1)
    first = _register(event, 1, sessions=[event.w1.id])
    reg.cancel_registration(first)
    db.session.commit()
    again = reg.register_attendee(event, registration_input(1, sessions=[event.w1.id]))
    db.session.commit()
    assert again.created
    assert again.registration.id == first.id
    assert again.registration.status == "confirmed"
    assert [c.status for c in again.registration.choices] == ["confirmed"]


def test_organiser_can_overbook_on_purpose(open_event):
    event = open_event(workshop_capacity=1)
    _register(event, 1, sessions=[event.w1.id])
    waiting = _register(event, 2, sessions=[event.w1.id])
    reg.promote_choice(waiting.choices[0])
    db.session.commit()
    assert reg.seats_taken([event.w1.id])[event.w1.id] == 2
    other = _register(event, 3, sessions=[event.w2.id])
    reg.change_choices(other, [event.w1.id], by_organiser=True, force=True)
    db.session.commit()
    assert reg.seats_taken([event.w1.id])[event.w1.id] == 3


def test_waiting_list_positions_stay_contiguous_after_cancellations(open_event):
    event = open_event(settings={"capacity": 1})
    people = [_register(event, n) for n in range(6)]
    reg.cancel_registration(people[3])
    reg.cancel_registration(people[1])
    db.session.commit()
    waiting = [p for p in people if p.status == "waitlisted"]
    assert _positions(waiting) == [1, 2, 3]
    event_positions, _choices = reg.waitlist_positions(event)
    assert sorted(event_positions.values()) == [1, 2, 3]


def test_retention_purge_deletes_only_expired_events(open_event, make_event):
    from datetime import date

    from eventsys.models.registration import Registration

    event = open_event()
    _register(event, 1)
    old = make_event(start_date=date(2024, 3, 1), end_date=date(2024, 3, 1))
    reg.save_settings(old, {"retention_months": 12})
    db.session.add(Registration(event_id=old.id, first_name="A", last_name="B", email="a@b.fr", email_key="a@b.fr"))
    db.session.commit()
    assert personal_data.purge_expired() == 1
    db.session.commit()
    assert db.session.scalars(db.select(Registration)).all()[0].event_id == event.id


def test_seats_added_in_the_programme_go_to_those_already_waiting_first(open_event):
    event = open_event(workshop_capacity=1)
    _register(event, 1, sessions=[event.w1.id])
    waiting = _register(event, 2, sessions=[event.w1.id])
    event.w1.capacity = 2  # the organiser moved the workshop to a bigger room
    db.session.commit()
    newcomer = _register(event, 3, sessions=[event.w1.id])
    assert waiting.choices[0].status == "confirmed"
    assert outbox(to=waiting.email, kind="promoted")
    assert newcomer.choices[0].status == "waitlisted"
    assert reg.choice_position(newcomer.choices[0]) == 1

    event.w1.capacity = 4
    db.session.commit()
    latest = _register(event, 4, sessions=[event.w1.id])
    assert newcomer.choices[0].status == "confirmed"
    assert latest.choices[0].status == "confirmed"
    assert [m.kind for m in outbox(to=latest.email)] == ["received"]
    assert "Inscription confirmée" in outbox(to=latest.email)[0].subject
