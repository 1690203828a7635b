"""Planning a speed-networking activity: the planner's instance built from the database, the plan stored.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from eventsys.extensions import db
from eventsys.models.networking import (
    MODE_KEEP_GROUPS,
    MODE_PAIRS,
    NetworkingActivity,
    NetworkingParticipant,
    NetworkingPlan,
)
from eventsys.planner import RotationInputError, plan_rotation
from eventsys.services.errors import RotationImpossible
from eventsys.services.networking.limits import (
    DEFAULT_TIME_LIMIT_S,
    is_count,
    match_key,
)

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
        match = station_themes.get(match_key(theme))
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
        {match_key(s.theme): s.theme for s in activity.stations if s.theme} if uses_stations else {}
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
        if p.organisation and match_key(p.organisation):
            person["organisation"] = match_key(p.organisation)
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
    if not is_count(from_round) or from_round < 1:
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
