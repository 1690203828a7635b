"""Speed-networking in the application: activities, stations, participants, plans, itineraries.

DB-aware: flushes, never commits. The rotation itself comes from the pure planner
(the `eventsys.planner` package); this module builds the planner's instance from the database (participants
→ ids, organisations, ranked themes mapped onto station themes, absences), stores its output, and
turns a stored plan back into what people read: the round × station matrix, the quality figures in
words, each participant's itinerary, each facilitator's roster and the projector's rounds.

Planner ids are `NetworkingParticipant.id` and `Station.id`. Participant rows named by a stored plan
are never deleted (only marked absent), so the rounds already played can always be handed back to
the planner unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.networking import (
    MODE_KEEP_GROUPS,
    MODE_PAIRS,
    MODE_STATIONS,
    NETWORKING_MODES,
    NetworkingActivity,
    NetworkingParticipant,
    NetworkingPlan,
    Station,
)
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import REG_CONFIRMED, Registration, RegistrationSettings
from eventsys.planner import RotationInputError, plan_rotation
from eventsys.services.errors import NetworkingInvalid, RotationImpossible
from eventsys.viewer import format_local

SESSION_TYPE = "speed_networking"
MAX_ROUNDS = 60
MAX_ROUND_MINUTES = 240
MAX_CHANGEOVER_MINUTES = 60
MAX_GROUP_SIZE = 50
MAX_CAPACITY = 500
NAME_MAX = 200
DEFAULT_TIME_LIMIT_S = 8.0

__all__ = [
    "Column",
    "PersonView",
    "PlanView",
    "RoundView",
    "Stop",
    "activity_warnings",
    "add_facilitator_stations",
    "add_walk_in",
    "build_instance",
    "create_activity",
    "delete_activity",
    "delete_station",
    "describe_quality",
    "networking_sessions",
    "participant_itinerary",
    "plan_activity",
    "plan_view",
    "registration_itineraries",
    "remove_participant",
    "save_activity",
    "save_station",
    "set_attendance",
    "sync_participants",
]


# ------------------------------------------------------------------------------ helpers


def _clean(value: Any) -> str:
    """One line of text: NFC, no control characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def _key(value: str | None) -> str:
    """Comparison key of a theme or an organisation: case, accents and spacing ignored."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ------------------------------------------------------------------------------ activities


def networking_sessions(event: Event) -> list[ProgrammeSession]:
    """The event's speed-networking sessions (cancelled ones left out)."""
    return [s for s in event.sessions if s.type == SESSION_TYPE and s.status != SESSION_CANCELLED]


def event_activities(event: Event) -> list[NetworkingActivity]:
    """The event's activities, in programme order."""
    query = (
        select(NetworkingActivity)
        .join(ProgrammeSession, NetworkingActivity.session_id == ProgrammeSession.id)
        .where(NetworkingActivity.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, NetworkingActivity.id)
    )
    return list(db.session.scalars(query))


