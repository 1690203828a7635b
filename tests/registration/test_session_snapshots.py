"""A submission reads the sessions as kept for the event's current version: an organiser's change
to the programme (a capacity, a time, registration turned off) counts from the very next one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventsys.extensions import db
from eventsys.services import registration as reg
from eventsys.services.errors import (
    ChoiceConflict,
    RegistrationClosed,
    RegistrationInvalid,
    SessionClosed,
)
from tests.conftest import login
from tests.registration.helpers import registration_input
from tests.registration.test_programme_seats import _session_form

pytestmark = pytest.mark.usefixtures("request_ctx")


def _register(event, n, sessions):
    outcome = reg.register_attendee(event, registration_input(n, sessions=sessions))
    db.session.commit()
    return outcome


def test_a_seat_added_in_the_session_form_goes_to_the_next_person(client, open_event):
    event = open_event(workshop_capacity=1)
    assert _register(event, 1, [event.w1.id]).registration.choices[0].status == "confirmed"
    login(client, event.owner)
    response = client.post(
        f"/manage/events/{event.id}/sessions/{event.w1.id}/edit",
        data=_session_form(event, event.w1, capacity="2"),
    )
    assert response.status_code == 302
    outcome = _register(event, 2, [event.w1.id])
    assert outcome.registration.choices[0].status == "confirmed"
    assert outcome.view.overall == "confirmed"


def test_a_smaller_capacity_puts_the_next_person_on_the_waiting_list(open_event):
    event = open_event(workshop_capacity=2)
    assert _register(event, 1, [event.w1.id]).registration.choices[0].status == "confirmed"
    event.w1.capacity = 1
    db.session.commit()
    outcome = _register(event, 2, [event.w1.id])
    assert outcome.registration.choices[0].status == "waitlisted"
    assert outcome.view.overall == "waitlisted"
    assert outcome.view.position == 1


def test_a_session_that_stops_taking_registrations_is_refused_at_once(open_event):
    event = open_event()
    _register(event, 1, [event.morning.id])
    event.morning.requires_registration = False
    db.session.commit()
    with pytest.raises(SessionClosed, match="Visite de terrain"):
        reg.register_attendee(event, registration_input(2, sessions=[event.morning.id]))


def test_a_session_moved_onto_another_makes_choosing_both_a_clash(open_event):
    event = open_event()
    _register(event, 1, [event.morning.id, event.w1.id])  # apart: morning and afternoon
    event.morning.starts_at = event.w1.starts_at
    event.morning.ends_at = event.w1.starts_at + timedelta(hours=1)
    db.session.commit()
    with pytest.raises(ChoiceConflict):
        reg.register_attendee(
            event, registration_input(2, sessions=[event.morning.id, event.w1.id])
        )


# The form (custom questions, settings bar their counters) is kept per version of the event too.


def test_a_question_added_after_a_registration_is_asked_of_the_next_person(open_event):
    event = open_event()
    _register(event, 1, [])
    question = reg.add_question(event, "Régime alimentaire", "text", required=True)
    db.session.commit()
    with pytest.raises(RegistrationInvalid) as refused:
        reg.register_attendee(event, registration_input(2))
    assert f"answers.{question.id}" in refused.value.params["errors"]


def test_a_field_made_required_counts_from_the_next_person(open_event):
    event = open_event()
    _register(event, 1, [])
    reg.save_settings(event, {"field_modes": {"accessibility": "required"}})
    db.session.commit()
    with pytest.raises(RegistrationInvalid) as refused:
        reg.register_attendee(event, registration_input(2))
    assert "accessibility" in refused.value.params["errors"]


def test_settings_changed_on_the_row_itself_count_from_the_next_person(open_event):
    event = open_event()
    _register(event, 1, [])
    settings = reg.load_settings(event)
    settings.enabled = False
    db.session.commit()
    with pytest.raises(RegistrationClosed):
        reg.register_attendee(event, registration_input(2))
    settings.enabled, settings.field_modes = True, {"organisation_type": "required"}
    db.session.commit()
    with pytest.raises(RegistrationInvalid) as refused:
        reg.register_attendee(event, registration_input(3, organisation_type=""))
    assert "organisation_type" in refused.value.params["errors"]
