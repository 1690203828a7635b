"""Organiser pages: who is coming, moderation, moves, settings, CSV import and export."""

from __future__ import annotations

import csv
import io
import re

import pytest

from eventsys.extensions import db
from eventsys.models import EventRole
from eventsys.services import registration as reg
from tests.conftest import login
from tests.registration.helpers import outbox, page, person, registration_input, registrations


def _base(event) -> str:
    return f"/manage/events/{event.id}/registrations"


def _register(event, n, sessions=(), **kw):
    outcome = reg.register_attendee(event, registration_input(n, sessions=sessions, **kw))
    db.session.commit()
    return outcome.registration


@pytest.fixture
def organiser(client, open_event, request_ctx):
    """(client logged in as the organiser, event with three people registered)."""
    event = open_event(workshop_capacity=1, settings={"capacity": 2})
    _register(event, 1, sessions=[event.w1.id], organisation="Ville de Nancy")
    _register(event, 2, sessions=[event.w1.id], organisation="Métropole du Grand Nancy")
    _register(event, 3, organisation="Ville de Nancy")
    login(client, event.owner)
    return client, event


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("", "get"), ("/settings", "get"), ("/import", "get"), ("/export.csv", "get"), ("/fill", "post"),
        ("/1", "get"), ("/1/approve", "post"), ("/1/cancel", "post"), ("/1/choices", "post"),
        ("/1/personal-data", "get"), ("/1/erase", "post"),
    ],
)  # fmt: skip
def test_organiser_pages_need_the_organiser_role(client, open_event, make_user, path, method):
    event = open_event()
    response = getattr(client, method)(_base(event) + path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    stranger = make_user()
    login(client, stranger)
    assert getattr(client, method)(_base(event) + path).status_code == 403


def test_staff_cannot_manage_registrations(client, open_event, make_user):
    event = open_event()
    staff = make_user()
    db.session.add(EventRole(event_id=event.id, user_id=staff.id, role="staff"))
    db.session.commit()
    login(client, staff)
    assert client.get(_base(event)).status_code == 403


def test_list_shows_counts_per_session_and_status(organiser):
    client, event = organiser
    html = page(client.get(_base(event)))
    assert "Places par session" in html
    row = html.split("Atelier n°1", 1)[1].split("</tr>", 1)[0]
    assert [cell.split("<")[0].strip() for cell in row.split("<td>")[1:]] == ["1", "1", "1"]
    assert "confirmée : <strong>2</strong>" in html
    assert "liste d'attente : <strong>1</strong>" in html
    assert "2</strong> places occupées sur 2" in html


def test_search_and_filters(organiser):
    client, event = organiser
    html = page(client.post(_base(event), data={"q": "martin-d"}))
    assert "1 inscription trouvée." in html
    assert "camille.martin3@" in html
    html = page(client.post(_base(event), data={"organisation": "Ville de Nancy"}))
    assert "2 inscriptions trouvées." in html
    html = page(client.get(_base(event) + "?status=waitlisted"))
    assert "1 inscription trouvée." in html
    assert "camille.martin3@" in html
    html = page(client.get(_base(event) + f"?session={event.w1.id}"))
    assert "2 inscriptions trouvées." in html
    html = page(client.post(_base(event), data={"q": "100%_"}))
    assert "0 inscription trouvée." in html or "0 inscriptions trouvées." in html


def test_cancel_from_the_list_promotes_the_next(organiser):
    client, event = organiser
    first, second, third = registrations(event)
    response = client.post(f"{_base(event)}/{first.id}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.status for r in registrations(event)] == ["cancelled", "confirmed", "confirmed"]
    assert second.choices[0].status == "confirmed"  # got the workshop seat
    assert outbox(to=third.email, kind="promoted")
    assert outbox(to=second.email, kind="promoted")
    html = page(client.get(_base(event)))
    assert "Inscription annulée ; la personne est prévenue par e-mail." in html


def test_move_off_the_waiting_list_and_give_a_seat(organiser):
    client, event = organiser
    first, second, third = registrations(event)
    client.post(f"{_base(event)}/{third.id}/promote")
    client.post(f"/manage/events/{event.id}/registrations/choices/{second.choices[0].id}/promote")
    db.session.expire_all()
    assert third.status == "confirmed"
    assert second.choices[0].status == "confirmed"
    assert reg.seats_taken([event.w1.id])[event.w1.id] == 2  # overbooked on purpose
    # Approving someone already confirmed is refused with a message, not a server error.
    response = client.post(f"{_base(event)}/{third.id}/approve", follow_redirects=True)
    assert response.status_code == 200
    assert "Seule une inscription en attente de validation peut être validée." in page(response)


def test_moderation_approve_and_refuse(client, open_event, request_ctx):
    event = open_event(settings={"moderation": True, "capacity": 1})
    pending = _register(event, 1)
    waiting = _register(event, 2)
    login(client, event.owner)
    client.post(f"{_base(event)}/{pending.id}/refuse")
    db.session.expire_all()
    assert (pending.status, waiting.status) == ("refused", "pending")
    client.post(f"{_base(event)}/{waiting.id}/approve")
    db.session.expire_all()
    assert waiting.status == "confirmed"
    assert [m.kind for m in outbox(to=waiting.email)] == ["received", "promoted", "approved"]


def test_edit_details_and_choices(organiser):
    client, event = organiser
    first, second, _third = registrations(event)
    edit = f"{_base(event)}/{first.id}"
    assert "Camille" in page(client.get(edit))
    response = client.post(edit, data={**person(1), "first_name": "Camille-Anne", "email": second.email})
    assert response.status_code == 422
    assert "Une autre inscription utilise déjà cette adresse e-mail." in page(response)
    response = client.post(edit, data={**person(1), "first_name": "Camille-Anne", "lunch": "no"})
    assert response.status_code == 302
    db.session.expire_all()
    assert first.first_name == "Camille-Anne"
    assert first.lunch is False

    html = page(client.get(edit))
    field = html.split(f'value="{event.w2.id}"', 1)[0].rsplit('name="', 1)[1].split('"', 1)[0]
    client.post(f"{edit}/choices", data={field: str(event.w2.id)})
    db.session.expire_all()
    assert {c.session_id: c.status for c in first.live_choices} == {event.w2.id: "confirmed"}
    assert second.choices[0].status == "confirmed"  # promoted into the seat first left


def test_settings_and_custom_questions(organiser):
    client, event = organiser
    html = page(client.get(f"{_base(event)}/settings"))
    assert "Réglages des inscriptions" in html
    data = {
        "enabled": "y", "capacity": "3", "waitlist_enabled": "y", "retention_months": "6",
        "opens_at": "", "closes_at": "2099-01-01T12:00",
        "networking_themes": "ODD\nFICOL\n\nODD",
        "mode_organisation": "required", "mode_organisation_type": "hidden", "mode_job_title": "optional",
        "mode_sessions": "optional", "mode_networking": "optional", "mode_lunch": "required",
        "mode_accessibility": "optional",
    }  # fmt: skip
    response = client.post(f"{_base(event)}/settings", data=data)
    assert response.status_code == 302
    settings = reg.load_settings(event)
    assert settings.capacity == 3
    assert settings.retention_months == 6
    assert settings.networking_themes == ["ODD", "FICOL"]
    assert settings.mode("lunch") == "required"
    assert settings.mode("organisation_type") == "hidden"
    assert settings.closes_at.astimezone(event.tz).hour == 12
    assert registrations(event)[2].status == "confirmed"  # the new place went to the person waiting
    form = page(client.get(f"/e/{event.code}/register"))
    assert "6 mois" in form
    assert 'name="organisation_type"' not in form

    bad = client.post(f"{_base(event)}/settings", data={**data, "opens_at": "2099-02-01T00:00"})
    assert bad.status_code == 422
    assert "La clôture des inscriptions doit suivre leur ouverture." in page(bad)

    client.post(f"{_base(event)}/questions", data={"label": "Allergies ?", "kind": "text"})
    client.post(f"{_base(event)}/questions", data={"label": "Repas", "kind": "choice", "options": "viande\npoisson"})
    response = client.post(f"{_base(event)}/questions", data={"label": "Seul", "kind": "choice", "options": "un"})
    assert "au moins deux réponses" in page(client.get(response.headers["Location"]))
    questions = reg.event_questions(event)
    assert [q.label for q in questions] == ["Allergies ?", "Repas"]
    client.post(f"{_base(event)}/questions/{questions[0].id}/delete")
    assert [q.label for q in reg.event_questions(event)] == ["Repas"]


def test_export_csv_opens_in_excel(organiser):
    client, event = organiser
    first = registrations(event)[0]
    first.organisation = "=HYPERLINK(\"http://evil\")"
    first.last_name = "Lefèvre; « dit Jo »"
    db.session.commit()
    response = client.get(f"{_base(event)}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["N°", "Statut", "Position en liste d'attente", "Nom", "Prénom", "E-mail"]
    assert len(rows) == 4
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(first.id)][3] == "Lefèvre; « dit Jo »"
    assert by_id[str(first.id)][6].startswith("'=")  # never run as a formula
    third = registrations(event)[2]
    assert by_id[str(third.id)][1] == "liste d'attente"
    assert by_id[str(third.id)][2] == "1"
    assert b"\r\n" in raw


def test_import_csv_with_a_per_row_report(organiser):
    client, event = organiser
    reg.save_settings(event, {"capacity": None})
    db.session.commit()
    content = (
        "Nom;Prénom;E-mail;Collectivité;Fonction;Sessions\r\n"
        "Durand;Élise;elise.durand@agglo.fr;Agglo Sud;Ingénieure;Atelier n°2\r\n"
        "Petit;Jean;pas-une-adresse;Agglo Sud;;\r\n"
        ";Anne;anne@agglo.fr;Agglo Sud;;\r\n"
        "Martin-b;Camille;camille.martin2@ville-exemple.fr;Ville;;\r\n"
        "Roux;Paul;paul.roux@agglo.fr;Agglo Sud;;Atelier inconnu\r\n"
        "\r\n"
        "Blanc;Léa;lea.blanc@agglo.fr;Agglo Sud;;Atelier n°1\r\n"
    ).encode("cp1252")
    preview = client.post(
        f"{_base(event)}/import",
        data={"file": (io.BytesIO(content), "agents.csv"), "informed": "y", "notify": "y"},
        content_type="multipart/form-data",
    )
    # E-mails are asked for: the preview says how many before anything is done.
    assert "Au plus 6 e-mails de confirmation seront envoyés." in page(preview)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page(preview))[1]
    response = client.post(f"{_base(event)}/import/confirm", data={"token": token, "notify": "y"})
    assert response.status_code == 200
    html = page(response)
    assert "2 personnes inscrites, 1 déjà inscrite, 3 refusées." in html
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    assert "Adresse e-mail invalide" in rows[1]
    assert "Indiquez votre nom." in rows[2]
    assert "Déjà inscrit·e" in rows[3]
    assert "Session inconnue." in rows[4]
    assert ">8<" in rows[5]
    assert "liste d'attente" in rows[5]
    emails = {r.email for r in registrations(event)}
    assert {"elise.durand@agglo.fr", "lea.blanc@agglo.fr"} <= emails
    assert "paul.roux@agglo.fr" not in emails
    elise = next(r for r in registrations(event) if r.email == "elise.durand@agglo.fr")
    assert elise.first_name == "Élise"
    assert elise.source == "import"
    assert outbox(to="elise.durand@agglo.fr", kind="received")


def test_import_without_required_columns_is_refused(organiser):
    client, event = organiser
    response = client.post(
        f"{_base(event)}/import",
        data={"file": (io.BytesIO(b"foo,bar\n1,2\n"), "x.csv"), "informed": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Colonnes obligatoires absentes" in page(response)
    response = client.post(
        f"{_base(event)}/import", data={"file": (io.BytesIO(b"Nom;Prenom;Email\n"), "x.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 422
    assert "Cette confirmation est nécessaire." in page(response)
