"""The desk finds people by name whatever the accents, case, hyphens and spaces typed, and the
folded name stays right in databases upgraded from before the column existed (the write paths:
tests/registration/test_search_key.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from eventsys.extensions import db
from eventsys.models.search_key import fold, search_key
from eventsys.services import checkin as svc
from eventsys.services import registration as reg
from tests.migration_rows import insert_row, upgraded_to


def names(event, typed: str) -> list[str]:
    return [f"{p['first_name']} {p['last_name']}" for p in svc.search_attendees(event, typed)]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("García", "garcia"), ("HÉLÈNE", "helene"), ("Müller", "muller"), ("Jean-Pierre", "jean pierre"),
        ("  D’Artagnan  ", "d artagnan"), ("Œuvre Straße", "oeuvre strasse"), ("Łódź", "lodz"),
    ],
)  # fmt: skip
def test_folding_drops_accents_case_hyphens_and_spaces(raw, folded):
    assert fold(raw) == folded


def test_the_key_holds_the_spellings_people_type():
    key = search_key("Hélène", "Müller-Dupont", "Ville d'Évry")
    for word in ("helene", "muller dupont", "mullerdupont", "mueller", "ville d evry"):
        assert word in key


def test_desk_search_ignores_accents_case_hyphens_and_extra_spaces(desk_event, register):
    register(desk_event, "María", "García", organisation="Métropole de Lyon")
    register(desk_event, "Hélène", "Dupont-Moreau")
    register(desk_event, "Jürgen", "Müller", organisation="Stadt Köln")
    register(desk_event, "Camille", "D'Artagnan")
    register(desk_event, "Paul", "Martin")
    assert names(desk_event, "garcia") == ["María García"]
    assert names(desk_event, "GARCÍA maria") == ["María García"]
    assert names(desk_event, "helene") == ["Hélène Dupont-Moreau"]
    assert names(desk_event, "  dupont   moreau ") == ["Hélène Dupont-Moreau"]
    assert names(desk_event, "dupont-moreau") == ["Hélène Dupont-Moreau"]
    for typed in ("muller", "mueller", "Müller", "MULLER jurgen", "koln"):
        assert names(desk_event, typed) == ["Jürgen Müller"], typed
    assert names(desk_event, "dartagnan") == ["Camille D'Artagnan"]
    assert names(desk_event, "d'artagnan") == ["Camille D'Artagnan"]
    assert names(desk_event, "metropole") == ["María García"]
    assert names(desk_event, "zzz") == []
    assert names(desk_event, "%") == []  # not a wildcard


def test_organiser_search_ignores_accents_too(desk_event, register):
    register(desk_event, "Hélène", "García", email="helene@ville.fr")
    register(desk_event, "Paul", "Martin", email="paul@ville.fr")
    found, total = reg.search_registrations(desk_event, text="helene garcia")
    assert [r.email for r in found] == ["helene@ville.fr"]
    assert total == 1
    assert [r.email for r in reg.search_registrations(desk_event, text="paul@")[0]] == ["paul@ville.fr"]


def test_a_name_changed_on_the_object_is_searched_under_its_new_spelling(desk_event, register):
    person = register(desk_event, "Paul", "Martin")
    person.last_name = "Nuñez"
    db.session.commit()
    assert names(desk_event, "nunez") == ["Paul Nuñez"]
    assert names(desk_event, "martin") == []


def test_the_migration_fills_the_key_of_people_already_registered(tmp_path):
    with upgraded_to(tmp_path, "0004") as (engine, upgrade):
        with engine.begin() as connection:
            insert_row(connection, "events", id=1, code="Z26IN001", start_date="2026-01-01",
                       end_date="2026-01-01")  # fmt: skip
            insert_row(connection, "registrations", id=1, event_id=1, first_name="Hélène",
                       last_name="García-Müller", email="h@x.fr", email_key="h@x.fr", organisation="")  # fmt: skip
        upgrade(revision="0005")
        with engine.connect() as connection:
            key = connection.execute(text("SELECT search_key FROM registrations")).scalar_one()
    assert key == search_key("Hélène", "García-Müller", "")
    assert "helene" in key
    assert "garcia muller" in key
    assert "garcia mueller" in key
