"""Tables without a design: everyone visits each table once, and no construction is known.

For g tables of g people over up to g rounds, a transversal design exists only when g is a
prime power (with twins, see `constructions`); for g = 6 or 10 none does (6: Euler's officers).
Plans are then improved by simulated annealing over moves that keep every rule: for two rounds,
people whose tables in those rounds form a cycle t1 -> t2 -> ... -> t1 swap their two tables.
Each person keeps the same set of tables (so nobody revisits a table) and each table keeps its
group size; only who meets whom changes. The cost is the search's: repeats, then pair overlap.
"""

from __future__ import annotations

import math
import random
import time

from eventsys.planner.costs import _W_COLLEAGUE, _W_OVERLAP, _W_REPEAT
from eventsys.planner.problem import _c2, _Problem

# Moves tried per second of time limit (about 15,000 a second here for 6 tables of 6); the budget,
# not the clock, ends a run, so a seed gives the same plan; the clock is only a safety net.
_MOVES_PER_SECOND = 12_000
_START_TEMPERATURE = 3.0
_CYCLE_LENGTH = 4


def applies(prob: _Problem) -> bool:
    """Whether the annealing may improve a plan: stations visited at most once, no wishes.

    Rounds already played stay as they are; only the rounds to plan are changed.
    """
    if not prob.stations or prob.keep_groups:
        return False
    if len(prob.rounds) - prob.n_played < 2 or len(prob.rounds) > prob.n_stations:
        return False
    if any(st.get("theme") and any(prob.themes) for st in prob.stations):
        return False
    return all(r.bench == 0 for r in prob.rounds)


class Meetings:
    """Groups of every round (by table) with who met whom, and the search's cost of the pairs."""

    def __init__(
        self, plan: list[list[list[int]]], n_people: int, orgs: list[str | None] | None = None
    ) -> None:
        n_rounds = len(plan)
        self.members = [[list(g) for g in rnd] for rnd in plan]
        self.where = [[-1] * n_rounds for _ in range(n_people)]
        for r, rnd in enumerate(self.members):
            for t, grp in enumerate(rnd):
                for p in grp:
                    self.where[p][r] = t
        self.meet = [[0] * n_people for _ in range(n_people)]
        for rnd in self.members:
            for grp in rnd:
                for a in grp:
                    row = self.meet[a]
                    for b in grp:
                        if b != a:
                            row[b] += 1
        self.cost_of = [
            _W_REPEAT * max(0, m - 1) + _W_OVERLAP * _c2(m) for m in range(n_rounds + 2)
        ]
        self.orgs = orgs
        self.cost = sum(
            self.pair_cost(a, b) for a in range(n_people) for b in range(a + 1, n_people)
        )

    def pair_cost(self, a: int, b: int) -> int:
        """Cost of one pair as it stands."""
        m = self.meet[a][b]
        same = self.orgs is not None and self.orgs[a] is not None and self.orgs[a] == self.orgs[b]
        return self.cost_of[m] + (_W_COLLEAGUE * m if same else 0)

    def relocate(self, p: int, r: int, t: int, u: int) -> int:
        """Move p from table t to table u in round r; the change of cost."""
        d = 0
        row = self.meet[p]
        cost_of = self.cost_of
        orgs = self.orgs
        org = orgs[p] if orgs is not None else None
        grp = self.members[r][t]
        grp.remove(p)
        for q in grp:
            m = row[q]
            d += cost_of[m - 1] - cost_of[m] - (_W_COLLEAGUE if org and orgs[q] == org else 0)
            row[q] = self.meet[q][p] = m - 1
        grp = self.members[r][u]
        for q in grp:
            m = row[q]
            d += cost_of[m + 1] - cost_of[m] + (_W_COLLEAGUE if org and orgs[q] == org else 0)
            row[q] = self.meet[q][p] = m + 1
        grp.append(p)
        self.where[p][r] = u
        self.cost += d
        return d

    def swap_tables(self, cycle: list[int], r: int, r2: int) -> int:
        """Everyone in `cycle` swaps their tables of rounds r and r2; the change of cost."""
        d = 0
        for q in cycle:
            a, b = self.where[q][r], self.where[q][r2]
            d += self.relocate(q, r, a, b) + self.relocate(q, r2, b, a)
        return d

    def cycle(self, rng: random.Random, r: int, r2: int, p: int) -> list[int] | None:
        """People from p whose tables in rounds r and r2 form a cycle, or None."""
        home, cur = self.where[p][r], self.where[p][r2]
        if home < 0 or cur < 0:
            return None
        people, seen = [p], {home}
        while cur != home and cur not in seen and len(people) < _CYCLE_LENGTH:
            seen.add(cur)
            q = rng.choice(self.members[r][cur])
            cur = self.where[q][r2]
            if cur < 0:
                return None
            people.append(q)
        return people if cur == home else None

    def snapshot(self) -> list[list[list[int]]]:
        """A copy of the groups."""
        return [[g[:] for g in rnd] for rnd in self.members]


def accept(d: int, temperature: float, rng: random.Random) -> bool:
    """Metropolis rule: always downhill, uphill with probability exp(-d / T)."""
    return d <= 0 or rng.random() < math.exp(-d / temperature)


def anneal(
    plan: list[list[list[int]]],
    n_people: int,
    rng: random.Random,
    time_limit: float,
    deadline: float,
    first: int = 0,
    orgs: list[str | None] | None = None,
) -> tuple[list[list[list[int]]], int, int]:
    """An improved plan (rounds of groups by table), with the cost before and after; rounds
    before `first` (already played) count but do not change."""
    state = Meetings(plan, n_people, orgs)
    start = best = state.cost
    best_plan = state.snapshot()
    budget = max(1, int(_MOVES_PER_SECOND * time_limit))
    rounds = list(range(first, len(plan)))
    for it in range(budget):
        if it & 255 == 0 and time.perf_counter() > deadline:
            break
        r, r2 = rng.sample(rounds, 2)
        people = state.cycle(rng, r, r2, rng.randrange(n_people))
        if people is None:
            continue
        d = state.swap_tables(people, r, r2)
        if accept(d, _START_TEMPERATURE * (1 - it / budget) + 0.05, rng):
            if state.cost < best:
                best = state.cost
                best_plan = state.snapshot()
        else:
            state.swap_tables(people[::-1], r, r2)
    return best_plan, start, best
