"""Registering a delegation and changing its members: every member through the registration rules.

Each member is registered by `registration.register_attendee` (same checks, capacity, seats and
waiting lists as anyone). A group that comes "all of us or none" is registered under the event's
lock after checking that it fits whole: if it does not, every member waits with the first member's
ticket, so the group holds one position and is promoted together. Any mistake, for any member,
raises before the caller commits: nothing is half-registered.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.delegation import Delegation, DelegationMember, InterpretingNeed
from eventsys.models.registration import (
    HOLDING_PLACE,
    REG_CANCELLED,
    REG_REFUSED,
    REG_WAITLISTED,
    Registration,
)
from eventsys.services import registration as reg
from eventsys.services.delegations import notices
from eventsys.services.delegations.checks import (
    DelegationFull,
    DelegationInput,
    Errors,
    MemberInput,
    check_delegation,
    check_members,
    check_pairs,
    fold_name,
)
from eventsys.services.delegations.status import check_changes_open
from eventsys.services.errors import DomainError, RegistrationClosed, RegistrationInvalid

# ------------------------------------------------------------------------------- registering


def register_delegation(event: Event, data: DelegationInput, *, source: str = "web") -> Delegation:
    """Register the group and each member; raises DelegationInvalid listing every mistake."""
    by_organiser = source != "web"
    settings = reg.load_settings(event)
    if not by_organiser:
        is_open, reason = reg.registration_state(event, settings)
        if not is_open:
            raise RegistrationClosed(reason)
    errors = Errors()
    clean = check_delegation(data, errors)
    session_ids = set(
        db.session.scalars(select(ProgrammeSession.id).where(ProgrammeSession.event_id == event.id))
    )
    pairs = check_pairs(data.interpreting, session_ids, errors)
    check_members(data.members, errors, taken=_taken(event, data.members))
    if not by_organiser and not data.consent:
        errors.add(
            "consent",
            "consent_required",
            _("Votre accord est nécessaire pour traiter ces inscriptions."),
        )
    if any(not name.startswith("members.") for name in errors):
        errors.raise_if_any()
    # Only members' mistakes so far: the registration rules add theirs for every member, then all
    # are reported at once (the caller rolls back what was written meanwhile).

    delegation = Delegation(
        event_id=event.id, source=source, link_secret=secrets.token_urlsafe(32), **clean
    )
    delegation.interpreting = [
        InterpretingNeed(source_language=s, target_language=t, session_ids=ids)
        for s, t, ids in pairs
    ]
    db.session.add(delegation)
    db.session.flush()
    _register_members(
        delegation,
        data.members,
        data.sessions,
        by_organiser=by_organiser,
        consent=data.consent,
        errors=errors,
    )
    notices.send_summary(delegation, "received")
    return delegation


def _taken(
    event: Event, members: Sequence[MemberInput], exclude: Sequence[int] = ()
) -> dict[str, str]:
    """E-mail key -> name of people already registered (and not cancelled) among these addresses."""
    keys = []
    for member in members:
        try:
            keys.append(reg.normalise_email(member.email)[1])
        except ValueError:
            continue
    if not keys:
        return {}
    rows = db.session.execute(
        select(Registration.email_key, Registration.first_name, Registration.last_name).where(
            Registration.event_id == event.id,
            Registration.email_key.in_(keys),
            Registration.status.not_in((REG_CANCELLED, REG_REFUSED)),
            Registration.id.not_in(list(exclude) or [-1]),
        )
    )
    return {key: f"{first} {last}" for key, first, last in rows}


def _member_input(
    delegation: Delegation, member: MemberInput, sessions: Sequence[int], consent: bool
) -> reg.RegistrationInput:
    own = bool((member.email or "").strip())
    return reg.RegistrationInput(
        first_name=member.first_name,
        last_name=member.last_name,
        email=member.email if own else delegation.head_email,
        # Without an address, the member is reached through the head: a key of their own keeps
        # them a separate registration (a key no address can have, so it never meets a real one).
        email_key="" if own else f"delegation:{delegation.id}:{secrets.token_hex(8)}",
        organisation=delegation.institution or delegation.name,
        language=member.language or delegation.head_language,
        sessions=list(member.sessions if member.sessions is not None else sessions),
        consent=consent,
    )


def _register_members(
    delegation: Delegation,
    members: Sequence[MemberInput],
    sessions: Sequence[int],
    *,
    by_organiser: bool,
    consent: bool,
    start: int = 0,
    errors: Errors | None = None,
) -> None:
    event = delegation.event
    settings = reg.lock_event(event)  # until commit: the group is counted against the places left
    wait = False
    ticket = None
    if delegation.all_or_none:
        waiting = [m for m in delegation.members if m.registration.status == REG_WAITLISTED]
        if waiting:  # the group already waits: newcomers join its position
            wait, ticket = True, waiting[0].registration.ticket
        elif settings.capacity is not None and not delegation.members:
            left = max(settings.capacity - reg.places_taken(event), 0)
            if len(members) > left or settings.waiting_count:
                if not settings.waitlist_enabled:
                    raise DelegationFull(
                        _l("Il reste %(left)d place(s) et la délégation compte %(count)d membres : "
                           "l'événement n'a pas de liste d'attente, rien n'a été enregistré.",
                           left=left, count=len(members))
                    )  # fmt: skip
                wait = True
    errors = errors if errors is not None else Errors()
    created: list[Registration] = []
    position = max((m.position for m in delegation.members), default=-1) + 1
    for index, member in enumerate(members, start=start):
        data = _member_input(delegation, member, sessions, consent)
        try:
            outcome = reg.register_attendee(
                event,
                data,
                source="delegation",
                by_organiser=by_organiser,
                notify=False,
                ticket=ticket,
                wait=wait,
            )
        except RegistrationInvalid as error:
            for name, messages in error.params.get("errors", {}).items():
                for message in messages:
                    errors.add(
                        f"members.{index}.{name}",
                        error.params.get("codes", {}).get(name, "invalid"),
                        message,
                    )
            continue
        except DomainError as error:
            errors.add(f"members.{index}", error.code, str(error))
            continue
        registration = outcome.registration
        if not outcome.created:  # already registered (said by check_members): never taken over
            errors.setdefault(f"members.{index}.email", [])
            continue
        if delegation.all_or_none and ticket is None:
            ticket = registration.ticket  # the others share it: one position, promoted together
        delegation.members.append(
            DelegationMember(
                registration_id=registration.id, registration=registration, role=member.role,
                own_address=bool((member.email or "").strip()), position=position,
            )
        )  # fmt: skip
        position += 1
        created.append(registration)
        if bool((member.email or "").strip()):
            reg.send_notice(registration, "received")
    if errors:
        _forget(created)
    errors.raise_if_any()
    db.session.flush()


def _forget(registrations: Sequence[Registration]) -> None:
    """Registrations written for a group that is refused leave the session before the caller
    rolls back: they were attached as already stored, which a rollback would not undo."""
    for registration in registrations:
        for child in (*registration.choices, *registration.answers):
            if child in db.session:
                db.session.expunge(child)
        db.session.expunge(registration)


def add_members(
    delegation: Delegation, members: Sequence[MemberInput], *, by_organiser: bool = False
) -> None:
    """New members through the head's link (or the organiser): the same checks as at registration."""
    if not by_organiser:
        check_changes_open(delegation)
    errors = Errors()
    current = [m.registration for m in delegation.members]
    check_members(members, errors, taken=_taken(delegation.event, members), start=len(current))
    _duplicates_of_current(delegation, members, errors, start=len(current))
    errors.raise_if_any()
    sessions = _group_sessions(delegation)
    _register_members(
        delegation, members, sessions, by_organiser=True, consent=True, start=len(current)
    )
    notices.send_summary(delegation, "changed")


