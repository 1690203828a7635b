"""Helpers for the public-pages tests."""

from __future__ import annotations

import html
from dataclasses import dataclass

import flask_babel
import lxml.html


@dataclass
class Page:
    status: int
    raw: str  # as sent, escaped
    text: str  # entities decoded, for asserting on French text with apostrophes
    location: str | None


def get_page(client, url: str, **kwargs) -> Page:
    """GET a page. The test app context outlives requests, so Flask-Babel's per-context locale
    cache would leak from one request to the next: clear it first, as a real request would."""
    flask_babel.refresh()
    response = client.get(url, **kwargs)
    raw = response.get_data(as_text=True)
    return Page(response.status_code, raw, html.unescape(raw), response.headers.get("Location"))


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def main_text(raw: str) -> str:
    """The visible text of <main>, whitespace collapsed (tags between words removed)."""
    return _text(lxml.html.fromstring(raw).xpath("//main")[0])


def programme_cards(raw: str) -> list[dict]:
    """Every session card of a programme page, with the day and slot it sits in."""
    doc = lxml.html.fromstring(raw)
    cards = []
    for slot_index, slot in enumerate(doc.xpath("//div[@class='slot']")):
        day = _text(slot.xpath("ancestor::section[1]//h2")[0])
        slot_time = _text(slot.xpath("./p[@class='slot-time']")[0])
        for card in slot.xpath(".//li[contains(concat(' ', @class, ' '), ' session-card ')]"):
            room = card.xpath(".//li[@class='session-room']")
            cards.append(
                {
                    "day": day,
                    "slot": slot_index,
                    "slot_time": slot_time,
                    "type": _text(card.xpath("./p[@class='session-type']")[0]),
                    "title": _text(card.xpath("./h3")[0]),
                    "when": _text(card.xpath("./p[@class='session-when']")[0]),
                    "room": _text(room[0]) if room else "",
                    "speakers": [_text(li) for li in card.xpath("./ul[@class='speakers']/li")],
                    "cancelled": "session-cancelled" in _classes(card),
                    "text": _text(card),
                }
            )
    return cards
