"""The public form at /e/<CODE>/register, as an attendee uses it."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from eventsys.models.registration import Registration
from tests.registration.helpers import outbox, page, person, private_link, registrations, slot_field


def test_form_shows_the_workshops_grouped_by_slot_and_the_retention_period(client, open_event):
    event = open_event(settings={"retention_months": 18})
    response = client.get(f"/e/{event.code_display}/register")
    html = page(response)
    assert response.status_code == 200
    assert "Atelier n°1" in html
    assert "Atelier n°2" in html
    # Both workshops of the 14:30 slot are options of one radio group: one choice per slot.
    assert slot_field(html, event.w1.id) == slot_field(html, event.w2.id)
    assert slot_field(html, event.morning.id) != slot_field(html, event.w1.id)
    assert "Ouverture" not in html.split("<form", 1)[1]  # a plenary needs no registration
    assert "18 mois" in html


def test_registering_confirms_at_once_and_queues_an_email_with_the_private_link(client, open_event):
    event = open_event()
    field = slot_field(page(client.get(f"/e/{event.code}/register")), event.w1.id)
    response = client.post(f"/e/{event.code}/register", data={**person(), field: str(event.w1.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/e/{event.code}/register/sent"
    received = page(client.get(response.headers["Location"]))
    assert "consultez votre messagerie" in received
    assert "Camille" not in received
    assert "Atelier n°1" not in received
    link = private_link(person()["email"])  # the private page is reached from the e-mail only
    link_page = client.get(link)
    html = link_page.get_data(as_text=True)
    assert "Confirmée" in html or "confirmée" in html
    assert "Atelier n°1" in html
    assert "place confirmée" in html
    assert link_page.headers["Cache-Control"] == "no-store"
    [registration] = registrations(event)
    assert registration.status == "confirmed"
    assert registration.email_key == "camille.martin1@ville-exemple.fr"
    assert registration.consent_at is not None
    [message] = outbox(to=registration.email)
    assert message.kind == "received"
    assert "Inscription confirmée" in message.subject
    assert "est confirmée." in message.body_text
    assert link in message.body_text
    assert "<html" in message.body_html
    assert "Atelier n°1" in message.body_html


def test_email_is_written_in_the_language_the_person_chose(client, open_event):
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(language="en"))
    [message] = outbox()
    assert message.language == "en"
    # The English catalogue is the lead's; the e-mail must at least be rendered under that locale:
    # dates come out in English whatever the catalogue holds.
    month = event.start_date.strftime("%B")
    assert month in message.body_text


def test_private_data_never_appears_in_the_url(client, open_event):
    event = open_event()
    response = client.post(f"/e/{event.code}/register", data=person())
    location = response.headers["Location"]
    assert "camille" not in location.lower()
    assert "martin" not in location.lower()
    assert "@" not in location


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "camille@"}, "email", "Adresse e-mail invalide"),
        ({"consent": ""}, "consent", "Votre accord est nécessaire"),
        ({"first_name": "A" * 300}, "first_name", "ne doit pas dépasser 100 caractères (300 saisis)"),
        ({"last_name": "<script>alert(1)</script>"}, "last_name", "Un nom ne peut contenir que des lettres"),
        ({"last_name": ""}, "last_name", "Indiquez votre nom."),
        ({"organisation": ""}, "organisation", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, open_event, overrides, field, message):
    event = open_event()
    response = client.post(f"/e/{event.code}/register", data=person(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert f'id="{field}-error"' in html  # tied to its field for screen readers
    assert "&lt;script&gt;" not in html or field == "last_name"
    assert "<script>alert(1)</script>" not in html
    assert registrations(event) == []
    assert outbox() == []


def test_names_in_any_script_are_kept_in_nfc_without_control_characters(client, open_event):
    event = open_event()
    decomposed = unicodedata.normalize("NFD", "Hélène")
    client.post(
        f"/e/{event.code}/register",
        data=person(first_name=decomposed + "\u0007\u202e", last_name="Nguyễn-Đặng", email="helene@example.org"),
    )
    client.post(f"/e/{event.code}/register", data=person(first_name="Олена", last_name="Шевченко", email="o@example.org"))
    client.post(f"/e/{event.code}/register", data=person(first_name="明", last_name="王", email="w@example.org"))
    client.post(f"/e/{event.code}/register", data=person(first_name="محمد", last_name="بن علي", email="m@example.org"))
    names = {(r.first_name, r.last_name) for r in registrations(event)}
    assert names == {("Hélène", "Nguyễn-Đặng"), ("Олена", "Шевченко"), ("明", "王"), ("محمد", "بن علي")}
    assert all(unicodedata.is_normalized("NFC", first) for first, _ in names)


def test_the_same_email_twice_never_creates_a_second_registration(client, open_event):
    event = open_event()
    first = client.post(f"/e/{event.code}/register", data=person())
    first_link = private_link(person()["email"])
    again = client.post(f"/e/{event.code}/register", data=person(email="  Camille.MARTIN1@Ville-Exemple.fr "))
    assert first.status_code == 302
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"] == f"/e/{event.code}/register/sent"
    assert "consultez votre messagerie" in page(client.get(again.headers["Location"]))
    assert len(registrations(event)) == 1
    kinds = [m.kind for m in outbox()]
    assert kinds == ["received", "duplicate"]
    assert "aucune nouvelle inscription" in outbox(kind="duplicate")[0].body_text  # said to the mailbox only
    # The link sent again is the one the person already has: it keeps working.
    assert first_link in outbox(kind="duplicate")[0].body_text
    assert client.get(first_link).status_code == 200


def test_a_full_workshop_puts_the_person_on_its_waiting_list_with_a_position(client, open_event):
    event = open_event(workshop_capacity=1)
    field = slot_field(client.get(f"/e/{event.code}/register").get_data(as_text=True), event.w1.id)
    client.post(f"/e/{event.code}/register", data={**person(1), field: str(event.w1.id)})
    assert "complet : liste d'attente" in page(client.get(f"/e/{event.code}/register"))
    client.post(f"/e/{event.code}/register", data={**person(2), field: str(event.w1.id)})
    html = page(client.get(private_link("camille.martin2@ville-exemple.fr")))
    assert "liste d'attente, position n°1" in html
    [message] = outbox(to="camille.martin2@ville-exemple.fr")
    assert "Inscription sur liste d'attente" in message.subject
    assert "sur sa liste d'attente, en position n°1." in message.body_text


def test_two_workshops_of_one_slot_are_refused(client, open_event):
    event = open_event()
    html = client.get(f"/e/{event.code}/register").get_data(as_text=True)
    morning = slot_field(html, event.morning.id)
    # A crafted request putting a 14:30 workshop in the morning slot's field.
    response = client.post(
        f"/e/{event.code}/register",
        data={**person(), morning: str(event.w2.id), slot_field(html, event.w1.id): str(event.w1.id)},
    )
    assert response.status_code == 422
    assert "ont lieu en même temps" in response.get_data(as_text=True)
    assert registrations(event) == []


def test_a_session_that_does_not_take_registrations_is_refused(client, open_event):
    event = open_event()
    html = client.get(f"/e/{event.code}/register").get_data(as_text=True)
    response = client.post(
        f"/e/{event.code}/register", data={**person(), slot_field(html, event.w1.id): str(event.plenary.id)}
    )
    assert response.status_code == 422
    assert "ne prend pas d'inscriptions" in page(response)
    assert registrations(event) == []


def test_closed_window_shows_a_clear_message(client, open_event):
    now = datetime.now(UTC)
    event = open_event(settings={"opens_at": now + timedelta(days=3)})
    closed = page(client.get(f"/e/{event.code}/register"))
    assert "Les inscriptions ouvriront le" in closed
    assert "<form" not in closed.split("<main", 1)[1]
    response = client.post(f"/e/{event.code}/register", data=person())
    assert "Les inscriptions ouvriront le" in response.get_data(as_text=True)
    assert registrations(event) == []

    other = open_event(settings={"opens_at": now - timedelta(days=3), "closes_at": now - timedelta(hours=1)})
    assert "Les inscriptions sont closes depuis le" in client.get(f"/e/{other.code}/register").get_data(as_text=True)


def test_full_event_without_waiting_list_says_so(client, open_event):
    event = open_event(settings={"capacity": 1, "waitlist_enabled": False})
    assert client.post(f"/e/{event.code}/register", data=person(1)).status_code == 302
    assert "Cet événement est complet." in page(client.get(f"/e/{event.code}/register"))
    response = client.post(f"/e/{event.code}/register", data=person(2))
    assert "Cet événement est complet." in response.get_data(as_text=True)
    assert len(registrations(event)) == 1


def test_full_event_with_waiting_list_warns_before_submitting(client, open_event):
    event = open_event(settings={"capacity": 1})
    client.post(f"/e/{event.code}/register", data=person(1))
    form = page(client.get(f"/e/{event.code}/register"))
    assert "Complet." in form
    assert "liste d'attente" in form
    client.post(f"/e/{event.code}/register", data=person(2))
    assert "Vous êtes en position n°1 sur la liste d'attente de l'événement." in page(client.get(private_link(person(2)["email"])))
    assert "vous êtes sur liste d'attente, en position n°1." in outbox(to=person(2)["email"])[0].body_text


def test_honeypot_filled_saves_nothing(client, open_event):
    event = open_event()
    response = client.post(f"/e/{event.code}/register", data=person(website="http://spam.example"))
    assert response.status_code == 422
    assert "Laissez vide le champ" in response.get_data(as_text=True)
    assert registrations(event) == []


def test_unknown_code_and_draft_event_are_not_found(client, make_event):
    assert client.get("/e/NOPE999/register").status_code == 404
    draft = make_event()
    response = client.get(f"/e/{draft.code}/register")
    assert response.status_code == 404
    assert "Code de session inconnu" in response.get_data(as_text=True)


def test_organiser_choices_shape_the_form(client, open_event):
    event = open_event(
        settings={
            "field_modes": {"job_title": "required", "organisation": "hidden", "sessions": "required"},
            "networking_themes": ["ODD", "FICOL", "Expatriation"],
        }
    )
    from eventsys.services import registration as reg

    reg.add_question(event, "Régime alimentaire", "choice", ["standard", "végétarien"], required=True)
    reg.add_question(event, "Première participation ?", "yesno")
    from eventsys.extensions import db

    db.session.commit()
    html = client.get(f"/e/{event.code}/register").get_data(as_text=True)
    assert 'name="organisation"' not in html
    assert "Je ne m'inscris à aucune session" not in page(client.get(f"/e/{event.code}/register"))  # a choice is required in every slot
    assert "Thème n°3 par ordre de préférence" in html
    assert "Thème n°4" not in html
    assert "Régime alimentaire" in html

    response = client.post(f"/e/{event.code}/register", data=person(job_title=""))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.count("Ce champ est obligatoire.") >= 2  # job title and the required question

    fields = {slot_field(html, event.w2.id): str(event.w2.id), slot_field(html, event.morning.id): str(event.morning.id)}
    question = {q.label: q.id for q in reg.event_questions(event)}
    response = client.post(
        f"/e/{event.code}/register",
        data={
            **person(organisation="ignored because hidden"),
            **fields,
            "networking": "yes",
            "theme_1": "FICOL",
            "theme_2": "ODD",
            f"q_{question['Régime alimentaire']}": "végétarien",
            f"q_{question['Première participation ?']}": "no",
            "lunch": "yes",
            "accessibility": "Accès PMR\r\n\r\nboucle magnétique",
        },
    )
    assert response.status_code == 302
    [registration] = registrations(event)
    assert registration.organisation == ""
    assert registration.networking_opt_in is True
    assert registration.networking_themes == ["FICOL", "ODD"]
    assert registration.lunch is True
    assert registration.accessibility == "Accès PMR\nboucle magnétique"
    assert {a.value for a in registration.answers} == {"végétarien", "no"}
    assert {c.session_id for c in registration.choices} == {event.w2.id, event.morning.id}


def test_ranking_a_theme_twice_is_refused(client, open_event):
    event = open_event(settings={"networking_themes": ["ODD", "FICOL"]})
    response = client.post(
        f"/e/{event.code}/register", data=person(networking="yes", theme_1="ODD", theme_2="ODD")
    )
    assert response.status_code == 422
    assert "Chaque thème ne peut être classé qu'une fois." in page(response)


def test_form_is_offered_in_english(client, open_event):
    event = open_event()
    html = client.get(f"/e/{event.code}/register?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html


def test_registration_is_stored_with_the_organisation_type(client, open_event, db):
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(organisation_type="other"))
    registration = db.session.scalars(db.select(Registration)).one()
    assert registration.organisation_type == "other"
