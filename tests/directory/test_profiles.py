"""Directory profiles: opt-in from the private link and the registration form, a coordinator's
invitation confirmed by its owner, bad input refused with reasons, export, erasure, retention."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.directory import DirectoryProfile
from eventsys.services.directory import profiles
from eventsys.services.directory.errors import ProfileExists, ProfileInvalid
from tests.directory.conftest import FUTURE, link_in, outbox, text

PROFILE_FORM = {
    "first_name": "Ada", "last_name": "Weber", "organisation": "Ville d'Exemple", "job_title": "Ingénieure",
    "region": "FR-GES", "language": "de", "lang_0": "fr", "level_0": "native", "lang_1": "de", "level_1": "C1",
    "roles": ["translation"], "topics": ["water", "sdg6"], "visibility": "members", "consent": "y",
}  # fmt: skip


def test_an_attendee_joins_the_directory_from_her_private_link(client, attendee):
    registration, token = attendee()
    page = text(client.get(f"/r/{token}"))
    assert "Créer mon profil dans l'annuaire" in page
    form = text(client.get(f"/directory/join/{token}"))
    assert 'value="Ada"' in form
    assert "ada.weber@ville-exemple.fr" in form
    response = client.post(f"/directory/join/{token}", data=PROFILE_FORM)
    assert response.status_code == 302
    profile = db.session.scalar(select(DirectoryProfile))
    assert profile.status == "active"
    assert profile.email == "ada.weber@ville-exemple.fr"
    assert [(row.code, row.level) for row in profile.languages] == [("fr", "native"), ("de", "C1")]
    assert profile.roles == ["translation"]
    assert profile.topics == ["water", "sdg6"]
    assert profile.region == "FR-GES"
    # Her link arrives in the language she chose for her e-mails, and opens her profile.
    [message] = outbox(to=profile.email, kind="directory_link")
    assert message.language == "de" and "Ihr Profil" in message.subject or message.subject
    assert response.headers["Location"].endswith(link_in(message))
    assert "Weber" in text(client.get(link_in(message)))


def test_a_second_profile_for_the_same_address_is_not_created(client, attendee):
    _registration, token = attendee()
    client.post(f"/directory/join/{token}", data=PROFILE_FORM)
    page = text(client.get(f"/directory/join/{token}"))
    assert "figure déjà dans l'annuaire" in page
    assert client.post(f"/directory/join/{token}", data={}).status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(DirectoryProfile)) == 1
    assert len(outbox(kind="directory_link")) == 2  # the link, sent again on request


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("level_1", "", "Niveau inconnu"), ("first_name", "", "obligatoire")],
)
def test_bad_languages_are_refused_with_the_reason_and_nothing_is_lost(
    client, attendee, field, value, message
):
    _registration, token = attendee()
    response = client.post(f"/directory/join/{token}", data={**PROFILE_FORM, field: value})
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert 'value="Ingénieure"' in page
    assert re.search(r'<option selected value="de">', page)
    assert db.session.scalar(select(DirectoryProfile)) is None


def test_the_service_refuses_unknown_codes_with_stable_codes(app, request_ctx):
    data = profiles.ProfileInput(
        first_name="A", last_name="B", languages=[("xx", "C1"), ("de", "D1")], roles=["singing"]
    )
    with pytest.raises(ProfileInvalid) as caught:
        profiles.create_profile("a@example.org", data, confirmed=True)
    assert caught.value.params["codes"] == {
        "languages": "invalid_language",
        "roles": "invalid_role",
    }
    assert len(caught.value.params["errors"]["languages"]) == 2  # both mistakes named


def test_ticking_the_registration_form_box_sends_the_directory_link(
    client, attendee, make_event, make_session
):
    from eventsys.services import programme

    event = make_event(start_date=FUTURE, end_date=FUTURE)
    make_session(event, "Plénière")
    programme.publish_event(event)
    db.session.commit()
    data = {"first_name": "Lena", "last_name": "Vogel", "email": "lena.vogel@example.de", "language": "de", "organisation": "Stadt Kehl",
            "consent": "y", "directory_opt_in": "y"}  # fmt: skip
    assert client.post(f"/e/{event.code}/register", data=data).status_code == 302
    [message] = outbox(to="lena.vogel@example.de", kind="directory_opt_in")
    assert message.language == "de"
    page = text(client.get(link_in(message)))
    assert 'value="Lena"' in page
    assert "Vogel" in page


def test_a_registration_without_the_box_sends_no_directory_mail(client, make_event, make_session):
    from eventsys.services import programme

    event = make_event(start_date=FUTURE, end_date=FUTURE)
    make_session(event, "Plénière")
    programme.publish_event(event)
    db.session.commit()
    data = {
        "first_name": "Lena",
        "last_name": "Vogel",
        "email": "lena@example.de",
        "language": "de",
        "organisation": "Stadt Kehl",
        "consent": "y",
    }
    assert client.post(f"/e/{event.code}/register", data=data).status_code == 302
    assert outbox(kind="directory_opt_in") == []


def test_an_invited_person_confirms_her_profile_from_the_link(client, client_as, coordinator):
    from eventsys.services.directory import search

    staff = client_as(coordinator)
    response = staff.post("/directory/invite", data={"email": "Marta.Rossi@Comune.IT", "first_name": "Marta",
                                                     "last_name": "Rossi", "language": "it"})  # fmt: skip
    assert response.status_code == 302
    profile = db.session.scalar(select(DirectoryProfile))
    assert profile.status == "pending_confirmation"
    assert profile.email == "marta.rossi@comune.it"
    assert (
        search.search_profiles(search.Criteria()) == []
    )  # nobody finds what its owner did not confirm
    [message] = outbox(kind="directory_invitation")
    assert message.language == "it"
    assert "Claire Coordinatrice" in message.body_text
    # Inviting the same address again is refused, by name.
    again = staff.post(
        "/directory/invite",
        data={
            "email": "marta.rossi@comune.it",
            "first_name": "M",
            "last_name": "R",
            "language": "it",
        },
    )
    assert again.status_code == 422
    assert "figure déjà" in text(again)
    link = link_in(message)
    assert client.post(link, data={**PROFILE_FORM, "first_name": "Marta", "last_name": "Rossi", "language": "it",
                                   "lang_1": "it", "level_1": "native", "lang_0": "fr", "level_0": "C1"}).status_code == 302  # fmt: skip
    db.session.expire_all()
    assert profile.status == "active"
    assert profile.consent_at is not None
    assert [p.email for p in search.search_profiles(search.Criteria(language="it"))] == [
        "marta.rossi@comune.it"
    ]


def test_a_member_downloads_then_erases_her_profile(client, make_profile, request_ctx):
    profile = make_profile(email="ada@example.org", first_name="Ada", last_name="Weber")
    token = profiles.profile_token(profile)
    response = client.get(f"/directory/p/{token}/data.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["profile"]["email"] == "ada@example.org"
    assert data["profile"]["languages"] == [
        {"code": "fr", "level": "native"},
        {"code": "de", "level": "C1"},
    ]
    assert "link_secret" not in json.dumps(data)
    assert client.post(f"/directory/p/{token}/erase", data={}).status_code == 422  # box not ticked
    assert client.post(f"/directory/p/{token}/erase", data={"confirm": "y"}).status_code == 200
    assert db.session.scalar(select(DirectoryProfile)) is None
    assert client.get(f"/directory/p/{token}").status_code == 404


def test_an_altered_link_opens_nothing(client, make_profile, request_ctx):
    token = profiles.profile_token(make_profile())
    assert client.get(f"/directory/p/{token[:-2]}xx").status_code == 404
    assert client.get("/directory/join/not-a-token").status_code == 404


def test_profiles_past_their_retention_period_are_purged(app, make_profile, request_ctx):
    from eventsys.models.types import utcnow

    kept, old = make_profile(), make_profile()
    old.confirmed_at = utcnow() - timedelta(days=37 * 31)
    pending = profiles.create_profile(
        "jamais@example.org", profiles.ProfileInput(first_name="A", last_name="B"), confirmed=False
    )
    pending.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert profiles.purge_expired() == 2
    db.session.commit()
    assert [p.id for p in db.session.scalars(select(DirectoryProfile))] == [kept.id]


def test_one_profile_per_address_whatever_its_case(app, make_profile, request_ctx):
    make_profile(email="ada@example.org")
    with pytest.raises(ProfileExists):
        profiles.create_profile(
            "ADA@Example.org", profiles.ProfileInput(first_name="A", last_name="B"), confirmed=False
        )
