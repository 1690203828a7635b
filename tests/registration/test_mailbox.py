"""The demo mailbox and readable demo e-mails: one base address for the body and its calendar,
decoded text with whole links on the console, the mailbox pages (absent in production)."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from eventsys import create_app
from eventsys.models import EventRole
from eventsys.models.people import ROLE_STAFF
from eventsys.services import delivery, mail
from tests.blueprints.manage.manage_support import client_as
from tests.registration.helpers import person

SERVED = "http://127.0.0.1:5123"  # the address people register at (no BASE_URL configured)
LINK = re.compile(r"https?://[^\s<>\"]+/r/[A-Za-z0-9_.\-]+")


@pytest.fixture
def app_config():
    return {"MAIL_BACKEND": "memory", "DEMO_MAILBOX": True}


@pytest.fixture
def registered(app, client, open_event, make_user):
    """An event, its organiser, and one person registered from SERVED, whose e-mail was sent."""
    organiser = make_user()
    event = open_event(owner=organiser)
    data = person(first_name="Hélène", language="fr")
    response = client.post(f"/e/{event.code}/register", data=data, base_url=SERVED)
    assert response.status_code in (200, 302)
    assert delivery.deliver_due().sent == 1
    return {"event": event, "organiser": organiser, "email": data["email"]}


def _agenda_urls(ics: bytes) -> list[str]:
    calendar = Calendar.from_ical(ics)
    return [str(item["url"]) for item in calendar.walk("VEVENT") if item.get("url")]


def test_the_attached_calendar_links_to_the_address_of_the_body(app, registered):
    sent = mail.sent_messages()[-1]
    parts = mail.readable(sent)
    body_link = LINK.search(parts.text).group(0)
    assert body_link.startswith(SERVED + "/r/")
    (name, kind, ics), = parts.attachments
    assert kind == "text/calendar"
    urls = _agenda_urls(ics)
    assert urls
    assert all(url.startswith(f"{SERVED}/e/{registered['event'].code}") for url in urls), urls
    assert b"http://localhost" not in ics


def test_the_agenda_is_built_on_the_address_it_is_given_outside_any_request(app, registered):
    from flask import has_request_context

    from eventsys.extensions import db
    from eventsys.models.registration import Registration
    from eventsys.services.exports import registration_agenda

    registration = db.session.scalar(db.select(Registration).filter_by(email=registered["email"]))
    assert not has_request_context()
    urls = _agenda_urls(registration_agenda(registration, root="https://agenda.example.net"))
    assert urls
    assert all(u.startswith(f"https://agenda.example.net/e/{registered['event'].code}") for u in urls)


def test_console_shows_decoded_text_with_whole_links(app, client, open_event, capsys):
    app.config["MAIL_BACKEND"] = "log"
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(first_name="Hélène"), base_url=SERVED)
    assert delivery.deliver_due().sent == 1
    printed = capsys.readouterr().err
    assert "Subject: " in printed
    assert "Hélène" in printed  # decoded, not =C3=A9
    assert "=C3=A9" not in printed
    assert "=\n" not in printed  # no quoted-printable soft line break
    link = LINK.search(printed).group(0)
    assert link.startswith(SERVED + "/r/")
    assert re.search(rf"Attachment: agenda-{event.code}\.ics \(text/calendar, \d+ bytes\)", printed)
    # the printed link is the whole link: it opens the person's page
    assert client.get(link.removeprefix(SERVED)).status_code == 200


def test_mailbox_lists_the_message_and_shows_it_as_sent(app, registered):
    organiser = client_as(app, registered["organiser"])
    index = organiser.get("/manage/mailbox/")
    assert index.status_code == 200
    page = index.get_data(as_text=True)
    assert registered["email"] in page
    message_url = re.search(r'href="(/manage/mailbox/\d+)"', page).group(1)
    shown = organiser.get(message_url).get_data(as_text=True)
    link = LINK.search(shown).group(0)
    assert f'<a href="{link}">{link}</a>' in shown  # whole and clickable in the text version
    assert f"agenda-{registered['event'].code}.ics" in shown
    html = organiser.get(message_url + "/html")
    assert html.mimetype == "text/html"
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "script-src" not in html.headers["Content-Security-Policy"]  # default-src 'none': no script
    assert link in html.get_data(as_text=True)
    ics = organiser.get(message_url + "/attachments/1")
    assert ics.mimetype == "text/calendar"
    assert "attachment" in ics.headers["Content-Disposition"]
    assert _agenda_urls(ics.data)
    assert organiser.get(message_url + "/attachments/2").status_code == 404


def test_mailbox_shows_each_organiser_only_their_events_messages(app, db, registered, make_user, make_event):
    other = make_user()
    make_event(owner=other, code="AUTRE 001")
    staff = make_user()
    db.session.add(EventRole(event=registered["event"], user=staff, role=ROLE_STAFF))
    db.session.commit()
    index = client_as(app, registered["organiser"]).get("/manage/mailbox/").get_data(as_text=True)
    message_url = re.search(r'href="(/manage/mailbox/\d+)"', index).group(1)
    stranger = client_as(app, other)
    assert registered["email"] not in stranger.get("/manage/mailbox/").get_data(as_text=True)
    assert stranger.get(message_url).status_code == 404
    assert stranger.get(message_url + "/attachments/1").status_code == 404
    assert client_as(app, staff).get("/manage/mailbox/").status_code == 403
    anonymous = client_as(app).get(message_url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/auth/login")
    admin = client_as(app, make_user(is_admin=True))
    assert registered["email"] in admin.get("/manage/mailbox/").get_data(as_text=True)


def test_mailbox_is_absent_in_production(tmp_path, make_user, db):
    production = create_app({
        "SECRET_KEY": "production-like-key", "BASE_URL": "https://evenements.example.org",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "prod.sqlite3"),
    })
    assert not production.debug
    assert not production.testing
    assert not [rule for rule in production.url_map.iter_rules() if "mailbox" in rule.rule]
    with production.test_client() as client:
        assert client.get("/manage/mailbox/").status_code == 404
        assert client.get("/manage/mailbox/1").status_code == 404
    debug = create_app({"SECRET_KEY": "k", "DEBUG": True,
                        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "dev.sqlite3")})
    assert [rule for rule in debug.url_map.iter_rules() if rule.rule == "/manage/mailbox/"]
