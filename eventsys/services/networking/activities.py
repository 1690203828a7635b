"""Speed-networking activities and their stations (tables, themes, facilitators): checks and changes.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.networking import (
    MODE_PAIRS,
    MODE_STATIONS,
    NETWORKING_MODES,
    NetworkingActivity,
    Station,
)
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import RegistrationSettings
from eventsys.services.errors import NetworkingInvalid
from eventsys.services.networking.limits import (
    MAX_CAPACITY,
    MAX_CHANGEOVER_MINUTES,
    MAX_GROUP_SIZE,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    NAME_MAX,
    SESSION_TYPE,
    clean_value,
    is_count,
)
from eventsys.services.networking.participants import (
    sync_participants,
)
from eventsys.viewer import format_local

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
    if not is_count(minutes) or minutes < 1:
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
    if not is_count(change) or change < 0:
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
    if not is_count(size) or size < 2:
        raise NetworkingInvalid(_l("Un groupe compte au moins 2 personnes."), field="group_size")
    if size > MAX_GROUP_SIZE:
        raise NetworkingInvalid(
            _l("Un groupe compte au plus %(max)d personnes.", max=MAX_GROUP_SIZE),
            field="group_size",
        )
    rounds, ends_at = merged["rounds"], merged["ends_at"]
    if rounds is not None:
        if not is_count(rounds) or rounds < 1:
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
    name = clean_value(data.get("name"))
    if not name:
        raise NetworkingInvalid(
            _l("Donnez un nom à la table (par exemple « Table 1 »)."), field="name"
        )
    if len(name) > 120:
        raise NetworkingInvalid(
            _l("Le nom de la table ne doit pas dépasser 120 caractères."), field="name"
        )
    theme = clean_value(data.get("theme"))
    if len(theme) > NAME_MAX:
        raise NetworkingInvalid(_l("Le thème ne doit pas dépasser 200 caractères."), field="theme")
    capacity = data.get("capacity")
    if capacity is not None and (not is_count(capacity) or not 1 <= capacity <= MAX_CAPACITY):
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
