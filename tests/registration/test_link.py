"""The private link: view, change a workshop, cancel; and every way a link can be wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Blueprint

from eventsys.blueprints.registration.views import BADGE_ENDPOINTS, CALENDAR_ENDPOINTS
from eventsys.extensions import db
from eventsys.services import registration as reg
from tests.registration.helpers import outbox, page, person, private_link, registrations, slot_field


def _register(client, event, n=1, session=None, **overrides):
    data = person(n, **overrides)
    if session is not None:
        html = page(client.get(f"/e/{event.code}/register"))
        data[slot_field(html, session.id)] = str(session.id)
    response = client.post(f"/e/{event.code}/register", data=data)
    assert response.status_code == 302, page(response)
    return private_link(data["email"])  # the private link arrives by e-mail only


def test_change_a_workshop_then_cancel_and_the_waiting_person_is_promoted(client, open_event):
    event = open_event(workshop_capacity=1)
    link = _register(client, event, 1, event.w1)
    waiting_link = _register(client, event, 2, event.w1)
    assert "liste d'attente, position n°1" in page(client.get(waiting_link))

    html = page(client.get(link))
    field = slot_field(html, event.w2.id)
    response = client.post(f"{link}/choices", data={field: str(event.w2.id)})
    assert response.status_code == 302
    after = page(client.get(link))
    assert "Vos choix de sessions sont enregistrés." in after
    assert "Atelier n°2" in after
    assert "Atelier n°1" not in after.split("Vos sessions", 1)[1].split("</ul>", 1)[0]
    # The seat freed in workshop 1 went to the person waiting, who got an e-mail.
    assert "place confirmée" in page(client.get(waiting_link))
    assert outbox(to=person(2)["email"], kind="promoted")

    confirm = page(client.get(f"{link}/cancel"))
    assert "Oui, j'annule mon inscription" in confirm
    response = client.post(f"{link}/cancel")
    assert response.status_code == 302
    cancelled = page(client.get(link))
    assert "Cette inscription a été annulée." in cancelled
    assert "Changer de sessions" not in cancelled
    assert outbox(to=person(1)["email"], kind="cancelled")


def test_a_tampered_link_gets_a_clear_message(client, open_event):
    event = open_event()
    link = _register(client, event)
    token = link.rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"/r/{tampered}")
    assert response.status_code == 404
    assert "Ce lien n'est pas valide" in page(response)
    assert client.post(f"/r/{tampered}/cancel").status_code == 404
    assert registrations(event)[0].status == "confirmed"


def test_a_guessed_token_for_another_id_is_refused(client, open_event, app):
    event = open_event()
    _register(client, event)
    # Even with the server's key, a token needs the registration's random secret.
    forged = reg._serializer().dumps([registrations(event)[0].id, "guess"])
    response = client.get(f"/r/{forged}")
    assert response.status_code == 404
    assert "remplacé par un lien plus récent" in page(response)


def test_a_renewed_link_replaces_the_old_one(client, open_event, request_ctx):
    event = open_event()
    old = _register(client, event)
    registration = registrations(event)[0]
    new_token = reg.renew_link(registration)
    db.session.commit()
    assert "remplacé par un lien plus récent" in page(client.get(old))
    assert client.get(f"/r/{new_token}").status_code == 200


def test_an_expired_link_says_so(client, open_event, request_ctx):
    event = open_event()
    token = _register(client, event).rsplit("/", 1)[1]
    later = datetime.now(UTC) + timedelta(days=200)
    with pytest.raises(reg.InvalidLink, match="Ce lien a expiré") as caught:
        reg.registration_from_link(token, now=later)
    assert caught.value.params["reason"] == "expired"
    event.start_date = event.end_date = datetime.now(UTC).date() - timedelta(days=40)
    db.session.commit()
    response = client.get(f"/r/{token}")
    assert response.status_code == 410
    assert "Ce lien a expiré" in page(response)


def test_link_page_is_in_the_attendee_language_unless_they_pick_one(client, open_event):
    event = open_event()
    link = _register(client, event, language="en")
    with client.session_transaction() as session:
        session.pop("lang", None)
    assert '<html lang="en">' in page(client.get(link))
    assert '<html lang="fr">' in page(client.get(link + "?lang=fr"))


def test_no_calendar_link_while_that_feature_does_not_exist(app, client, open_event):
    event = open_event()
    html = page(client.get(_register(client, event)))
    if not set(CALENDAR_ENDPOINTS) & set(app.view_functions):
        assert "Ajouter mes sessions à mon agenda" not in html


def test_badge_link_for_people_with_a_place_once_the_badge_feature_exists(app, client, open_event):
    if not set(BADGE_ENDPOINTS) & set(app.view_functions):
        badges = Blueprint("badges", __name__)
        badges.add_url_rule("/b/<token>.pdf", "registration_badge", lambda token: "badge")
        app.register_blueprint(badges)
    endpoint = next(e for e in BADGE_ENDPOINTS if e in app.view_functions)
    event = open_event(settings={"capacity": 1})
    link = _register(client, event, 1)
    token = link.rsplit("/", 1)[1]
    with app.test_request_context():
        badge_url = app.url_for(endpoint, token=token)
    html = page(client.get(link))
    assert "Télécharger mon badge" in html
    assert f'href="{badge_url}"' in html
    waiting = page(client.get(_register(client, event, 2)))
    assert "Sur liste d'attente" in waiting
    assert "Télécharger mon badge" not in waiting


def test_choices_cannot_change_once_registration_closes(client, open_event, request_ctx):
    event = open_event()
    link = _register(client, event, 1, event.w1)
    reg.save_settings(event, {"closes_at": datetime.now(UTC) - timedelta(minutes=1)})
    db.session.commit()
    html = page(client.get(link))
    assert "Les choix de sessions ne peuvent plus être modifiés" in html
    response = client.post(f"{link}/choices", data={"slot_2": str(event.w2.id)})
    assert response.status_code == 422
    assert {c.session_id for c in registrations(event)[0].live_choices} == {event.w1.id}
    # Cancelling stays possible.
    assert client.post(f"{link}/cancel").status_code == 302
    assert registrations(event)[0].status == "cancelled"
