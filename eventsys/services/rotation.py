"""Rotation planner: who sits with whom, round after round (format: shared/formats/rotation.md).

Pure service (no Flask): `validate_instance` checks and normalises an instance, `plan_rotation`
returns the plan with its metrics and lower bounds. Known constructions come first (circle
method, transversal designs over GF(q) and MacNeish products, 1-rotational designs, and the rest
of the original plan when re-planning); a tabu search over swaps of two people of one round
(plus moves between groups of unequal size and swap chains that keep station visits distinct)
then removes what the constructions leave.

Beyond the format, the output carries:
- each group's `group` number (1-based, by station order with stations);
- `sitting_out`: per round, who sits out (1:1 meetings with an odd number of people present);
- `warnings`: plain-English notes (more rounds than stations, ignored keys or themes, ...);
- metrics `lower_bound_station_revisits`, `lower_bound_same_organisation_pairs`, `optimal`
  (repeat encounters at their lower bound) and `method` (how the plan was made).

Definitions: `same_organisation_pairs` counts, over all rounds, pairs of colleagues in one group.
`preferences_met` is the mean, over people who rank themes of some station, of the share of
their k first themes met in their first k rounds (k = themes ranked, at most rounds attended);
1.0 when nobody ranks themes. Without stations, a round of n people gets n // s or ceil(n / s)
groups, whichever keeps sizes nearer s (ties: fewer, larger groups; when re-planning, the
number of groups played so far if its sizes are within one of s); with group size 2 and an odd
number present, one person sits out instead.

The same instance and seed give the same plan as long as the search stops on its work budget or
on reaching the lower bounds, not on the clock (the budget is set to fit well within the time
limit on a machine like the CI's).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from eventsys.services.errors import DomainError

__all__ = ["RotationInputError", "plan_rotation", "plan_metrics", "validate_instance"]

MAX_PARTICIPANTS = 1000
MAX_ROUNDS = 200
MAX_STATIONS = 200
MAX_TIME_LIMIT_S = 600.0
DEFAULT_TIME_LIMIT_S = 10.0

# Cost weights of the search. A station revisit outweighs anything else because the format makes
# "nobody visits a station twice" a rule; a repeat encounter outweighs a colleague pair because
# mixing is the point of a rotation; the pair-overlap term breaks ties between equal repeat counts.
_W_REVISIT = 1000
_W_BENCH = 60
_W_REPEAT = 12
_W_OVERLAP = 1
_W_COLLEAGUE = 4
# Starting at one's first choice outweighs repeat encounters (people asked to start there);
# the other wished-for themes early on only break ties between plans with as many repeats.
_W_FIRST_CHOICE = 200
_W_PREFERENCE = 3

# Short tabu tenures and restarts from the best plan after a stall did best on the social
# golfer instances (6-4-6, 6-5-5) in trials of tenures 2-30 and stall limits 100-100000.
_TENURE_MIN = 3
_TENURE_SPREAD = 4
_STALL_BASE = 300
_STALL_PER_SLOT = 5

# Search work (moves evaluated, cache entries updated) allowed per second of time limit. This
# machine does 1.2-2.5 million a second, so the search normally stops on this budget, not on
# the clock, and the same instance and seed give the same plan.
_WORK_PER_SECOND = 600_000

# Swaps a 1-rotational search may evaluate per choice of Z_n, in a short and a long pass
# (about 3 s in all here); a budget rather than the clock keeps the result reproducible.
_ROTATIONAL_WORK = (60_000, 250_000)

# Work of the short search tried before the 1-rotational search (fixed, so that re-running an
# instance with another time limit reproduces its plan).
_QUICK_WORK = 200_000

# Benchmarks and tests switch constructions off to measure the search on its own.
_USE_CONSTRUCTIONS = True

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


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Problem model
# --------------------------------------------------------------------------------------------


def _c2(n: int) -> int:
    """Number of pairs among n people."""
    return n * (n - 1) // 2 if n > 1 else 0


def _ov(s: int, b: int) -> int:
    """Fewest pairs of a group of s that meet again when spread over b groups."""
    if s <= 1:
        return 0
    if b <= 1:
        return _c2(s)
    alpha, beta = divmod(s, b)
    return beta * _c2(alpha + 1) + (b - beta) * _c2(alpha)


def _group_count(n: int, s: int, prefer: int | None = None) -> int:
    """Number of groups for n people of target size s: sizes as close to s as possible."""
    # `prefer` (the number of groups of the rounds already played) wins when its sizes are as
    # good or within one of s: the tables of an event stay as they are.
    low = max(1, n // s)
    high = max(1, -(-n // s))

    def deviation(g: int) -> int:
        return max(abs(-(-n // g) - s), abs(n // g - s))

    # Ties go to fewer, larger groups (47 people in groups of 5: 9 groups, not 10).
    best = low if deviation(low) <= deviation(high) else high
    if prefer is not None and 1 <= prefer <= n and deviation(prefer) <= max(1, deviation(best)):
        return prefer
    return best


def _balanced(n: int, g: int) -> list[int]:
    """Sizes of g groups holding n people, differing by at most one (larger first)."""
    base, extra = divmod(n, g)
    return [base + 1] * extra + [base] * (g - extra)


def _fill_capacities(n: int, capacities: list[int | None], offset: int = 0) -> list[int]:
    """Spread n people over stations as evenly as their capacities allow."""
    # The stations that get one person more rotate with `offset` (the round), so over the rounds
    # no station needs more visits than there are people.
    k = len(capacities)
    sizes = [0] * k
    room = [math.inf if c is None else c for c in capacities]
    order = [(i + offset) % k for i in range(k)]
    left = n
    while left:
        open_ = [i for i in order if sizes[i] < room[i]]
        if not open_:
            raise RotationInputError(
                "not_enough_capacity", f"The stations cannot hold {n} participants."
            )
        level = min(sizes[i] for i in open_)
        for i in open_:
            if left and sizes[i] == level:
                sizes[i] += 1
                left -= 1
    return sizes


@dataclass
class _Round:
    """One round: who is there and how the groups are shaped (or the groups, if played)."""

    present: list[int]
    sizes: list[int]  # sizes of the real groups, by group index (= station index with stations)
    bench: int = 0  # people sitting out (1:1 meetings with an odd number present)
    played: list[list[int]] | None = None  # fixed groups, by group index
    played_stations: list[int] | None = None


@dataclass
class _Problem:
    """Everything the planner needs, in index form (people 0..P-1, stations 0..S-1)."""

    ids: list[Any]
    orgs: list[str | None]
    themes: list[list[str]]
    rounds: list[_Round]
    n_played: int
    stations: list[dict[str, Any]] | None
    keep_groups: bool
    avoid_org: bool
    group_size: int | None
    warnings: list[str] = field(default_factory=list)

    @property
    def n_people(self) -> int:
        """Number of participants."""
        return len(self.ids)

    @property
    def n_stations(self) -> int:
        """Number of stations (0 without stations)."""
        return len(self.stations) if self.stations else 0


def _shape(
    n: int,
    s: int | None,
    stations: list[dict[str, Any]] | None,
    offset: int = 0,
    prefer: int | None = None,
) -> tuple[list[int], int]:
    """Group sizes (by group or station index) and how many sit out, for n people present."""
    if stations:
        return _fill_capacities(n, [st["capacity"] for st in stations], offset), 0
    if n == 0 or s is None:
        return [], 0
    if s == 2 and n >= 2:
        return [2] * (n // 2), n % 2
    return _balanced(n, _group_count(n, s, prefer)), 0


def _build_problem(inst: dict[str, Any]) -> _Problem:
    """Turn a normalised instance into the index model."""
    people = inst["participants"]
    index = {_id_key(p["id"]): i for i, p in enumerate(people)}
    stations = inst["stations"]
    station_index = {_id_key(s["id"]): i for i, s in enumerate(stations or [])}
    rounds: list[_Round] = []
    for groups in inst["played"]:
        members = [[index[_id_key(m)] for m in g["members"]] for g in groups]
        present = sorted(p for g in members for p in g)
        st = [station_index[_id_key(g["station"])] for g in groups] if stations else None
        rounds.append(_Round(present, [len(g) for g in members], 0, members, st))
    s = inst["group_size"]
    for r in range(len(inst["played"]) + 1, inst["rounds"] + 1):
        present = [i for i, p in enumerate(people) if r not in p["absent_rounds"]]
        played_groups = len(inst["played"][-1]) if inst["played"] else None
        sizes, bench = _shape(len(present), s, stations, r - 1, played_groups)
        rounds.append(_Round(present, sizes, bench))
    return _Problem(
        ids=[p["id"] for p in people],
        orgs=[p["organisation"] for p in people],
        themes=[p["themes"] for p in people],
        rounds=rounds,
        n_played=len(inst["played"]),
        stations=stations,
        keep_groups=inst["keep_groups"],
        avoid_org=inst["avoid_same_organisation"],
        group_size=s,
        warnings=list(inst["warnings"]),
    )


# --------------------------------------------------------------------------------------------
# Metrics and lower bounds
# --------------------------------------------------------------------------------------------

# Upper bounds on the number of mutually orthogonal Latin squares N(s) that are below the
# trivial s - 1; only order 6 is settled (Tarry 1900), other non-prime-powers stay at s - 1.
_MOLS_UPPER = {6: 1}


def _preference_slots(prob: _Problem, plan: list[list[list[int]]]) -> list[tuple[int, int]]:
    """For each person with preferences: (top themes reached in their first rounds, how many)."""
    if not prob.stations:
        return []
    themes = [st["theme"] for st in prob.stations]
    known = {t for t in themes if t}
    out = []
    for p in range(prob.n_people):
        wanted = [t for t in prob.themes[p] if t in known]
        if not wanted:
            continue
        visits = [themes[g] for rnd in plan for g, members in enumerate(rnd) if p in members]
        k = min(len(wanted), len(visits))
        if k == 0:
            continue
        out.append((len(set(wanted[:k]) & set(visits[:k])), k))
    return out


def plan_metrics(prob: _Problem, plan: list[list[list[int]]]) -> dict[str, Any]:
    """Measure a plan given as rounds of groups (group index = station index with stations)."""
    meetings: Counter[tuple[int, int]] = Counter()
    colleagues = 0
    for rnd in plan:
        for members in rnd:
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    meetings[a, b] += 1
                    if prob.orgs[a] is not None and prob.orgs[a] == prob.orgs[b]:
                        colleagues += 1
    revisits = 0
    if prob.stations:
        visits: Counter[tuple[int, int]] = Counter(
            (p, g) for rnd in plan for g, members in enumerate(rnd) for p in members
        )
        revisits = sum(c - 1 for c in visits.values() if c > 1)
    slots = _preference_slots(prob, plan)
    met = sum(a / k for a, k in slots) / len(slots) if slots else 1.0
    return {
        "repeat_encounters": sum(m - 1 for m in meetings.values() if m > 1),
        "pair_overlap": sum(_c2(m) for m in meetings.values()),
        "max_meetings_per_pair": max(meetings.values(), default=0),
        "station_revisits": revisits,
        "preferences_met": round(met, 4),
        "same_organisation_pairs": colleagues,
    }


def _min_overlap_after_removal(sizes: list[int], removed: int, b: int) -> int:
    """Least Σ ov over groups when `removed` of their people are missing from the other round."""
    heap = [-s for s in sizes if s > 0]
    heapq.heapify(heap)
    # ov(s) - ov(s-1) = floor((s-1)/b) grows with s, so dropping people from the largest group
    # first is optimal for this separable convex sum.
    for _ in range(min(removed, sum(sizes))):
        s = -heapq.heappop(heap)
        if s > 1:
            heapq.heappush(heap, -(s - 1))
    return sum(_ov(-s, b) for s in heap)


def _lower_bounds(prob: _Problem, no_revisit: bool) -> dict[str, int]:
    """Lower bounds on repeats, overlap, revisits and colleague pairs (format: rotation.md)."""
    rounds = prob.rounds
    n_rounds = len(rounds)
    n_people = prob.n_people
    played = [r for r in rounds if r.played is not None]
    presence = [set(r.present) for r in rounds]

    # Played rounds are fixed, so what they already contain is a floor for the whole plan.
    played_plan = [r.played for r in played]
    played_metrics = plan_metrics(prob, played_plan) if played else None

    # Counting bound: pairs the plan must form versus pairs that can be formed at all.
    masks: Counter[int] = Counter()
    person_mask = []
    for p in range(n_people):
        mask = sum(1 << r for r in range(n_rounds) if p in presence[r])
        person_mask.append(mask)
        masks[mask] += 1
    mask_items = list(masks.items())
    usable_pairs = 0
    for i, (m1, c1) in enumerate(mask_items):
        if m1 == 0:
            continue
        usable_pairs += _c2(c1)
        for m2, c2 in mask_items[i + 1 :]:
            if m1 & m2:
                usable_pairs += c1 * c2
    formed = sum(_c2(s) for r in rounds for s in r.sizes)
    lb_count = max(0, formed - usable_pairs)

    # Per person: meetings they must have versus people they can meet.
    partners_by_mask = {m: sum(c for m2, c in mask_items if m & m2) - 1 for m, _ in mask_items if m}
    excess = 0
    for p in range(n_people):
        need = 0
        for r, rnd in enumerate(rounds):
            if p not in presence[r]:
                continue
            if rnd.played is not None:
                need += next((len(g) - 1 for g in rnd.played if p in g), 0)
            elif rnd.bench == 0 and rnd.sizes:
                need += min(rnd.sizes) - 1
        if person_mask[p]:
            excess += max(0, need - partners_by_mask[person_mask[p]])
    lb_person = -(-excess // 2)

    # Two rounds share at least ov(s, b) pairs per group of one of them.
    lb_overlap = 0
    for r1, r2 in itertools.combinations(range(n_rounds), 2):
        a, b = rounds[r1], rounds[r2]
        if a.played is not None and b.played is not None:
            lb_overlap += plan_metrics(prob, [a.played, b.played])["pair_overlap"]
            continue
        best = 0
        for x, y, px, py in (
            (a, b, presence[r1], presence[r2]),
            (b, a, presence[r2], presence[r1]),
        ):
            groups = len([s for s in y.sizes if s > 0])
            if no_revisit:
                groups -= 1
            if groups <= 0:
                continue
            missing = len(px - py) + y.bench
            sizes = [len(g) for g in x.played] if x.played is not None else x.sizes
            best = max(best, _min_overlap_after_removal(sizes, missing, groups))
        lb_overlap += best
    if played_metrics:
        lb_overlap = max(lb_overlap, played_metrics["pair_overlap"])
    # A pair meets at most once per round with groups, so m - 1 >= 2 C(m, 2) / rounds.
    active = sum(1 for r in rounds if any(s > 1 for s in r.sizes))
    lb_from_overlap = -(-2 * lb_overlap // active) if active else 0

    # Structure: with g groups of s = g people, at most N(s) + 2 rounds are repeat-free, and
    # dropping one round per repeat leaves a repeat-free plan, so E >= R - (N(s) + 2).
    lb_structure = 0
    sizes0 = {s for r in rounds for s in r.sizes}
    if (
        len(sizes0) == 1
        and not played
        and all(len(r.present) == n_people and r.bench == 0 for r in rounds)
    ):
        (s,) = sizes0
        if len(rounds[0].sizes) == s:
            mols = _MOLS_UPPER.get(s, s - 1)
            lb_structure = max(0, n_rounds - (mols + 2))

    lb_repeat = max(lb_count, lb_person, lb_from_overlap, lb_structure)
    if played_metrics:
        lb_repeat = max(lb_repeat, played_metrics["repeat_encounters"])

    lb_revisits = 0
    if prob.stations:
        n_st = prob.n_stations
        for p in range(n_people):
            visits = sum(1 for r in range(n_rounds) if p in presence[r])
            lb_revisits += max(0, visits - n_st)
        # Per station: visits beyond the number of people are revisits. Only capacities fix
        # the sizes by station; otherwise the planner may give any station the larger group.
        if not prob.keep_groups and any(st["capacity"] is not None for st in prob.stations):
            everyone = len(set().union(*presence))
            per_station = 0
            for t in range(n_st):
                needed = 0
                for r in rounds:
                    if r.played is None:
                        needed += r.sizes[t]
                    else:
                        stations_of = r.played_stations or []
                        needed += sum(
                            len(g) for g, x in zip(r.played, stations_of, strict=True) if x == t
                        )
                per_station += max(0, needed - everyone)
            lb_revisits = max(lb_revisits, per_station)
        if not prob.keep_groups:
            # Per station, in the rounds to plan: it hosts at least its share of each round (its
            # fixed size with capacities, else the smaller of the balanced sizes), and only people
            # who have not been there yet can come without a revisit, each once. After rounds
            # already played this is often above zero (e.g. a table visited by more people than
            # its share, then three of the others leave).
            free = _free_sizes(prob)
            seen: list[set[int]] = [set() for _ in range(n_st)]
            for r in rounds:
                if r.played is not None:
                    for g, x in zip(r.played, r.played_stations or [], strict=False):
                        seen[x].update(g)
            to_plan = [i for i, r in enumerate(rounds) if r.played is None and r.sizes]
            coming = set().union(*(presence[i] for i in to_plan)) if to_plan else set()
            forced = 0
            for t in range(n_st):
                needed = sum(min(rounds[i].sizes) if free else rounds[i].sizes[t] for i in to_plan)
                forced += max(0, needed - len(coming - seen[t]))
            already = played_metrics["station_revisits"] if played_metrics else 0
            lb_revisits = max(lb_revisits, already + forced)
        if played_metrics:
            lb_revisits = max(lb_revisits, played_metrics["station_revisits"])

    lb_colleagues = 0
    for rnd in rounds:
        if rnd.played is not None:
            lb_colleagues += plan_metrics(prob, [rnd.played])["same_organisation_pairs"]
            continue
        orgs = Counter(prob.orgs[p] for p in rnd.present if prob.orgs[p] is not None)
        groups = len(rnd.sizes)
        for count in orgs.values():
            lb_colleagues += _ov(max(0, count - rnd.bench), groups)
    return {
        "repeat_encounters": lb_repeat,
        "pair_overlap": lb_overlap,
        "station_revisits": lb_revisits,
        "same_organisation_pairs": lb_colleagues,
    }


# --------------------------------------------------------------------------------------------
# Finite fields and constructions
# --------------------------------------------------------------------------------------------


def _prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q = p**k, or None."""
    if q < 2:
        return None
    for p in range(2, q + 1):
        if q % p == 0:
            k = 0
            while q % p == 0:
                q //= p
                k += 1
            return (p, k) if q == 1 else None
    return None