def _check_settings(activity: NetworkingActivity, data: dict[str, Any]) -> dict[str, Any]:
    """Settings merged over the activity's, or NetworkingInvalid naming the field at fault."""
    merged = {
        name: data.get(name, getattr(activity, name))
        for name in (
            "starts_at", "round_minutes", "changeover_minutes", "rounds", "ends_at",
            "group_size", "mode", "avoid_same_organisation",
        )
    }  # fmt: skip
    if merged["mode"] not in NETWORKING_MODES:
        raise NetworkingInvalid(_l("Mode de rotation inconnu."), field="mode")
    if merged["starts_at"] is None:
        raise NetworkingInvalid(_l("Indiquez l'heure de début."), field="starts_at")
    minutes = merged["round_minutes"]
    if not _is_count(minutes) or minutes < 1:
        raise NetworkingInvalid(
            _l("La durée d'un tour doit être d'au moins une minute."), field="round_minutes"
        )
    if minutes > MAX_ROUND_MINUTES:
        raise NetworkingInvalid(
            _l("Un tour dure au plus %(max)d minutes.", max=MAX_ROUND_MINUTES),
            field="round_minutes",
        )
    change = merged["changeover_minutes"]
    if change is None:
        change = merged["changeover_minutes"] = 0
    if not _is_count(change) or change < 0:
        raise NetworkingInvalid(
            _l("Le temps de changement de table ne peut pas être négatif."),
            field="changeover_minutes",
        )
    if change > MAX_CHANGEOVER_MINUTES:
        raise NetworkingInvalid(
            _l("Le changement de table dure au plus %(max)d minutes.", max=MAX_CHANGEOVER_MINUTES),
            field="changeover_minutes",
        )
    if merged["mode"] == MODE_PAIRS:
        merged["group_size"] = 2
    size = merged["group_size"]
    if not _is_count(size) or size < 2:
        raise NetworkingInvalid(_l("Un groupe compte au moins 2 personnes."), field="group_size")
    if size > MAX_GROUP_SIZE:
        raise NetworkingInvalid(
            _l("Un groupe compte au plus %(max)d personnes.", max=MAX_GROUP_SIZE),
            field="group_size",
        )
    rounds, ends_at = merged["rounds"], merged["ends_at"]
    if rounds is not None:
        if not _is_count(rounds) or rounds < 1:
            raise NetworkingInvalid(_l("Il faut au moins un tour."), field="rounds")
        if rounds > MAX_ROUNDS:
            raise NetworkingInvalid(
                _l("Au plus %(max)d tours peuvent être planifiés.", max=MAX_ROUNDS), field="rounds"
            )
        merged["ends_at"] = None
    elif ends_at is None:
        raise NetworkingInvalid(
            _l("Indiquez un nombre de tours, ou une heure de fin d'où le nombre de tours découle."),
            field="rounds",
        )
    else:
        if ends_at <= merged["starts_at"]:
            raise NetworkingInvalid(
                _l("L'heure de fin doit suivre l'heure de début."), field="ends_at"
            )
        available = (ends_at - merged["starts_at"]).total_seconds() / 60
        count = int((available + change) // (minutes + change))
        if count < 1:
            raise NetworkingInvalid(
                _l(
                    "Aucun tour complet ne tient entre le début et la fin : raccourcissez les tours "
                    "ou reculez l'heure de fin."
                ),
                field="ends_at",
            )
        if count > MAX_ROUNDS:
            raise NetworkingInvalid(
                _l("Au plus %(max)d tours peuvent être planifiés.", max=MAX_ROUNDS), field="ends_at"
            )
    return merged


def _apply(activity: NetworkingActivity, merged: dict[str, Any]) -> None:
    for name, value in merged.items():
        setattr(activity, name, value)


def create_activity(
    event: Event, session: ProgrammeSession, data: dict[str, Any]
) -> NetworkingActivity:
    """A speed-networking for a session of the event, with a station per facilitator of the session."""
    if session.event_id != event.id or session.type != SESSION_TYPE:
        raise NetworkingInvalid(
            _l("Choisissez une session de type speed-networking de cet événement."),
            field="session_id",
        )
    exists = db.session.scalar(
        select(NetworkingActivity.id).where(NetworkingActivity.session_id == session.id)
    )
    if exists is not None:
        raise NetworkingInvalid(
            _l("Cette session a déjà son speed-networking : modifiez-le plutôt."),
            field="session_id",
        )
    activity = NetworkingActivity(
        event_id=event.id,
        session_id=session.id,
        starts_at=session.starts_at,
        round_minutes=10,
        changeover_minutes=2,
        rounds=None,
        ends_at=session.ends_at,
        group_size=6,
        mode=MODE_STATIONS,
        avoid_same_organisation=True,
    )
    _apply(activity, _check_settings(activity, data))
    db.session.add(activity)
    db.session.flush()
    add_facilitator_stations(activity)
    sync_participants(activity)
    return activity


def save_activity(activity: NetworkingActivity, data: dict[str, Any]) -> NetworkingActivity:
    """Change the activity's timing, group size and mode (the stored plans stay as they are)."""
    _apply(activity, _check_settings(activity, data))
    db.session.flush()
    return activity


def delete_activity(activity: NetworkingActivity) -> None:
    """Remove the activity with its stations, participants and plans."""
    db.session.delete(activity)
    db.session.flush()


def activity_warnings(activity: NetworkingActivity) -> list[str]:
    """What the organiser should know before planning (nothing here blocks a plan)."""
    notes: list[str] = []
    tz = activity.event.timezone
    session = activity.session
    count = activity.round_count
    if activity.starts_at < session.starts_at:
        notes.append(
            _("Le premier tour commence à %(start)s, avant le début de la session (%(session)s).",
              start=format_local(activity.starts_at, tz), session=format_local(session.starts_at, tz))
        )  # fmt: skip
    finish = activity.finishes_at
    if finish is not None and finish > session.ends_at:
        notes.append(
            _("Le dernier tour finit à %(end)s, après la fin de la session (%(session)s).",
              end=format_local(finish, tz), session=format_local(session.ends_at, tz))
        )  # fmt: skip
    if activity.uses_stations:
        n_st = len(activity.stations)
        if not n_st:
            notes.append(_("Ajoutez les tables (une par animateur·rice) avant de planifier."))
        elif count > n_st and activity.mode == MODE_STATIONS:
            notes.append(
                _("%(rounds)d tours pour %(stations)d tables : certaines personnes devront revenir à une "
                  "table déjà visitée ; le plan réduit ces retours au minimum.", rounds=count, stations=n_st)
            )  # fmt: skip
        elif count > n_st:
            notes.append(
                _("%(rounds)d tours pour %(stations)d tables : chaque groupe reviendra à une table déjà "
                  "visitée.", rounds=count, stations=n_st)
            )  # fmt: skip
    return notes


# ------------------------------------------------------------------------------ stations


def _check_station(activity: NetworkingActivity, data: dict[str, Any]) -> dict[str, Any]:
    name = _clean(data.get("name"))
    if not name:
        raise NetworkingInvalid(
            _l("Donnez un nom à la table (par exemple « Table 1 »)."), field="name"
        )
    if len(name) > 120:
        raise NetworkingInvalid(
            _l("Le nom de la table ne doit pas dépasser 120 caractères."), field="name"
        )
    theme = _clean(data.get("theme"))
    if len(theme) > NAME_MAX:
        raise NetworkingInvalid(_l("Le thème ne doit pas dépasser 200 caractères."), field="theme")
    capacity = data.get("capacity")
    if capacity is not None and (not _is_count(capacity) or not 1 <= capacity <= MAX_CAPACITY):
        raise NetworkingInvalid(
            _l("La capacité est un nombre de places entre 1 et %(max)d.", max=MAX_CAPACITY),
            field="capacity",
        )
    facilitator_id = data.get("facilitator_id")
    if facilitator_id is not None:
        from eventsys.models import Speaker

        speaker = db.session.get(Speaker, facilitator_id)
        if speaker is None or speaker.event_id != activity.event_id:
            raise NetworkingInvalid(
                _l("Choisissez un·e intervenant·e de cet événement."), field="facilitator_id"
            )
    return {"name": name, "theme": theme, "capacity": capacity, "facilitator_id": facilitator_id}


def save_station(activity: NetworkingActivity, station: Station, data: dict[str, Any]) -> Station:
    """Create or change a station of the activity."""
    clean = _check_station(activity, data)
    for name, value in clean.items():
        setattr(station, name, value)
    if station.id is None:
        station.position = max((s.position for s in activity.stations), default=0) + 1
        activity.stations.append(station)
    db.session.flush()
    return station


def delete_station(station: Station) -> None:
    """Remove a station; a plan that used it must be made again (its rounds show a removed table)."""
    activity = station.activity
    activity.stations.remove(station)
    db.session.delete(station)
    db.session.flush()


def add_facilitator_stations(activity: NetworkingActivity) -> list[Station]:
    """A station per facilitator of the session who has none yet; themes offered at registration
    are paired with the facilitators in order when there are as many of each."""
    facilitators = [ss.speaker for ss in activity.session.speakers if ss.role == "facilitator"]
    have = {s.facilitator_id for s in activity.stations}
    settings = db.session.scalar(
        select(RegistrationSettings).where(RegistrationSettings.event_id == activity.event_id)
    )
    themes = list(settings.networking_themes or []) if settings is not None else []
    paired = len(themes) == len(facilitators)
    added = []
    for index, speaker in enumerate(facilitators):
        if speaker.id in have:
            continue
        number = len(activity.stations) + 1
        station = Station(
            name=_("Table %(number)d", number=number),
            theme=themes[index] if paired else "",
            facilitator_id=speaker.id,
            position=max((s.position for s in activity.stations), default=0) + 1,
        )
        activity.stations.append(station)
        added.append(station)
    db.session.flush()
    return added


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
                name=_clean(registration.full_name)[:NAME_MAX],
                organisation=_clean(registration.organisation)[:NAME_MAX],
                walk_in=False,
            )
        )
        added += 1
    for participant in activity.participants:
        reg = participant.registration
        if reg is not None and not participant.walk_in:
            participant.name = _clean(reg.full_name)[:NAME_MAX] or participant.name
            participant.organisation = _clean(reg.organisation)[:NAME_MAX]
    db.session.flush()
    return added


