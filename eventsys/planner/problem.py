"""The planner's index model: people 0..P-1, rounds with their group sizes, stations 0..S-1."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from eventsys.planner.instance import RotationInputError, _id_key


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


def _free_sizes(prob: _Problem) -> bool:
    """Whether groups may trade sizes (no station has a capacity)."""
    return not prob.stations or all(st["capacity"] is None for st in prob.stations)
