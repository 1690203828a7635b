"""Every main page renders in each configured language, with no interface text left in French."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from eventsys.config import Config
from eventsys.extensions import db
from eventsys.services import programme
from tests.registration.helpers import FUTURE, person, private_link

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\(|%[sd]|[<>{}]")
VISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", re.S)
ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')


def _french_only(lang: str) -> set[str]:
    """Interface sentences whose translation differs from the French: seeing one means it was missed."""
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        pytest.fail(f"no catalogue for {lang!r}: {po.relative_to(TRANSLATIONS.parent)} is missing")
    with open(po, "rb") as handle:
        catalog = read_po(handle, locale=lang)
    out = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or PLACEHOLDER.search(message.id):
            continue
        if len(message.id.split()) >= 3 and message.string and message.string != message.id:
            out.add(message.id)
    return out


def _texts(raw: str) -> str:
    visible = " ".join(VISIBLE.sub(" ", raw).split())
    return html_lib.unescape(visible + " " + " ".join(ATTRIBUTES.findall(raw)))


@pytest.fixture
def pages(app, make_event, make_session):
    event = make_event(start_date=FUTURE, end_date=FUTURE, title="Journée test", languages="fr")
    make_session(event, "Ouverture", "09:30", "10:00", type="opening", day=FUTURE)
    make_session(event, "Atelier", "14:30", "16:00", type="workshop", requires_registration=True, capacity=5,
                 day=FUTURE)  # fmt: skip
    programme.publish_event(event)
    db.session.commit()
    response = app.test_client().post(f"/e/{event.code}/register", data=person(1))
    assert response.status_code == 302
    return {
        "home": "/",
        "event": f"/e/{event.code}",
        "programme": f"/e/{event.code}/programme",
        "register": f"/e/{event.code}/register",
        "login": "/auth/login",
        "registration received": response.headers["Location"],
        "private registration page": private_link(person(1)["email"]),
    }


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_main_pages_in_each_language(app, pages, lang):
    markers = set() if lang == "fr" else _french_only(lang)
    problems = []
    for name, path in pages.items():
        response = app.test_client().get(f"{path}?lang={lang}")
        raw = response.get_data(as_text=True)
        if response.status_code != 200 or f'<html lang="{lang}">' not in raw:
            problems.append(f"{name}: status {response.status_code}, not in {lang}")
            continue
        text = _texts(raw)
        left = sorted(m for m in markers if m in text)
        if left:
            problems.append(f"{name}: still in French: {left[:5]}")
    assert problems == [], f"{lang}: {problems}"
