"""Personal data (RGPD): a person exports or erases their data from their private link, or an
organiser does it for them; erasure frees the place through the registration rules."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from eventsys.extensions import db
from eventsys.models import EventRole
from eventsys.models.checkin import BadgeCredential, CheckIn
from eventsys.models.registration import Registration
from eventsys.services import checkin, delivery, mail, networking, personal_data
from eventsys.services import registration as reg
from eventsys.services.checkin import Actor
from tests.conftest import login
from tests.registration.helpers import outbox, page, registration_input

ZOE = {
    "first_name": "Zoé",
    "last_name": "Erasmus-Delétion",
    "email": "zoe.erasmus@agglo-zeta.fr",
    "organisation": "Agglomération Zêta",
    "job_title": "Cheffe de projet vélo",
    "accessibility": "Boucle magnétique",
}
IDENTIFYING = ("Zoé", "Erasmus", "zoe.erasmus", "Agglomération Zêta", "Boucle magnétique")


def _say(app, language: str, msgid: str, **values) -> str:
    """A message as the app says it in that language (the test does not restate translations)."""
    with app.test_request_context("/"), force_locale(language):
        text = gettext(msgid, **values)
    assert language == "fr" or text != msgid, f"{msgid!r} is not translated into {language}"
    return text


@pytest.fixture
def world(open_event, make_session, request_ctx):
    """Workshop n°1 (one seat) held by Zoé, with two people waiting for it; Zoé answered the
    questions, took part in a planned speed-networking and was checked in twice."""
    event = open_event(workshop_capacity=1, settings={"networking_themes": ["Mobilité", "Europe"]})
    speed = make_session(event, "Le speed-networking", "12:00", "13:00", type="speed_networking")
    diet = reg.add_question(event, "Régime alimentaire", "text")
    first = reg.add_question(event, "Première participation ?", "yesno")
    db.session.commit()

    def register(n, **data):
        outcome = reg.register_attendee(
            event,
            registration_input(n, sessions=[event.w1.id], networking_opt_in=True, **data),
        )
        db.session.commit()
        return outcome.registration

    zoe = register(
        1, **ZOE, language="fr", networking_themes=["Europe"], lunch=True,
        answers={diet.id: "Sans gluten", first.id: "yes"},
    )  # fmt: skip
    waiting = [register(2), register(3)]
    activity = networking.create_activity(event, speed, {"rounds": 2, "mode": "pairs"})
    networking.plan_activity(activity, time_limit_s=0.5)
    checkin.check_in(
        event, None, "door-nonce-1", registration_id=zoe.id, actor=Actor(device="Accueil")
    )
    checkin.check_in(event, checkin.badge_token(zoe), "room-nonce-1", session_id=event.w1.id)
    db.session.commit()
    return SimpleNamespace(
        event=event, zoe=zoe, zoe_id=zoe.id, token=reg.link_token(zoe), waiting=waiting,
        activity=activity,
    )  # fmt: skip


def _choice_status(registration: Registration, session) -> str:
    db.session.refresh(registration)
    return next(c.status for c in registration.choices if c.session_id == session.id)


def _everything(app) -> str:
    """Every row of every table, as text."""
    db.session.expire_all()
    return "\n".join(
        repr(row)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table))
    )


# ------------------------------------------------------------------ export


def test_every_table_that_references_a_registration_is_covered(app):
    referencing = {
        table.name
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "registrations"
    }
    assert referencing == set(personal_data.COVERED_TABLES)


def test_the_person_downloads_everything_stored_about_them(client, world):
    response = client.get(f"/r/{world.token}/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="donnees-personnelles-{world.event.code.lower()}.json"'
    assert not any(part.lower() in disposition.lower() for part in ("zoe", "erasmus"))
    data = json.loads(response.get_data(as_text=True))

    person = data["registration"]
    assert {k: person[k] for k in ZOE} == ZOE
    assert (person["status"], person["language"], person["lunch"]) == ("confirmed", "fr", True)
    assert person["networking_opt_in"] is True
    assert person["networking_themes"] == ["Europe"]
    assert person["consent_at"]
    assert person["created_at"]
    assert world.zoe.link_secret not in response.get_data(as_text=True)  # the link stays private
    assert data["answers"] == [
        {"question": "Régime alimentaire", "answer": "Sans gluten"},
        {"question": "Première participation ?", "answer": "oui"},
    ]
    [workshop] = data["sessions"]
    assert (workshop["title"], workshop["status"], workshop["status_label"]) == (
        "Atelier n°1", "confirmed", "confirmée",
    )  # fmt: skip
    assert workshop["starts_at"].startswith(str(world.event.start_date))
    assert [(c["session"], c["result"], c["method"], c["counted"]) for c in data["checkins"]] == [
        (None, "ok", "manual", True),
        ("Atelier n°1", "ok", "qr", True),
    ]
    assert data["badge"]["issued_at"]
    [rotation] = data["networking"]
    assert rotation["session"] == "Le speed-networking"
    assert rotation["name"] == "Zoé Erasmus-Delétion"
    assert [r["round"] for r in rotation["rounds"]] == [1, 2]
    assert [(m["kind"], m["status"]) for m in data["emails"]] == [("received", "pending")]
    assert "body" not in json.dumps(data["emails"])
    assert data["event"]["code"] == world.event.code_display
    assert data["retention_months"] == 12


def test_the_export_speaks_the_page_language(app, client, world):
    data = client.get(f"/r/{world.token}/data.json?lang=en").get_json()
    assert data["registration"]["status_label"] == _say(app, "en", "confirmée")
    assert data["answers"][1]["answer"] == _say(app, "en", "oui")
    assert data["sessions"][0]["status_label"] == _say(app, "en", "confirmée")


def test_the_private_page_offers_both_actions(client, world):
    html = page(client.get(f"/r/{world.token}"))
    assert f'href="/r/{world.token}/data.json"' in html
    assert f'href="/r/{world.token}/erase"' in html
    assert "Télécharger mes données" in html
    assert "Supprimer mes données" in html


# ------------------------------------------------------------------ erasure


def test_erasure_frees_the_seat_for_the_first_person_waiting_who_is_told(app, client, world):
    delivery.deliver_due()  # Zoé's confirmation went out: it is erased too
    sent_before = len(mail.sent_messages(app))
    confirm = page(client.get(f"/r/{world.token}/erase"))
    assert "irréversible" in confirm
    assert (
        "Votre place et vos sessions seront proposées aux personnes en liste d'attente." in confirm
    )
    assert 'type="checkbox"' in confirm

    response = client.post(f"/r/{world.token}/erase", data={"confirm": "y"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Vos données sont supprimées" in page(response)
    assert db.session.get(Registration, world.zoe_id) is None

    first, second = world.waiting
    assert _choice_status(first, world.event.w1) == "confirmed"
    assert _choice_status(second, world.event.w1) == "waitlisted"
    assert [m.kind for m in outbox(to=first.email, kind="promoted")] == ["promoted"]
    assert outbox(to=second.email, kind="promoted") == []
    assert outbox(to=ZOE["email"]) == []

    delivery.deliver_due()
    delivered = mail.sent_messages(app)[sent_before:]
    assert [m["To"] for m in delivered if "place s'est libérée" in m["Subject"]] == [first.email]
    assert not [m for m in delivered if m["To"] == ZOE["email"]]


def test_after_erasure_nothing_names_the_person(app, client, world):
    counted_before = checkin.counters(world.event)["in"]
    assert client.post(f"/r/{world.token}/erase", data={"confirm": "y"}).status_code == 200

    everything = _everything(app).lower()
    for text in IDENTIFYING:
        assert text.lower() not in everything, text
    for table in db.metadata.sorted_tables:
        if "registration_id" in table.c:
            rows = db.session.execute(select(table).where(table.c.registration_id == world.zoe_id))
            assert rows.all() == [], table.name
    assert db.session.scalar(select(BadgeCredential.id)) is None
    # The scans still count, without anyone's name; the planned rotation still reads.
    assert checkin.counters(world.event)["in"] == counted_before
    assert len(db.session.scalars(select(CheckIn)).all()) == 2
    assert networking.plan_view(world.activity) is not None


def test_a_cancelled_registration_can_be_erased_too(client, world, request_ctx):
    reg.cancel_registration(world.zoe)
    db.session.commit()
    assert client.post(f"/r/{world.token}/erase", data={"confirm": "y"}).status_code == 200
    assert db.session.get(Registration, world.zoe_id) is None
    assert outbox(to=ZOE["email"]) == []


def test_without_the_box_ticked_nothing_is_erased_and_the_person_is_told_in_their_language(
    app, client, world
):
    world.zoe.language = "de"
    db.session.commit()
    response = client.post(f"/r/{world.token}/erase", data={})
    assert response.status_code == 422
    html = page(response)
    assert '<html lang="de">' in html
    assert _say(app, "de", "Cochez la case pour confirmer la suppression.") in html
    assert 'aria-invalid="true"' in html
    assert db.session.get(Registration, world.zoe_id) is not None
    assert _choice_status(world.waiting[0], world.event.w1) == "waitlisted"


@pytest.mark.parametrize("suffix", ["", "/data.json", "/erase"])
def test_a_tampered_or_used_link_gets_a_clear_page_never_an_error(client, world, suffix):
    tampered = world.token[:-3] + ("AAA" if not world.token.endswith("AAA") else "BBB")
    for method in ("get", "post"):
        response = getattr(client, method)(f"/r/{tampered}{suffix}", data={"confirm": "y"})
        assert response.status_code in (404, 405), (method, suffix)
        if response.status_code == 404:
            assert "Ce lien n'est pas valide" in page(response)
    assert db.session.get(Registration, world.zoe_id) is not None

    assert client.post(f"/r/{world.token}/erase", data={"confirm": "y"}).status_code == 200
    for method in ("get", "post"):
        response = getattr(client, method)(f"/r/{world.token}{suffix}", data={"confirm": "y"})
        assert response.status_code in (404, 405), (method, suffix)
        if response.status_code == 404:
            assert "Ce lien ne peut pas être utilisé" in page(response)


def test_purge_outbox_of_deletes_only_those_registrations_mail(world):
    others = len(outbox()) - len(outbox(to=ZOE["email"]))
    assert personal_data.purge_outbox_of([world.zoe_id]) == 1
    assert personal_data.purge_outbox_of([]) == 0
    assert outbox(to=ZOE["email"]) == []
    assert len(outbox()) == others


# ------------------------------------------------------------------ organiser


def _base(world) -> str:
    return f"/manage/events/{world.event.id}/registrations/{world.zoe_id}"


def test_the_organiser_exports_then_erases_a_person(client, world):
    login(client, world.event.owner)
    html = page(client.get(_base(world)))
    assert "Exporter les données (JSON)" in html
    assert "Effacer cette personne" in html

    response = client.get(_base(world) + "/personal-data")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="donnees-')
    assert "zoe" not in response.headers["Content-Disposition"].lower()
    assert response.get_json()["registration"]["email"] == ZOE["email"]

    refused = client.post(_base(world) + "/erase", data={})
    assert refused.status_code == 422
    assert "Cochez la case pour confirmer la suppression." in page(refused)
    assert db.session.get(Registration, world.zoe_id) is not None

    response = client.post(_base(world) + "/erase", data={"confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/events/{world.event.id}/registrations")
    assert db.session.get(Registration, world.zoe_id) is None
    assert _choice_status(world.waiting[0], world.event.w1) == "confirmed"
    assert outbox(to=ZOE["email"]) == []
    assert "Les données de cette personne sont effacées." in page(
        client.get(response.headers["Location"])
    )


@pytest.mark.parametrize(("path", "method"), [("/personal-data", "get"), ("/erase", "post")])
def test_only_the_organiser_exports_or_erases(client, world, make_user, path, method):
    response = getattr(client, method)(_base(world) + path, data={"confirm": "y"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    staff = make_user()
    db.session.add(EventRole(event_id=world.event.id, user_id=staff.id, role="staff"))
    db.session.commit()
    login(client, staff)
    assert getattr(client, method)(_base(world) + path, data={"confirm": "y"}).status_code == 403
    assert db.session.get(Registration, world.zoe_id) is not None


def test_the_retention_purge_leaves_no_address_in_the_outbox(world):
    world.event.start_date = world.event.end_date = world.event.start_date.replace(year=2020)
    db.session.commit()
    assert personal_data.purge_expired() == 3
    db.session.commit()
    assert outbox() == []


def test_erasure_of_someone_cancelled_meanwhile_still_erases(world):
    # Another request cancelled the registration after this one loaded it.
    db.session.execute(
        update(Registration)
        .where(Registration.id == world.zoe_id)
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    assert world.zoe.is_active
    personal_data.erase_person(world.zoe)
    db.session.commit()
    assert db.session.get(Registration, world.zoe_id) is None