def _prime_power_factors(n: int) -> list[int]:
    """n as a product of prime powers (MacNeish), e.g. 20 -> [4, 5]."""
    out = []
    p = 2
    while p * p <= n:
        if n % p == 0:
            q = 1
            while n % p == 0:
                n //= p
                q *= p
            out.append(q)
        p += 1
    if n > 1:
        out.append(n)
    return out


class _Field:
    """GF(p^k); elements are integers whose base-p digits are polynomial coefficients."""

    def __init__(self, q: int) -> None:
        pk = _prime_power(q)
        if pk is None:
            raise ValueError(f"{q} is not a prime power")
        self.q = q
        self.p, self.k = pk
        self.modulus = self._irreducible() if self.k > 1 else None
        self._mul = (
            [[self._slow_mul(a, b) for b in range(q)] for a in range(q)] if q <= 256 else None
        )

    def _digits(self, a: int) -> list[int]:
        """Coefficients of a, lowest degree first."""
        out = []
        for _ in range(self.k):
            a, d = divmod(a, self.p)
            out.append(d)
        return out

    def _number(self, digits: list[int]) -> int:
        """Inverse of _digits."""
        value = 0
        for d in reversed(digits):
            value = value * self.p + d
        return value

    def _polymod(self, poly: list[int], mod: list[int]) -> list[int]:
        """Remainder of poly by a monic mod over GF(p)."""
        poly = poly[:]
        deg = len(mod) - 1
        for i in range(len(poly) - 1, deg - 1, -1):
            c = poly[i] % self.p
            if c:
                for j in range(deg + 1):
                    poly[i - deg + j] = (poly[i - deg + j] - c * mod[j]) % self.p
        return [c % self.p for c in poly[:deg]] + [0] * max(0, deg - len(poly))

    def _irreducible(self) -> list[int]:
        """First monic irreducible polynomial of degree k over GF(p) (trial division)."""
        p, k = self.p, self.k
        for tail in itertools.product(range(p), repeat=k):
            cand = [*tail, 1]
            if cand[0] == 0:
                continue
            if all(
                any(self._polymod(cand, [*t, 1]))
                for d in range(1, k // 2 + 1)
                for t in itertools.product(range(p), repeat=d)
            ):
                return cand
        raise AssertionError("an irreducible polynomial always exists")

    def add(self, a: int, b: int) -> int:
        """a + b."""
        if self.k == 1:
            return (a + b) % self.p
        da, db = self._digits(a), self._digits(b)
        return self._number([(x + y) % self.p for x, y in zip(da, db, strict=True)])

    def _slow_mul(self, a: int, b: int) -> int:
        """a * b by polynomial multiplication modulo the irreducible polynomial."""
        if self.k == 1:
            return a * b % self.p
        da, db = self._digits(a), self._digits(b)
        prod = [0] * (2 * self.k - 1)
        for i, x in enumerate(da):
            if x:
                for j, y in enumerate(db):
                    prod[i + j] += x * y
        return self._number(self._polymod(prod, self.modulus or [0, 1]))

    def mul(self, a: int, b: int) -> int:
        """a * b."""
        return self._mul[a][b] if self._mul is not None else self._slow_mul(a, b)


class _Ring:
    """Product of finite fields of order n (MacNeish): x + r*y with unit differences of r."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.fields = [_Field(q) for q in _prime_power_factors(n)]
        self.elements = list(itertools.product(*(range(f.q) for f in self.fields)))
        self.index = {e: i for i, e in enumerate(self.elements)}

    @property
    def n_multipliers(self) -> int:
        """How many multipliers have pairwise unit differences."""
        return min(f.q for f in self.fields)

    def multiplier(self, k: int) -> tuple[int, ...]:
        """k-th multiplier: k in every component, so two of them differ by a unit."""
        return tuple(k for _ in self.fields)

    def units(self) -> list[tuple[int, ...]]:
        """Elements with no zero component."""
        return [e for e in self.elements if all(e)]

    def affine(self, x: tuple[int, ...], r: tuple[int, ...], y: tuple[int, ...]) -> int:
        """Index of x + r*y."""
        return self.index[
            tuple(
                f.add(xi, f.mul(ri, yi)) for f, xi, ri, yi in zip(self.fields, x, r, y, strict=True)
            )
        ]


def _transversal_rounds(
    n_people: int, n_groups: int, n_rounds: int, with_stations: bool
) -> list[list[list[int]]]:
    """Repeat-free rounds from a transversal design x + r*y over GF(q) or a MacNeish product."""
    # People are points (x, y) with x in the ring and y in a set Y of t = ceil(N/q) elements; a
    # shortfall is taken from one column, whose people never meet, so sizes stay within one.
    # With stations, Y holds units only, so everyone visits a different station every round.
    q = n_groups
    t = -(-n_people // q)
    shortfall = q * t - n_people
    if q < 2 or t < 1:
        return []
    ring = _Ring(q)
    ys = ring.units() if with_stations else ring.elements
    if len(ys) < t:
        return []
    ys = ys[:t]
    points = [(x, y) for y in ys for x in ring.elements][:n_people]
    rounds = []
    for k in range(min(n_rounds, ring.n_multipliers)):
        r = ring.multiplier(k)
        groups: list[list[int]] = [[] for _ in range(q)]
        for person, (x, y) in enumerate(points):
            groups[ring.affine(x, r, y)].append(person)
        rounds.append(groups)
    # The columns themselves form one more repeat-free round when they have q people each.
    if len(rounds) < n_rounds and t == q and shortfall <= 1 and not with_stations:
        rounds.append([list(range(c * q, min((c + 1) * q, n_people))) for c in range(t)])
    return rounds


def _circle_rounds(n_people: int, n_rounds: int) -> tuple[list[list[list[int]]], list[list[int]]]:
    """Round-robin (circle method) pairs; with an odd count the partner of the dummy sits out."""
    m = n_people + (n_people % 2)
    dummy = n_people if n_people % 2 else None
    rounds, benches = [], []
    for k in range(n_rounds):
        r = k % (m - 1)
        pairs = [(m - 1, r)]
        pairs += [((r + i) % (m - 1), (r - i) % (m - 1)) for i in range(1, m // 2)]
        groups, bench = [], []
        for a, b in pairs:
            if dummy in (a, b):
                bench.append(b if a == dummy else a)
            else:
                groups.append([a, b])
        rounds.append(groups)
        benches.append(bench)
    return rounds, benches


def _rotational_rounds(
    n_people: int, sizes: list[int], n_rounds: int, rng: random.Random, deadline: float
) -> list[list[list[int]]] | None:
    """Repeat-free rounds developed from one base round over Z_n (1-rotational designs)."""
    # Points are Z_n x L plus fixed points; round i is the base round shifted by i. Over all n
    # shifts, each pair of base points yields its orbit once as long as no other base pair has
    # the same difference signature, so the search runs on one round only. This finds, e.g.,
    # Kirkman's 15 schoolgirls over Z_7 with one fixed point.
    choices = []
    for n in range(max(2, n_rounds), n_people + 1):
        levels, fixed = divmod(n_people, n)
        if levels == 0 or len(choices) == 4:
            break
        if fixed <= len(sizes) and fixed < n and _rotational_capacity(n, levels, fixed, sizes):
            choices.append((n, levels, fixed))
    # Short tries on every choice of Z_n first, then longer ones: some choices never work.
    for budget in _ROTATIONAL_WORK:
        for n, levels, fixed in choices:
            if time.perf_counter() >= deadline:
                return None
            base = _rotational_search(n, levels, fixed, sizes, rng, deadline, budget)
            if base is None:
                continue
            moving = n * levels

            def shift(point: int, i: int, n: int = n, moving: int = moving) -> int:
                if point >= moving:
                    return point
                return point - point % n + (point % n + i) % n

            return [[[shift(p, i) for p in grp] for grp in base] for i in range(n_rounds)]
    return None


def _rotational_capacity(n: int, levels: int, fixed: int, sizes: list[int]) -> bool:
    """Whether enough distinct difference signatures exist for the pairs of one round."""
    need = sum(_c2(s) for s in sizes)
    avail = levels * ((n - 1) // 2) + _c2(levels) * n + fixed * levels
    return need <= avail


def _signature(n: int, levels: int, a: int, b: int) -> tuple[int, int, int, int]:
    """Orbit of the pair {a, b} under Z_n, and how often each of its pairs meets per use."""
    moving = n * levels
    if a >= moving and b >= moving:
        return (-1, a, b, n)  # two fixed points meet in every round
    if a >= moving or b >= moving:
        f, p = (a, b) if a >= moving else (b, a)
        return (-2, f, p // n, 1)
    la, xa = divmod(a, n)
    lb, xb = divmod(b, n)
    if la > lb or (la == lb and (xb - xa) % n > n // 2):
        la, xa, lb, xb = lb, xb, la, xa
    d = (xb - xa) % n
    if la == lb and 2 * d == n:
        return (la, lb, d, 2)  # the orbit has n/2 pairs, each met twice per use
    return (la, lb, d, 1)


def _rotational_search(
    n: int,
    levels: int,
    fixed: int,
    sizes: list[int],
    rng: random.Random,
    deadline: float,
    work_budget: int,
) -> list[list[int]] | None:
    """Tabu search for a base round whose difference signatures are all distinct."""
    # The work budget (swaps evaluated), not the clock, ends a failing search, so the same seed
    # gives the same result whatever the time limit; the deadline is only a safety net.
    work = 0
    n_points = n * levels + fixed
    moving = n * levels
    ids: dict[tuple[int, int, int, int], int] = {}
    sig = [[0] * n_points for _ in range(n_points)]
    weight: list[int] = []
    for a in range(n_points):
        for b in range(a + 1, n_points):
            key = _signature(n, levels, a, b)
            if key not in ids:
                ids[key] = len(ids)
                weight.append(key[3])
            sig[a][b] = sig[b][a] = ids[key]
    top = max(sizes) * len(sizes) + 2

    cost_table = [[max(0, c * w - 1) for c in range(top)] for w in range(max(weight) + 1)]
    while work < work_budget and time.perf_counter() < deadline:
        points = list(range(n_points))
        rng.shuffle(points)
        # Fixed points must sit in different groups, or they would meet every round.
        fixed_points = [p for p in points if p >= moving]
        others = [p for p in points if p < moving]
        groups: list[list[int]] = [[] for _ in sizes]
        for gi, p in enumerate(fixed_points):
            groups[gi].append(p)
        for gi, size in enumerate(sizes):
            while len(groups[gi]) < size:
                groups[gi].append(others.pop())
        where = [0] * n_points
        for gi, grp in enumerate(groups):
            for p in grp:
                where[p] = gi
        counts = [0] * len(ids)
        for grp in groups:
            for a, b in itertools.combinations(grp, 2):
                counts[sig[a][b]] += 1
        cost = sum(cost_table[weight[i]][c] for i, c in enumerate(counts))
        tabu = [0] * n_points
        best_cost, stall, it = cost, 0, 0
        while cost > 0 and stall < 300 + 20 * n_points:
            it += 1
            if work > work_budget or ((it & 7) == 0 and time.perf_counter() > deadline):
                return None
            hot = [
                a
                for a in range(n_points)
                if any(
                    counts[sig[a][x]] * weight[sig[a][x]] > 1 for x in groups[where[a]] if x != a
                )
            ]
            if len(hot) > 12:
                hot = rng.sample(hot, 12)
            best_d, moves = None, []
            for a in hot:
                ga = where[a]
                sa = sig[a]
                for b in range(n_points):
                    gb = where[b]
                    if gb == ga or (a >= moving and b >= moving):
                        continue
                    sb = sig[b]
                    work += 1
                    d = 0
                    undo = []
                    for x in groups[ga]:
                        if x != a:
                            for i, dc in ((sa[x], -1), (sb[x], 1)):
                                c = counts[i]
                                w = cost_table[weight[i]]
                                d += w[c + dc] - w[c]
                                counts[i] = c + dc
                                undo.append((i, c))
                    for y in groups[gb]:
                        if y != b:
                            for i, dc in ((sb[y], -1), (sa[y], 1)):
                                c = counts[i]
                                w = cost_table[weight[i]]
                                d += w[c + dc] - w[c]
                                counts[i] = c + dc
                                undo.append((i, c))
                    for i, c in reversed(undo):
                        counts[i] = c
                    if (tabu[a] > it or tabu[b] > it) and cost + d >= best_cost:
                        continue
                    if best_d is None or d < best_d:
                        best_d, moves = d, [(a, b)]
                    elif d == best_d:
                        moves.append((a, b))
            if not moves or best_d is None:
                stall += 1
                continue
            a, b = moves[rng.randrange(len(moves))]
            ga, gb = where[a], where[b]
            for x in groups[ga]:
                if x != a:
                    counts[sig[a][x]] -= 1
                    counts[sig[b][x]] += 1
            for y in groups[gb]:
                if y != b:
                    counts[sig[b][y]] -= 1
                    counts[sig[a][y]] += 1
            groups[ga][groups[ga].index(a)] = b
            groups[gb][groups[gb].index(b)] = a
            where[a], where[b] = gb, ga
            cost += best_d
            tabu[a] = tabu[b] = it + 2 + rng.randrange(4)
            if cost < best_cost:
                best_cost, stall = cost, 0
            else:
                stall += 1
        if cost == 0:
            return groups
    return None


# --------------------------------------------------------------------------------------------
# Tabu search
# --------------------------------------------------------------------------------------------


def _preference_weight(theme: str, wanted: list[str], j: int) -> int:
    """Reward for a wanted theme in a person's j-th round: most for the first choice first."""
    return _W_FIRST_CHOICE if theme == wanted[0] and j == 0 else _W_PREFERENCE


def _preference_costs(prob: _Problem) -> list[dict[int, list[int]]]:
    """Per planned round: person -> cost per station, a reward for a wanted theme in time."""
    # A person ranking k themes wants them within their first k rounds; a theme already met in a
    # played round earns nothing more.
    planned = len(prob.rounds) - prob.n_played
    out: list[dict[int, list[int]]] = [{} for _ in range(planned)]
    if not prob.stations:
        return out
    themes = [st["theme"] for st in prob.stations]
    known = {t for t in themes if t}
    for p in range(prob.n_people):
        wanted = [t for t in prob.themes[p] if t in known]
        if not wanted:
            continue
        attended = [r for r, rnd in enumerate(prob.rounds) if p in rnd.present]
        k = min(len(wanted), len(attended))
        top = set(wanted[:k])
        seen = set()
        for j, r in enumerate(attended[:k]):
            rnd = prob.rounds[r]
            if rnd.played is not None:
                for g_idx, grp in enumerate(rnd.played):
                    if p in grp and rnd.played_stations is not None:
                        seen.add(themes[rnd.played_stations[g_idx]])
                continue
            costs = [
                -_preference_weight(t, wanted, j) if (t in top and t not in seen) else 0
                for t in themes
            ]
            if any(costs):
                out[r - prob.n_played][p] = costs
    return out


class _Search:
    """Tabu search over swaps of two people in different groups of one planned round."""

    # Keeps, per round and person, the cost of joining each group (T) and the cost of the own
    # group (D), so a swap is evaluated in O(1) and applied in O(N + s * R).

    def __init__(
        self,
        prob: _Problem,
        planned: list[tuple[list[list[int]], list[int]]],
        rng: random.Random,
    ) -> None:
        self.prob = prob
        self.rng = rng
        n_people = prob.n_people
        n_st = prob.n_stations
        self.n_pseudo = n_st + 1  # last pseudo-station is the bench of 1:1 rounds
        self.uw = [_W_REVISIT] * n_st + [_W_BENCH]
        n_all = len(prob.rounds)
        top = 2 * (n_all + 3)
        f_table = [0] * top
        for k in range(top):
            m, same = divmod(k, 2)
            f_table[k] = (
                _W_REPEAT * max(0, m - 1) + _W_OVERLAP * _c2(m) + (_W_COLLEAGUE * m if same else 0)
            )
        self.F = f_table
        self.inc = [f_table[k + 2] - f_table[k] if k + 2 < top else 10**6 for k in range(top)]
        self.dec = [f_table[k] - f_table[k - 2] if k >= 2 else 0 for k in range(top)]

        # Static pair state: colleague bits and the played rounds.
        base = [[0] * n_people for _ in range(n_people)]
        if prob.avoid_org:
            for a in range(n_people):
                oa = prob.orgs[a]
                if oa is None:
                    continue
                row = base[a]
                for b in range(n_people):
                    if b != a and prob.orgs[b] == oa:
                        row[b] = 1
        self.base_visits = [[0] * self.n_pseudo for _ in range(n_people)]
        for rnd in prob.rounds[: prob.n_played]:
            for g_idx, grp in enumerate(rnd.played or []):
                for a in grp:
                    if rnd.played_stations is not None:
                        self.base_visits[a][rnd.played_stations[g_idx]] += 1
                    row = base[a]
                    for b in grp:
                        if b != a:
                            row[b] += 2
        self.base_pairs = base

        self.rounds = prob.rounds[prob.n_played :]
        self.present = [r.present for r in self.rounds]
        n_plan = len(self.rounds)
        # Group -> pseudo-station (stations keep their index; the bench is the last group).
        self.gst: list[list[int]] = []
        self.stgrp: list[list[int]] = []
        self.bench: list[int] = []
        for rnd in self.rounds:
            g = len(rnd.sizes)
            gst = list(range(g)) if n_st else [-1] * g
            stgrp = [-1] * self.n_pseudo
            if n_st:
                stgrp[:n_st] = list(range(n_st))
            if rnd.bench:
                gst.append(n_st)
                stgrp[n_st] = g
                self.bench.append(g)
            else:
                self.bench.append(-1)
            self.gst.append(gst)
            self.stgrp.append(stgrp)
        self.pref = _preference_costs(prob)
        self.members: list[list[list[int]]] = []
        self.pos: list[list[int]] = []
        for groups, bench in planned:
            mem = [list(g) for g in groups]
            if self.bench[len(self.members)] >= 0:
                mem.append(list(bench))
            pos = [-1] * n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    pos[p] = gi
            self.members.append(mem)
            self.pos.append(pos)
        self.n_plan = n_plan
        self.work = 0  # moves evaluated and cache updates made, the search's clock
        self.rebuild()

    def max_preference_reward(self) -> int:
        """Upper bound on the preference reward of the planned rounds (for stopping early)."""
        slots: Counter[int] = Counter()
        by_station: dict[int, dict[int, int]] = {}
        for rnd_pref in self.pref:
            for p, costs in rnd_pref.items():
                slots[p] += 1
                best = by_station.setdefault(p, {})
                for st, c in enumerate(costs):
                    if c:
                        best[st] = max(best.get(st, 0), -c)
        # One station per round and no station twice: the n largest rewards are a ceiling.
        return sum(sum(sorted(by_station[p].values(), reverse=True)[:n]) for p, n in slots.items())

    def unary(self, ri: int, p: int, g: int) -> int:
        """Cost of p being in group g of planned round ri, given the other rounds."""
        st = self.gst[ri][g]
        if st < 0:
            return 0
        own = 1 if self.pos[ri][p] == g else 0
        cost = self.uw[st] if self.visits[p][st] - own >= 1 else 0
        pref = self.pref[ri].get(p)
        if pref is not None and st < len(pref):
            cost += pref[st]
        return cost

    def rebuild(self) -> None:
        """Recompute pair counts, visits, T, D and the cost from the groups."""
        n_people = self.prob.n_people
        K = [row[:] for row in self.base_pairs]
        visits = [row[:] for row in self.base_visits]
        for ri, mem in enumerate(self.members):
            for gi, grp in enumerate(mem):
                st = self.gst[ri][gi]
                for a in grp:
                    if st >= 0:
                        visits[a][st] += 1
                if gi == self.bench[ri]:
                    continue
                for a in grp:
                    row = K[a]
                    for b in grp:
                        if b != a:
                            row[b] += 2
        self.K = K
        self.visits = visits
        inc, dec = self.inc, self.dec
        self.T: list[list[list[int] | None]] = []
        self.D: list[list[int]] = []
        for ri, mem in enumerate(self.members):
            present = self.present[ri]
            n_groups = len(mem)
            T: list[list[int] | None] = [None] * n_people
            for p in present:
                T[p] = [self.unary(ri, p, g) for g in range(n_groups)]
            for gi, grp in enumerate(mem):
                if gi == self.bench[ri]:
                    continue
                for y in grp:
                    Ky = K[y]
                    for p in present:
                        T[p][gi] += inc[Ky[p]]  # type: ignore[index]
            D = [0] * n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    D[p] = self.unary(ri, p, gi)
                    if gi != self.bench[ri]:
                        Kp = K[p]
                        D[p] += sum(dec[Kp[y]] for y in grp)
            self.T.append(T)
            self.D.append(D)
        self.cost = self.total_cost()

    def total_cost(self) -> int:
        """Cost from scratch (pairs, revisits, bench, preferences)."""
        F = self.F
        n_people = self.prob.n_people
        cost = 0
        K = self.K
        for a in range(n_people):
            row = K[a]
            cost += sum(F[row[b]] for b in range(a + 1, n_people))
        for p in range(n_people):
            for st, v in enumerate(self.visits[p]):
                if v > 1:
                    cost += self.uw[st] * (v - 1)
        # Pair costs of colleague bits with m = 0 are 0, so F needs no offset; preferences:
        for ri, mem in enumerate(self.members):
            for gi, grp in enumerate(mem):
                st = self.gst[ri][gi]
                if st < 0:
                    continue
                for p in grp:
                    pref = self.pref[ri].get(p)
                    if pref is not None and st < len(pref):
                        cost += pref[st]
        return cost

    def swap(self, ri: int, a: int, b: int) -> None:
        """Swap a and b (different groups of planned round ri) and update all caches."""
        pos = self.pos[ri]
        ga, gb = pos[a], pos[b]
        mem = self.members[ri]
        mem_a, mem_b = mem[ga], mem[gb]
        bench = self.bench[ri]
        K, inc, dec = self.K, self.inc, self.dec
        Tr, Dr = self.T[ri], self.D[ri]
        present = self.present[ri]
        # Membership change first, with the old pair counts.
        mem_a.remove(a)
        mem_b.remove(b)
        if ga != bench:
            for p in present:
                Kp = K[p]
                Tr[p][ga] += inc[Kp[b]] - inc[Kp[a]]  # type: ignore[index]
            for x in mem_a:
                Kx = K[x]
                Dr[x] += dec[Kx[b]] - dec[Kx[a]]
        if gb != bench:
            for p in present:
                Kp = K[p]
                Tr[p][gb] += inc[Kp[a]] - inc[Kp[b]]  # type: ignore[index]
            for y in mem_b:
                Ky = K[y]
                Dr[y] += dec[Ky[a]] - dec[Ky[b]]
        mem_a.append(b)
        mem_b.append(a)
        pos[a], pos[b] = gb, ga
        # Then the pair counts, with the new membership.
        changes = []
        if ga != bench:
            changes += [(a, x, -2) for x in mem_a if x != b] + [(b, x, 2) for x in mem_a if x != b]
        if gb != bench:
            changes += [(a, y, 2) for y in mem_b if y != a] + [(b, y, -2) for y in mem_b if y != a]
        self._pair_changes(changes)
        self.work += 2 * len(present) + len(changes) * self.n_plan
        sa, sb = self.gst[ri][ga], self.gst[ri][gb]
        if sa != sb:
            self._visit_change(ri, a, sa, sb)
            self._visit_change(ri, b, sb, sa)
        self._refresh_own(ri, a)
        self._refresh_own(ri, b)

    def move(self, ri: int, a: int, gb: int) -> None:
        """Move a to group gb of planned round ri (one size less) and update all caches."""
        pos = self.pos[ri]
        ga = pos[a]
        mem = self.members[ri]
        K, inc, dec = self.K, self.inc, self.dec
        Tr, Dr = self.T[ri], self.D[ri]
        mem[ga].remove(a)
        for p in self.present[ri]:
            v = inc[K[p][a]]
            Tp = Tr[p]
            Tp[ga] -= v  # type: ignore[index]
            Tp[gb] += v  # type: ignore[index]
        for x in mem[ga]:
            Dr[x] -= dec[K[x][a]]
        for y in mem[gb]:
            Dr[y] += dec[K[y][a]]
        mem[gb].append(a)
        pos[a] = gb
        changes = [(a, x, -2) for x in mem[ga]] + [(a, y, 2) for y in mem[gb] if y != a]
        self._pair_changes(changes)
        self.work += len(self.present[ri]) + len(changes) * self.n_plan
        sa, sb = self.gst[ri][ga], self.gst[ri][gb]
        if sa != sb:
            self._visit_change(ri, a, sa, sb)
        self._refresh_own(ri, a)

    def _refresh_own(self, ri: int, p: int) -> None:
        """Recompute what p's own group costs p in round ri."""
        g = self.pos[ri][p]
        value = self.unary(ri, p, g)
        if g != self.bench[ri]:
            Kp, dec = self.K[p], self.dec
            value += sum(dec[Kp[y]] for y in self.members[ri][g])
        self.D[ri][p] = value

    def _pair_changes(self, changes: list[tuple[int, int, int]]) -> None:
        """Change pair counts and the join and own costs that depend on them, in every round."""
        K, inc, dec = self.K, self.inc, self.dec
        all_pos, all_T, all_D, benches = self.pos, self.T, self.D, self.bench
        for u, v, d in changes:
            k0 = K[u][v]
            k1 = k0 + d
            K[u][v] = k1
            K[v][u] = k1
            di = inc[k1] - inc[k0]
            dd = dec[k1] - dec[k0]
            for rj in range(self.n_plan):
                pr = all_pos[rj]
                pu, pv = pr[u], pr[v]
                if pu < 0 or pv < 0:
                    continue
                bj = benches[rj]
                Tj = all_T[rj]
                if pv != bj:
                    Tj[u][pv] += di  # type: ignore[index]
                if pu != bj:
                    Tj[v][pu] += di  # type: ignore[index]
                    if pu == pv:
                        all_D[rj][u] += dd
                        all_D[rj][v] += dd

    def _visit_change(self, ri: int, p: int, s_from: int, s_to: int) -> None:
        """p goes from pseudo-station s_from to s_to in round ri: update "visited elsewhere"."""
        all_pos, all_T, all_D = self.pos, self.T, self.D
        for st, d in ((s_from, -1), (s_to, 1)):
            if st < 0:
                continue
            old = self.visits[p][st]
            new = old + d
            self.visits[p][st] = new
            w = self.uw[st]
            for rj in range(self.n_plan):
                if rj == ri:
                    continue
                g = self.stgrp[rj][st]
                if g < 0 or all_pos[rj][p] < 0:
                    continue
                own = 1 if all_pos[rj][p] == g else 0
                change = w * ((new - own >= 1) - (old - own >= 1))
                if change:
                    all_T[rj][p][g] += change  # type: ignore[index]
                    if own:
                        all_D[rj][p] += change

    def delta(self, ri: int, a: int, b: int) -> int:
        """Cost change of swapping a and b in planned round ri."""
        pos = self.pos[ri]
        ga, gb = pos[a], pos[b]
        bench = self.bench[ri]
        corr = 2 - (ga == bench) - (gb == bench)
        Tr, Dr = self.T[ri], self.D[ri]
        return (
            Tr[a][gb]  # type: ignore[index]
            + Tr[b][ga]  # type: ignore[index]
            - corr * self.inc[self.K[a][b]]
            - Dr[a]
            - Dr[b]
        )

    def trade_delta_estimate(self, u: int, v: int) -> int:
        """Sum of per-round swap deltas: exact unless u and v share acquaintances across rounds."""
        total = 0
        for ri in range(self.n_plan):
            pos = self.pos[ri]
            if pos[u] != pos[v]:
                total += self.delta(ri, u, v)
        return total

    def trade(self, u: int, v: int) -> int:
        """Swap the whole planned schedules of u and v (same presence); returns the cost change."""
        total = 0
        for ri in range(self.n_plan):
            pos = self.pos[ri]
            if pos[u] != pos[v]:
                total += self.delta(ri, u, v)
                self.swap(ri, u, v)
        self.cost += total
        return total

    def relabel(self, target: int, deadline: float) -> None:
        """Let people trade whole schedules while that helps."""
        # A construction is repeat-free whoever plays which point; trading schedules keeps that
        # and fixes what the construction ignores: colleagues, wishes, rounds already played.
        classes: dict[tuple[bool, ...], list[int]] = {}
        for p in range(self.prob.n_people):
            key = tuple(self.pos[ri][p] >= 0 for ri in range(self.n_plan))
            if any(key):
                classes.setdefault(key, []).append(p)
        improved = True
        while improved and self.cost > target:
            improved = False
            hot = sorted({p for _, p in self.candidates()})
            self.rng.shuffle(hot)
            for u in hot:
                if time.perf_counter() > deadline or self.cost <= target:
                    return
                key = tuple(self.pos[ri][u] >= 0 for ri in range(self.n_plan))
                mates = [v for v in classes[key] if v != u]
                scored = sorted((self.trade_delta_estimate(u, v), v) for v in mates)
                for estimate, v in scored[:4]:
                    if estimate >= 0:
                        break
                    if self.trade(u, v) < 0:
                        improved = True
                        break
                    self.trade(u, v)  # undo

    def assign_schedules(self) -> None:
        """Give people the schedules that suit their stations best (Hungarian method)."""
        # Among people present in the same rounds, who gets which schedule only matters for
        # what each person brings: stations met in played rounds and wished-for themes. That
        # part is linear, so an assignment solves it exactly; meetings are left to the search.
        if not self.prob.stations:
            return
        classes: dict[tuple[bool, ...], list[int]] = {}
        for p in range(self.prob.n_people):
            key = tuple(self.pos[ri][p] >= 0 for ri in range(self.n_plan))
            if any(key):
                classes.setdefault(key, []).append(p)
        before = self.cost
        old = self.snapshot()
        for people in classes.values():
            if len(people) < 2 or len(people) > 150:
                continue
            rounds = [ri for ri in range(self.n_plan) if self.pos[ri][people[0]] >= 0]
            stations = [[self.gst[ri][self.pos[ri][q]] for ri in rounds] for q in people]
            cost = []
            for p in people:
                row = []
                for sched in stations:
                    c = 0
                    for ri, st in zip(rounds, sched, strict=True):
                        if st < len(self.uw) - 1 and self.base_visits[p][st]:
                            c += self.uw[st]
                        pref = self.pref[ri].get(p)
                        if pref is not None and st < len(pref):
                            c += pref[st]
                    row.append(c)
                cost.append(row)
            assign = _hungarian(cost)
            for ri in rounds:
                old_groups = {q: self.pos[ri][q] for q in people}
                for i, p in enumerate(people):
                    self.pos[ri][p] = old_groups[people[assign[i]]]
                mem = [[] for _ in self.members[ri]]
                for q in self.present[ri]:
                    mem[self.pos[ri][q]].append(q)
                self.members[ri] = mem
        self.rebuild()
        if self.cost > before:
            self.restore(old)

    def snapshot(self) -> list[list[list[int]]]:
        """Copy of the groups of the planned rounds."""
        return [[g[:] for g in mem] for mem in self.members]

    def restore(self, groups: list[list[list[int]]]) -> None:
        """Load a snapshot and rebuild the caches."""
        self.members = [[g[:] for g in mem] for mem in groups]
        for ri, mem in enumerate(self.members):
            pos = [-1] * self.prob.n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    pos[p] = gi
            self.pos[ri] = pos
        self.rebuild()

    def candidates(self) -> list[tuple[int, int]]:
        """(round, person) worth moving: their group costs something or a wish is unmet."""
        out = []
        for ri in range(self.n_plan):
            if len(self.members[ri]) < 2:
                continue
            Dr = self.D[ri]
            pref = self.pref[ri]
            pos = self.pos[ri]
            gst = self.gst[ri]
            for p in self.present[ri]:
                if Dr[p] > 0:
                    out.append((ri, p))
                elif p in pref:
                    st = gst[pos[p]]
                    if st < 0 or st >= len(pref[p]) or pref[p][st] == 0:
                        out.append((ri, p))
        return out

    def chain(self, ri: int, a: int, u: int) -> list[tuple[int, int, int]]:
        """Swaps that move a to station u in round ri while everyone keeps distinct stations."""
        # a leaves t for u; a partner leaves u for t. Whoever gained a station they visit in
        # another planned round gives it up there for the station they left (a Kempe chain).
        t = self.pos[ri][a]
        used = {ri}
        swaps: list[tuple[int, int, int]] = []
        partner = self._partner(ri, a, u)
        if partner < 0:
            return swaps
        swaps.append((ri, a, partner))
        pending = [(a, u, t), (partner, t, u)]
        while pending and len(swaps) <= self.n_plan:
            p, gained, freed = pending.pop()
            other = [r for r in range(self.n_plan) if r not in used and self.pos[r][p] == gained]
            if not other:
                continue
            r = other[0]
            q = self._partner(r, p, freed)
            if q < 0:
                break
            used.add(r)
            swaps.append((r, p, q))
            pending.append((q, gained, freed))
        return swaps

    def _partner(self, r: int, p: int, g: int) -> int:
        """Member of group g in round r whose swap with p costs least (-1 if none)."""
        best, best_q = None, -1
        for q in self.members[r][g]:
            d = self.delta(r, p, q)
            if best is None or d < best:
                best, best_q = d, q
        return best_q

    def apply_swaps(self, swaps: list[tuple[int, int, int]]) -> int:
        """Apply swaps in order (exact cost change); applying them reversed undoes them."""
        total = 0
        for r, x, y in swaps:
            total += self.delta(r, x, y)
            self.swap(r, x, y)
        self.cost += total
        return total

    def run(self, target: int, deadline: float, work_budget: int) -> None:
        """Tabu search until the cost reaches `target`, the deadline or the work budget."""
        # The work budget (moves evaluated) makes the result depend on the seed only, as long as
        # the machine is fast enough to use it up before the deadline.
        rng = self.rng
        best_cost = self.cost
        best = self.snapshot()
        tabu = [[0] * self.prob.n_people for _ in range(self.n_plan)]
        it = 0
        stall = 0
        work_budget += self.work
        n_total = sum(len(p) for p in self.present)
        sample_size = max(8, min(40, 4000 // max(1, n_total // max(1, self.n_plan))))
        stall_limit = _STALL_BASE + _STALL_PER_SLOT * n_total
        inc = self.inc
        chains = self.prob.n_stations > 0 and all(b < 0 for b in self.bench)
        free_sizes = _free_sizes(self.prob)
        while self.cost > target and self.work < work_budget:
            it += 1
            if (it & 15) == 0 and time.perf_counter() > deadline:
                break
            cands = self.candidates()
            if not cands:
                break
            if len(cands) > sample_size:
                cands = rng.sample(cands, sample_size)
            best_d = None
            moves: list[tuple[int, int, int]] = []
            cost = self.cost
            for ri, a in cands:
                pos = self.pos[ri]
                mem = self.members[ri]
                ga = pos[a]
                bench = self.bench[ri]
                Tr, Dr = self.T[ri], self.D[ri]
                Ta = Tr[a]
                Ka = self.K[a]
                base = -Dr[a]
                tabu_r = tabu[ri]
                a_tabu = tabu_r[a] > it
                for gb, grp in enumerate(mem):
                    if gb == ga:
                        continue
                    corr = 2 - (ga == bench) - (gb == bench)
                    head = Ta[gb] + base  # type: ignore[index]
                    self.work += len(grp)
                    for b in grp:
                        d = head + Tr[b][ga] - corr * inc[Ka[b]] - Dr[b]  # type: ignore[index]
                        if best_d is not None and d > best_d:
                            continue
                        if (a_tabu or tabu_r[b] > it) and cost + d >= best_cost:
                            continue
                        if best_d is None or d < best_d:
                            best_d = d
                            moves = [(ri, a, b)]
                        else:
                            moves.append((ri, a, b))
            best_move: tuple[int, int, int] | None = None
            if free_sizes:
                # Moving someone from a larger to a smaller group keeps the sizes balanced
                # and changes which groups are the larger ones.
                for ri, a in cands:
                    if self.bench[ri] >= 0 or (tabu[ri][a] > it):
                        continue
                    mem = self.members[ri]
                    ga = self.pos[ri][a]
                    size = len(mem[ga]) - 1
                    Ta = self.T[ri][a]
                    own = self.D[ri][a]
                    for gb, grp in enumerate(mem):
                        if len(grp) == size:
                            d = Ta[gb] - own  # type: ignore[index]
                            if best_d is None or d < best_d:
                                best_d, best_move = d, (ri, a, gb)
            chosen: list[tuple[int, int, int]] | None = None
            if chains and (best_d is None or best_d >= 0):
                # With stations a plain swap mostly sends someone back to a station; chains
                # of swaps across rounds keep everyone's stations distinct.
                for ri, a in cands[:3]:
                    if tabu[ri][a] > it:
                        continue
                    for u in range(len(self.members[ri])):
                        if u == self.pos[ri][a]:
                            continue
                        swaps = self.chain(ri, a, u)
                        if len(swaps) < 2:
                            continue
                        d = self.apply_swaps(swaps)
                        self.apply_swaps(swaps[::-1])
                        if best_d is None or d < best_d:
                            best_d, chosen = d, swaps
            if chosen is not None:
                self.apply_swaps(chosen)
                touched = chosen
            elif best_move is not None:
                ri, a, gb = best_move
                self.move(ri, a, gb)
                self.cost += best_d or 0
                touched = [(ri, a, a)]
            elif moves:
                ri, a, b = moves[rng.randrange(len(moves))] if len(moves) > 1 else moves[0]
                self.swap(ri, a, b)
                self.cost += best_d or 0
                touched = [(ri, a, b)]
            else:
                stall += 1
                continue
            tenure = _TENURE_MIN + rng.randrange(_TENURE_SPREAD)
            for ri, a, b in touched:
                tabu[ri][a] = it + tenure
                tabu[ri][b] = it + tenure
            if self.cost < best_cost:
                best_cost = self.cost
                best = self.snapshot()
                stall = 0
            else:
                stall += 1
                if stall > stall_limit:
                    # Restart from the best plan with a few random swaps in troubled rounds.
                    self.restore(best)
                    for _ in range(2 + rng.randrange(4)):
                        cands = self.candidates() or [
                            (r, p) for r in range(self.n_plan) for p in self.present[r]
                        ]
                        ri, a = rng.choice(cands)
                        others = [p for p in self.present[ri] if self.pos[ri][p] != self.pos[ri][a]]
                        if others:
                            self.swap(ri, a, rng.choice(others))
                    self.cost = self.total_cost()
                    stall = 0
        if self.cost > best_cost:
            self.restore(best)


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def _greedy_plan(
    prob: _Problem, rng: random.Random, fixed: dict[int, tuple[list[list[int]], list[int]]]
) -> list[tuple[list[list[int]], list[int]]]:
    """Planned rounds: the given ones as they are, the others filled greedily in order."""
    n_people = prob.n_people
    n_st = prob.n_stations
    meet = [[0] * n_people for _ in range(n_people)]
    visits = [[0] * (n_st + 1) for _ in range(n_people)]
    bench_counts = [0] * n_people
    # Cost of one more meeting for a pair that met m times (as in the search's cost).
    step = [0] + [_W_REPEAT + _W_OVERLAP * m for m in range(1, len(prob.rounds) + 2)]
    colleague_cost = _W_COLLEAGUE if prob.avoid_org else 0
    prefs = _preference_costs(prob)

    def add_round(groups: list[list[int]], stations: list[int] | None, bench: list[int]) -> None:
        for gi, grp in enumerate(groups):
            for a in grp:
                if stations is not None:
                    visits[a][stations[gi]] += 1
                row = meet[a]
                for b in grp:
                    if b != a:
                        row[b] += 1
        for p in bench:
            bench_counts[p] += 1

    def add_meetings(groups: list[list[int]]) -> None:
        for grp in groups:
            for a in grp:
                row = meet[a]
                for b in grp:
                    if b != a:
                        row[b] += 1

    for rnd in prob.rounds[: prob.n_played]:
        add_round(rnd.played or [], rnd.played_stations, [])
    station_ids = list(range(n_st)) if n_st else None
    # Constructed rounds count as meetings from the start; station visits come in order.
    for groups, _ in fixed.values():
        add_meetings(groups)
    out = []
    orgs = prob.orgs
    for k, rnd in enumerate(prob.rounds[prob.n_played :]):
        if k in fixed:
            groups, bench = fixed[k][0], fixed[k][1]
            if n_st:
                groups = [g[:] for g in groups]
                _repair_revisits(groups, visits, rng)
            out.append((groups, bench))
            for gi, grp in enumerate(groups):
                for a in grp:
                    if n_st:
                        visits[a][gi] += 1
            for p in bench:
                bench_counts[p] += 1
            continue
        order = rnd.present[:]
        rng.shuffle(order)
        if n_st:
            # Who has few stations left to visit chooses first.
            order.sort(key=lambda p: sum(1 for v in visits[p][:n_st] if v == 0))
        bench_people: list[int] = []
        if rnd.bench:
            # Whoever sat out least so far sits out now.
            order.sort(key=lambda p: bench_counts[p])
            bench_people = order[: rnd.bench]
            order = order[rnd.bench :]
            rng.shuffle(order)
        groups: list[list[int]] = [[] for _ in rnd.sizes]
        pref_round = prefs[k]
        for p in order:
            row = meet[p]
            org = orgs[p]
            pref = pref_round.get(p)
            best, best_gs = None, []
            for gi, grp in enumerate(groups):
                if len(grp) >= rnd.sizes[gi]:
                    continue
                c = sum(step[row[y]] for y in grp)
                if colleague_cost and org is not None:
                    c += colleague_cost * sum(1 for y in grp if orgs[y] == org)
                if n_st:
                    c += _W_REVISIT * visits[p][gi] + (pref[gi] if pref else 0)
                if best is None or c < best:
                    best, best_gs = c, [gi]
                elif c == best:
                    best_gs.append(gi)
            groups[best_gs[rng.randrange(len(best_gs))]].append(p)
        if n_st:
            _repair_revisits(groups, visits, rng)
        out.append((groups, bench_people))
        add_round(groups, station_ids, bench_people)
    if n_st:
        _kempe_repair(prob, [groups for groups, _ in out], rng)
    return out


def _kempe_repair(prob: _Problem, planned: list[list[list[int]]], rng: random.Random) -> None:
    """Remove station revisits with chains of swaps between two stations t and u."""
    # p visits t twice and never visits u: in a planned round p moves from t to u and someone q
    # there moves to t; if q now visits t twice, q moves back to u in the round of its other
    # t-visit, and so on (a Kempe chain across rounds). Every step is a swap, so sizes stay.
    n_st = prob.n_stations
    n_people = prob.n_people
    visits = [[0] * n_st for _ in range(n_people)]
    played_visit = [[False] * n_st for _ in range(n_people)]
    for rnd in prob.rounds[: prob.n_played]:
        for grp, st in zip(rnd.played or [], rnd.played_stations or [], strict=False):
            for p in grp:
                visits[p][st] += 1
                played_visit[p][st] = True
    where = [[-1] * n_people for _ in planned]
    for r, groups in enumerate(planned):
        for st, grp in enumerate(groups):
            for p in grp:
                visits[p][st] += 1
                where[r][p] = st

    def t_rounds(q: int, t: int, skip: set[int]) -> list[int]:
        return [r for r in range(len(planned)) if where[r][q] == t and r not in skip]

    def chain(p: int, t: int, u: int) -> list[tuple[int, int, int]] | None:
        for r0 in t_rounds(p, t, set()):
            queue = [(r0, p, [])]
            used = {r0}
            while queue:
                r, mover, path = queue.pop(0)
                for q in planned[r][u]:
                    step = [*path, (r, mover, q)]
                    others = visits[q][t]
                    if others == 0:
                        return step
                    if others == 1 and not played_visit[q][t]:
                        nxt = t_rounds(q, t, used)
                        if nxt:
                            used.add(nxt[0])
                            queue.append((nxt[0], q, step))
        return None

    people = list(range(n_people))
    rng.shuffle(people)
    for p in people:
        for t in range(n_st):
            while visits[p][t] > 1 and any(where[r][p] == t for r in range(len(planned))):
                free = [u for u in range(n_st) if visits[p][u] == 0]
                rng.shuffle(free)
                found = None
                for u in free:
                    found = chain(p, t, u)
                    if found:
                        break
                if not found:
                    break
                for r, mover, q in found:
                    planned[r][t].remove(mover)
                    planned[r][u].append(mover)
                    planned[r][u].remove(q)
                    planned[r][t].append(q)
                    where[r][mover], where[r][q] = u, t
                    visits[mover][t] -= 1
                    visits[mover][u] += 1
                    visits[q][u] -= 1
                    visits[q][t] += 1


def _repair_revisits(groups: list[list[int]], visits: list[list[int]], rng: random.Random) -> None:
    """Move people round cycles of stations so nobody returns to a station visited before."""
    # Sizes stay as they are: p leaves s0 for a new station t1, someone there moves on to a
    # station new to them, and so on until someone takes p's place at s0 (breadth-first search).
    n_st = len(groups)
    bad = [(gi, p) for gi, grp in enumerate(groups) for p in grp if visits[p][gi]]
    rng.shuffle(bad)
    for s0, p in bad:
        if p not in groups[s0] or not visits[p][s0]:
            continue
        prev: dict[int, tuple[int, int]] = {}
        frontier = []
        for t in range(n_st):
            if t != s0 and not visits[p][t]:
                prev[t] = (s0, p)
                frontier.append(t)
        found = None
        while frontier and found is None:
            following = []
            for u in frontier:
                for q in groups[u]:
                    if not visits[q][s0]:
                        found = (u, q)
                        break
                    for v in range(n_st):
                        if v not in prev and v != s0 and not visits[q][v]:
                            prev[v] = (u, q)
                            following.append(v)
                if found is not None:
                    break
            frontier = following
        if found is None:
            continue
        moves = [(found[1], found[0], s0)]
        station = found[0]
        while True:
            origin, person = prev[station]
            moves.append((person, origin, station))
            if origin == s0:
                break
            station = origin
        for person, origin, target in moves:
            groups[origin].remove(person)
            groups[target].append(person)


def _free_sizes(prob: _Problem) -> bool:
    """Whether groups may trade sizes (no station has a capacity)."""
    return not prob.stations or all(st["capacity"] is None for st in prob.stations)


def _reshape(
    groups: list[list[int]], bench: list[int], rnd: _Round, free_sizes: bool
) -> tuple[list[list[int]], list[int]] | None:
    """Bring constructed groups to the people and sizes of a round, moving few people."""
    # Absentees are already out; newcomers are put where places are left. With `free_sizes`
    # (no station capacities) the larger sizes go to the groups that are larger already.
    if len(groups) != len(rnd.sizes):
        return None
    groups = [g[:] for g in groups]
    bench = bench[:]
    if free_sizes:
        order = sorted(range(len(groups)), key=lambda i: -len(groups[i]))
        targets = [0] * len(groups)
        for i, size in zip(order, sorted(rnd.sizes, reverse=True), strict=True):
            targets[i] = size
    else:
        targets = list(rnd.sizes)
    placed = {p for g in groups for p in g} | set(bench)
    pool: list[int] = [p for p in rnd.present if p not in placed]
    while len(bench) > rnd.bench:
        pool.append(bench.pop())
    for gi, grp in enumerate(groups):
        while len(grp) > targets[gi]:
            pool.append(grp.pop())
    while len(bench) < rnd.bench and pool:
        bench.append(pool.pop())
    for gi, grp in enumerate(groups):
        while len(grp) < targets[gi] and pool:
            grp.append(pool.pop())
    if pool or any(len(g) != t for g, t in zip(groups, targets, strict=True)):
        return None
    return groups, bench


def _construction_candidates(
    prob: _Problem, rng: random.Random
) -> list[tuple[str, dict[int, tuple[list[list[int]], list[int]]]]]:
    """Planned rounds from the immediate constructions: circle method, transversal designs."""
    people, sizes, bench = _construction_shape(prob)
    if not people:
        return []
    n, n_rounds = len(people), len(prob.rounds) - prob.n_played
    if bench or (prob.group_size == 2 and not prob.stations):
        plan, benches = _circle_rounds(n, n_rounds)
        return _mapped(prob, rng, "circle method", list(zip(plan, benches, strict=True)))
    td = _transversal_rounds(n, len(sizes), n_rounds, bool(prob.stations))
    if _free_sizes(prob):
        td = [r for r in td if sorted(len(g) for g in r) == sorted(sizes)]
    else:
        td = [r for r in td if [len(g) for g in r] == sizes]
    return _mapped(prob, rng, "transversal design", [(r, []) for r in td])


def _rotational_candidate(
    prob: _Problem, rng: random.Random, deadline: float
) -> list[tuple[str, dict[int, tuple[list[list[int]], list[int]]]]]:
    """Planned rounds from a 1-rotational design (a search, so only when still needed)."""
    people, sizes, bench = _construction_shape(prob)
    if not people or bench or prob.stations or len(set(sizes)) != 1:
        return []
    n_rounds = len(prob.rounds) - prob.n_played
    rounds = _rotational_rounds(len(people), sizes, n_rounds, rng, deadline)
    if rounds is None:
        return []
    return _mapped(prob, rng, "1-rotational design", [(r, []) for r in rounds])


def _construction_shape(prob: _Problem) -> tuple[list[int], list[int], int]:
    """Everyone who takes part in the planned rounds, and the round shape for all of them."""
    planned = prob.rounds[prob.n_played :]
    if not _USE_CONSTRUCTIONS or not planned:
        return [], [], 0
    people = sorted({p for r in planned for p in r.present})
    if len(people) < 2:
        return [], [], 0
    played = prob.rounds[prob.n_played - 1].played if prob.n_played else None
    sizes, bench = _shape(
        len(people), prob.group_size, prob.stations, 0, len(played) if played else None
    )
    return people, sizes, bench


def _mapped(
    prob: _Problem,
    rng: random.Random,
    name: str,
    rounds: list[tuple[list[list[int]], list[int]]],
) -> list[tuple[str, dict[int, tuple[list[list[int]], list[int]]]]]:
    """Put people on the points of a construction; absentees out, groups evened again."""
    # Rounds whose shape no longer matches are left to the greedy start.
    planned = prob.rounds[prob.n_played :]
    people = sorted({p for r in planned for p in r.present})
    order = people[:]
    if prob.n_played or len(people) < prob.n_people:
        rng.shuffle(order)
    free_sizes = _free_sizes(prob)
    fixed = {}
    for k, (groups, bench_points) in enumerate(rounds):
        rnd = planned[k]
        present = set(rnd.present)
        mapped = [[order[i] for i in g if order[i] in present] for g in groups]
        mapped_bench = [order[i] for i in bench_points if order[i] in present]
        shaped = _reshape(mapped, mapped_bench, rnd, free_sizes)
        if shaped is not None:
            fixed[k] = shaped
    return [(name, fixed)] if fixed else []


def _previous_rounds(
    prob: _Problem, previous: Any
) -> tuple[list[list[dict[str, Any]]], list[list[Any]]] | None:
    """Rounds and benches of a plan the caller kept (`previous`), or None if it is unusable."""
    # A caller that stored the plan the played rounds came from (the web application) hands it
    # back: re-planning then never depends on reproducing that plan. Ids no longer known are
    # dropped; a plan of another shape is simply not used.
    if not isinstance(previous, dict) or not isinstance(previous.get("rounds"), list):
        return None
    known = {_id_key(pid) for pid in prob.ids}
    station_keys = [_id_key(st["id"]) for st in prob.stations or []]
    rounds: list[list[dict[str, Any]]] = []
    for rnd in previous["rounds"]:
        if not isinstance(rnd, list):
            return None
        groups = []
        for group in rnd:
            if not isinstance(group, dict) or not isinstance(group.get("members"), list):
                return None
            station = group.get("station")
            if station_keys and (station is None or _id_key(station) not in station_keys):
                return None
            members = [
                m
                for m in group["members"]
                if (_is_int(m) or isinstance(m, str)) and _id_key(m) in known
            ]
            groups.append({"station": station, "members": members})
        if station_keys:
            by_key = {_id_key(g["station"]): g for g in groups}
            if len(by_key) != len(groups):
                return None
            groups = [by_key.get(k, {"station": k, "members": []}) for k in station_keys]
        rounds.append(groups)
    benches = previous.get("sitting_out")
    if not isinstance(benches, list) or len(benches) != len(rounds):
        benches = [[] for _ in rounds]
    benches = [
        [m for m in b if (_is_int(m) or isinstance(m, str)) and _id_key(m) in known]
        if isinstance(b, list)
        else []
        for b in benches
    ]
    return rounds, benches


def _continuation_seed(
    prob: _Problem, inst: dict[str, Any], time_limit: float, previous: Any = None
) -> dict[int, tuple[list[list[int]], list[int]]]:
    """Later rounds of the plan the played rounds came from, if this planner made them."""
    # Re-planning mid-event usually follows a plan of this planner for the people of the played
    # rounds; when re-planning that instance reproduces the played rounds, its remaining rounds
    # (leavers taken out, newcomers put in) are a far better start than a fresh construction.
    played = inst["played"]
    kept = _previous_rounds(prob, previous) if previous is not None else None
    if kept is not None:
        return _continue_from(prob, played, kept[0], kept[1])
    in_played = {_id_key(m) for rnd in played for g in rnd for m in g["members"]}
    original = [
        {k: v for k, v in p.items() if k != "absent_rounds"}
        for p in inst["participants"]
        if _id_key(p["id"]) in in_played
    ]
    if len(original) < 2:
        return {}
    try:
        again = _plan(
            {
                "participants": original,
                "rounds": inst["rounds"],
                "group_size": inst["group_size"],
                "stations": inst["stations"],
                "avoid_same_organisation": inst["avoid_same_organisation"],
                "seed": inst["seed"],
                "time_limit_s": time_limit,
            },
            full_search=False,
        )
    except RotationInputError:
        return {}
    return _continue_from(prob, played, again["rounds"], again["sitting_out"])


def _continue_from(
    prob: _Problem,
    played: list[list[dict[str, Any]]],
    rounds: list[list[dict[str, Any]]],
    benches: list[list[Any]],
) -> dict[int, tuple[list[list[int]], list[int]]]:
    """The later rounds of `rounds` fitted to the people now present, if it began as `played`."""

    def shape(rnd: list[dict[str, Any]]) -> set[tuple[str, frozenset[str]]]:
        return {
            (_id_key(g.get("station")), frozenset(_id_key(m) for m in g["members"]))
            for g in rnd
            if g["members"]
        }

    if len(rounds) < len(played) or any(
        shape(a) != shape(b) for a, b in zip(rounds, played, strict=False)
    ):
        return {}
    index = {_id_key(pid): i for i, pid in enumerate(prob.ids)}
    fixed = {}
    for k, rnd in enumerate(prob.rounds[prob.n_played :]):
        r = prob.n_played + k
        if r >= len(rounds):
            break
        groups = [[index[_id_key(m)] for m in g["members"]] for g in rounds[r]]
        bench = [index[_id_key(m)] for m in benches[r]]
        present = set(rnd.present)
        groups = [[p for p in g if p in present] for g in groups]
        bench = [p for p in bench if p in present]
        shaped = _reshape(groups, bench, rnd, _free_sizes(prob))
        if shaped is not None:
            fixed[k] = shaped
    return fixed


def _to_output(prob: _Problem, plan: list[list[list[int]]]) -> list[list[dict[str, Any]]]:
    """Rounds in the output format (members in participant order)."""
    out = []
    for rnd in plan:
        groups = []
        for gi, members in enumerate(rnd):
            group: dict[str, Any] = {}
            if prob.stations:
                group["station"] = prob.stations[gi]["id"]
            group["group"] = gi + 1
            group["members"] = [prob.ids[p] for p in sorted(members)]
            groups.append(group)
        out.append(groups)
    return out


def _full_plan(
    prob: _Problem, planned: list[tuple[list[list[int]], list[int]]]
) -> tuple[list[list[list[int]]], list[list[int]]]:
    """Played and planned rounds as groups by group index (station index with stations)."""
    plan: list[list[list[int]]] = []
    benches: list[list[int]] = []
    for rnd in prob.rounds[: prob.n_played]:
        played = rnd.played or []
        if prob.stations and rnd.played_stations is not None:
            groups: list[list[int]] = [[] for _ in range(prob.n_stations)]
            for st, grp in zip(rnd.played_stations, played, strict=True):
                groups[st] = list(grp)
            plan.append(groups)
        else:
            plan.append([list(g) for g in played])
        benches.append([])
    for groups, bench in planned:
        plan.append([list(g) for g in groups])
        benches.append(list(bench))
    return plan, benches


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of rows to columns (square matrix); returns column per row."""
    n = len(cost)
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    match = [0] * (n + 1)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [math.inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = match[j0]
            delta, j1 = math.inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, n + 1):
        if match[j]:
            result[match[j] - 1] = j - 1
    return result


def _deal(people: list[int], n_groups: int, prob: _Problem, rng: random.Random) -> list[list[int]]:
    """Deal people into balanced groups; colleagues are dealt in a row so they spread out."""
    order = people[:]
    rng.shuffle(order)
    if prob.avoid_org:
        counts = Counter(prob.orgs[p] for p in order)
        order.sort(key=lambda p: (prob.orgs[p] is None, -counts[prob.orgs[p]], str(prob.orgs[p])))
    groups: list[list[int]] = [[] for _ in range(n_groups)]
    for i, p in enumerate(order):
        groups[i % n_groups].append(p)
    return groups


def _plan_keep_groups(
    prob: _Problem, rng: random.Random
) -> list[tuple[list[list[int]], list[int]]]:
    """Groups formed once (or taken from the last played round) that rotate through stations."""
    planned_rounds = prob.rounds[prob.n_played :]
    everyone = sorted({p for r in planned_rounds for p in r.present})
    n_st = prob.n_stations
    if prob.n_played:
        last = prob.rounds[prob.n_played - 1]
        last_groups = last.played or []
        if n_st and last.played_stations is not None:
            fixed: list[list[int]] = [[] for _ in range(n_st)]
            for st, grp in zip(last.played_stations, last_groups, strict=True):
                fixed[st] = [p for p in grp if p in everyone]
        else:
            fixed = [[p for p in grp if p in everyone] for grp in last_groups]
        known = {p for g in fixed for p in g}
        for p in everyone:
            if p in known:
                continue
            # Newcomers join the smallest group, preferring one without colleagues.
            gi = min(
                range(len(fixed)),
                key=lambda i: (
                    len(fixed[i]),
                    sum(
                        1
                        for x in fixed[i]
                        if prob.orgs[x] is not None and prob.orgs[x] == prob.orgs[p]
                    ),
                    i,
                ),
            )
            fixed[gi].append(p)
    else:
        n_groups = n_st or _group_count(len(everyone), prob.group_size or 2)
        fixed = _deal(everyone, n_groups, prob, rng)
    visits = [[0] * max(1, n_st) for _ in range(prob.n_people)]
    for rnd in prob.rounds[: prob.n_played]:
        if rnd.played_stations is not None and rnd.played is not None:
            for st, grp in zip(rnd.played_stations, rnd.played, strict=True):
                for p in grp:
                    visits[p][st] += 1
    prefs = _preference_costs(prob)
    out = []
    for k, rnd in enumerate(planned_rounds):
        present = set(rnd.present)
        groups = [[p for p in g if p in present] for g in fixed]
        if not n_st:
            out.append((groups, []))
            continue
        cost = []
        for grp in groups:
            row = []
            for st in range(n_st):
                c = float(_W_REVISIT * sum(visits[p][st] for p in grp))
                c += sum(prefs[k][p][st] for p in grp if p in prefs[k])
                capacity = prob.stations[st]["capacity"] if prob.stations else None
                if capacity is not None and len(grp) > capacity:
                    c += _W_REVISIT * len(prob.rounds) * len(grp)
                row.append(c)
            cost.append(row)
        assign = _hungarian(cost)
        by_station: list[list[int]] = [[] for _ in range(n_st)]
        for gi, st in enumerate(assign):
            by_station[st] = groups[gi]
            for p in groups[gi]:
                visits[p][st] += 1
        out.append((by_station, []))
    return out


def _rng(seed: int, phase: str) -> random.Random:
    """Random numbers of one phase: phases do not shift each other's draws."""
    return random.Random(f"{seed}:{phase}")  # noqa: S311 - planning, not cryptography


def _best_seed(
    prob: _Problem,
    rng: random.Random,
    candidates: list[tuple[str, dict[int, tuple[list[list[int]], list[int]]]]],
    target: int,
    deadline: float,
) -> tuple[_Search, str]:
    """The cheapest start among constructions (fitted to the people) and plain greedy."""
    best: tuple[_Search, str] | None = None
    for name, fixed in candidates:
        search = _Search(prob, _greedy_plan(prob, rng, fixed), rng)
        goal = target - search.max_preference_reward()
        if fixed and search.cost > goal:
            # Fit people to the construction's schedules: stations, wishes, colleagues.
            before = search.cost
            search.assign_schedules()
            search.relabel(goal, deadline)
            if search.cost < before:
                name += " + relabelling"
        if best is None or search.cost < best[0].cost:
            best = (search, name)
        if search.cost <= goal:
            break  # nothing can beat a start that reaches every bound
    if best is None:
        return _Search(prob, _greedy_plan(prob, rng, {}), rng), "greedy"
    return best


def _count_td_rounds(
    candidates: list[tuple[str, dict[int, tuple[list[list[int]], list[int]]]]],
) -> int:
    """Rounds the immediate constructions already cover."""
    return max((len(fixed) for _, fixed in candidates), default=0)


def plan_rotation(instance: Any, *, previous: Any = None) -> dict[str, Any]:
    """Validate an instance and return its plan: rounds, metrics (with lower bounds), warnings.

    `previous` (optional, not part of the JSON format) is an earlier output of this function
    whose first rounds are the instance's `played` rounds: its later rounds, fitted to who is
    present now, are the first start the search tries when re-planning.
    """
    return _plan(instance, full_search=True, previous=previous)


def _plan(instance: Any, full_search: bool, previous: Any = None) -> dict[str, Any]:
    """Plan an instance; without `full_search` only constructions and short searches run."""
    started = time.perf_counter()
    inst = validate_instance(instance)
    deadline = started + inst["time_limit_s"] * 0.97
    rng = _rng(inst["seed"], "start")
    prob = _build_problem(inst)
    warnings = list(prob.warnings)
    n_st = prob.n_stations
    no_revisit = bool(n_st) and not prob.keep_groups and len(prob.rounds) <= n_st
    method = "keep groups"
    if prob.keep_groups:
        planned = _plan_keep_groups(prob, rng)
        for rnd, (groups, _) in zip(prob.rounds[prob.n_played :], planned, strict=True):
            rnd.sizes = sorted((len(g) for g in groups), reverse=True)
        bounds = _lower_bounds(prob, no_revisit)
        if not prob.n_played and all(len(r.present) == prob.n_people for r in prob.rounds):
            # Balanced fixed groups are the best fixed groups: every pair in one meets each round.
            sizes = prob.rounds[0].sizes
            exact = sum(_c2(x) for x in sizes) * (len(prob.rounds) - 1)
            bounds["repeat_encounters"] = max(bounds["repeat_encounters"], exact)
            bounds["pair_overlap"] = max(
                bounds["pair_overlap"], sum(_c2(x) for x in sizes) * _c2(len(prob.rounds))
            )
    else:
        bounds = _lower_bounds(prob, no_revisit)
        target = (
            _W_REPEAT * bounds["repeat_encounters"]
            + _W_OVERLAP * bounds["pair_overlap"]
            + _W_REVISIT * bounds["station_revisits"]
            + (_W_COLLEAGUE * bounds["same_organisation_pairs"] if prob.avoid_org else 0)
        )
        budget = inst["time_limit_s"]
        work = int(_WORK_PER_SECOND * budget)
        candidates = _construction_candidates(prob, rng)
        if prob.n_played:
            continuation = _continuation_seed(prob, inst, budget, previous)
            if continuation:
                candidates.insert(0, ("continuation of the original plan", continuation))
        fit_until = started + 0.6 * budget
        search, method = _best_seed(
            prob, _rng(inst["seed"], "search"), [*candidates, ("greedy", {})], target, fit_until
        )
        base_target = target
        target -= search.max_preference_reward()
        if search.cost > target:
            # A short search first: easy instances need no more.
            search.run(target, deadline, _QUICK_WORK)
            method += " + tabu search"
        if (
            search.cost > target
            and bounds["repeat_encounters"] == 0
            and not prob.n_played
            and _count_td_rounds(candidates) < len(prob.rounds)
        ):
            rotational = _rotational_candidate(
                prob, _rng(inst["seed"], "rotational"), started + 0.4 * budget
            )
            if rotational:
                other, name = _best_seed(
                    prob, _rng(inst["seed"], "search"), rotational, base_target, fit_until
                )
                if other.cost < search.cost:
                    search, method = other, name
        if search.cost > target and full_search:
            search.run(target, deadline, work)
            if " + tabu search" not in method:
                method += " + tabu search"
        planned = []
        for ri, mem in enumerate(search.members):
            b = search.bench[ri]
            groups = [g for gi, g in enumerate(mem) if gi != b]
            planned.append((groups, mem[b] if b >= 0 else []))
    plan, benches = _full_plan(prob, planned)
    metrics = plan_metrics(prob, plan)
    if metrics["station_revisits"] > 0 and no_revisit:
        # The stronger overlap bound assumes nobody revisits a station; this plan does.
        bounds = _lower_bounds(prob, False)
    result_metrics = {
        "repeat_encounters": metrics["repeat_encounters"],
        "pair_overlap": metrics["pair_overlap"],
        "lower_bound_repeat_encounters": bounds["repeat_encounters"],
        "lower_bound_pair_overlap": bounds["pair_overlap"],
        "max_meetings_per_pair": metrics["max_meetings_per_pair"],
        "station_revisits": metrics["station_revisits"],
        "lower_bound_station_revisits": bounds["station_revisits"],
        "preferences_met": metrics["preferences_met"],
        "same_organisation_pairs": metrics["same_organisation_pairs"],
        "lower_bound_same_organisation_pairs": bounds["same_organisation_pairs"],
        "optimal": metrics["repeat_encounters"] <= bounds["repeat_encounters"],
        "method": method,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return {
        "rounds": _to_output(prob, plan),
        "sitting_out": [[prob.ids[p] for p in sorted(b)] for b in benches],
        "metrics": result_metrics,
        "warnings": warnings,
    }
