"""Every route of the directory, classified: a private link (a wrong token opens nothing), a
coordinator's or administrator's page (login first, then the role), an organiser's page (login,
then the event). A route added later fails here until it is classified."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.services.directory import profiles, translations
from tests.directory.conftest import outbox, text

PRIVATE = {"directory.join", "directory.profile", "directory.profile_data", "directory.erase", "directory.members",
           "directory.translation"}  # fmt: skip
PUBLIC = {"directory.lost_link"}
COORDINATORS = {
    "directory.search",
    "directory.export",
    "directory.invite",
    "directory.coordinators",
    "directory.revoke",
}
ORGANISERS = {
    "directory.organiser_list",
    "directory.organiser_new",
    "directory.organiser_request",
    "directory.organiser_invite",
}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("directory.")]


def test_every_route_is_classified(app):
    assert {rule.endpoint for rule in _rules(app)} == PRIVATE | PUBLIC | COORDINATORS | ORGANISERS


def test_a_wrong_private_link_opens_nothing_and_changes_nothing(client, app, make_profile):
    make_profile()
    for rule in _rules(app):
        if rule.endpoint not in PRIVATE:
            continue
        path = rule.rule.replace("<token>", "WyIxIiwiZmFrZSJd.forged")
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method, data={"confirm": "y", "action": "accept"})
            assert response.status_code == 404, (method, path)
    assert db.session.scalar(db.select(db.func.count()).select_from(profiles.DirectoryProfile)) == 1


def test_organiser_routes_need_login_then_the_event(
    app, client_as, make_user, make_event, make_session, make_profile, request_ctx
):
    organiser = make_user(platform_role="organiser")
    event = make_event(owner=organiser)
    session = make_session(event, "Exposé", description="Texte.")
    request = translations.ask_translation(event, session, "de", [make_profile().id], None)
    db.session.commit()
    ids = {"event_id": event.id, "request_id": request.id}
    for who, expected in (
        (None, 302),
        (make_user(), 403),
        (make_user(platform_role="organiser"), 403),
    ):
        client = client_as(who)
        for rule in _rules(app):
            if rule.endpoint not in ORGANISERS:
                continue
            path = rule.rule.replace("<int:event_id>", str(ids["event_id"])).replace(
                "<int:request_id>", str(ids["request_id"])
            )
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(
                    path, method=method, data={"volunteers": [1], "t-title": "X"}
                )
                assert response.status_code == expected, (who, method, path)
    db.session.expire_all()
    assert request.status == "asked"
    assert len(request.invitations) == 1


def test_a_lost_link_is_sent_again_with_the_same_answer_for_everyone(client, make_profile):
    make_profile(email="ada@example.org")
    known = text(client.post("/directory/link", data={"email": "ADA@example.org"}))
    unknown = text(client.post("/directory/link", data={"email": "personne@example.org"}))
    assert known == unknown
    assert "Si cette adresse figure dans l'annuaire" in known
    assert [m.to_addr for m in outbox(kind="directory_link")] == ["ada@example.org"]


def test_an_organiser_invites_more_volunteers_while_nobody_accepted(
    client_as, make_user, make_event, make_session, make_profile, request_ctx
):
    organiser = make_user(platform_role="organiser")
    event = make_event(owner=organiser)
    session = make_session(event, "Exposé", description="Texte.")
    ada, bea = make_profile(first_name="Ada"), make_profile(first_name="Bea")
    request = translations.ask_translation(event, session, "de", [ada.id], None)
    db.session.commit()
    client = client_as(organiser)
    page = text(client.get(f"/manage/events/{event.id}/translations/{request.id}"))
    assert "Inviter d'autres volontaires" in page
    assert (
        client.post(
            f"/manage/events/{event.id}/translations/{request.id}/invite",
            data={"volunteers": [bea.id]},
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert sorted(i.profile_id for i in request.invitations) == [ada.id, bea.id]
    assert len(outbox(kind="translation_invited")) == 2


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
def test_public_pages_answer_without_login(client, app, endpoint):
    rule = next(r for r in _rules(app) if r.endpoint == endpoint)
    assert client.get(rule.rule).status_code == 200
