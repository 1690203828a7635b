"""Instance validation: checks and normalises a rotation instance (format: shared/formats/rotation.md)."""

from __future__ import annotations

import math
from typing import Any

from eventsys.services.errors import DomainError

MAX_PARTICIPANTS = 1000
MAX_ROUNDS = 200
MAX_STATIONS = 200
MAX_TIME_LIMIT_S = 600.0
DEFAULT_TIME_LIMIT_S = 10.0

_INSTANCE_KEYS = frozenset(
    {
        "participants",
        "rounds",
        "group_size",
        "stations",
        "keep_groups",
        "played",
        "avoid_same_organisation",
        "time_limit_s",
        "seed",
    }
)
# Keys that benchmark and export files carry for people, not for the planner.
_METADATA_KEYS = frozenset({"id", "name", "title", "note", "notes", "about", "description"})


class RotationInputError(DomainError, ValueError):
    """An instance the planner cannot accept; `code` is stable, the message names the problem."""

    code = "rotation_input_error"

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.code = code


def _is_int(value: Any) -> bool:
    """True for real integers (JSON booleans are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _id_key(value: Any) -> str:
    """Key under which ids compare, so 7 and "7" name the same person."""
    return str(value).strip()


def _check_id(value: Any, what: str) -> Any:
    """Accept an integer or a non-empty string as an id."""
    if _is_int(value) or (isinstance(value, str) and value.strip()):
        return value
    raise RotationInputError(
        "bad_id", f"{what} must have an integer or non-empty text id, got {value!r}."
    )


def _validate_participants(raw: Any, rounds: int) -> list[dict[str, Any]]:
    """Normalise `participants` (a count or a list of objects)."""
    if _is_int(raw):
        if raw < 2:
            raise RotationInputError(
                "not_enough_participants", f"A rotation needs at least 2 participants, got {raw}."
            )
        if raw > MAX_PARTICIPANTS:
            raise RotationInputError(
                "too_many_participants",
                f"At most {MAX_PARTICIPANTS} participants can be planned, got {raw}.",
            )
        return [
            {"id": i, "organisation": None, "themes": [], "absent_rounds": []}
            for i in range(1, raw + 1)
        ]
    if not isinstance(raw, list):
        raise RotationInputError(
            "bad_participants",
            "'participants' must be a number of people or a list of participant objects.",
        )
    if len(raw) > MAX_PARTICIPANTS:
        raise RotationInputError(
            "too_many_participants",
            f"At most {MAX_PARTICIPANTS} participants can be planned, got {len(raw)}.",
        )
    people: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "id" not in item:
            raise RotationInputError(
                "bad_participant", f"Participant #{n} must be an object with an 'id'."
            )
        pid = _check_id(item["id"], f"Participant #{n}")
        key = _id_key(pid)
        if key in seen:
            raise RotationInputError(
                "duplicate_id", f"Participant id {pid!r} appears more than once.", id=pid
            )
        seen.add(key)
        org = item.get("organisation")
        if org is not None and not isinstance(org, str | int):
            raise RotationInputError(
                "bad_organisation", f"The organisation of participant {pid!r} must be text."
            )
        org = str(org).strip() or None if org is not None else None
        themes = item.get("themes") or []
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise RotationInputError(
                "bad_themes", f"The themes of participant {pid!r} must be a list of texts."
            )
        absent = item.get("absent_rounds") or []
        if not isinstance(absent, list) or not all(_is_int(r) for r in absent):
            raise RotationInputError(
                "bad_absent_rounds",
                f"'absent_rounds' of participant {pid!r} must be a list of round numbers.",
            )
        for r in absent:
            if not 1 <= r <= rounds:
                raise RotationInputError(
                    "bad_absent_round",
                    f"Participant {pid!r} is absent in round {r}, "
                    f"but rounds run from 1 to {rounds}.",
                    id=pid,
                )
        people.append(
            {
                "id": pid,
                "organisation": org,
                "themes": list(dict.fromkeys(t.strip() for t in themes if t.strip())),
                "absent_rounds": sorted(set(absent)),
            }
        )
    if len(people) < 2:
        raise RotationInputError(
            "not_enough_participants",
            f"A rotation needs at least 2 participants, got {len(people)}.",
        )
    return people


def _validate_stations(raw: Any) -> list[dict[str, Any]] | None:
    """Normalise `stations`."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise RotationInputError("bad_stations", "'stations' must be a non-empty list of objects.")
    if len(raw) > MAX_STATIONS:
        raise RotationInputError(
            "too_many_stations", f"At most {MAX_STATIONS} stations are supported, got {len(raw)}."
        )
    stations = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "id" not in item:
            raise RotationInputError("bad_station", f"Station #{n} must be an object with an 'id'.")
        sid = _check_id(item["id"], f"Station #{n}")
        if _id_key(sid) in seen:
            raise RotationInputError(
                "duplicate_station_id", f"Station id {sid!r} appears more than once.", id=sid
            )
        seen.add(_id_key(sid))
        theme = item.get("theme")
        if theme is not None and not isinstance(theme, str):
            raise RotationInputError("bad_station", f"The theme of station {sid!r} must be text.")
        capacity = item.get("capacity")
        if capacity is not None and (not _is_int(capacity) or capacity < 1):
            raise RotationInputError(
                "bad_capacity",
                f"The capacity of station {sid!r} must be a positive integer, got {capacity!r}.",
            )
        stations.append({"id": sid, "theme": (theme or "").strip() or None, "capacity": capacity})
    return stations


