"""Re-planning after rounds already played: the rest of the original plan as a start."""

from __future__ import annotations

from typing import Any

from eventsys.planner.candidates import _reshape
from eventsys.planner.instance import _id_key, _is_int
from eventsys.planner.problem import _free_sizes, _Problem


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
