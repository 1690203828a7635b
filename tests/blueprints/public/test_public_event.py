"""Event page and programme: canonical URLs, visibility of drafts, what the public reads."""

from __future__ import annotations

import pytest
from public_support import get_page, main_text, programme_cards

from eventsys.models.people import ROLE_STAFF
from eventsys.services import programme
from tests.conftest import login


@pytest.fixture
def event(make_event, make_user, db):
    owner = make_user(email="orga@example.org")
    ev = make_event(
        owner=owner, code="Z26IN 001", title="Journée d'actualité AICT", subtitle="Nouveaux mandats",
        venue_name="Hôtel d'agglomération", venue_address="12 place de la Confluence\n91999 Val-de-Seine",
        access_notes="RER D, puis 8 minutes à pied.", audience="Chargés de mission relations internationales",
        context="Année de renouvellement des équipes.", contacts="Secrétariat : 01 00 00 00 00",
        languages="fr,en",
    )  # fmt: skip
    programme.publish_event(ev)
    db.session.commit()
    return ev


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/e/z26in001", "/e/Z26IN001"),
        ("/e/z26in-001", "/e/Z26IN001"),
        ("/e/Z26IN%20001", "/e/Z26IN001"),
        ("/e/Z26IN%20001?lang=en", "/e/Z26IN001?lang=en"),
        ("/e/z26in.001/programme?lang=fr&x=1", "/e/Z26IN001/programme?lang=fr&x=1"),
        ("/e/Z26in%20001/programme", "/e/Z26IN001/programme"),
    ],
)
def test_non_canonical_codes_redirect_permanently(client, event, url, target):
    page = get_page(client, url)
    assert page.status == 301
    assert page.location == target


def test_canonical_urls_are_served(client, event):
    assert get_page(client, "/e/Z26IN001").status == 200
    assert get_page(client, "/e/Z26IN001/programme").status == 200


@pytest.mark.parametrize("url", ["/e/Z99XX999", "/e/z99xx-999/programme"])
def test_unknown_code_is_a_friendly_404_with_the_code_box(client, event, url):
    page = get_page(client, url)
    assert page.status == 404
    assert "Événement introuvable" in page.text
    assert 'action="/e"' in page.raw
    assert 'name="code"' in page.raw


@pytest.mark.parametrize(
    "url",
    [
        "/e/%00",
        "/e/" + "A" * 5000,
        "/e/" + "Z26IN001" * 3,
        "/e/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/e/%3Cb%3EZ26IN001%3C%2Fb%3E/programme",
        "/e/%C3%A9v%C3%A9nement",
        "/e/%FF%FE",
        "/e/Z26IN001%0D%0ALocation:%20x",
        "/e/Z26IN001?lang=%00",
    ],
)
def test_odd_urls_never_fail(client, event, url):
    page = get_page(client, url)
    assert page.status in (200, 301, 404)
    assert "<script>alert" not in page.raw
    if page.location:
        assert page.location.startswith("/e/Z26IN001")
        assert "\n" not in page.location
        assert "\r" not in page.location


def test_drafts_are_hidden_from_the_public(client, make_event, make_user):
    make_event(code="D26IN 001", title="Projet confidentiel")
    for url in ("/e/D26IN001", "/e/d26in001", "/e/D26IN001/programme"):
        page = get_page(client, url)
        assert page.status == 404, url  # no redirect either: it would reveal the code exists
        assert "Projet confidentiel" not in page.text


def test_drafts_are_hidden_from_staff_and_other_organisers(client, make_event, make_user, db):
    from eventsys.models import EventRole

    draft = make_event(code="D26IN 001", title="Projet confidentiel")
    staff, other = make_user(), make_user()
    make_event(owner=other)
    db.session.add(EventRole(event=draft, user=staff, role=ROLE_STAFF))
    db.session.commit()
    for user in (staff, other):
        login(client, user)
        assert get_page(client, "/e/D26IN001").status == 404
        client.post("/auth/logout")


