"""A large programme: one page per day, filters by theme, room and words without JavaScript, a page
per session for the whole description (issue 15, part 7)."""

from __future__ import annotations

from datetime import date, time, timedelta

import lxml.html
import pytest
from public_support import get_page, main_text

from eventsys.models.events import STATUS_PUBLISHED
from eventsys.services import programme_page

FIRST = date(2027, 3, 15)
ABSTRACT = "<p>Comment aborder <strong>la gestion patrimoniale</strong> des réseaux ? " + "Retours de terrain. " * 40 + "</p>"


@pytest.fixture
def conference(make_event, make_room, make_speaker, db):
    """Three days, 30 sessions a day (over the one-page limit), 3 rooms, 2 themes."""
    from eventsys.models import ProgrammeSession, Track
    from eventsys.services import programme

    event = make_event(title="Rencontres nationales", kind="conference", start_date=FIRST,
                       end_date=FIRST + timedelta(days=2), code="C27RN 001")  # fmt: skip
    rooms = [make_room(event, name) for name in ("Amphithéâtre Nord", "Salle Érable", "Salle Chêne")]
    themes = [Track(event=event, name="Énergie"), Track(event=event, name="Voirie")]
    db.session.add_all(themes)
    db.session.flush()
    anna = make_speaker(event, "Anna Müller")
    for day_index in range(3):
        day = FIRST + timedelta(days=day_index)
        for n in range(30):
            hour, room = divmod(n, 3)
            starts = programme.local_to_utc(event, day, time(8 + hour, 0))
            data = {"title": f"Jour {day_index + 1} séance {n:02d}", "type": "talk", "room_id": rooms[room].id,
                    "track_id": themes[n % 2].id, "description": ABSTRACT}  # fmt: skip
            speakers = [(anna.id, "speaker")] if (day_index, n) == (2, 7) else []
            programme.save_session(event, ProgrammeSession(), data, starts, starts + timedelta(minutes=50),
                                   speakers=speakers)  # fmt: skip
    event.status = STATUS_PUBLISHED
    db.session.commit()
    assert programme_page.SINGLE_PAGE_SESSIONS < 3 * 30
    return event, rooms, themes


def _titles(raw: str) -> list[str]:
    doc = lxml.html.fromstring(raw)
    return [" ".join(h.text_content().split()) for h in doc.xpath("//li[contains(@class,'session-card')]/h3")]


def test_programme_of_a_large_event_shows_one_day_with_links_to_the_others(client, conference):
    event, _, _ = conference
    page = get_page(client, f"/e/{event.code}/programme")
    assert page.status == 200
    titles = _titles(page.raw)
    assert len(titles) == 30
    assert all(title.startswith("Jour 1 ") for title in titles)
    doc = lxml.html.fromstring(page.raw)
    links = doc.xpath("//nav[contains(@class,'day-nav')]//a")
    assert [a.get("href") for a in links] == [
        f"/e/{event.code}/programme/{(FIRST + timedelta(days=n)).isoformat()}" for n in range(3)
    ]
    assert links[0].get("aria-current") == "page"
    assert "(30 sessions)" in links[1].text_content()

    second = get_page(client, links[1].get("href"))
    assert second.status == 200
    assert all(title.startswith("Jour 2 ") for title in _titles(second.raw))
    assert lxml.html.fromstring(second.raw).xpath("//nav[contains(@class,'day-nav')]//a[@aria-current]")[0].get(
        "href"
    ).endswith((FIRST + timedelta(days=1)).isoformat())


def test_day_pages_show_an_excerpt_and_the_session_page_everything(client, conference):
    event, _, _ = conference
    page = get_page(client, f"/e/{event.code}/programme/{FIRST.isoformat()}")
    text = main_text(page.raw)
    assert "Comment aborder la gestion patrimoniale des réseaux ?" in text
    assert text.count("Retours de terrain.") < 30 * 40  # not every word of every abstract
    doc = lxml.html.fromstring(page.raw)
    more = doc.xpath("//p[contains(@class,'session-excerpt')]/a")[0]
    assert "Lire la suite" in more.text_content()
    detail = get_page(client, more.get("href"))
    assert detail.status == 200
    assert detail.raw.count("Retours de terrain.") == 40
    assert "<strong>la gestion patrimoniale</strong>" in detail.raw
    back = lxml.html.fromstring(detail.raw).xpath("//p[contains(@class,'back-link')]/a")[0].get("href")
    assert back.startswith(f"/e/{event.code}/programme/{FIRST.isoformat()}#session-")


