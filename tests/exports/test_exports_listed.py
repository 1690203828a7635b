"""The exports that exist are found where people look: the public programme ("Add to my
calendar", "Data for apps") and the organiser's export page; every listed link works."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from eventsys.models import EventRole
from eventsys.models.people import ROLE_STAFF

from ..conftest import login


@pytest.fixture
def published(make_event, make_room, make_speaker, make_session, make_user, db):
    from eventsys.models import Track

    owner = make_user("organisatrice@example.org")
    event = make_event(owner=owner, title="Journée voirie", start_date=date(2026, 11, 5), end_date=date(2026, 11, 5))
    europe, afrique = make_room(event, "Salle Europe"), make_room(event, "Salle Afrique")
    track = Track(event=event, name="Mobilités", colour="#1f5f99")
    db.session.add(track)
    db.session.flush()
    zoe = make_speaker(event, "Zoé Lamy")
    make_session(event, "Atelier eau", "09:00", "10:30", room=europe, speakers=[(zoe, "facilitator")])
    make_session(event, "Atelier voirie", "09:00", "10:30", room=afrique, track_id=track.id)
    event.status = "published"
    db.session.commit()
    event.organiser = owner
    event.names = {"rooms": ["Salle Europe", "Salle Afrique"], "track": "Mobilités", "speaker": "Zoé Lamy"}
    return event


def _section(doc, heading: str):
    [section] = doc.xpath(f'//*[self::h2 or self::h3][normalize-space()="{heading}"]/..')
    return section


def _links(section) -> dict[str, str]:
    return {a.text_content().strip(): a.get("href") for a in section.xpath(".//a")}


def _all_listed_work(client, links: dict[str, str]) -> None:
    for label, href in links.items():
        response = client.get(href)
        assert response.status_code == 200, (label, href)


def test_the_public_programme_lists_every_calendar_and_data_export(client, published):
    response = client.get(f"/e/{published.code}/programme")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    calendars = _links(_section(doc, "Ajouter à mon agenda"))
    for name in (*published.names["rooms"], published.names["track"], published.names["speaker"]):
        assert calendars[name].endswith(".ics"), name
    assert calendars["Tout le programme (iCalendar)"] == f"/e/{published.code}/programme.ics"
    data = _links(_section(doc, "Données pour les applications"))
    assert {href.rsplit(".", 1)[1] for href in data.values()} == {"xml", "json", "csv", "pdf"}
    _all_listed_work(client, {k: v for k, v in calendars.items() if not v.startswith("webcal")} | data)
    # the header points to them
    assert doc.xpath("//nav[contains(@class, 'actions')]//a[@href='#exports']")


def test_the_organiser_export_page_lists_them_in_the_event_frame(client, published, make_user, db):
    login(client, published.organiser)
    response = client.get(f"/manage/events/{published.id}/exports")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    [current] = doc.xpath("//nav[contains(@class, 'event-nav')]//a[@aria-current='page']")
    assert current.text_content() == "Exports"
    data = _links(_section(doc, "Données pour les applications"))
    calendars = _links(_section(doc, "Agendas (iCalendar)"))
    documents = _links(_section(doc, "Documents de l'organisation"))
    assert set(published.names["rooms"]) <= set(calendars)
    assert "Inscriptions (CSV)" in documents
    _all_listed_work(client, data | calendars | {"csv": documents["Inscriptions (CSV)"]})
    # From the dashboard's tab bar
    dashboard = lxml.html.fromstring(client.get(f"/manage/events/{published.id}").get_data(as_text=True))
    assert dashboard.xpath("//nav[contains(@class, 'event-nav')]//a[text()='Exports']")


def test_staff_and_strangers_do_not_get_the_organiser_export_page(client, published, make_user, db):
    staff = make_user("staff@example.org")
    db.session.add(EventRole(event_id=published.id, user_id=staff.id, role=ROLE_STAFF))
    db.session.commit()
    assert client.get(f"/manage/events/{published.id}/exports").status_code in (302, 401)
    login(client, staff)
    assert client.get(f"/manage/events/{published.id}/exports").status_code == 403
