"""A registration written on the fast path (bulk INSERTs, one locked read) is stored in full."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.registration import Registration, RegistrationSettings
from eventsys.services import registration as reg
from tests.registration.helpers import outbox


def test_what_the_api_answers_is_what_is_stored(client, open_event, api_token):
    event = open_event(workshop_capacity=1)
    question = reg.add_question(event, "Régime alimentaire", "text")
    db.session.commit()
    headers = {"Authorization": f"Bearer {api_token(event.owner)}"}
    path = f"/api/v1/events/{event.code}/registrations"
    payload = {
        "first_name": "Élise", "last_name": "Durand", "organisation": "Agglomération Sud",
        "language": "en", "consent": True, "answers": {str(question.id): "végétarien"},
    }  # fmt: skip
    first = client.post(path, json={**payload, "email": "elise@agglo.fr",
                                    "sessions": [event.w1.id, event.morning.id]}, headers=headers)  # fmt: skip
    second = client.post(path, json={**payload, "email": "marc@agglo.fr",
                                     "sessions": [event.w1.id]}, headers=headers)  # fmt: skip
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json["status"] == "waitlisted"
    assert second.json["waitlist_position"] == 1

    db.session.expire_all()
    for answer in (first, second):
        stored = client.get(f"{path}/{answer.json['id']}", headers=headers)
        assert stored.status_code == 200
        assert stored.json == answer.json  # choices, answers, dates: nothing lost or changed
    assert first.json["answers"] == {str(question.id): "végétarien"}
    assert [(c["title"], c["status"]) for c in first.json["choices"]] == [
        ("Visite de terrain", "confirmed"),
        ("Atelier n°1", "confirmed"),
    ]

    people = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [p.ticket for p in people] == [1, 2]  # drawn under the lock, in arrival order
    settings = db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
    )
    assert settings.ticket_counter == 2
    messages = outbox()
    assert sorted(m.registration_id for m in messages) == [p.id for p in people]
    assert all(m.language == "en" and m.body_text and m.body_html for m in messages)


def test_a_repeated_submission_creates_nothing(client, open_event, api_token):
    event = open_event()
    headers = {"Authorization": f"Bearer {api_token(event.owner)}"}
    path = f"/api/v1/events/{event.code}/registrations"
    payload = {"first_name": "Élise", "last_name": "Durand", "email": "elise@agglo.fr",
               "organisation": "Agglomération Sud", "consent": True}  # fmt: skip
    first = client.post(path, json=payload, headers=headers)
    again = client.post(path, json={**payload, "email": "Elise@Agglo.fr"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["already_registered"] is True
    assert again.json["id"] == first.json["id"]
    assert len(db.session.scalars(select(Registration)).all()) == 1