def replace_member(
    delegation: Delegation,
    member: DelegationMember,
    new: MemberInput,
    *,
    by_organiser: bool = False,
) -> None:
    """Someone else takes the member's place (and seats): their details replace the old ones and
    the old private link stops working."""
    if not by_organiser:
        check_changes_open(delegation)
    errors = Errors()
    index = delegation.members.index(member)
    check_members(
        [new],
        errors,
        taken=_taken(delegation.event, [new], exclude=[member.registration_id]),
        start=index,
    )
    others = [m for m in delegation.members if m is not member]
    _duplicates_of_current(delegation, [new], errors, start=index, members=others)
    errors.raise_if_any()
    registration = member.registration
    data = _member_input(delegation, new, (), True)
    if not data.email_key and not (new.email or "").strip():
        data.email_key = registration.email_key
    try:
        reg.update_details(registration, data)
    except RegistrationInvalid as error:
        for name, messages in error.params.get("errors", {}).items():
            for message in messages:
                errors.add(
                    f"members.{index}.{name}",
                    error.params.get("codes", {}).get(name, "invalid"),
                    message,
                )
        errors.raise_if_any()
    member.role = new.role
    member.own_address = bool((new.email or "").strip())
    reg.renew_link(registration)
    if member.own_address and registration.status in (*HOLDING_PLACE, REG_WAITLISTED):
        reg.send_notice(registration, "received")
    notices.send_summary(delegation, "changed")


def remove_member(
    delegation: Delegation, member: DelegationMember, *, by_organiser: bool = False
) -> None:
    """The member no longer comes: their registration is cancelled (the place goes to whoever waits)."""
    if not by_organiser:
        check_changes_open(delegation)
    registration = member.registration
    if registration.status not in (REG_CANCELLED, REG_REFUSED):
        reg.cancel_registration(registration, notify=member.own_address)
    delegation.members.remove(member)
    db.session.flush()
    notices.send_summary(delegation, "changed")


def _group_sessions(delegation: Delegation) -> list[int]:
    """The sessions the group chose: those every current member has a live choice for."""
    live = [
        {c.session_id for c in m.registration.live_choices}
        for m in delegation.members
        if m.registration.is_active
    ]
    return sorted(set.intersection(*live)) if live else []


def _duplicates_of_current(
    delegation: Delegation, new: Sequence[MemberInput], errors: Errors, *, start: int,
    members: Sequence[DelegationMember] | None = None,
) -> None:  # fmt: skip
    current = members if members is not None else delegation.members
    names = {fold_name(m.registration.first_name, m.registration.last_name) for m in current}
    for index, member in enumerate(new, start=start):
        if fold_name(member.first_name, member.last_name) in names:
            errors.add(
                f"members.{index}", "duplicate_member",
                _("%(name)s fait déjà partie de la délégation.", name=f"{member.first_name} {member.last_name}".strip()),
            )  # fmt: skip
