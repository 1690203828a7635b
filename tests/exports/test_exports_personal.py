"""The personal agenda behind the private registration link, and attached to the confirmation e-mail."""

from __future__ import annotations

import email
import html
from datetime import timedelta
from email import policy

import icalendar
import pytest
import vobject

from eventsys.extensions import db
from eventsys.services import delivery, mail, networking
from eventsys.services import registration as reg

from .personal import DAY, build, register, wall_clock

PARIS = "Europe/Paris"


@pytest.fixture
def app_config():
    # E-mails are built outside a request: their links use BASE_URL.
    return {"BASE_URL": "https://events.example.org", "NETWORKING_TIME_LIMIT_S": 1.0}


@pytest.fixture
def agenda(make_event, make_room, make_speaker, make_session):
    return build(make_event, make_room, make_speaker, make_session)


def _url(registration) -> str:
    return f"/r/{reg.link_token(registration)}/agenda.ics"


def _summaries(body: bytes) -> dict[str, object]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _itinerary(registration):
    [(activity, participant, stops)] = networking.registration_itineraries(registration)
    return activity, participant, [s for s in stops if not s.absent and not s.sitting_out]


def test_personal_agenda_has_my_workshop_common_sessions_and_my_rounds(client, agenda):
    person = agenda.people[0]  # chose workshop A
    response = client.get(_url(person))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "private" in response.headers["Cache-Control"]
    assert person.last_name not in response.headers["Content-Disposition"]
    body = response.data

    items = _summaries(body)
    titles = set(items)
    assert "Atelier A : réseaux d'eau" in titles
    assert "Atelier B : assainissement" not in titles  # the other workshop is not mine
    assert {"Ouverture de la journée", "Déjeuner"} <= titles  # sessions everyone attends
    assert "Pause café" not in titles
    # The speed-networking session is replaced by my rounds, each at its table.
    assert "Speed-networking des territoires" not in titles
    _activity, _participant, stops = _itinerary(person)
    assert len(stops) == 3
    for stop in stops:
        title = f"Speed-networking des territoires, tour {stop.number} : {stop.place}"
        assert title in titles
        item = items[title]
        start = item.decoded("DTSTART")
        assert wall_clock(start) == wall_clock(stop.starts_at)
        assert wall_clock(item.decoded("DTEND")) == wall_clock(stop.ends_at)
        description = str(item["DESCRIPTION"])
        assert f"Thème : {stop.theme}" in description
        assert f"Animation : {stop.facilitator}" in description
    # Wall-clock times as printed in the programme: 14:00, 14:12, 14:24 (10-minute rounds, 2 to move).
    assert sorted(wall_clock(items[t].decoded("DTSTART")) for t in titles if ", tour " in t) == [
        "14:00", "14:12", "14:24",
    ]  # fmt: skip
    assert len(items) == 2 + 1 + 3  # opening and lunch, my workshop, my three rounds


def test_personal_agenda_reads_the_same_in_vobject_with_the_event_zone(client, agenda):
    body = client.get(_url(agenda.people[1])).data
    calendar = vobject.readOne(body.decode("utf-8"))
    events = {e.summary.value: e for e in calendar.vevent_list}
    assert "Atelier B : assainissement" in events
    assert "Atelier A : réseaux d'eau" not in events
    workshop = events["Atelier B : assainissement"]
    assert workshop.dtstart.value.strftime("%Y-%m-%d %H:%M") == f"{DAY.isoformat()} 10:45"
    assert str(workshop.dtstart.value.tzinfo) != "UTC"
    rounds = sorted(
        e.dtstart.value.strftime("%H:%M") for title, e in events.items() if ", tour " in title
    )
    assert rounds == ["14:00", "14:12", "14:24"]
    ical = icalendar.Calendar.from_ical(body)
    assert [str(z["TZID"]) for z in ical.walk("VTIMEZONE")] == [PARIS]
    assert str(ical["METHOD"]) == "PUBLISH"
    assert f"DTSTART;TZID={PARIS}:" in body.decode()