def test_filters_by_theme_room_and_words_work_as_a_plain_form(client, conference):
    event, rooms, themes = conference
    doc = lxml.html.fromstring(get_page(client, f"/e/{event.code}/programme").raw)
    form = doc.xpath("//form[contains(@class,'programme-filters')]")[0]
    assert form.get("method") == "get"
    # Every control has a visible label (keyboard and screen-reader users, no JavaScript).
    for control in form.xpath(".//select|.//input"):
        assert form.xpath(f".//label[@for='{control.get('id')}']"), control.get("name")
    assert form.xpath(".//button[@type='submit']")
    action = form.get("action")

    by_theme = get_page(client, action, query_string={"theme": themes[1].id})
    titles = _titles(by_theme.raw)
    assert len(titles) == 15
    assert "15 sessions correspondent à votre recherche." in by_theme.text
    assert all(int(title[-2:]) % 2 == 1 for title in titles)

    by_room = get_page(client, action, query_string={"room": rooms[2].id, "theme": themes[0].id})
    assert _titles(by_room.raw) == [f"Jour 1 séance {n:02d}" for n in range(30) if n % 3 == 2 and n % 2 == 0]


def test_word_search_spans_all_days_ignoring_accents_and_case(client, conference):
    event, _, _ = conference
    page = get_page(client, f"/e/{event.code}/programme", query_string={"q": "anna MULLER", "day": "all"})
    assert _titles(page.raw) == ["Jour 3 séance 07"]
    assert "1 session correspond à votre recherche." in page.text
    page = get_page(client, f"/e/{event.code}/programme", query_string={"q": "ERABLE seance 04", "day": "all"})
    assert _titles(page.raw) == [f"Jour {d} séance 04" for d in (1, 2, 3)]
    none = get_page(client, f"/e/{event.code}/programme", query_string={"q": "introuvable"})
    assert none.status == 200
    assert "Aucune session ne correspond à ces critères." in none.text
    assert "Effacer les filtres" in none.text


@pytest.mark.parametrize("query", [{"theme": "abc"}, {"room": "-1"}, {"theme": "99999999999"}, {"day": "hier"},
                                   {"q": "x" * 5000}, {"room": "999"}])  # fmt: skip
def test_odd_filter_values_are_ignored_never_an_error(client, conference, query):
    event, _, _ = conference
    assert get_page(client, f"/e/{event.code}/programme", query_string=query).status == 200


def test_unknown_day_redirects_to_the_programme(client, conference):
    event, _, _ = conference
    page = get_page(client, f"/e/{event.code}/programme/2027-13-45")
    assert page.status == 302
    assert page.location.endswith(f"/e/{event.code}/programme")
    other = get_page(client, f"/e/{event.code}/programme/2030-01-01")
    assert other.status == 200
    assert all(title.startswith("Jour 1 ") for title in _titles(other.raw))


def test_session_of_another_event_is_not_found(client, conference, make_event, make_session):
    event, _, _ = conference
    other = make_event(title="Autre", code="T26EV 900")
    foreign = make_session(other, "Ailleurs")
    assert get_page(client, f"/e/{event.code}/sessions/{foreign.id}").status == 404


def test_day_pages_are_cached_per_day(client, conference):
    event, _, _ = conference
    first = client.get(f"/e/{event.code}/programme/{FIRST.isoformat()}")
    again = client.get(f"/e/{event.code}/programme/{FIRST.isoformat()}")
    second = client.get(f"/e/{event.code}/programme/{(FIRST + timedelta(days=1)).isoformat()}")
    filtered = client.get(f"/e/{event.code}/programme/{FIRST.isoformat()}?q=Jour")
    assert first.headers["X-Page-Cache"] == "miss"
    assert again.headers["X-Page-Cache"] == "hit"
    assert second.headers["X-Page-Cache"] == "miss"
    assert filtered.headers["X-Page-Cache"] == "bypass"


def test_a_small_programme_stays_on_one_page(client, make_event, make_session, db):
    event = make_event(start_date=FIRST, end_date=FIRST + timedelta(days=1))
    make_session(event, "Premier jour", day=FIRST)
    make_session(event, "Second jour", day=FIRST + timedelta(days=1))
    event.status = STATUS_PUBLISHED
    db.session.commit()
    page = get_page(client, f"/e/{event.code}/programme")
    assert _titles(page.raw) == ["Premier jour", "Second jour"]
    assert [a.get("href") for a in lxml.html.fromstring(page.raw).xpath("//nav[contains(@class,'day-nav')]//a")] == [
        f"#jour-{FIRST.isoformat()}", f"#jour-{(FIRST + timedelta(days=1)).isoformat()}"
    ]


def test_exported_session_links_open_the_session_page(client, conference):
    event, _, _ = conference
    schedule = client.get(f"/e/{event.code}/schedule.json").get_json()
    day = schedule["schedule"]["conference"]["days"][1]
    talk = next(iter(day["rooms"].values()))[0]
    page = get_page(client, talk["url"].removeprefix("http://localhost"))
    assert page.status == 200
    assert talk["title"] in page.text
    assert talk["title"].startswith("Jour 2 ")