def _validate_played(
    raw: Any, rounds: int, people: list[dict[str, Any]], stations: list[dict[str, Any]] | None
) -> list[list[dict[str, Any]]]:
    """Normalise `played` rounds and check every id against the participants and stations."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RotationInputError("bad_played", "'played' must be a list of rounds.")
    if len(raw) > rounds:
        raise RotationInputError(
            "too_many_played_rounds",
            f"{len(raw)} rounds are marked as played, but the rotation has only {rounds} rounds.",
        )
    by_key = {_id_key(p["id"]): p["id"] for p in people}
    station_by_key = {_id_key(s["id"]): s["id"] for s in stations or []}
    played = []
    for r, rnd in enumerate(raw, start=1):
        if not isinstance(rnd, list):
            raise RotationInputError("bad_played", f"Played round {r} must be a list of groups.")
        seen: set[str] = set()
        used_stations: set[str] = set()
        groups = []
        for group in rnd:
            if not isinstance(group, dict) or not isinstance(group.get("members"), list):
                raise RotationInputError(
                    "bad_played",
                    f"Each group of played round {r} must be an object with a 'members' list.",
                )
            station = group.get("station")
            if stations is not None:
                if station is None or _id_key(station) not in station_by_key:
                    raise RotationInputError(
                        "unknown_played_station",
                        f"Played round {r} names station {station!r}, "
                        "which is not among the stations.",
                    )
                if _id_key(station) in used_stations:
                    raise RotationInputError(
                        "duplicate_played_station",
                        f"Station {station!r} hosts two groups in played round {r}.",
                    )
                used_stations.add(_id_key(station))
                station = station_by_key[_id_key(station)]
            else:
                station = None
            members = []
            for member in group["members"]:
                if (
                    not (_is_int(member) or isinstance(member, str))
                    or _id_key(member) not in by_key
                ):
                    raise RotationInputError(
                        "unknown_played_id",
                        f"Played round {r} lists participant {member!r}, "
                        "who is not among the participants.",
                        id=member,
                    )
                if _id_key(member) in seen:
                    raise RotationInputError(
                        "duplicate_played_member",
                        f"Participant {member!r} is in two groups of played round {r}.",
                        id=member,
                    )
                seen.add(_id_key(member))
                members.append(by_key[_id_key(member)])
            groups.append({"station": station, "members": members})
        played.append(groups)
    return played


def validate_instance(instance: Any) -> dict[str, Any]:
    """Check an instance and return it normalised (defaults filled in, ids checked)."""
    if not isinstance(instance, dict):
        raise RotationInputError(
            "not_an_instance",
            f"A rotation instance must be a JSON object, got {type(instance).__name__}.",
        )
    warnings: list[str] = []
    unknown = sorted(
        k
        for k in instance
        if k not in _INSTANCE_KEYS and k not in _METADATA_KEYS and not str(k).startswith("known_")
    )
    if unknown:
        warnings.append("Ignored unknown keys: " + ", ".join(map(str, unknown)) + ".")
    for key in ("participants", "rounds"):
        if key not in instance:
            raise RotationInputError(f"missing_{key}", f"The instance has no '{key}'.")
    rounds = instance["rounds"]
    if not _is_int(rounds) or rounds < 1:
        raise RotationInputError(
            "bad_rounds", f"'rounds' must be a positive integer, got {rounds!r}."
        )
    if rounds > MAX_ROUNDS:
        raise RotationInputError(
            "too_many_rounds", f"At most {MAX_ROUNDS} rounds can be planned, got {rounds}."
        )
    people = _validate_participants(instance["participants"], rounds)
    stations = _validate_stations(instance.get("stations"))
    group_size = instance.get("group_size")
    if group_size is None and stations is None:
        raise RotationInputError(
            "missing_group_size", "Give a 'group_size' (or 'stations', which fix the groups)."
        )
    if group_size is not None and (not _is_int(group_size) or group_size < 2):
        raise RotationInputError(
            "bad_group_size", f"'group_size' must be an integer of at least 2, got {group_size!r}."
        )
    if stations is not None and group_size is not None:
        warnings.append(
            "With stations every station hosts one group per round, so 'group_size' is ignored."
        )
    flags = {}
    for key in ("keep_groups", "avoid_same_organisation"):
        value = instance.get(key, False)
        if value is None:
            value = False
        if not isinstance(value, bool):
            raise RotationInputError(f"bad_{key}", f"'{key}' must be true or false, got {value!r}.")
        flags[key] = value
    time_limit = instance.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
    if time_limit is None:
        time_limit = DEFAULT_TIME_LIMIT_S
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int | float)
        or not math.isfinite(time_limit)
        or time_limit <= 0
    ):
        raise RotationInputError(
            "bad_time_limit", f"'time_limit_s' must be a positive number, got {time_limit!r}."
        )
    if time_limit > MAX_TIME_LIMIT_S:
        raise RotationInputError(
            "bad_time_limit",
            f"'time_limit_s' may be at most {MAX_TIME_LIMIT_S:g} s, got {time_limit}.",
        )
    seed = instance.get("seed", 0)
    if seed is None:
        seed = 0
    if not _is_int(seed):
        raise RotationInputError("bad_seed", f"'seed' must be an integer, got {seed!r}.")
    played = _validate_played(instance.get("played"), rounds, people, stations)

    n = len(people)
    if stations is not None:
        for r in range(len(played) + 1, rounds + 1):
            present = sum(1 for p in people if r not in p["absent_rounds"])
            if present < len(stations):
                raise RotationInputError(
                    "not_enough_participants",
                    f"Round {r} has {present} participants for {len(stations)} stations; every "
                    "station needs a group, so at least one person per station is required.",
                    round=r,
                )
            capacity = [s["capacity"] for s in stations]
            if all(c is not None for c in capacity) and sum(capacity) < present:
                raise RotationInputError(
                    "not_enough_capacity",
                    f"Round {r} has {present} participants but the stations hold only "
                    f"{sum(capacity)}.",
                    round=r,
                )
        themes = {s["theme"] for s in stations if s["theme"]}
        unknown_themes = sorted({t for p in people for t in p["themes"] if t not in themes})
        if unknown_themes:
            warnings.append(
                "No station has the themes " + ", ".join(map(repr, unknown_themes)) + "; ignored."
            )
        if rounds > len(stations) and not flags["keep_groups"]:
            warnings.append(
                f"{rounds} rounds but only {len(stations)} stations: some participants must visit "
                "a station more than once; the plan keeps such revisits to the minimum."
            )
        elif rounds > len(stations):
            warnings.append(
                f"{rounds} rounds but only {len(stations)} stations: each group must visit some "
                "stations more than once."
            )
    else:
        if any(p["themes"] for p in people):
            warnings.append("Theme preferences are ignored without stations.")
        if n < group_size:
            warnings.append(
                f"{n} participants are fewer than the group size {group_size}: one group per round."
            )
    if flags["keep_groups"] and stations is None:
        warnings.append("Groups are kept and there are no stations: every round is the same.")
    return {
        "participants": people,
        "rounds": rounds,
        "group_size": group_size,
        "stations": stations,
        "keep_groups": flags["keep_groups"],
        "played": played,
        "avoid_same_organisation": flags["avoid_same_organisation"],
        "time_limit_s": float(time_limit),
        "seed": seed,
        "warnings": warnings,
    }
