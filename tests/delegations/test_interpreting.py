"""The interpreting plan: needs per session, the delegation's interpreter proposed, clashes."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.services import delegations as dl
from eventsys.services.delegations import interpreting
from tests.conftest import login
from tests.delegations.conftest import delegation_data


def _two_rooms_at_once(event):
    """Needs German→French in both parallel workshops: one interpreter cannot be in both."""
    return [
        dl.PairInput("de", "fr", [event.w1.id, event.w2.id]),
        dl.PairInput("it", "fr", [event.plenary.id]),
    ]


def test_the_delegation_interpreter_is_proposed_and_a_clash_is_found(db, forum, request_ctx):
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    needs, clashes = interpreting.interpreting_plan(event)
    assert [(n.session.title, n.source, n.target) for n in needs] == [
        ("Ouverture", "it", "fr"), ("Eau et assainissement", "de", "fr"), ("Voirie et mobilité", "de", "fr"),
    ]  # fmt: skip
    assert {n.name for n in needs} == {"Arthur Peeters-e"}  # the delegation's interpreter
    assert len(clashes) == 1
    assert {clashes[0].first.session.id, clashes[0].second.session.id} == {event.w1.id, event.w2.id}


def _assign(client, event, name: str, **kw):
    """The organiser names someone for German→French in the second workshop."""
    data = {
        "session_id": event.w2.id,
        "source": "de",
        "target": "fr",
        "interpreter": "",
        "name": name,
    }
    return client.post(
        f"/manage/events/{event.id}/delegations/interpreting/assign", data=data, **kw
    )


def test_the_organiser_resolves_the_clash_with_a_volunteer(client, db, forum, request_ctx):
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    login(client, event.owner)
    page = client.get(f"/manage/events/{event.id}/delegations/interpreting").get_data(as_text=True)
    assert "1 conflit à résoudre" in page
    assert "Arthur Peeters-e" in page
    response = _assign(client, event, "Claire Vogel")
    assert response.status_code == 302
    page = client.get(f"/manage/events/{event.id}/delegations/interpreting").get_data(as_text=True)
    assert "Aucun conflit" in page
    assert "Claire Vogel" in page
    needs, clashes = interpreting.interpreting_plan(event)
    assert not clashes
    assert [n.name for n in needs if n.session.id == event.w2.id] == ["Claire Vogel"]


def test_an_assignment_without_anyone_is_refused(client, db, forum, request_ctx):
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    login(client, event.owner)
    response = _assign(client, event, " ", follow_redirects=True)
    assert "Choisissez un interprète" in response.get_data(as_text=True)
    assert len(interpreting.interpreting_plan(event)[1]) == 1


def test_directory_volunteers_who_interpret_the_pair_are_offered(client, db, forum, request_ctx):
    from eventsys.models.directory import (
        PROFILE_ACTIVE,
        VISIBILITY_COORDINATORS,
        VISIBILITY_MEMBERS,
        DirectoryLanguage,
        DirectoryProfile,
    )

    def volunteer(first: str, visibility: str, german: str) -> DirectoryProfile:
        profile = DirectoryProfile(
            email=f"{first.lower()}@ville.fr", first_name=first, last_name="Vogel", roles=["interpreting"],
            status=PROFILE_ACTIVE, visibility=visibility, link_secret=first,
            languages=[DirectoryLanguage(code="fr", level="native"), DirectoryLanguage(code="de", level=german)],
        )  # fmt: skip
        db.session.add(profile)
        return profile

    claire = volunteer("Claire", VISIBILITY_MEMBERS, "C1")
    volunteer(
        "Hidden", VISIBILITY_COORDINATORS, "C2"
    )  # not shown outside the directory's coordinators
    volunteer("Beginner", VISIBILITY_MEMBERS, "A2")  # does not speak German well enough
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    needs, _clashes = interpreting.interpreting_plan(event)
    german = [n for n in needs if n.source == "de"]
    assert [[p.first_name for p in n.volunteers] for n in german] == [["Claire"], ["Claire"]]
    assert all(n.volunteers == [] for n in needs if n.source == "it")
    login(client, event.owner)
    data = {
        "session_id": event.w2.id,
        "source": "de",
        "target": "fr",
        "interpreter": f"d{claire.id}",
        "name": "",
    }
    assert (
        client.post(
            f"/manage/events/{event.id}/delegations/interpreting/assign", data=data
        ).status_code
        == 302
    )
    needs, clashes = interpreting.interpreting_plan(event)
    assert not clashes
    assert [n.name for n in needs if n.session.id == event.w2.id] == ["Claire Vogel"]


def test_a_volunteer_chosen_from_the_directory_is_invited_in_their_language(
    client, db, forum, request_ctx
):
    from sqlalchemy import select

    from eventsys.models.directory import (
        PROFILE_ACTIVE,
        VISIBILITY_MEMBERS,
        DirectoryLanguage,
        DirectoryProfile,
    )
    from eventsys.models.registration import OutboxMessage

    jana = DirectoryProfile(
        email="jana@stadt.de", first_name="Jana", last_name="Weber", roles=["interpreting"], language="de",
        status=PROFILE_ACTIVE, visibility=VISIBILITY_MEMBERS, link_secret="jana",
        languages=[DirectoryLanguage(code="de", level="native"), DirectoryLanguage(code="fr", level="C1")],
    )  # fmt: skip
    db.session.add(jana)
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    login(client, event.owner)
    url = f"/manage/events/{event.id}/delegations/interpreting"
    assert 'name="invite"' in client.get(url).get_data(as_text=True)
    data = {"session_id": event.w1.id, "source": "de", "target": "fr", "interpreter": f"d{jana.id}"}
    assert client.post(f"{url}/assign", data={**data, "name": ""}).status_code == 302
    assert (
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_addr == "jana@stadt.de")
        ).all()
        == []
    )
    assert (
        client.post(f"{url}/assign", data={**data, "name": "", "invite": "yes"}).status_code == 302
    )
    (invitation,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == "jana@stadt.de")
    ).all()
    assert invitation.language == "de"
    assert invitation.subject.startswith("Dolmetschen angefragt")
    assert "Eau et assainissement" in invitation.body_text
    assert "Deutsch" in invitation.body_text
    assert "Französisch" in invitation.body_text
    assert invitation.body_text.startswith("Guten Tag Jana,")


def test_a_volunteer_is_linked_by_their_profile_not_by_their_name(client, db, forum, request_ctx):
    from eventsys.models.delegation import InterpretingAssignment
    from eventsys.models.directory import (
        PROFILE_ACTIVE,
        VISIBILITY_MEMBERS,
        DirectoryLanguage,
        DirectoryProfile,
    )

    def volunteer(last: str) -> DirectoryProfile:
        profile = DirectoryProfile(
            email=f"{last.lower()}@ville.fr", first_name="Claire", last_name=last, roles=["interpreting"],
            status=PROFILE_ACTIVE, visibility=VISIBILITY_MEMBERS, link_secret=last,
            languages=[DirectoryLanguage(code="fr", level="native"), DirectoryLanguage(code="de", level="C2")],
        )  # fmt: skip
        db.session.add(profile)
        return profile

    vogel, _namesake = volunteer("Vogel"), volunteer("Vogel-Bis")
    event = forum()
    dl.register_delegation(event, delegation_data(interpreting=_two_rooms_at_once(event)))
    db.session.commit()
    interpreting.choose_interpreter(event, event.w1.id, "de", "fr", f"d{vogel.id}", "")
    db.session.commit()
    choice = db.session.scalars(select(InterpretingAssignment)).one()
    assert (choice.profile_id, choice.interpreter_name) == (vogel.id, "")
    vogel.last_name = "Vogel-Martin"  # she changes her name in the directory: the plan follows
    db.session.commit()
    needs, _clashes = interpreting.interpreting_plan(event)
    assert [n.name for n in needs if n.session.id == event.w1.id] == ["Claire Vogel-Martin"]
    db.session.delete(vogel)  # her profile is erased: the pair has nobody, no name is left
    db.session.commit()
    db.session.expire_all()
    needs, _clashes = interpreting.interpreting_plan(event)
    w1 = next(n for n in needs if n.session.id == event.w1.id)
    assert w1.name != "Claire Vogel-Martin"
    assert "Vogel-Martin" not in repr(
        db.session.execute(select(InterpretingAssignment.__table__)).all()
    )
