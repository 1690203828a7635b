"""A session's attached document translated by a volunteer: the organiser asks for one
attachment, the volunteer gives the German document's title and address beside the French ones,
and once published German visitors get the German document while French visitors keep the source."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.directory import TranslationRequest
from eventsys.services.directory import translations
from eventsys.services.directory.errors import TranslationInvalid
from tests.directory.conftest import link_in, outbox, text

SLIDES = "https://example.org/docs/eaux-pluviales.pdf"
GERMAN = "https://example.org/docs/regenwasser.pdf"


@pytest.fixture
def world(make_user, make_event, make_session, make_profile, client_as):
    from eventsys.services import programme

    organiser = make_user(email="orga@example.org", platform_role="organiser")
    event = make_event(owner=organiser, title="Rencontre transfrontalière")
    session = make_session(event, "Eaux pluviales", description="Retour d'expérience.")
    session.links = [
        {"url": "https://example.org/metropole", "title": "La métropole", "kind": "link"},
        {"url": SLIDES, "title": "Diaporama de la métropole", "kind": "attachment"},
    ]
    programme.publish_event(event)
    db.session.commit()
    ada = make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", language="de",
                       languages=[("fr", "C2"), ("de", "native")])  # fmt: skip
    return {"event": event, "session": session, "organiser": client_as(organiser), "ada": ada}


def _page(client, event, session, language: str) -> str:
    return text(
        client.get(f"/e/{event.code}/sessions/{session.id}", headers={"Accept-Language": language})
    )


def test_a_document_is_asked_translated_and_published_for_german_visitors(client, world):
    event, session, organiser = world["event"], world["session"], world["organiser"]
    criteria = {"target": f"document-{session.id}-1", "language": "de", "min_level": "B2"}
    listing = text(organiser.get(f"/manage/events/{event.id}/translations", query_string=criteria))
    assert "document : Diaporama de la métropole" in listing
    response = organiser.post(f"/manage/events/{event.id}/translations/new", query_string=criteria,
                              data={"volunteers": [world["ada"].id]})  # fmt: skip
    assert response.status_code == 302
    request = db.session.scalar(select(TranslationRequest))
    assert request.target == "document"
    link = link_in(outbox(to="ada@example.org", kind="translation_invited")[0])
    client.post(link, data={"action": "accept"})
    form = text(client.get(link))
    assert "Diaporama de la métropole" in form
    assert SLIDES in form
    refused = client.post(link, data={"action": "submit", "t-title": "Präsentation",
                                      "t-url": "javascript:alert(1)"})  # fmt: skip
    assert refused.status_code == 422
    # in the volunteer's language (German)
    assert "muss eine einzeilige Webadresse sein" in text(refused)
    sent = {"action": "submit", "t-title": "Präsentation der Metropole", "t-url": GERMAN}
    assert client.post(link, data=sent).status_code == 302
    review = f"/manage/events/{event.id}/translations/{request.id}"
    assert GERMAN in text(organiser.get(review))
    published = {"t-title": "Präsentation der Metropole", "t-url": GERMAN}
    assert organiser.post(review, data=published).status_code == 302
    db.session.expire_all()
    assert request.status == "published"
    assert session.translations["de"]["links"] == [
        {"source": SLIDES, "url": GERMAN, "title": "Präsentation der Metropole"}
    ]
    german = _page(client, event, session, "de")
    assert GERMAN in german
    assert "Präsentation der Metropole" in german
    assert SLIDES not in german
    assert "https://example.org/metropole" in german  # the plain link is shown as it is
    french = _page(client, event, session, "fr")
    assert SLIDES in french
    assert "Diaporama de la métropole" in french
    assert GERMAN not in french


def test_the_service_round_trip_and_the_translation_kept_when_texts_are_saved(world, request_ctx):
    from eventsys.services import programme

    session = world["session"]
    with pytest.raises(TranslationInvalid):
        translations.ask_translation(
            world["event"], session, "de", [world["ada"].id], None, document=0
        )
    request = translations.ask_translation(
        world["event"], session, "de", [world["ada"].id], None, document=1
    )
    assert translations.source_texts(request) == {
        "title": "Diaporama de la métropole",
        "url": SLIDES,
    }
    translations.accept(request.invitations[0])
    for bad in ("ftp://example.org/a.pdf", "https://example.org/a\nb.pdf", ""):
        with pytest.raises(TranslationInvalid) as refused:
            translations.submit(request.invitations[0], {"title": "Präsentation", "url": bad})
        assert refused.value.params["field"] == "url"
    translations.submit(request.invitations[0], {"title": "Präsentation", "url": GERMAN})
    translations.publish(request, {"title": "Präsentation", "url": GERMAN})
    db.session.commit()
    # The organiser then saves the German title and abstract: the German document stays.
    programme.save_session(world["event"], session, {"translations": {"de": {"title": "Regenwasser"}}},
                           session.starts_at, session.ends_at)  # fmt: skip
    db.session.commit()
    assert session.translations["de"] == {
        "title": "Regenwasser",
        "links": [{"source": SLIDES, "url": GERMAN, "title": "Präsentation"}],
    }
