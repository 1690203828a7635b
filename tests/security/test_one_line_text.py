"""Finding 2 of the security review: one-line text, and an outbox that one bad message cannot stop.

An event title PATCHed through the API to "Probe\\nBcc: x@evil" was stored as sent; every e-mail
of that event then failed when built, the whole batch aborted, and the messages of other events
claimed in the same batch stayed pending with no attempt recorded. Now one rule (eventsys/text.py)
keeps line breaks and control characters out of one-line text on every input path, and the
sender records each message's attempt and reason and goes on with the rest.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from eventsys.models import Event, ProgrammeSession, User
from eventsys.models.registration import MAIL_FAILED, MAIL_PENDING, MAIL_SENT, OutboxMessage
from eventsys.services import delivery, mail

from ..conftest import login

INJECTION = "Probe\nBcc: x@evil"


@pytest.fixture
def owner_event(make_user, make_event):
    owner = make_user()
    day = datetime.now(UTC).date() + timedelta(days=30)
    return owner, make_event(owner=owner, start_date=day, end_date=day)


@pytest.fixture
def bearer(app, db):
    from eventsys.security import issue_api_token

    def issue(user) -> dict[str, str]:
        _token, raw = issue_api_token(user, name="test")
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return issue


# ------------------------------------------------------------------ the rule, on every path


def test_the_api_refuses_a_line_break_in_a_title(client, owner_event, bearer, db):
    owner, event = owner_event
    response = client.patch(f"/api/v1/events/{event.code}", json={"title": INJECTION}, headers=bearer(owner))
    assert response.status_code == 422
    body = response.get_json()["error"]
    assert body["code"] == "validation_error"
    assert "title" in str(body)
    db.session.expire_all()
    assert "\n" not in db.session.get(Event, event.id).title


@pytest.mark.parametrize(("field", "value"), [("venue_name", "Salle\r\nX-Evil: 1"), ("subtitle", "a\x1b[31mb"),
                                              ("subtitle", "ligne\u2028suivante")])
def test_the_api_refuses_control_characters_in_every_one_line_field(client, owner_event, bearer, field, value):
    owner, event = owner_event
    response = client.patch(f"/api/v1/events/{event.code}", json={field: value}, headers=bearer(owner))
    assert response.status_code == 422, response.get_json()


def test_the_api_refuses_a_line_break_in_a_translated_title(client, owner_event, bearer):
    owner, event = owner_event
    response = client.patch(f"/api/v1/events/{event.code}", json={"translations": {"en": {"title": INJECTION}}},
                            headers=bearer(owner))
    assert response.status_code == 422


def test_multi_line_fields_keep_their_lines(client, owner_event, bearer, db):
    owner, event = owner_event
    response = client.patch(f"/api/v1/events/{event.code}", json={"venue_address": "1 rue X\n97200 Fort-de-France"},
                            headers=bearer(owner))
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Event, event.id).venue_address == "1 rue X\n97200 Fort-de-France"


def test_a_form_stores_one_line(client, owner_event, db):
    owner, event = owner_event
    login(client, owner)
    response = client.post(f"/manage/events/{event.id}/rooms/new", data={"name": "Salle\r\nBcc: x@evil",
                                                                          "capacity": "20"})
    assert response.status_code in (200, 302)
    names = [room.name for room in db.session.get(Event, event.id).rooms]
    assert names == ["Salle Bcc: x@evil"]


def test_a_programme_import_stores_one_line(client, owner_event, db):
    owner, event = owner_event
    login(client, owner)
    day = event.start_date.strftime("%d/%m/%Y")
    data = f'day;start;end;room;title;speakers\n{day};9h;10h;"Salle\nA";"Ouverture\nBcc: x@evil";"Camille\x0bDurand"\n'
    preview = client.post(f"/manage/events/{event.id}/import",
                          data={"file": (io.BytesIO(data.encode()), "programme.csv")})
    assert preview.status_code == 200
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview.text)[1]
    client.post(f"/manage/events/{event.id}/import/confirm", data={"token": token})
    session = db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)).one()
    assert session.title == "Ouverture Bcc: x@evil"
    assert session.room.name == "Salle A"
    assert [part.speaker.name for part in session.speakers] == ["Camille Durand"]


def test_a_registration_csv_import_stores_one_line(app, client, owner_event, db):
    from eventsys.models.registration import Registration
    from eventsys.services import programme

    owner, event = owner_event
    programme.publish_event(event)
    db.session.commit()
    login(client, owner)
    data = 'Prénom;Nom;E-mail;Organisation\nCamille;Martin;camille@ville.fr;"Ville\nBcc: x@evil"\n'
    client.post(f"/manage/events/{event.id}/registrations/import",
                data={"file": (io.BytesIO(data.encode()), "inscrits.csv"), "informed": "y"})
    registration = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).one()
    assert registration.organisation == "Ville Bcc: x@evil"


def test_the_cli_stores_one_line(app, runner, db):
    result = runner.invoke(args=["create-admin", "admin@example.org", "--name", "Admin\nBcc: x@evil",
                                 "--password", "correct horse battery staple"])
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "admin@example.org")).one()
    assert user.name == "Admin Bcc: x@evil"


def test_the_model_keeps_one_line_whatever_wrote_it(owner_event, db):
    _owner, event = owner_event
    event.title = "Titre\r\nBcc: x@evil\u202e"
    event.translations = {"en": {"title": "Title\nBcc: x@evil", "context": "Two\nlines"}}
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.title == "Titre Bcc: x@evil"
    assert stored.translations["en"] == {"title": "Title Bcc: x@evil", "context": "Two\nlines"}


# ------------------------------------------------------------------ the sender


def _queue(to: str, subject: str, registration_id: int | None = None) -> None:
    # Core insert, as registering does: what an outbox row could hold before the one-line rule.
    mail.queue_message(to, subject, "Bonjour", kind="test", registration_id=registration_id)


def test_one_bad_message_does_not_stop_the_batch(app, db):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    _queue("victime@example.org\nBcc: x@evil", "Inscription")  # the address header cannot be built
    _queue("autre@example.org", "Autre événement")
    _queue("troisieme@example.org", INJECTION)  # a subject written before the rule: sent on one line
    db.session.commit()
    now = datetime.now(UTC)
    report = delivery.deliver_due(now=now)
    messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    bad, other, third = messages
    assert other.status == MAIL_SENT
    assert third.status == MAIL_SENT
    sent = mail.sent_messages(app)
    assert [m["To"] for m in sent] == ["autre@example.org", "troisieme@example.org"]
    assert sent[1]["Subject"] == "Probe Bcc: x@evil"
    assert "Bcc" not in sent[1]
    # The bad one: its attempt and its reason recorded, retried later, not left claimed.
    assert bad.status == MAIL_PENDING
    assert bad.attempts == 1
    assert "linefeed" in bad.last_error or "newline" in bad.last_error.lower()
    assert bad.locked_until is None
    assert bad.next_attempt_at > now
    assert report.sent == 2
    assert report.broken == 1
    # After its retries it is marked failed, still alone.
    for _ in range(3):
        delivery.deliver_due(now=now + timedelta(days=1 + _))
    db.session.refresh(bad)
    assert bad.status == MAIL_FAILED
    assert bad.attempts == 3
    assert len(mail.sent_messages(app)) == 2


def test_messages_of_other_events_go_out_when_one_events_title_is_broken(app, client, owner_event, make_event, db):
    """The review's case end to end: a title stored with a line break (before the rule) and
    registrations of two events claimed in one batch."""
    from eventsys.services import programme
    from eventsys.services import registration as reg

    _owner, event = owner_event
    other = make_event(start_date=event.start_date, end_date=event.end_date)
    for each in (event, other):
        programme.publish_event(each)
    db.session.commit()
    # What the API stored before the fix, written under the model's rule as old data would be.
    db.session.execute(Event.__table__.update().where(Event.id == event.id).values(title=INJECTION))
    db.session.commit()
    db.session.expire_all()
    with app.test_request_context("/"):
        for n, each in enumerate((event, other, event, other)):
            reg.register_attendee(db.session.get(Event, each.id), reg.RegistrationInput(
                first_name="Camille", last_name="Martin", email=f"p{n}@ville.fr", organisation="Ville",
                consent=True))
        db.session.commit()
    report = delivery.deliver_due()
    assert report.sent == 4, str(report)
    subjects = [m["Subject"] for m in mail.sent_messages(app)]
    assert all("\n" not in s for s in subjects)
    assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.status != MAIL_SENT)).all()
