"""Registering a delegation: each member through the registration rules, all or none, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventsys.models.delegation import Delegation
from eventsys.models.registration import OutboxMessage, Registration
from eventsys.services import delegations as dl
from eventsys.services import registration as reg
from tests.delegations.conftest import delegation_data


def _registrations(db, event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )


def test_each_member_gets_a_registration_in_their_language(db, forum, request_ctx):
    event = forum()
    delegation = dl.register_delegation(event, delegation_data(sessions=[event.visit.id]))
    db.session.commit()
    assert [m.registration.language for m in delegation.members] == ["fr", "de", "it", "fr", "en"]
    assert dl.delegation_status(delegation) == "confirmed"
    assert all(m.registration.status == "confirmed" for m in delegation.members)
    assert all(
        [c.session_id for c in m.registration.live_choices] == [event.visit.id]
        for m in delegation.members
    )
    # The member without an address is reached through the head.
    silent = delegation.members[2]
    assert not silent.own_address
    assert silent.registration.email == "marie.dubois@ardic.be"
    to = [m.to_addr for m in db.session.scalars(select(OutboxMessage))]
    assert (
        to.count("marie.dubois@ardic.be") == 1
    )  # the head's summary; the member's notice is in it
    assert "membre0@commune.be" in to
    assert "membre2@commune.be" not in to
    summary = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "delegation"))
    assert "Chloé" not in summary.body_text
    assert "Noah Peeters-c" in summary.body_text
    assert "/r/" in summary.body_text
    assert "/d/" in summary.body_text


def test_all_or_none_group_waits_whole_in_one_position_and_is_promoted_together(
    db, forum, request_ctx
):
    event = forum(capacity=6)
    single = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name="Paul",
            last_name="Girard",
            email="paul@ville.fr",
            organisation="Ville",
            consent=True,
        ),
    )
    db.session.commit()
    delegation = dl.register_delegation(event, delegation_data(all_or_none=True))
    db.session.commit()
    assert dl.delegation_status(delegation) == "confirmed"  # 1 + 5 fit in 6
    other = dl.register_delegation(event, delegation_data(
        name="ANTEL", country="IT", head_email="capo@antel.it", all_or_none=True,
        members=[dl.MemberInput(first_name=f"Marco{c}", last_name="Rossi", email=f"m{c}@antel.it", language="it")
                 for c in "abc"]))  # fmt: skip
    db.session.commit()
    seats = dl.member_seats(other)
    assert {s.status for s in seats} == {"waitlisted"}
    assert {s.position for s in seats} == {1}  # one position for the whole group
    latecomer = reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name="Zoé",
            last_name="Petit",
            email="zoe@ville.fr",
            organisation="Ville",
            consent=True,
        ),
    ).registration
    db.session.commit()
    assert reg.event_position(latecomer) == 2
    # Two places free: not enough for the three of them, and nobody overtakes them.
    reg.cancel_registration(single.registration)
    reg.cancel_registration(delegation.members[0].registration)
    db.session.commit()
    assert {s.status for s in dl.member_seats(other)} == {"waitlisted"}
    assert latecomer.status == "waitlisted"
    reg.cancel_registration(delegation.members[1].registration)
    db.session.commit()
    assert {s.status for s in dl.member_seats(other)} == {"confirmed"}
    assert latecomer.status == "waitlisted"
    assert reg.event_position(latecomer) == 1


def test_without_waiting_list_a_group_that_does_not_fit_registers_nobody(db, forum, request_ctx):
    event = forum(capacity=3, waitlist=False)
    with pytest.raises(dl.DelegationFull) as caught:
        dl.register_delegation(event, delegation_data(all_or_none=True))
    db.session.rollback()
    assert "3 place" in str(caught.value)
    assert _registrations(db, event) == 0
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"country": "XY"}, "country", "unknown_country"),
        ({"country": "150"}, "country", "unknown_country"),
        ({"head_email": "pas-une-adresse"}, "head_email", "invalid_email"),
    ],
)
def test_bad_group_fields_are_refused_with_their_field(db, forum, request_ctx, change, field, code):
    event = forum()
    with pytest.raises(dl.DelegationInvalid) as caught:
        dl.register_delegation(event, delegation_data(**change))
    db.session.rollback()
    assert caught.value.params["codes"][field] == code
    assert _registrations(db, event) == 0


def test_member_listed_twice_or_already_registered_registers_nobody(db, forum, request_ctx):
    event = forum()
    reg.register_attendee(
        event,
        reg.RegistrationInput(
            first_name="Louise",
            last_name="Peeters",
            email="membre3@commune.be",
            organisation="Namur",
            consent=True,
        ),
    )
    db.session.commit()
    data = delegation_data()
    data.members.append(
        dl.MemberInput(first_name="Lucas", last_name="Peeters-a", email="", language="fr")
    )
    data.members[4].first_name = ""  # and a member without a first name
    with pytest.raises(dl.DelegationInvalid) as caught:
        dl.register_delegation(event, data)
    db.session.rollback()
    codes = caught.value.params["codes"]
    assert codes["members.3.email"] == "already_registered"
    assert codes["members.5"] == "duplicate_member"
    assert codes["members.4.first_name"] == "required"
    assert "individuel" in caught.value.params["errors"]["members.3.email"][0]
    assert _registrations(db, event) == 1  # the person registered on their own, nobody else


def test_head_link_changes_members_until_the_deadline(db, forum, request_ctx):
    from datetime import UTC, datetime, timedelta

    event = forum()
    delegation = dl.register_delegation(event, delegation_data())
    db.session.commit()
    assert dl.delegation_from_link(dl.link_token(delegation)).id == delegation.id
    dl.add_members(
        delegation,
        [
            dl.MemberInput(
                first_name="Hugo", last_name="Lambert", email="hugo@commune.be", language="fr"
            )
        ],
    )
    dl.replace_member(
        delegation,
        delegation.members[0],
        dl.MemberInput(
            first_name="Inès", last_name="Claes", email="ines@commune.be", language="en"
        ),
    )
    dl.remove_member(delegation, delegation.members[1])
    db.session.commit()
    names = [m.registration.first_name for m in delegation.members]
    assert names == ["Inès", "Noah", "Louise", "Arthur", "Hugo"]
    assert delegation.members[0].registration.language == "en"
    delegation.changes_until = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(dl.DelegationLocked):
        dl.remove_member(delegation, delegation.members[0])
    db.session.rollback()
    assert len(delegation.members) == 5