def test_uids_are_stable_and_a_replan_raises_the_sequence(client, agenda):
    person = agenda.people[2]
    first = client.get(_url(person)).data
    assert client.get(_url(person)).data == first  # byte for byte: ETags work
    uids = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    assert len(uids) == 6
    rounds = {u: e for u, e in uids.items() if "-tour" in u}
    assert len(rounds) == 3
    # Re-planning later keeps the UIDs and raises the SEQUENCE of the rounds.
    plan = networking.plan_activity(agenda.activity, seed=3)
    plan.created_at = plan.created_at + timedelta(hours=1)
    db.session.commit()
    again = {
        str(e["UID"]): e
        for e in icalendar.Calendar.from_ical(client.get(_url(person)).data).walk("VEVENT")
    }
    assert set(again) == set(uids)
    for uid in rounds:
        assert int(again[uid]["SEQUENCE"]) > int(rounds[uid]["SEQUENCE"])


def test_etag_gives_not_modified(client, agenda):
    url = _url(agenda.people[0])
    response = client.get(url)
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_tampered_or_cancelled_link_gets_a_clear_page_not_a_calendar(app, client, agenda):
    person = agenda.people[3]
    token = reg.link_token(person)
    tampered = client.get(f"/r/{token[:-3]}xyz/agenda.ics")
    assert tampered.status_code == 404
    assert "Ce lien n'est pas valide" in html.unescape(tampered.get_data(as_text=True))
    assert tampered.mimetype == "text/html"
    with app.test_request_context("/"):
        reg.cancel_registration(person)
    db.session.commit()
    gone = client.get(f"/r/{token}/agenda.ics")
    assert gone.status_code == 410
    assert "annulée" in gone.get_data(as_text=True)
    assert "BEGIN:VCALENDAR" not in gone.get_data(as_text=True)


def test_private_page_links_the_file_and_a_webcal_subscription(client, agenda):
    token = reg.link_token(agenda.people[0])
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/agenda.ics"' in page
    # A subscription link leaves the page: it is built on BASE_URL, never on the request's host.
    assert f'href="webcal://events.example.org/r/{token}/agenda.ics"' in page


def test_agenda_is_in_the_persons_language(
    client, make_event, make_room, make_speaker, make_session
):
    data = build(make_event, make_room, make_speaker, make_session, people=4)
    english = register(
        data.event, "Jane", "Doe", "jane@example.org", [data.workshop_a], language="en"
    )
    body = client.get(_url(english.registration)).data
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == f"{data.event.title} – My schedule"
    workshop = next(
        e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Atelier A : réseaux d'eau"
    )
    assert str(workshop["DESCRIPTION"]).startswith("Workshop")
    assert "Jane" not in body.decode()
    assert "Doe" not in body.decode()


def test_confirmation_email_carries_the_agenda(app, agenda):
    with app.test_request_context("/"):  # people register through the site
        outcome = register(agenda.event, "Zoé", "Lambert", "zoe.lambert@exemple.fr", [agenda.workshop_b],
                           notify=True)  # fmt: skip
    assert outcome.registration.status == "confirmed"
    delivery.deliver_due()
    [sent] = [m for m in mail.sent_messages() if m["To"] == "zoe.lambert@exemple.fr"]
    parsed = email.message_from_bytes(sent.as_bytes(), policy=policy.default)
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == f"agenda-{agenda.event.code}.ics"
    body = attachment.get_content()
    body = body.encode() if isinstance(body, str) else body
    titles = set(_summaries(body))
    assert "Atelier B : assainissement" in titles
    assert "Atelier A : réseaux d'eau" not in titles
    assert "Ouverture de la journée" in titles
    # The text and HTML parts are still there.
    assert parsed.get_body(("plain",)) is not None
    assert parsed.get_body(("html",)) is not None


def test_cancellation_email_has_no_agenda(app, agenda):
    person = agenda.people[4]
    with app.test_request_context("/"):
        reg.cancel_registration(person)
    db.session.commit()
    delivery.deliver_due()
    [sent] = [m for m in mail.sent_messages() if m["To"] == person.email]
    assert not list(
        email.message_from_bytes(sent.as_bytes(), policy=policy.default).iter_attachments()
    )
