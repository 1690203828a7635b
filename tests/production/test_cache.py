"""The cache of rendered public pages (eventsys/cache.py): fast, but never stale and never personal."""

from __future__ import annotations

from datetime import date

import pytest

from eventsys import cache
from tests.conftest import login
from tests.production.conftest import REDIS_URL, closed_port, redis_available

PAGE = "/e/T26EV001/programme"


@pytest.fixture(autouse=True)
def _fresh_cache_breaker():
    cache._REDIS.down_until = 0.0
    yield
    cache._REDIS.down_until = 0.0


@pytest.fixture
def programme_event(make_user, make_event, make_room, make_speaker, make_session):
    owner = make_user("organisatrice@example.org")
    event = make_event(owner=owner, code="T26EV 001", title="Journée voirie", languages="fr,en",
                       start_date=date(2099, 6, 25), end_date=date(2099, 6, 25))  # fmt: skip
    room = make_room(event, "Salle Garonne")
    speaker = make_speaker(event, "Camille Durand")
    event.owner = owner
    event.room = room
    event.speaker = speaker
    event.talk = make_session(event, "Ponts et chaussées", "09:30", "12:30", room=room,
                              speakers=[(speaker, "speaker")])  # fmt: skip
    event.workshop = make_session(event, "Atelier béton", "14:00", "16:00", room=room)
    from eventsys.services import programme

    programme.publish_event(event)
    from eventsys.extensions import db

    db.session.commit()
    return event


def get(app, path: str = PAGE, **kwargs):
    """A page as a new visitor (no cookie) sees it."""
    return app.test_client().get(path, **kwargs)


