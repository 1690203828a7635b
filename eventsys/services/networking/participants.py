"""Who takes part in a speed-networking activity: registered people, walk-ins, attendance per round.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.networking import (
    NetworkingActivity,
    NetworkingParticipant,
)
from eventsys.models.registration import REG_CONFIRMED, Registration
from eventsys.services.errors import NetworkingInvalid
from eventsys.services.networking.limits import (
    NAME_MAX,
    clean_value,
    is_count,
)

# ------------------------------------------------------------------------------ participants


def _eligible_registrations(event_id: int) -> list[Registration]:
    query = (
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == REG_CONFIRMED,
            Registration.networking_opt_in.is_(True),
        )
        .order_by(Registration.last_name, Registration.first_name, Registration.id)
    )
    return list(db.session.scalars(query))


def pending_registrations(activity: NetworkingActivity) -> list[Registration]:
    """Confirmed registrations that opted in and are not yet participants."""
    linked = {p.registration_id for p in activity.participants if p.registration_id is not None}
    return [r for r in _eligible_registrations(activity.event_id) if r.id not in linked]


def sync_participants(activity: NetworkingActivity) -> int:
    """Add every confirmed registration that opted in; refresh names of those already there."""
    added = 0
    for registration in pending_registrations(activity):
        activity.participants.append(
            NetworkingParticipant(
                registration_id=registration.id,
                name=clean_value(registration.full_name)[:NAME_MAX],
                organisation=clean_value(registration.organisation)[:NAME_MAX],
                walk_in=False,
            )
        )
        added += 1
    for participant in activity.participants:
        reg = participant.registration
        if reg is not None and not participant.walk_in:
            participant.name = clean_value(reg.full_name)[:NAME_MAX] or participant.name
            participant.organisation = clean_value(reg.organisation)[:NAME_MAX]
    db.session.flush()
    return added


def _check_round(activity: NetworkingActivity, value: Any, field_name: str) -> int | None:
    if value is None:
        return None
    count = activity.round_count
    if not is_count(value) or not 1 <= value <= max(count, 1):
        raise NetworkingInvalid(
            _l("Choisissez un tour entre 1 et %(last)d.", last=max(count, 1)), field=field_name
        )
    return value


def add_walk_in(
    activity: NetworkingActivity,
    name: Any,
    organisation: Any = "",
    themes: list[str] | None = None,
    joins_from_round: int | None = None,
) -> NetworkingParticipant:
    """Someone added on the day (not registered online)."""
    clean_name = clean_value(name)
    if not clean_name:
        raise NetworkingInvalid(_l("Indiquez le nom de la personne."), field="name")
    if len(clean_name) > NAME_MAX:
        raise NetworkingInvalid(_l("Le nom ne doit pas dépasser 200 caractères."), field="name")
    org = clean_value(organisation)
    if len(org) > NAME_MAX:
        raise NetworkingInvalid(
            _l("L'organisation ne doit pas dépasser 200 caractères."), field="organisation"
        )
    participant = NetworkingParticipant(
        name=clean_name,
        organisation=org,
        themes=[clean_value(t) for t in themes or [] if clean_value(t)],
        walk_in=True,
        present=True,
        joins_from_round=_check_round(activity, joins_from_round, "joins_from_round"),
    )
    activity.participants.append(participant)
    db.session.flush()
    return participant


def set_attendance(
    participant: NetworkingParticipant,
    present: bool,
    absent_from_round: int | None = None,
    joins_from_round: int | None = None,
) -> NetworkingParticipant:
    """Whether the person takes part, and from / until which round."""
    activity = participant.activity
    absent_from = _check_round(activity, absent_from_round, "absent_from_round")
    joins_from = _check_round(activity, joins_from_round, "joins_from_round")
    if absent_from is not None and joins_from is not None and joins_from >= absent_from:
        raise NetworkingInvalid(
            _l(
                "La personne doit arriver avant de partir : le tour d'arrivée précède le tour de départ."
            ),
            field="joins_from_round",
        )
    participant.present = bool(present)
    participant.absent_from_round = absent_from
    participant.joins_from_round = joins_from
    db.session.flush()
    return participant


def _named_in_plans(activity: NetworkingActivity) -> set[str]:
    return {
        str(m)
        for plan in activity.plans
        for rnd in plan.rounds
        for group in rnd
        for m in group.get("members", [])
    } | {str(m) for plan in activity.plans for bench in plan.sitting_out for m in bench}


def remove_participant(participant: NetworkingParticipant) -> bool:
    """Take someone out of the rotation; True when the row was deleted.

    A walk-in no plan names is deleted; anyone else is marked absent, so the rounds already
    played stay whole and a registration is not added back by the next update from registrations.
    """
    activity = participant.activity
    if participant.walk_in and str(participant.id) not in _named_in_plans(activity):
        activity.participants.remove(participant)
        db.session.delete(participant)
        db.session.flush()
        return True
    participant.present = False
    db.session.flush()
    return False
