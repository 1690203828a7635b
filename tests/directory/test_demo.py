"""The demo fills the directory once, with invented members, and its organiser coordinates it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models.directory import DirectoryProfile
from eventsys.security import find_user
from eventsys.services.demo import load_demo
from eventsys.services.demo_directory import MEMBERS
from eventsys.services.directory import search, translations


def test_the_demo_directory_is_searchable_and_loaded_once(app):
    summary = load_demo(today=date(2026, 5, 28))
    db.session.commit()
    assert f"{len(MEMBERS)} invented members" in summary
    assert "already filled" in load_demo(today=date(2026, 5, 28))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DirectoryProfile)) == len(MEMBERS)
    organiser = find_user("organisatrice@example.org") or next(u for u in search.coordinators())
    assert search.is_coordinator(organiser)
    emails = list(db.session.scalars(select(DirectoryProfile.email)))
    assert all(e.endswith("@example.org") and e.isascii() for e in emails)
    german = [
        p.last_name
        for p in search.search_profiles(search.Criteria(language="de", role="translation"))
    ]
    assert german == ["Giraud", "Janssens", "Kieffer", "Thiébaut", "Weber"]
    assert [p.last_name for p in translations.propose_volunteers("fr", "de", "B2")] == german