def _check_round(activity: NetworkingActivity, value: Any, field_name: str) -> int | None:
    if value is None:
        return None
    count = activity.round_count
    if not _is_count(value) or not 1 <= value <= max(count, 1):
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
    clean_name = _clean(name)
    if not clean_name:
        raise NetworkingInvalid(_l("Indiquez le nom de la personne."), field="name")
    if len(clean_name) > NAME_MAX:
        raise NetworkingInvalid(_l("Le nom ne doit pas dépasser 200 caractères."), field="name")
    org = _clean(organisation)
    if len(org) > NAME_MAX:
        raise NetworkingInvalid(
            _l("L'organisation ne doit pas dépasser 200 caractères."), field="organisation"
        )
    participant = NetworkingParticipant(
        name=clean_name,
        organisation=org,
        themes=[_clean(t) for t in themes or [] if _clean(t)],
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


# ------------------------------------------------------------------------------ planning


def _time_limit() -> float:
    value = current_app.config.get("NETWORKING_TIME_LIMIT_S", DEFAULT_TIME_LIMIT_S)
    try:
        return max(0.5, min(float(value), 60.0))
    except (TypeError, ValueError):
        return DEFAULT_TIME_LIMIT_S


def _mapped_themes(participant: NetworkingParticipant, station_themes: dict[str, str]) -> list[str]:
    """The person's ranked themes as written on the stations (others dropped)."""
    out: list[str] = []
    for theme in participant.ranked_themes:
        match = station_themes.get(_key(theme))
        if match and match not in out:
            out.append(match)
    return out


def build_instance(
    activity: NetworkingActivity,
    played: list[list[dict[str, Any]]] | None = None,
    *,
    seed: int = 0,
    time_limit_s: float | None = None,
) -> dict[str, Any]:
    """The planner's instance for the activity (format: shared/formats/rotation.md)."""
    played = played or []
    first = len(played) + 1
    count = activity.round_count
    uses_stations = activity.uses_stations
    station_themes = (
        {_key(s.theme): s.theme for s in activity.stations if s.theme} if uses_stations else {}
    )
    in_played = {str(m) for rnd in played for g in rnd for m in g.get("members", [])}
    people: list[dict[str, Any]] = []
    known: set[str] = set()
    for p in activity.participants:
        absent = [r for r in range(first, count + 1) if not p.takes_part_in(r)]
        if len(absent) == count - first + 1 and str(p.id) not in in_played:
            continue
        known.add(str(p.id))
        person: dict[str, Any] = {"id": p.id, "absent_rounds": absent}
        if p.organisation and _key(p.organisation):
            person["organisation"] = _key(p.organisation)
        themes = _mapped_themes(p, station_themes)
        if themes:
            person["themes"] = themes
        people.append(person)
    # Someone of a played round whose row is gone still belongs to that round.
    for pid in sorted(in_played - known):
        people.append(
            {
                "id": int(pid) if pid.isdigit() else pid,
                "absent_rounds": list(range(first, count + 1)),
            }
        )
    instance: dict[str, Any] = {
        "participants": people,
        "rounds": count,
        "avoid_same_organisation": bool(activity.avoid_same_organisation),
        "seed": seed,
        "time_limit_s": time_limit_s if time_limit_s is not None else _time_limit(),
    }
    if uses_stations:
        instance["stations"] = [
            {
                "id": s.id,
                **({"theme": s.theme} if s.theme else {}),
                **({"capacity": s.capacity} if s.capacity else {}),
            }
            for s in activity.stations
        ]
        instance["keep_groups"] = activity.mode == MODE_KEEP_GROUPS
    else:
        instance["group_size"] = 2 if activity.mode == MODE_PAIRS else activity.group_size
    if played:
        instance["played"] = played
    return instance


def _check_plannable(
    activity: NetworkingActivity, first: int, played: list[list[dict[str, Any]]]
) -> None:
    """RotationImpossible, in words, for what the planner would refuse."""
    count = activity.round_count
    if count < 1:
        raise RotationImpossible(
            _l(
                "Aucun tour n'est prévu : indiquez un nombre de tours ou une heure de fin plus tardive."
            )
        )
    if first > count:
        raise RotationImpossible(
            _l(
                "Le plan ne compte que %(rounds)d tours : choisissez un tour entre 1 et %(rounds)d.",
                rounds=count,
            )
        )
    n_st = len(activity.stations)
    if activity.uses_stations and not n_st:
        raise RotationImpossible(_l("Ajoutez au moins une table avant de planifier."))
    if activity.uses_stations and played:
        ids = {str(s.id) for s in activity.stations}
        if any(str(g.get("station")) not in ids for rnd in played for g in rnd):
            raise RotationImpossible(
                _l("Les tours déjà joués utilisent une table supprimée ou un autre mode de rotation : "
                   "replanifiez depuis le tour 1.")
            )  # fmt: skip
    capacity = None
    if activity.uses_stations and all(s.capacity for s in activity.stations):
        capacity = sum(s.capacity or 0 for s in activity.stations)
    for number in range(first, count + 1):
        present = sum(1 for p in activity.participants if p.takes_part_in(number))
        if present < 2:
            raise RotationImpossible(
                _l("Le tour %(round)d ne compte que %(present)d participant·e : il en faut au moins deux "
                   "pour se rencontrer.", round=number, present=present)
            )  # fmt: skip
        if activity.uses_stations and present < n_st:
            raise RotationImpossible(
                _l("Le tour %(round)d compte %(present)d participant·es pour %(stations)d tables : chaque "
                   "table a besoin d'au moins une personne. Retirez des tables ou ajoutez des participant·es.",
                   round=number, present=present, stations=n_st)
            )  # fmt: skip
        if capacity is not None and present > capacity:
            raise RotationImpossible(
                _l("Le tour %(round)d compte %(present)d participant·es, mais les tables n'ont que "
                   "%(capacity)d places.", round=number, present=present, capacity=capacity)
            )  # fmt: skip


def plan_activity(
    activity: NetworkingActivity,
    *,
    from_round: int = 1,
    seed: int = 0,
    time_limit_s: float | None = None,
) -> NetworkingPlan:
    """Plan the rotation and store it; from round k > 1 the rounds before k of the current plan
    are kept exactly as they were played."""
    current = activity.current_plan
    if not _is_count(from_round) or from_round < 1:
        raise RotationImpossible(_l("Choisissez le tour à partir duquel replanifier."))
    count = activity.round_count
    if count and from_round > count:
        raise RotationImpossible(
            _l(
                "Le plan ne compte que %(rounds)d tours : choisissez un tour entre 1 et %(rounds)d.",
                rounds=count,
            )
        )
    played: list[list[dict[str, Any]]] = []
    if from_round > 1:
        if current is None:
            raise RotationImpossible(
                _l("Il n'y a pas encore de plan à reprendre : planifiez d'abord.")
            )
        if from_round - 1 > len(current.rounds):
            raise RotationImpossible(
                _l("Le plan actuel ne compte que %(rounds)d tours : choisissez un tour entre 1 et %(last)d.",
                   rounds=len(current.rounds), last=len(current.rounds) + 1)
            )  # fmt: skip
        played = [
            [
                {
                    **({"station": g["station"]} if "station" in g else {}),
                    "members": list(g["members"]),
                }
                for g in rnd
            ]
            for rnd in current.rounds[: from_round - 1]
        ]
    _check_plannable(activity, from_round, played)
    instance = build_instance(activity, played, seed=seed, time_limit_s=time_limit_s)
    try:
        output = plan_rotation(instance, previous=current.data if played and current else None)
    except RotationInputError as error:
        raise RotationImpossible(
            _l("Le plan n'a pas pu être calculé : %(detail)s", detail=str(error)), reason=error.code
        ) from error
    plan = NetworkingPlan(
        data={
            "rounds": output["rounds"],
            "sitting_out": output["sitting_out"],
            "warnings": output.get("warnings", []),
        },
        metrics=output["metrics"],
        rounds_played=len(played),
        seed=seed,
    )
    activity.plans.append(plan)
    db.session.flush()
    return plan


# ------------------------------------------------------------------------------ reading a plan


@dataclass
class PersonView:
    id: Any
    name: str
    organisation: str = ""
    walk_in: bool = False


@dataclass
class Column:
    key: str
    label: str
    theme: str = ""
    facilitator: str = ""
    station: Station | None = None


@dataclass
class RoundView:
    number: int
    starts_at: datetime
    ends_at: datetime
    played: bool
    cells: list[list[PersonView]]  # aligned with PlanView.columns
    sitting_out: list[PersonView] = field(default_factory=list)


@dataclass
class PlanView:
    plan: NetworkingPlan
    columns: list[Column]
    rounds: list[RoundView]
    people: dict[str, PersonView]


def _people(activity: NetworkingActivity) -> dict[str, PersonView]:
    return {
        str(p.id): PersonView(p.id, p.name, p.organisation, p.walk_in)
        for p in activity.participants
    }


def _person(people: dict[str, PersonView], pid: Any) -> PersonView:
    return people.get(str(pid)) or PersonView(pid, _("Participant·e retiré·e (n° %(id)s)", id=pid))


def _group_label(activity: NetworkingActivity, number: int) -> str:
    if activity.mode == MODE_PAIRS:
        return _("Table %(number)d", number=number)
    return _("Groupe %(number)d", number=number)


def plan_view(activity: NetworkingActivity, plan: NetworkingPlan | None = None) -> PlanView | None:
    """The plan as a round × station (or round × group) matrix with names."""
    plan = plan or activity.current_plan
    if plan is None:
        return None
    people = _people(activity)
    rounds = plan.rounds
    columns: list[Column] = []
    if any(g.get("station") is not None for rnd in rounds for g in rnd):
        for s in activity.stations:
            columns.append(
                Column(str(s.id), s.name, s.theme, s.facilitator.name if s.facilitator else "", s)
            )
        known = {c.key for c in columns}
        for rnd in rounds:
            for g in rnd:
                key = str(g.get("station"))
                if key not in known:
                    known.add(key)
                    columns.append(Column(key, _("Table supprimée")))
        index = {c.key: i for i, c in enumerate(columns)}

        def place(g: dict[str, Any], _i: int) -> int:
            return index[str(g.get("station"))]
    else:
        width = max((len(rnd) for rnd in rounds), default=0)
        columns = [Column(str(n), _group_label(activity, n)) for n in range(1, width + 1)]

        def place(g: dict[str, Any], i: int) -> int:
            number = g.get("group")
            return number - 1 if _is_count(number) and 1 <= number <= width else i

    benches = plan.sitting_out
    views = []
    for r, rnd in enumerate(rounds, start=1):
        cells: list[list[PersonView]] = [[] for _ in columns]
        for i, g in enumerate(rnd):
            cells[place(g, i)] = sorted(
                (_person(people, m) for m in g.get("members", [])), key=lambda v: _key(v.name)
            )
        bench = [_person(people, m) for m in (benches[r - 1] if r - 1 < len(benches) else [])]
        views.append(
            RoundView(
                r,
                activity.round_start(r),
                activity.round_end(r),
                r <= plan.rounds_played,
                cells,
                bench,
            )
        )
    return PlanView(plan, columns, views, people)


def describe_quality(activity: NetworkingActivity, plan: NetworkingPlan) -> list[tuple[str, str]]:
    """The quality figures in words, as (label, text) pairs, each beside its lower bound."""
    m = plan.metrics or {}
    repeats = int(m.get("repeat_encounters", 0))
    bound = int(m.get("lower_bound_repeat_encounters", 0))
    lines: list[tuple[str, str]] = []
    if repeats == 0:
        text = _("0 répétition (optimal)")
    else:
        count = ngettext("%(num)d répétition", "%(num)d répétitions", repeats)
        if m.get("optimal") or repeats <= bound:
            text = _("%(count)s (optimal : aucune ne peut être évitée)", count=count)
        elif bound > 0:
            text = ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                            bound, count=count)  # fmt: skip
        else:
            text = _(
                "%(count)s (aucune n'est prouvée inévitable : le minimum théorique est 0)",
                count=count,
            )
    lines.append((_("Rencontres répétées"), text))
    lines.extend(_distance_to_best(m))
    most = int(m.get("max_meetings_per_pair", 0))
    if most <= 1:
        lines.append(
            (_("Rencontres par paire"), _("Deux personnes ne se retrouvent jamais deux fois."))
        )
    else:
        lines.append(
            (
                _("Rencontres par paire"),
                _("Deux personnes se retrouvent au plus %(num)d fois.", num=most),
            )
        )
    if activity.uses_stations:
        revisits = int(m.get("station_revisits", 0))
        rbound = int(m.get("lower_bound_station_revisits", 0))
        if revisits == 0:
            text = _("Personne ne revient à une table déjà visitée.")
        else:
            count = ngettext("%(num)d retour à une table déjà visitée", "%(num)d retours à une table déjà visitée",
                             revisits)  # fmt: skip
            text = (
                ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                         rbound, count=count)
                if rbound
                else count
            )  # fmt: skip
        lines.append((_("Tables"), text))
    if activity.avoid_same_organisation:
        same = int(m.get("same_organisation_pairs", 0))
        sbound = int(m.get("lower_bound_same_organisation_pairs", 0))
        if same == 0:
            text = _("Aucune paire de collègues d'une même organisation dans un même groupe.")
        else:
            count = ngettext("%(num)d paire de collègues dans un même groupe",
                             "%(num)d paires de collègues dans un même groupe", same)  # fmt: skip
            text = (
                ngettext("%(count)s (au moins %(num)d inévitable)", "%(count)s (au moins %(num)d inévitables)",
                         sbound, count=count)
                if sbound
                else count
            )  # fmt: skip
        lines.append((_("Collègues"), text))
    if activity.uses_stations and any(p.ranked_themes for p in activity.participants):
        share = float(m.get("preferences_met", 1.0))
        percent = round(share * 100)
        if "upper_bound_preferences_met" not in m:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours.", percent=percent)
        elif share >= float(m["upper_bound_preferences_met"]) - 1e-9:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours : optimal prouvé.",
                     percent=percent)
        else:
            text = _("%(percent)d %% des thèmes préférés sont vus dans les premiers tours, sur %(bound)d %% au mieux.",
                     percent=percent, bound=int(float(m["upper_bound_preferences_met"]) * 100 + 1e-9))
        lines.append((_("Thèmes préférés"), text))  # fmt: skip
    return lines


