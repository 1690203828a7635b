"""Planning an instance: constructions first, then search; the plan with its metrics and bounds."""

from __future__ import annotations

import random
import time
from typing import Any

from eventsys.planner import overlap, tables, wishes
from eventsys.planner.bounds import _lower_bounds, plan_metrics
from eventsys.planner.candidates import _construction_candidates, _rotational_candidate
from eventsys.planner.costs import (
    _QUICK_WORK,
    _W_COLLEAGUE,
    _W_OVERLAP,
    _W_REPEAT,
    _W_REVISIT,
    _WORK_PER_SECOND,
)
from eventsys.planner.greedy import _greedy_plan, _plan_keep_groups
from eventsys.planner.instance import RotationInputError, _id_key, validate_instance
from eventsys.planner.problem import _build_problem, _c2, _Problem
from eventsys.planner.replan import _continue_from, _previous_rounds
from eventsys.planner.search import _Search


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
    wish_bound = 1.0
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
        wish_first = None
        if wishes.applies(prob):
            weights = wishes.Weights(prob)
            wish_first = _wishes_first(prob, inst, weights, started, deadline, full_search)
            wish_bound = wish_first[2]
        if wish_first is not None and wish_first[0] is not None:
            planned, method = wish_first[0], wish_first[1]
        else:
            planned, method = _searched(
                prob, inst, bounds, started, deadline, previous, full_search
            )
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
        "optimal_pair_overlap": metrics["pair_overlap"] <= bounds["pair_overlap"],
        "upper_bound_preferences_met": round(max(wish_bound, metrics["preferences_met"]), 4),
        "bound_met": _bound_met(metrics, bounds),
        "method": method,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return {
        "rounds": _to_output(prob, plan),
        "sitting_out": [[prob.ids[p] for p in sorted(b)] for b in benches],
        "metrics": result_metrics,
        "warnings": warnings,
    }


def _searched(
    prob: _Problem,
    inst: dict[str, Any],
    bounds: dict[str, int],
    started: float,
    deadline: float,
    previous: Any,
    full_search: bool,
) -> tuple[list[tuple[list[list[int]], list[int]]], str]:
    """Constructions first, then tabu search (and annealing where no design exists)."""
    rng = _rng(inst["seed"], "start")
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
    crossings = overlap.applies(prob)
    if search.cost > target and full_search:
        # Where annealing follows (tables without a design), it gets the later part of the time.
        until = deadline
        if crossings:
            until, work = started + 0.25 * budget, work // 4
        elif tables.applies(prob):
            until = started + 0.5 * budget
        search.run(target, until, work)
        if " + tabu search" not in method:
            method += " + tabu search"
    planned = []
    for ri, mem in enumerate(search.members):
        b = search.bench[ri]
        groups = [g for gi, g in enumerate(mem) if gi != b]
        planned.append((groups, mem[b] if b >= 0 else []))
    if search.cost > target and full_search and crossings:
        plan = _full_plan(prob, planned)[0]
        annealed, before, after = overlap.anneal(
            plan,
            prob.n_people,
            prob.n_stations,
            _rng(inst["seed"], "crossings"),
            0.7 * budget,
            deadline,
            bounds["pair_overlap"],
        )
        if after < plan_metrics(prob, plan)["pair_overlap"]:
            planned = [(groups, []) for groups in annealed]
            method += " + crossing-count annealing"
    elif search.cost > target and full_search and tables.applies(prob):
        annealed, before, after = tables.anneal(
            _full_plan(prob, planned)[0],
            prob.n_people,
            _rng(inst["seed"], "tables"),
            0.7 * budget,
            deadline,
            first=prob.n_played,
            orgs=prob.orgs if prob.avoid_org else None,
        )
        if after < before:
            planned = [(groups, []) for groups in annealed[prob.n_played :]]
            method += " + annealing"
    return planned, method


def _wishes_first(
    prob: _Problem,
    inst: dict[str, Any],
    weights: wishes.Weights,
    started: float,
    deadline: float,
    full_search: bool,
) -> tuple[list[tuple[list[list[int]], list[int]]] | None, str, float]:
    """Exact wish assignment then mixing (when wishes come first), and the upper bound of wishes."""
    budget = inst["time_limit_s"]
    first = wishes.wins_over_mixing(prob) and full_search
    assigned, bound, proven = wishes.assign(prob, weights, (0.3 if first else 0.1) * budget)
    if not first or assigned is None:
        return None, "", bound
    mixed = wishes.improve_mixing(
        prob, assigned, weights, _rng(inst["seed"], "wishes"), 0.5 * budget, deadline
    )
    solver = "exact wish assignment" + (" (proven optimal)" if proven else "")
    return [(groups, []) for groups in mixed], solver + " + mixing search", bound


def _bound_met(metrics: dict[str, Any], bounds: dict[str, int]) -> str:
    """Which lower bound the plan reaches: both, one of them, or none (then it is not proven)."""
    repeats = metrics["repeat_encounters"] <= bounds["repeat_encounters"]
    overlap = metrics["pair_overlap"] <= bounds["pair_overlap"]
    if repeats and overlap:
        return "both"
    if repeats:
        return "repeat_encounters"
    return "pair_overlap" if overlap else "none"
