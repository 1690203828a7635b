"""Ranked theme wishes: the exact assignment first, then better mixing at the same wish value.

People rank themes of stations; `preferences_met` counts, per person ranking k themes, the share
of those k met in their first k rounds. When wishes decide which themes people see at all (fewer
rounds than stations, and people rank as many themes as they attend rounds), wishes come first:

1. The assignment of people to stations round by round (each person at one station a round, each
   station at its group size, nobody at a station twice) that meets the most wishes is an integer
   program, solved exactly with HiGHS through `scipy.optimize.milp` (scipy is maintained, already
   used by the planner, and HiGHS proves optimality, so the wish value it returns is an upper
   bound for every plan, the mixing goal left aside). Starting one's first choice in one's first
   round only breaks ties between assignments with as many wishes met.
2. A local search then lowers repeats, pair overlap and colleague pairs with moves that never
   lower the wish value: two people of one round trade stations, or people whose stations in two
   rounds form a cycle swap those two stations (see `tables`).
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from eventsys.planner.problem import _Problem
from eventsys.planner.tables import Meetings, accept

# Local-search moves per second of time limit (budget, not clock: a seed gives one plan).
_MOVES_PER_SECOND = 40_000
_START_TEMPERATURE = 4.0


def wanted_themes(prob: _Problem, p: int) -> list[str]:
    """The themes p ranks that some station offers, in p's order."""
    known = {st["theme"] for st in prob.stations or [] if st["theme"]}
    return [t for t in prob.themes[p] if t in known]


def applies(prob: _Problem) -> bool:
    """Whether the exact assignment describes this instance (stations with distinct themes, wishes,
    nothing played yet, nobody forced to revisit a station)."""
    if not prob.stations or prob.keep_groups or prob.n_played:
        return False
    themes = [st["theme"] for st in prob.stations if st["theme"]]
    if len(themes) != len(set(themes)) or len(prob.rounds) > prob.n_stations:
        return False
    return any(wanted_themes(prob, p) for p in range(prob.n_people))


def wins_over_mixing(prob: _Problem) -> bool:
    """Wishes come before mixing when they decide which themes people see at all.

    That is when nobody can see every theme (fewer rounds than stations) and everyone with wishes
    ranks at least as many themes as they attend rounds. When people attend more rounds than they
    rank themes, a wish is only about being early, and mixing comes first (as before).
    """
    if len(prob.rounds) >= prob.n_stations:
        return False
    for p in range(prob.n_people):
        wanted = wanted_themes(prob, p)
        attended = sum(1 for rnd in prob.rounds if p in rnd.present)
        if wanted and len(wanted) < attended:
            return False
    return True