def _distance_to_best(m: dict[str, Any]) -> list[tuple[str, str]]:
    """How far the plan is from the best possible, in words, against the proven lower bounds."""
    if "lower_bound_repeat_encounters" not in m:
        return []
    repeats = int(m.get("repeat_encounters", 0))
    more = repeats - int(m.get("lower_bound_repeat_encounters", 0))
    if more <= 0:
        text = _("Optimal prouvé : aucun plan ne peut avoir moins de rencontres répétées.")
    else:
        text = ngettext("%(num)d rencontre répétée de plus que le minimum prouvé",
                        "%(num)d rencontres répétées de plus que le minimum prouvé", more)  # fmt: skip
    lines = [(_("Écart au meilleur possible"), text)]
    overlap = int(m.get("pair_overlap", 0))
    if overlap > 0:
        extra = overlap - int(m.get("lower_bound_pair_overlap", 0))
        if extra <= 0:
            words = _("%(count)d, optimal prouvé", count=overlap)
        else:
            words = ngettext("%(count)d, soit %(num)d de plus que le minimum prouvé",
                             "%(count)d, soit %(num)d de plus que le minimum prouvé",
                             extra, count=overlap)  # fmt: skip
        lines.append((_("Paires retrouvées d'un tour à l'autre"), words))
    return lines