def test_drafts_are_shown_to_their_organiser_with_a_banner(client, make_event, make_user, make_session):
    owner = make_user()
    draft = make_event(owner=owner, code="D26IN 001", title="Projet confidentiel")
    make_session(draft, title="Exposé en préparation")
    login(client, owner)
    page = get_page(client, "/e/D26IN001")
    assert page.status == 200
    assert "Brouillon — non public." in page.text
    assert "Projet confidentiel" in page.text
    assert "S'inscrire" not in page.text, "no registration before publication"
    programme_page = get_page(client, "/e/D26IN001/programme")
    assert programme_page.status == 200
    assert "Brouillon — non public." in programme_page.text
    assert "Exposé en préparation" in programme_page.text


def test_event_page_shows_what_a_participant_needs(client, event):
    page = get_page(client, "/e/Z26IN001?lang=fr")
    assert page.status == 200
    text = page.text
    for expected in (
        "Journée d'actualité AICT", "Nouveaux mandats", "Z26IN 001", "Hôtel d'agglomération",
        "12 place de la Confluence", "91999 Val-de-Seine", "RER D, puis 8 minutes à pied.",
        "Chargés de mission relations internationales", "Année de renouvellement des équipes.",
        "Secrétariat : 01 00 00 00 00", "Français et English", "jeudi 25 juin 2026",
    ):  # fmt: skip
        assert expected in text, expected
    assert 'href="/e/Z26IN001/programme"' in page.raw
    for href in ("/e/Z26IN001/programme.ics", "/e/Z26IN001/programme.pdf", "/e/Z26IN001/schedule.xml",
                 "/e/Z26IN001/schedule.json"):  # fmt: skip
        assert f'href="{href}"' in page.raw, href
    assert 'style="' not in page.raw


def test_register_link_only_for_upcoming_published_events(client, make_event, db):
    from datetime import UTC, datetime, timedelta

    soon = datetime.now(UTC).date() + timedelta(days=20)
    upcoming = make_event(code="F26IN 001", start_date=soon, end_date=soon)
    programme.publish_event(upcoming)
    db.session.commit()
    page = get_page(client, "/e/F26IN001")
    assert "S'inscrire" in page.text
    assert 'href="/e/F26IN001/register"' in page.raw

    past = datetime.now(UTC).date() - timedelta(days=20)
    finished = make_event(code="P26IN 001", start_date=past, end_date=past)
    programme.publish_event(finished)
    db.session.commit()
    page = get_page(client, "/e/P26IN001")
    assert "Cet événement est terminé" in page.text
    assert "/register" not in page.raw


def test_cancelled_event_says_so_clearly(client, event, db):
    programme.unpublish_event(event, "cancelled")
    db.session.commit()
    for url in ("/e/Z26IN001", "/e/Z26IN001/programme"):
        page = get_page(client, url)
        assert page.status == 200
        assert "Événement annulé." in page.text
        assert "/register" not in page.raw


