"""Constructions fitted to the people of an instance: absentees out, newcomers in, sizes evened."""

from __future__ import annotations

import random

from eventsys.planner.constructions import (
    _circle_rounds,
    _punctured_rounds,
    _rotational_rounds,
    _transversal_rounds,
)
from eventsys.planner.orbits import orbit_rounds
from eventsys.planner.problem import _free_sizes, _Problem, _Round, _shape

# Benchmarks and tests switch constructions off to measure the search on its own.
_USE_CONSTRUCTIONS = True


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
    name = "transversal design"
    td = _transversal_rounds(n, len(sizes), n_rounds, bool(prob.stations))
    if not td and prob.stations:
        td = _transversal_rounds(n, len(sizes), n_rounds, True, twins=True)
        name = "transversal design with twins"
    if not td and prob.stations:
        td = orbit_rounds(n, len(sizes), n_rounds)
        name = "affine orbit design"
    if not td and prob.stations:
        td = _punctured_rounds(n, len(sizes), n_rounds)
        name = "punctured transversal design"
    if _free_sizes(prob):
        td = [r for r in td if sorted(len(g) for g in r) == sorted(sizes)]
    else:
        td = [r for r in td if [len(g) for g in r] == sizes]
    return _mapped(prob, rng, name, [(r, []) for r in td])


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
