"""The folded name the desk searches follows every path that writes a person: the public form,
the API, the CSV import, the organiser's correction and the erasure."""

from __future__ import annotations

import io

from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.registration import Registration
from eventsys.services import checkin as svc
from eventsys.services import personal_data
from eventsys.services import registration as reg
from tests.conftest import login
from tests.registration.helpers import person


def names(event, typed: str) -> list[str]:
    return [f"{p['first_name']} {p['last_name']}" for p in svc.search_attendees(event, typed)]


def test_the_key_follows_the_public_form(client, open_event):
    event = open_event()
    response = client.post(
        f"/e/{event.code}/register", data=person(1, first_name="Hélène", last_name="Müller")
    )
    assert response.status_code == 302
    assert names(event, "helene mueller") == ["Hélène Müller"]


def test_the_key_follows_the_api(client, open_event, api_token):
    event = open_event()
    response = client.post(
        f"/api/v1/events/{event.code}/registrations",
        json={"first_name": "José", "last_name": "García", "email": "jose@agglo.fr",
              "organisation": "Agglo", "consent": True},  # fmt: skip
        headers={"Authorization": f"Bearer {api_token(event.owner)}"},
    )
    assert response.status_code == 201, response.json
    assert names(event, "jose garcia") == ["José García"]


def test_the_key_follows_the_csv_import_the_correction_and_the_erasure(
    client, open_event, request_ctx
):
    event = open_event()
    login(client, event.owner)
    content = "Nom;Prénom;E-mail;Organisation\r\nLefèvre;Anaïs;anais@agglo.fr;Agglo\r\n".encode("cp1252")
    response = client.post(
        f"/manage/events/{event.id}/registrations/import",
        data={"file": (io.BytesIO(content), "agents.csv"), "informed": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert names(event, "anais lefevre") == ["Anaïs Lefèvre"]

    anais = db.session.scalar(select(Registration).where(Registration.event_id == event.id))
    data = reg.RegistrationInput(first_name="Anaïs", last_name="Lefèvre-Noël", email=anais.email,
                                 organisation="Région Île-de-France", language="fr")  # fmt: skip
    reg.update_details(anais, data)
    db.session.commit()
    assert names(event, "lefevre noel") == ["Anaïs Lefèvre-Noël"]
    assert names(event, "ile de france") == ["Anaïs Lefèvre-Noël"]
    assert names(event, "anais lefevre") == ["Anaïs Lefèvre-Noël"]

    personal_data.erase_person(anais)
    db.session.commit()
    assert names(event, "anais") == []
