"""The counters registering reads under the lock (places held and waiting per event, seats and
waiting per session) always equal a count of the rows, whatever changed the rows: every service that
moves people, a bulk SQL statement, a cascade. Runs on SQLite and, in CI, on PostgreSQL: each has
its own triggers."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update

from eventsys.extensions import db
from eventsys.models import counters
from eventsys.models.registration import Registration, RegistrationSettings, SessionSeatCount
from eventsys.services import personal_data, programme
from eventsys.services import registration as reg
from tests.registration.helpers import registration_input

pytestmark = pytest.mark.usefixtures("request_ctx")


def _register(event, n, sessions=(), **kw):
    outcome = reg.register_attendee(event, registration_input(n, sessions=sessions, **kw))
    db.session.commit()
    return outcome.registration


def _drift() -> list:
    db.session.flush()
    return counters.counter_drift(db.session.connection())


def _event_counters(event) -> tuple[int, int]:
    row = db.session.execute(
        select(RegistrationSettings.held_count, RegistrationSettings.waiting_count).where(
            RegistrationSettings.event_id == event.id
        )
    ).one()
    return tuple(row)


def _session_counters(session) -> tuple[int, int]:
    row = db.session.get(SessionSeatCount, session.id, populate_existing=True)
    return (row.seats, row.waiting) if row else (0, 0)


def test_every_way_of_moving_people_keeps_the_counters_equal_to_the_rows(open_event):
    event = open_event(workshop_capacity=2, settings={"capacity": 4})
    people = [_register(event, n, sessions=[event.w1.id, event.morning.id]) for n in range(7)]
    # 4 places, then the event's waiting list; 2 seats in workshop 1, then its waiting list.
    assert _event_counters(event) == (4, 3)
    assert _session_counters(event.w1) == (2, 2)
    assert _session_counters(event.morning) == (4, 0)  # those waiting for the event only wish for it
    assert _drift() == []

    reg.cancel_registration(people[0])  # frees a place and a seat: the first waiting move up
    db.session.commit()
    assert _drift() == []
    reg.change_choices(people[1], [event.w2.id])  # a seat freed in workshop 1, one taken in 2
    db.session.commit()
    assert _drift() == []
    assert _session_counters(event.w2) == (1, 0)

    reg.save_settings(event, {"moderation": True})
    db.session.commit()
    reg.cancel_registration(people[2])
    db.session.commit()
    pending = [p for p in people if p.status == "pending"]
    assert pending, "the person promoted under moderation waits for approval"
    reg.refuse_registration(pending[0])
    db.session.commit()
    assert _drift() == []

    personal_data.erase_person(people[3])  # deleted: its place and seats go to those waiting
    db.session.commit()
    assert _drift() == []

    reg.save_settings(event, {"capacity": 10})  # a larger capacity promotes everyone waiting
    db.session.commit()
    assert _event_counters(event)[1] == 0
    assert _drift() == []

    programme.delete_session(event.w1)  # its choices go by ON DELETE CASCADE, its counters too
    db.session.commit()
    assert db.session.get(SessionSeatCount, event.w1.id) is None
    assert _drift() == []


def test_a_change_made_in_plain_sql_is_counted_too(open_event):
    event = open_event(workshop_capacity=5)
    people = [_register(event, n, sessions=[event.w1.id]) for n in range(3)]
    db.session.execute(
        update(Registration).where(Registration.id == people[0].id).values(status="cancelled")
    )
    db.session.execute(text("UPDATE registration_choices SET status = 'waitlisted' WHERE registration_id = :id"),
                       {"id": people[1].id})  # fmt: skip
    db.session.execute(delete(Registration).where(Registration.id == people[2].id))
    assert _event_counters(event) == (1, 0)
    # people[0]'s choice is still confirmed; people[2]'s went with them (ON DELETE CASCADE)
    assert _session_counters(event.w1) == (1, 1)
    assert _drift() == []


def test_deleting_the_event_takes_its_counters_with_it(open_event):
    event = open_event()
    _register(event, 1, sessions=[event.w1.id])
    event_id, session_id = event.id, event.w1.id
    programme.delete_event(event)
    db.session.commit()
    assert db.session.scalar(select(RegistrationSettings).where(RegistrationSettings.event_id == event_id)) is None
    assert db.session.get(SessionSeatCount, session_id) is None


def test_settings_created_after_rows_start_from_those_rows(open_event):
    """Rows written before the event had a settings row (imported data, say) are counted when it
    is created, then kept."""
    event = open_event()
    _register(event, 1)
    db.session.execute(delete(RegistrationSettings).where(RegistrationSettings.event_id == event.id))
    db.session.execute(update(Registration).where(Registration.event_id == event.id).values(status="waitlisted"))
    db.session.commit()
    reg.ensure_settings(event)
    assert _event_counters(event) == (0, 1)
    _register(event, 2)
    assert _event_counters(event) == (1, 1)
    assert reg.places_taken(event) == 1
    assert _drift() == []


def test_recount_repairs_counters_and_drift_names_what_was_wrong(open_event):
    event = open_event(workshop_capacity=3)
    for n in range(2):
        _register(event, n, sessions=[event.w1.id])
    db.session.execute(update(RegistrationSettings).values(held_count=99))
    db.session.execute(update(SessionSeatCount).values(seats=0))
    drift = _drift()
    assert ("event", event.id, "held_count", 99, 2) in drift
    assert ("session", event.w1.id, "seats", 0, 2) in drift
    counters.recount(db.session.connection())
    assert _drift() == []
    assert _event_counters(event) == (2, 0)


def test_installing_the_triggers_again_changes_nothing(open_event):
    event = open_event()
    counters.create_counter_triggers(db.session.connection())
    _register(event, 1, sessions=[event.w1.id])
    assert _event_counters(event) == (1, 0)  # counted once, not twice
    assert _session_counters(event.w1) == (1, 0)


def test_the_check_counters_command_reports_then_repairs(app, open_event):
    from eventsys.cli.registration import check_counters

    event = open_event()
    _register(event, 1)
    runner = app.test_cli_runner()
    assert "agree" in runner.invoke(check_counters).output
    db.session.execute(update(RegistrationSettings).values(held_count=7))
    db.session.commit()
    result = runner.invoke(check_counters)
    assert result.exit_code == 1
    assert f"event {event.id}: held_count = 7, rows say 1" in result.output
    result = runner.invoke(check_counters, ["--repair"])
    assert result.exit_code == 0, result.output
    assert "1 counter(s) repaired." in result.output
    db.session.expire_all()
    assert _event_counters(event) == (1, 0)