def test_programme_groups_parallel_sessions_and_shows_details(
    client, event, make_room, make_speaker, make_session, db
):
    council = make_room(event, "Salle du conseil", capacity=120)
    europe = make_room(event, "Salle Europe", capacity=30, step_free=True)
    afrique = make_room(event, "Salle Afrique", capacity=25, step_free=False, location_notes="1er étage")
    chair = make_speaker(event, "Claire Vasseur", function="directrice", organisation="Institut fictif",
                         or_representative=True)
    facilitator = make_speaker(event, "Thomas Girard", function="facilitateur")
    moderator = make_speaker(event, "Bastien Morvan")
    make_session(event, title="Allocutions d'ouverture", start="10:00", end="10:10", type="opening",
                 room=council, speakers=[(chair, "chair")])
    make_session(event, title="Atelier n°1", start="14:30", end="16:00", type="workshop", room=europe,
                 capacity=30, requires_registration=True, speakers=[(facilitator, "facilitator")],
                 description="Intro :\n- premier point\n- second point")
    make_session(event, title="Atelier n°2", start="14:30", end="16:00", type="workshop", room=afrique,
                 speakers=[(moderator, "moderator")])
    dropped = make_session(event, title="Exposé supprimé", start="11:00", end="11:30", room=council)
    dropped.status = "cancelled"
    db.session.commit()

    page = get_page(client, "/e/Z26IN001/programme?lang=fr")
    assert page.status == 200
    cards = {card["title"]: card for card in programme_cards(page.raw)}
    assert set(cards) == {"Allocutions d'ouverture", "Atelier n°1", "Atelier n°2", "Exposé supprimé"}
    assert all(card["day"] == "jeudi 25 juin 2026" for card in cards.values())
    # The two workshops share one time slot, in room order; the others have their own.
    first, second = cards["Atelier n°1"], cards["Atelier n°2"]
    assert first["slot"] == second["slot"]
    assert first["slot_time"] == "14 h 30"
    assert len({card["slot"] for card in cards.values()}) == 3
    titles = [card["title"] for card in programme_cards(page.raw)]
    assert titles.index("Atelier n°1") < titles.index("Atelier n°2")

    opening = cards["Allocutions d'ouverture"]
    assert opening["when"] == "10 h 00–10 h 10"
    assert opening["type"] == "Ouverture"
    # Step-free access not known (the default): nothing is claimed either way.
    assert opening["room"] == "Salle : Salle du conseil"
    assert first["room"] == "Salle : Salle Europe (accès de plain-pied)"
    assert opening["speakers"] == [
        "Claire Vasseur (président·e de séance), directrice, Institut fictif ou son représentant"
    ]
    assert first["type"] == "Atelier"
    assert first["when"] == "14 h 30–16 h 00"
    assert first["speakers"] == ["Thomas Girard (animateur·rice), facilitateur"]
    assert "Sur inscription (30 places)" in first["text"]
    assert "<li>premier point</li>" in page.raw
    assert "<li>second point</li>" in page.raw
    assert second["room"] == "Salle : Salle Afrique (pas d'accès de plain-pied) 1er étage"
    assert second["speakers"] == ["Bastien Morvan (modérateur·rice)"]

    dropped_card = cards["Exposé supprimé"]
    assert dropped_card["cancelled"]
    assert "Annulée" in dropped_card["type"]
    assert "<del>Exposé supprimé</del>" in page.raw
    assert not first["cancelled"]
    assert 'href="/e/Z26IN001"' in page.raw, "a link back to the event page"
    assert 'style="' not in page.raw


def test_programme_lists_days_as_anchors(client, make_event, make_session, db):
    from datetime import date

    ev = make_event(code="RNIT 26", kind="conference", start_date=date(2026, 10, 6), end_date=date(2026, 10, 7))
    make_session(ev, title="Plénière du mardi", day=date(2026, 10, 6))
    make_session(ev, title="Plénière du mercredi", day=date(2026, 10, 7))
    programme.publish_event(ev)
    db.session.commit()
    page = get_page(client, "/e/RNIT26/programme?lang=fr")
    assert 'href="#jour-2026-10-06"' in page.raw
    assert 'href="#jour-2026-10-07"' in page.raw
    assert '<h2 id="jour-2026-10-06"' in page.raw
    assert '<h2 id="jour-2026-10-07"' in page.raw
    days = {card["title"]: card["day"] for card in programme_cards(page.raw)}
    assert days == {"Plénière du mardi": "mardi 6 octobre 2026", "Plénière du mercredi": "mercredi 7 octobre 2026"}


def test_session_times_are_shown_in_the_event_time_zone(client, make_event, make_session, db):
    from datetime import date

    ev = make_event(code="MQ26 001", timezone="America/Martinique", start_date=date(2026, 3, 10),
                    end_date=date(2026, 3, 10))  # fmt: skip
    make_session(ev, title="Atelier aux Antilles", start="08:30", end="10:00")
    programme.publish_event(ev)
    db.session.commit()
    page = get_page(client, "/e/MQ26001/programme?lang=fr")
    (card,) = programme_cards(page.raw)
    assert card["when"] == "8 h 30–10 h 00"
    assert '<time datetime="2026-03-10T08:30:00-04:00">' in page.raw
    assert "America/Martinique" in main_text(page.raw)