@dataclass
class Stop:
    """One round of a person's itinerary."""

    number: int
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    theme: str = ""
    facilitator: str = ""
    sitting_out: bool = False
    absent: bool = False


def participant_itinerary(view: PlanView, participant_id: Any) -> list[Stop]:
    """Where one person goes, round by round (absent rounds included, marked)."""
    key = str(participant_id)
    stops = []
    for rnd in view.rounds:
        stop = Stop(rnd.number, rnd.starts_at, rnd.ends_at, absent=True)
        for column, cell in zip(view.columns, rnd.cells, strict=True):
            if any(str(p.id) == key for p in cell):
                stop.place, stop.theme, stop.facilitator, stop.absent = (
                    column.label,
                    column.theme,
                    column.facilitator,
                    False,
                )
                break
        else:
            if any(str(p.id) == key for p in rnd.sitting_out):
                stop.sitting_out, stop.absent = True, False
        stops.append(stop)
    return stops


def registration_itineraries(
    registration: Registration,
) -> list[tuple[NetworkingActivity, NetworkingParticipant, list[Stop]]]:
    """Every planned activity of the registration's event that names this person, with their itinerary.

    Also meant for the badge back and the personal calendar (plain data, times in UTC).
    """
    rows = db.session.scalars(
        select(NetworkingParticipant)
        .join(NetworkingActivity, NetworkingParticipant.activity_id == NetworkingActivity.id)
        .where(NetworkingParticipant.registration_id == registration.id)
        .order_by(NetworkingActivity.starts_at, NetworkingActivity.id)
    )
    out = []
    for participant in rows:
        activity = participant.activity
        view = plan_view(activity)
        if view is None:
            continue
        stops = participant_itinerary(view, participant.id)
        if any(not s.absent for s in stops):
            out.append((activity, participant, stops))
    return out
