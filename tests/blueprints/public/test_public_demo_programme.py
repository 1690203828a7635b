"""The demo training day as the public reads it: every session, in the right room, at the right time."""

from __future__ import annotations

import re
from datetime import date

import pytest
from public_support import get_page, main_text, programme_cards

from eventsys.extensions import db
from eventsys.services.demo import load_demo

# Demo events are placed a few weeks after 'today'; this day puts Z26IN 001 on Thursday 25 June 2026.
DEMO_TODAY = date(2026, 5, 28)

# (start–end, type label, title, room) as printed on the Z26IN 001 programme (seed 004).
Z26IN_PROGRAMME = [
    ("09:30–10:00", "Accueil", "Accueil des participantes et participants", "Hall / espace restauration"),
    ("10:00–10:10", "Ouverture", "Allocutions d'ouverture", "Salle du conseil"),
    ("10:10–10:15", "Autre", "Présentation du programme", "Salle du conseil"),
    ("10:15–11:15", "Exposé", "Nouveaux enjeux de l'AICT pour l'année 2026", "Salle du conseil"),
    ("11:15–12:15", "Interaction", "L'AICT dans ma collectivité en 2026", "Salle du conseil"),
    ("12:15–12:30", "Mise en partage", "Mise en partage des expériences", "Salle du conseil"),
    ("12:30–14:00", "Repas", "Déjeuner", "Hall / espace restauration"),
    ("12:45–14:00", "Speed-networking", "Le speed-networking de l'AICT", "Salle du conseil"),
    ("14:00–14:30", "Exposé", "Présentation du « diagnostic territorial de mondialité » de Val-de-Seine",
     "Salle du conseil"),
    ("14:30–16:00", "Atelier", "Atelier n°1 : le document idéal à proposer aux nouvelles et nouveaux élus",
     "Salle Europe"),
    ("14:30–16:00", "Atelier", "Atelier n°2 : expertise territoriale, expatriation et mobilité internationale",
     "Salle Afrique"),
    ("16:00–16:15", "Mise en partage", "Mise en partage des travaux en ateliers", "Salle du conseil"),
    ("16:15–16:30", "Clôture", "Mot de clôture et fin de la journée", "Salle du conseil"),
]  # fmt: skip



def _times(when: str, lang: str) -> str:
    """"09:30–10:00" as printed: "9 h 30–10 h 00" in French, "9:30–10:00" in English (24-hour)."""
    hours = [tuple(int(part) for part in t.split(":")) for t in when.split("–")]
    pattern = "{h} h {m:02d}" if lang == "fr" else "{h}:{m:02d}"
    return "–".join(pattern.format(h=h, m=m) for h, m in hours)


@pytest.fixture
def demo(app):
    load_demo(today=DEMO_TODAY)
    db.session.commit()


def _room_name(room_text: str) -> str:
    # "Salle : Salle Europe (accès de plain-pied) …" in French, "Room: Salle Europe (…) …" in English.
    return re.split(r"\s?:\s", room_text, maxsplit=1)[1].split(" (", 1)[0]


def test_demo_day_shows_every_session_in_its_room_and_time(client, demo):
    page = get_page(client, "/e/Z26IN001/programme?lang=fr")
    assert page.status == 200
    cards = programme_cards(page.raw)
    got = [(c["when"], c["type"], c["title"], _room_name(c["room"])) for c in cards]
    assert got == [(_times(when, "fr"), *rest) for when, *rest in Z26IN_PROGRAMME]
    assert {c["day"] for c in cards} == {"jeudi 25 juin 2026"}
    workshops = [c for c in cards if c["type"] == "Atelier"]
    assert workshops[0]["slot"] == workshops[1]["slot"], "the two workshops run side by side"
    assert all("Sur inscription" in c["text"] for c in workshops)
    by_title = {c["title"]: c for c in cards}
    opening = by_title["Allocutions d'ouverture"]
    assert len(opening["speakers"]) == 2
    assert all(s.endswith("ou son représentant") for s in opening["speakers"])
    speed = by_title["Le speed-networking de l'AICT"]
    assert len(speed["speakers"]) == 7
    assert all("(animateur·rice)" in s for s in speed["speakers"])
    assert "En parallèle de : Déjeuner" in main_text(page.raw)
    assert "(modérateur·rice)" in by_title["Mise en partage des expériences"]["speakers"][0]
    assert "pas d'accès de plain-pied" in by_title[Z26IN_PROGRAMME[10][2]]["room"]


def test_demo_day_in_english_keeps_the_same_data(client, demo):
    page = get_page(client, "/e/Z26IN001/programme?lang=en")
    assert page.status == 200
    assert '<html lang="en">' in page.raw
    cards = programme_cards(page.raw)
    assert [(c["when"], c["title"], _room_name(c["room"])) for c in cards] == [
        (_times(when, "en"), title, room) for when, _, title, room in Z26IN_PROGRAMME
    ]
    assert {c["day"] for c in cards} == {"Thursday 25 June 2026"}


def test_demo_event_page_and_conference_programme(client, demo):
    page = get_page(client, "/e/z26in%20001?lang=fr")
    assert page.status == 301
    assert page.location == "/e/Z26IN001?lang=fr"
    event_page = main_text(get_page(client, page.location).raw)
    assert "Z26IN 001" in event_page
    assert "Hôtel d'agglomération de Val-de-Seine" in event_page
    assert "example.org" in event_page
    assert "01 00 00 00" in event_page

    conference = programme_cards(get_page(client, "/e/RNIT26/programme?lang=fr").raw)
    assert {c["day"] for c in conference} == {"mardi 6 octobre 2026", "mercredi 7 octobre 2026"}
    parallel = [c for c in conference if c["slot_time"] == "14 h 00" and c["day"] == "mardi 6 octobre 2026"]
    assert sorted(_room_name(c["room"]) for c in parallel) == ["Salle Garonne", "Salle Loire", "Salle Rhône"]
