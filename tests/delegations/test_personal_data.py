"""Personal data (RGPD) in a delegation: a member's export names their delegation and role, their
erasure removes their membership; the head's own data is exported from their link and erased by
the organiser without touching the group."""

from __future__ import annotations

import json

from sqlalchemy import select

from eventsys.models.delegation import Delegation, DelegationMember, InterpretingAssignment
from eventsys.models.registration import OutboxMessage, Registration, RegistrationChoice
from eventsys.services import delegations as dl
from eventsys.services import personal_data
from eventsys.services import registration as reg
from eventsys.services.delegations import interpreting
from tests.conftest import login
from tests.delegations.conftest import delegation_data


def _group(app, db, event, **kw):
    with app.test_request_context("/", base_url="http://eventsys.test"):
        delegation = dl.register_delegation(event, delegation_data(**kw))
        db.session.commit()
        return (
            delegation,
            dl.link_token(delegation),
            [reg.link_token(m.registration) for m in delegation.members],
        )


def _on_visit(db, event) -> int:
    """Confirmed places on the technical visit."""
    return len(
        db.session.scalars(
            select(RegistrationChoice).where(
                RegistrationChoice.session_id == event.visit.id,
                RegistrationChoice.status == "confirmed",
            )
        ).all()
    )


def test_a_members_export_names_their_delegation_country_and_role(app, client, db, forum):
    event = forum()
    _delegation, _head, links = _group(app, db, event)
    response = client.get(f"/r/{links[4]}/data.json", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["delegation"]["name"] == "ARDIC — Commune de Namur"
    assert data["delegation"]["country"] == "BE"
    assert data["delegation"]["role"] == "interpreter"
    assert data["delegation"]["country_name"] == "Belgium"
    assert data["delegation"]["role_label"] == "Interpreter"


def test_someone_registered_alone_has_no_delegation_in_their_export(app, db, forum, request_ctx):
    event = forum()
    _group(app, db, event)
    alone = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name="Inès",
            last_name="Seule",
            email="ines@ville.fr",
            organisation="Ville",
            consent=True,
        ),
    ).registration
    db.session.commit()
    assert personal_data.person_data(alone)["delegation"] is None


def test_erasing_a_member_removes_their_membership_and_frees_the_seat(app, client, db, forum):
    event = forum()
    delegation, head, links = _group(app, db, event, sessions=[event.visit.id])
    interpreter = delegation.members[4]
    with app.test_request_context("/"):
        interpreting.assign_interpreter(event, event.w1.id, "fr", "en", interpreter)
        db.session.commit()
    registration_id, member_id = interpreter.registration_id, interpreter.id
    assert _on_visit(db, event) == 5
    page = client.get(f"/r/{links[4]}/erase")
    assert page.status_code == 200
    response = client.post(f"/r/{links[4]}/erase", data={"confirm": "y"})
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration_id) is None
    assert db.session.get(DelegationMember, member_id) is None
    assert db.session.scalars(select(InterpretingAssignment)).all() == []
    delegation = db.session.get(Delegation, delegation.id)
    assert len(delegation.members) == 4
    assert _on_visit(db, event) == 4
    # The head's page still works and no longer lists the interpreter.
    text = client.get(f"/d/{head}").get_data(as_text=True)
    assert "Peeters-e" not in text
    assert "Peeters-a" in text


def test_the_head_downloads_their_data_from_their_link(app, client, db, forum):
    event = forum()
    _delegation, head, _links = _group(app, db, event)
    page = client.get(f"/d/{head}").get_data(as_text=True)
    assert f"/d/{head}/data.json" in page
    response = client.get(f"/d/{head}/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "dubois" not in response.headers["Content-Disposition"].lower()
    data = json.loads(response.get_data(as_text=True))
    assert data["head"] == {
        "first_name": "Marie", "last_name": "Dubois", "email": "marie.dubois@ardic.be", "language": "fr",
    }  # fmt: skip
    assert data["delegation"]["members"] == 5
    assert [e["kind"] for e in data["emails"]] == ["delegation"]


def test_the_organiser_erases_the_head_and_the_group_stays(app, client, db, forum):
    event = forum()
    delegation, head, links = _group(app, db, event)
    delegation_id = delegation.id
    login(client, event.owner)
    base = f"/manage/events/{event.id}/delegations/{delegation_id}"
    exported = json.loads(client.get(f"{base}/head-data").get_data(as_text=True))
    assert exported["head"]["email"] == "marie.dubois@ardic.be"
    # Without the box ticked, nothing is erased.
    client.post(f"{base}/erase-head", data={})
    db.session.expire_all()
    assert db.session.get(Delegation, delegation_id).head_email == "marie.dubois@ardic.be"
    response = client.post(f"{base}/erase-head", data={"confirm": "yes"}, follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    delegation = db.session.get(Delegation, delegation_id)
    assert (delegation.head_first_name, delegation.head_last_name, delegation.head_email) == (
        "",
        "",
        "",
    )
    assert len(delegation.members) == 5
    everything = "\n".join(
        repr(row)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table))
    )
    assert "marie.dubois" not in everything
    assert "Dubois" not in everything
    assert client.get(f"/d/{head}").status_code == 404  # the old link stops working
    # Members with their own address still receive their e-mails.
    assert db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == "membre0@commune.be")
    ).all()
    # Changes made later by the organiser write to nobody instead of an empty address.
    with app.test_request_context("/"):
        dl.remove_member(delegation, delegation.members[2], by_organiser=True)
        db.session.commit()
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "")).all() == []
    assert client.get(f"/r/{links[0]}").status_code == 200


def test_the_delegation_page_has_one_head_data_section_and_a_plain_title(app, client, db, forum):
    event = forum()
    delegation, head, links = _group(app, db, event)
    login(client, event.owner)
    page = client.get(f"/manage/events/{event.id}/delegations/{delegation.id}").get_data(
        as_text=True
    )
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert delegation.name in title
    assert "<" not in title
    assert page.count('id="head-data-title"') == 1