def test_the_second_visitor_gets_the_same_page_from_the_cache_and_browsers_revalidate(
    app, programme_event
):
    first = get(app)
    second = get(app)
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert first.data == second.data
    assert "Ponts et chaussées" in second.text
    # A browser that has the page asks again with its ETag and gets "not modified".
    assert second.headers["ETag"]
    assert "no-cache" in second.headers["Cache-Control"]
    again = get(app, headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_an_organiser_edit_is_visible_on_the_next_request(app, db, programme_event, make_user):
    from eventsys.services import programme

    event = programme_event
    assert "Salle Garonne" in get(app).text
    etag = get(app).headers["ETag"]

    # Renamed room, through the organiser's form.
    organiser = app.test_client()
    assert login(organiser, event.owner).status_code == 302
    response = organiser.post(
        f"/manage/events/{event.id}/rooms/{event.room.id}/edit",
        data={"name": "Amphithéâtre Dordogne", "capacity": "120"},
    )
    assert response.status_code == 302
    page = get(app)
    assert "Amphithéâtre Dordogne" in page.text
    assert "Salle Garonne" not in page.text
    # The browser's copy is out of date: no 304 for its old ETag.
    assert get(app, headers={"If-None-Match": etag}).status_code == 200

    # Retitled session and renamed speaker, through the services the API and imports use.
    talk = event.talk
    programme.save_session(event, talk, {"title": "Ponts, chaussées et ouvrages"},
                           talk.starts_at, talk.ends_at, speakers=[(event.speaker.id, "speaker")])  # fmt: skip
    db.session.commit()
    assert "Ponts, chaussées et ouvrages" in get(app).text
    programme.save_speaker(event, event.speaker, {"name": "Dominique Lefèvre"})
    db.session.commit()
    page = get(app).text
    assert "Dominique Lefèvre" in page
    assert "Camille Durand" not in page

    # A session deleted by the organiser disappears; a cancelled event says so.
    assert (
        organiser.post(f"/manage/events/{event.id}/sessions/{event.workshop.id}/delete").status_code
        == 302
    )
    assert "Atelier béton" not in get(app).text
    assert organiser.post(f"/manage/events/{event.id}/cancel").status_code == 302
    assert "Atelier béton" not in get(app).text
    cancelled = get(app).text
    assert "annulé" in cancelled.lower()
    assert "S&#39;inscrire" not in cancelled
    assert "S'inscrire" not in cancelled


def test_each_language_gets_its_own_page(app, programme_event):
    french = get(app, query_string={"lang": "fr"})
    english = get(app, query_string={"lang": "en"})
    german_browser = get(app, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="fr">' in french.text
    assert '<html lang="en">' in english.text
    assert '<html lang="de">' in german_browser.text
    # Asked again, each language is served from the cache, and never another one's page.
    for lang in ("fr", "en"):
        again = get(app, query_string={"lang": lang})
        assert again.headers["X-Page-Cache"] == "hit"
        assert f'<html lang="{lang}">' in again.text
    assert "Programme" in english.text
    assert "Skip to content" in english.text
    assert "Aller au contenu" in french.text
    assert "Aller au contenu" not in english.text
    # The language remembered in a visitor's cookie picks the page too.
    visitor = app.test_client()
    visitor.get(PAGE, query_string={"lang": "en"})
    assert '<html lang="en">' in visitor.get(PAGE).text


def test_logged_in_pages_and_flash_messages_are_never_cached_nor_shown_to_others(
    app, programme_event
):
    organiser = app.test_client()
    assert login(organiser, programme_event.owner).status_code == 302
    theirs = organiser.get(PAGE)
    assert "Se déconnecter" in theirs.text
    assert 'name="csrf_token"' in theirs.text
    assert theirs.headers["X-Page-Cache"] == "bypass"
    anonymous = get(app)
    assert "Se déconnecter" not in anonymous.text
    assert "csrf_token" not in anonymous.text

    visitor = app.test_client()
    with visitor.session_transaction() as cookie:
        cookie["_flashes"] = [("success", "Votre inscription est enregistrée, Camille.")]
    flashed = visitor.get(PAGE)
    assert "Votre inscription est enregistrée, Camille." in flashed.text
    assert "Camille." not in get(app).text
    # The message is shown once, like on any page.
    assert "Votre inscription est enregistrée" not in visitor.get(PAGE).text


def test_drafts_and_other_query_arguments_are_rendered_every_time(
    app, make_user, make_event, make_session, programme_event
):
    owner = make_user()
    draft = make_event(owner=owner, code="T26EV 002", title="Brouillon")
    make_session(draft, "Session en préparation")
    organiser = app.test_client()
    assert login(organiser, owner).status_code == 302
    page = organiser.get("/e/T26EV002/programme")
    assert "Session en préparation" in page.text
    assert page.headers["X-Page-Cache"] == "bypass"
    assert get(app, "/e/T26EV002/programme").status_code == 404
    tracked = get(app, query_string={"utm_source": "lettre"})
    assert tracked.headers["X-Page-Cache"] == "bypass"
    assert "Ponts et chaussées" in tracked.text


def test_works_without_redis(app, programme_event):
    assert not app.config.get("REDIS_URL")
    assert get(app).headers["X-Page-Cache"] == "miss"
    assert get(app).headers["X-Page-Cache"] == "hit"


def test_cache_off_renders_every_time(app, programme_event):
    app.config["PAGE_CACHE_SECONDS"] = 0
    assert get(app).headers["X-Page-Cache"] == "bypass"
    assert "Ponts et chaussées" in get(app).text


class TestWithRedis:
    @pytest.fixture
    def app_config(self):
        if not redis_available():
            pytest.skip(f"Redis is not reachable at {REDIS_URL} (set EVENTSYS_TEST_REDIS_URL)")
        return {"REDIS_URL": REDIS_URL}

    @pytest.fixture(autouse=True)
    def _clean_keys(self, app):
        yield
        from redis import Redis

        client = Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"eventsys:page:{cache._app_cache(app).scope}:*"))
        if keys:
            client.delete(*keys)
        client.close()

    def test_another_worker_serves_the_page_rendered_by_the_first(self, app, db, programme_event):
        from eventsys.services import programme

        first = get(app)
        assert first.headers["X-Page-Cache"] == "miss"
        cache.clear(app)  # another process: its own memory is empty, Redis is shared
        shared = get(app)
        assert shared.headers["X-Page-Cache"] == "hit"
        assert shared.data == first.data

        programme.save_room(
            programme_event, programme_event.room, {"name": "Salle Loire", "capacity": 80}
        )
        db.session.commit()
        cache.clear(app)
        page = get(app)
        assert "Salle Loire" in page.text
        assert "Salle Garonne" not in page.text

    def test_redis_down_still_serves_fresh_pages(self, app, db, programme_event):
        from eventsys.services import programme

        app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
        assert "Ponts et chaussées" in get(app).text
        programme.save_room(
            programme_event, programme_event.room, {"name": "Salle Tarn", "capacity": 80}
        )
        db.session.commit()
        page = get(app)
        assert page.status_code == 200
        assert "Salle Tarn" in page.text
        assert get(app).headers["X-Page-Cache"] == "hit"  # from the process while Redis is away