class Weights:
    """Integer value of person p at station t in round r: wishes, then first choice first."""

    def __init__(self, prob: _Problem) -> None:
        n_st = prob.n_stations
        themes = [st["theme"] for st in prob.stations or []]
        self.slots: list[int] = []  # k per person with wishes
        per_person = []
        for p in range(prob.n_people):
            wanted = wanted_themes(prob, p)
            attended = [r for r, rnd in enumerate(prob.rounds) if p in rnd.present]
            k = min(len(wanted), len(attended))
            per_person.append((wanted, attended, k))
            if k:
                self.slots.append(k)
        self.scale = math.lcm(*self.slots) if self.slots else 1
        # A wish is worth more than every first-choice bonus together.
        self.unit = prob.n_people + 1
        self.w = [[[0] * n_st for _ in range(prob.n_people)] for _ in prob.rounds]
        for p, (wanted, attended, k) in enumerate(per_person):
            if not k:
                continue
            top = set(wanted[:k])
            for j, r in enumerate(attended[:k]):
                for t, theme in enumerate(themes):
                    if theme in top:
                        self.w[r][p][t] = self.unit * (self.scale // k)
                    if j == 0 and theme == wanted[0]:
                        self.w[r][p][t] += 1

    def share(self, value: int) -> float:
        """`preferences_met` of a plan whose weighted value is `value`."""
        if not self.slots:
            return 1.0
        return (value // self.unit) / (self.scale * len(self.slots))

    def of(self, plan: list[list[list[int]]]) -> int:
        """Weighted value of a plan (rounds of groups by station)."""
        return sum(
            self.w[r][p][t] for r, rnd in enumerate(plan) for t, g in enumerate(rnd) for p in g
        )


def assign(
    prob: _Problem, weights: Weights, time_limit: float
) -> tuple[list[list[list[int]]] | None, float, bool]:
    """The assignment meeting the most wishes, the upper bound of `preferences_met`, and whether
    the solver proved it optimal. No plan (None) when the solver found none in time."""
    n_st = prob.n_stations
    index: dict[tuple[int, int, int], int] = {}
    for r, rnd in enumerate(prob.rounds):
        for p in rnd.present:
            for t in range(n_st):
                index[r, p, t] = len(index)
    n = len(index)
    rows, cols = [], []
    lower, upper = [], []

    def constraint(variables: list[int], lo: float, hi: float) -> None:
        row = len(lower)
        rows.extend([row] * len(variables))
        cols.extend(variables)
        lower.append(lo)
        upper.append(hi)

    for r, rnd in enumerate(prob.rounds):
        for p in rnd.present:
            constraint([index[r, p, t] for t in range(n_st)], 1, 1)
        for t in range(n_st):
            size = rnd.sizes[t]
            constraint([index[r, p, t] for p in rnd.present], size, size)
    for p in range(prob.n_people):
        for t in range(n_st):
            visits = [index[r, p, t] for r in range(len(prob.rounds)) if (r, p, t) in index]
            if len(visits) > 1:
                constraint(visits, 0, 1)
    matrix = coo_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(lower), n)).tocsr()
    cost = np.zeros(n)
    for (r, p, t), i in index.items():
        cost[i] = -weights.w[r][p][t]
    result = milp(
        c=cost,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.1, time_limit), "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return None, 1.0, False
    plan: list[list[list[int]]] = [[[] for _ in range(n_st)] for _ in prob.rounds]
    for (r, p, t), i in index.items():
        if result.x[i] > 0.5:
            plan[r][t].append(p)
    proven = result.status == 0
    best = weights.of(plan)
    bound = best if proven else int(math.floor(-float(result.mip_dual_bound) + 1e-6))
    return plan, weights.share(max(best, bound)), proven


def improve_mixing(
    prob: _Problem,
    plan: list[list[list[int]]],
    weights: Weights,
    rng: random.Random,
    time_limit: float,
    deadline: float,
) -> list[list[list[int]]]:
    """A plan with lower mixing cost and at least the same weighted wish value."""
    state = Meetings(plan, prob.n_people, prob.orgs if prob.avoid_org else None)
    w = weights.w
    best, best_plan = state.cost, state.snapshot()
    n_rounds = len(plan)
    budget = max(1, int(_MOVES_PER_SECOND * time_limit))
    for it in range(budget):
        if best == 0 or (it & 255 == 0 and time.perf_counter() > deadline):
            break
        temperature = _START_TEMPERATURE * (1 - it / budget) + 0.05
        r = rng.randrange(n_rounds)
        present = prob.rounds[r].present
        p, q = rng.choice(present), rng.choice(present)
        where = state.where
        t, u = where[p][r], where[q][r]
        if t == u:
            continue
        if it % 3 == 2 and n_rounds > 1:
            r2 = rng.randrange(n_rounds - 1)
            r2 += r2 >= r
            people = state.cycle(rng, r, r2, p)
            if people is None:
                continue
            gain = sum(
                w[r][x][where[x][r2]]
                + w[r2][x][where[x][r]]
                - w[r][x][where[x][r]]
                - w[r2][x][where[x][r2]]
                for x in people
            )
            if gain < 0:
                continue
            d = state.swap_tables(people, r, r2)
            if accept(d, temperature, rng):
                if state.cost < best:
                    best, best_plan = state.cost, state.snapshot()
            else:
                state.swap_tables(people[::-1], r, r2)
            continue
        if w[r][p][u] + w[r][q][t] < w[r][p][t] + w[r][q][u]:
            continue
        if any(where[p][x] == u or where[q][x] == t for x in range(n_rounds) if x != r):
            continue  # someone would revisit a station
        d = state.relocate(p, r, t, u) + state.relocate(q, r, u, t)
        if accept(d, temperature, rng):
            if state.cost < best:
                best, best_plan = state.cost, state.snapshot()
        else:
            state.relocate(q, r, t, u)
            state.relocate(p, r, u, t)
    return best_plan
