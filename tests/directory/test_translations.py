"""Volunteer translations: an organiser asks, the volunteers proposed speak both languages, one
accepts from her link and submits side by side; the organiser edits and publishes, and German
visitors read the German abstract. Bad requests are refused with their reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.directory import TranslationRequest
from eventsys.services.directory import profiles, translations
from eventsys.services.directory.errors import (
    TranslationInvalid,
    TranslationState,
    VolunteerRefused,
)
from tests.directory.conftest import link_in, outbox, text

ABSTRACT = "Retour d'expérience de la métropole sur la gestion intégrée des eaux pluviales."


@pytest.fixture
def world(make_user, make_event, make_session, make_profile, client_as):
    from eventsys.services import programme

    organiser = make_user(email="orga@example.org", platform_role="organiser")
    event = make_event(owner=organiser, title="Rencontre transfrontalière")
    session = make_session(event, "Eaux pluviales", description=ABSTRACT)
    programme.publish_event(event)
    db.session.commit()
    ada = make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", language="de",
                       languages=[("fr", "C2"), ("de", "native")])  # fmt: skip
    bruno = make_profile(email="bruno@example.org", first_name="Bruno", last_name="Costa",
                         languages=[("fr", "native"), ("de", "B1")])  # fmt: skip
    carla = make_profile(email="carla@example.org", first_name="Carla", last_name="Ruiz", roles=["interpreting"],
                         languages=[("fr", "native"), ("de", "C2")])  # fmt: skip
    return {
        "event": event,
        "session": session,
        "organiser": client_as(organiser),
        "ada": ada,
        "bruno": bruno,
        "carla": carla,
    }


def test_only_volunteers_for_translation_who_speak_both_languages_are_proposed(world):
    names = [p.name for p in translations.propose_volunteers("fr", "de", "B2")]
    assert names == ["Ada Weber"]  # Bruno: German B1; Carla: interpreting only
    assert [p.name for p in translations.propose_volunteers("fr", "de", "B1")] == [
        "Bruno Costa",
        "Ada Weber",
    ]
    page = text(world["organiser"].get(f"/manage/events/{world['event'].id}/translations",
                                       query_string={"target": f"session-{world['session'].id}", "language": "de", "min_level": "B2"}))  # fmt: skip
    assert "Ada Weber" in page
    assert "Bruno Costa" not in page
    assert "Carla Ruiz" not in page


def test_the_whole_round_from_request_to_the_german_programme(client, world):
    event, session, organiser = world["event"], world["session"], world["organiser"]
    url = f"/manage/events/{event.id}/translations/new"
    response = organiser.post(url, query_string={"target": f"session-{session.id}", "language": "de", "min_level": "B2"},
                              data={"volunteers": [world["ada"].id], "note": "Merci !"})  # fmt: skip
    assert response.status_code == 302
    request = db.session.scalar(select(TranslationRequest))
    assert request.status == "asked"
    [invitation_mail] = outbox(to="ada@example.org", kind="translation_invited")
    assert invitation_mail.language == "de"
    assert "Deutsch" in invitation_mail.subject
    link = link_in(invitation_mail)
    assert client.get(link).status_code == 200
    assert client.post(link, data={"action": "accept"}).status_code == 302
    db.session.expire_all()
    assert request.status == "accepted"
    [accepted] = outbox(to="orga@example.org", kind="translation_accepted")
    assert accepted.language == "fr"
    assert "Ada Weber" in accepted.body_text
    page = text(client.get(link))
    assert ABSTRACT in page
    assert 'lang="de"' in page
    assert f"{len(ABSTRACT)} " in page
    sent = {
        "action": "submit",
        "t-title": "Regenwasser",
        "t-description": "Erfahrungsbericht der Metropole.",
    }
    assert client.post(link, data=sent).status_code == 302
    assert client.post(link, data=sent).status_code == 409  # a second time: refused
    db.session.expire_all()
    assert request.status == "submitted"
    assert outbox(to="orga@example.org", kind="translation_submitted")
    assert "Erfahrungsbericht" not in text(
        client.get(f"/e/{event.code}/sessions/{session.id}", headers={"Accept-Language": "de"})
    )
    review = f"/manage/events/{event.id}/translations/{request.id}"
    assert "Erfahrungsbericht der Metropole." in text(organiser.get(review))
    edited = {
        "t-title": "Regenwasser",
        "t-description": "Erfahrungsbericht der Metropole über Regenwasser.",
    }
    assert organiser.post(review, data=edited).status_code == 302
    db.session.expire_all()
    assert request.status == "published"
    assert session.translations["de"] == {
        "title": "Regenwasser",
        "description": "Erfahrungsbericht der Metropole über Regenwasser.",
    }
    german = text(
        client.get(f"/e/{event.code}/sessions/{session.id}", headers={"Accept-Language": "de"})
    )
    assert "Erfahrungsbericht der Metropole über Regenwasser." in german
    assert ABSTRACT in text(
        client.get(f"/e/{event.code}/sessions/{session.id}", headers={"Accept-Language": "fr"})
    )
    [thanks] = outbox(to="ada@example.org", kind="translation_published")
    assert thanks.language == "de"


def test_bad_requests_are_refused_with_their_reason(world, request_ctx):
    event, session = world["event"], world["session"]
    with pytest.raises(TranslationInvalid, match="ISO 639-1"):
        translations.ask_translation(event, session, "xx", [world["ada"].id], None)
    with pytest.raises(TranslationInvalid):
        translations.ask_translation(
            event, session, "fr", [world["ada"].id], None
        )  # the main language
    with pytest.raises(VolunteerRefused, match="Bruno Costa"):
        translations.ask_translation(
            event, session, "de", [world["ada"].id, world["bruno"].id], None
        )
    with pytest.raises(VolunteerRefused, match="traduction"):
        translations.ask_translation(event, session, "de", [world["carla"].id], None)
    with pytest.raises(VolunteerRefused, match="ne parle pas"):
        translations.ask_translation(event, session, "es", [world["ada"].id], None)
    db.session.rollback()
    assert db.session.scalar(select(TranslationRequest)) is None


def test_declines_and_the_first_acceptance_decide_the_status(world, make_profile, request_ctx):
    extra = make_profile(
        email="dora@example.org",
        first_name="Dora",
        last_name="Klein",
        languages=[("fr", "C1"), ("de", "native")],
    )
    request = translations.ask_translation(
        world["event"], world["session"], "de", [world["ada"].id, extra.id], None
    )
    ada, dora = request.invitations
    translations.decline(dora)
    assert request.status == "asked"
    with pytest.raises(TranslationState):
        translations.decline(dora)
    translations.accept(ada)
    assert request.status == "accepted"
    assert request.volunteer_id == world["ada"].id
    other = (
        translations.ask_translation(world["event"], None, "en", [extra.id], None)
        if extra.level_of("en")
        else None
    )
    assert other is None
    lone = translations.ask_translation(world["event"], world["session"], "de", [extra.id], None)
    translations.decline(lone.invitations[0])
    assert lone.status == "declined"


def test_erasing_a_volunteer_closes_her_open_requests_and_keeps_the_rest(world, request_ctx):
    taken = translations.ask_translation(
        world["event"], world["session"], "de", [world["ada"].id], None
    )
    translations.accept(taken.invitations[0])
    done = translations.ask_translation(world["event"], None, "de", [world["ada"].id], None)
    translations.accept(done.invitations[0])
    translations.submit(done.invitations[0], {"title": "Grenzüberschreitendes Treffen"})
    db.session.commit()
    profiles.erase_profile(world["ada"])
    db.session.commit()
    db.session.expire_all()
    assert taken.status == "closed"
    assert done.status == "submitted"
    assert done.text["title"] == "Grenzüberschreitendes Treffen"
    assert world["session"].title == "Eaux pluviales"  # nothing else touched


def test_organisers_of_other_events_reach_no_request(world, make_user, client_as, request_ctx):
    request = translations.ask_translation(
        world["event"], world["session"], "de", [world["ada"].id], None
    )
    db.session.commit()
    stranger = client_as(make_user())
    for path in (
        f"/manage/events/{world['event'].id}/translations",
        f"/manage/events/{world['event'].id}/translations/{request.id}",
    ):
        assert stranger.get(path).status_code == 403
        assert stranger.post(path, data={"t-title": "X"}).status_code in (403, 405)
    assert (
        stranger.post(
            f"/manage/events/{world['event'].id}/translations/new", data={"volunteers": [1]}
        ).status_code
        == 403
    )
    anonymous = client_as()
    assert anonymous.get(f"/manage/events/{world['event'].id}/translations").status_code == 302
    db.session.expire_all()
    assert request.status == "asked"
    assert world["session"].translations in ({}, None)


def test_a_volunteer_link_altered_opens_nothing(client, world, request_ctx):
    request = translations.ask_translation(
        world["event"], world["session"], "de", [world["ada"].id], None
    )
    token = translations.invitation_token(request.invitations[0])
    db.session.commit()
    # A character inside the signature: the last one of a base64 string carries unused bits, so
    # changing it may leave the decoded signature as it was.
    position = len(token) - 10
    altered = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
    assert client.get("/directory/t/" + altered).status_code == 404


def test_the_event_presentation_is_translated_and_published_too(client, world, request_ctx):
    event = world["event"]
    event.subtitle = "Journée d'échanges"
    db.session.commit()
    request = translations.ask_translation(event, None, "de", [world["ada"].id], None)
    assert translations.source_texts(request) == {
        "title": "Rencontre transfrontalière",
        "subtitle": "Journée d'échanges",
    }
    translations.accept(request.invitations[0])
    translations.submit(
        request.invitations[0],
        {"title": "Grenzüberschreitendes Treffen", "subtitle": "Austauschtag"},
    )
    with pytest.raises(TranslationInvalid):
        translations.publish(request, {"title": "Zwei\nZeilen"})  # a title on two lines
    translations.publish(
        request, {"title": "Grenzüberschreitendes Treffen", "subtitle": "Austauschtag"}
    )
    db.session.commit()
    assert event.translations["de"] == {
        "title": "Grenzüberschreitendes Treffen",
        "subtitle": "Austauschtag",
    }
    page = text(client.get(f"/e/{event.code.replace(' ', '')}", headers={"Accept-Language": "de"}))
    assert "Grenzüberschreitendes Treffen" in page


def test_the_volunteers_not_chosen_are_told_in_their_language_when_another_accepts_first(
    client, world, make_profile, request_ctx
):
    dora = make_profile(email="dora@example.org", first_name="Dora", last_name="Klein", language="fr",
                        languages=[("fr", "native"), ("de", "C1")])  # fmt: skip
    request = translations.ask_translation(
        world["event"], world["session"], "de", [world["ada"].id, dora.id], None
    )
    db.session.commit()
    ada_invitation, dora_invitation = request.invitations
    translations.accept(dora_invitation)
    db.session.commit()
    [withdrawn] = outbox(kind="translation_withdrawn")
    assert withdrawn.to_addr == "ada@example.org"
    assert withdrawn.language == "de"
    assert "Eaux pluviales" in withdrawn.subject
    assert "zurückgezogen" in withdrawn.subject
    assert "Dora" not in withdrawn.body_text  # who accepted is not said
    assert not outbox(to="dora@example.org", kind="translation_withdrawn")
    page = text(client.get(link_in(withdrawn)))
    assert ada_invitation.status == "withdrawn"
    assert "Eaux pluviales" in page
    # a request that only one volunteer was asked to do withdraws nobody
    lone = translations.ask_translation(world["event"], None, "de", [world["ada"].id], None)
    translations.accept(lone.invitations[0])
    db.session.commit()
    assert len(outbox(kind="translation_withdrawn")) == 1
