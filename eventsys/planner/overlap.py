"""Pair overlap of tables visited at most once, searched through the tables' crossing counts.

With everyone present at s people per table and each table visited at most once, how often two
rounds r and r' bring a pair together again depends only on the crossing counts
N[r][r'][t][u] (how many people sit at table t in round r and at table u in round r'):
pairs meeting in both rounds = sum over t, u of C(N, 2). So the pair overlap of a plan is the
sum of C(N, 2) over every two rounds and every two different tables, and a move that changes
one person's tables changes only the N of that person's own cells: O(rounds) work, not
O(rounds * table size) as with who-met-whom counts.

The format's bound (each table's s people spread over the other tables of any other round) is
met exactly when every two rounds cross every two different tables at least once, with s
people per table: N >= 1 off the diagonal.

Fewer rounds than tables: each person's row of tables is completed into a visit of every
table by "phantom" rounds that nobody attends (their crossings count for nothing). Swapping a
real round with a phantom one then sends a person to a table they had not visited yet, which
the moves between real rounds alone cannot do.

Move (as in `tables`): for two rounds r, r2, people p1 .. pk whose tables form a cycle
(p1 sits at a in r and b in r2, p2 at b in r and c in r2, ..., pk at z in r and a in r2) each
exchange their tables of r and r2. Rows stay permutations (nobody revisits a table) and every
table keeps its s people in every round.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from eventsys.planner.problem import _c2, _Problem

# Moves tried per second of time limit (about 40,000 a second here on one idle core for 6 tables
# of 6). The budget, not the clock, ends a run, so the same seed gives the same plan; the clock
# is only a safety net on a busy machine.
_MOVES_PER_SECOND = 25_000
_START_TEMPERATURE = 0.7
_END_TEMPERATURE = 0.03
_CYCLE_LENGTH = 5


def applies(prob: _Problem) -> bool:
    """g stations, s people at each in every round, everyone present, nothing played, no
    wishes or colleague rule (only mixing counts), at most one visit per station."""
    if not prob.stations or prob.keep_groups or prob.n_played or prob.avoid_org:
        return False
    n_st = prob.n_stations
    if len(prob.rounds) < 2 or len(prob.rounds) > n_st or n_st < 3:
        return False
    if any(prob.themes) and any(st.get("theme") for st in prob.stations):
        return False
    if prob.n_people % n_st:
        return False
    s = prob.n_people // n_st
    return all(
        r.bench == 0 and len(r.present) == prob.n_people and r.sizes == [s] * n_st
        for r in prob.rounds
    )


def complete_rows(plan: list[list[list[int]]], n_people: int, n_tables: int) -> list[list[int]]:
    """Each person's tables by round, completed with phantom rounds into a visit of every table.

    `plan` is rounds of groups by table, everyone at one table per round, s at each table, no
    table visited twice. The phantom rounds also hold s people per table: a regular bipartite
    graph (people, table seats) has a perfect matching, so one always exists (König).
    """
    rows = [[-1] * len(plan) for _ in range(n_people)]
    for r, rnd in enumerate(plan):
        for t, grp in enumerate(rnd):
            for p in grp:
                rows[p][r] = t
    size = n_people // n_tables
    for _ in range(n_tables - len(plan)):
        seats, people = [], []
        for p in range(n_people):
            free = set(range(n_tables)) - set(rows[p])
            for t in sorted(free):
                for k in range(size):
                    people.append(p)
                    seats.append(t * size + k)
        graph = csr_matrix(
            (np.ones(len(people), dtype=np.int8), (people, seats)),
            shape=(n_people, n_tables * size),
        )
        match = maximum_bipartite_matching(graph, perm_type="column")
        for p in range(n_people):
            rows[p].append(int(match[p]) // size)
    return rows


class Crossings:
    """Rows of tables (people x rounds, phantom rounds last) with the crossing counts N."""

    def __init__(self, rows: list[list[int]], n_real: int, n_tables: int) -> None:
        self.rows = [row[:] for row in rows]
        self.n_real = n_real
        self.n_rounds = n_rounds = len(rows[0])
        g = n_tables
        self.n = [[[0] * (g * g) for _ in range(n_rounds)] for _ in range(n_rounds)]
        self.seated: list[list[list[int]]] = [[[] for _ in range(g)] for _ in range(n_rounds)]
        self.g = g
        for p, row in enumerate(self.rows):
            for r in range(n_rounds):
                self.seated[r][row[r]].append(p)
                for x in range(n_rounds):
                    if x != r:
                        self.n[r][x][row[r] * g + row[x]] += 1
        self.cost = sum(
            _c2(v) for r in range(n_real) for x in range(r + 1, n_real) for v in self.n[r][x]
        )

    def set_table(self, p: int, r: int, new: int) -> int:
        """Seat p at table `new` in round r (rows only; `seated` is the caller's); the change."""
        row = self.rows[p]
        old = row[r]
        g = self.g
        d = 0
        real = r < self.n_real
        n_r = self.n[r]
        for x in range(self.n_rounds):
            if x == r:
                continue
            v = row[x]
            a, b = n_r[x], self.n[x][r]
            if real and x < self.n_real:
                d += a[new * g + v] - a[old * g + v] + 1
            a[old * g + v] -= 1
            a[new * g + v] += 1
            b[v * g + old] -= 1
            b[v * g + new] += 1
        row[r] = new
        return d

    def cycle(self, rng: random.Random, r: int, r2: int, p: int) -> list[int] | None:
        """People from p whose tables in rounds r and r2 close a cycle, or None."""
        rows = self.rows
        home, cur = rows[p][r], rows[p][r2]
        people = [p]
        while cur != home:
            if len(people) >= _CYCLE_LENGTH:
                return None
            q = rng.choice(self.seated[r][cur])
            if q in people:
                return None
            people.append(q)
            cur = rows[q][r2]
        return people

    def exchange(self, people: list[int], r: int, r2: int) -> int:
        """Everyone in `people` exchanges their tables of rounds r and r2; the change of cost."""
        d = 0
        for q in people:
            a, b = self.rows[q][r], self.rows[q][r2]
            d += self.set_table(q, r, b) + self.set_table(q, r2, a)
        return d

    def reseat(self, people: list[int], r: int, r2: int) -> None:
        """Keep `seated` in step after an accepted exchange."""
        for q in people:
            a, b = self.rows[q][r], self.rows[q][r2]  # already exchanged
            self.seated[r][b].remove(q)
            self.seated[r][a].append(q)
            self.seated[r2][a].remove(q)
            self.seated[r2][b].append(q)


def anneal(
    plan: list[list[list[int]]],
    n_people: int,
    n_tables: int,
    rng: random.Random,
    time_limit: float,
    deadline: float,
    target: int = 0,
) -> tuple[list[list[list[int]]], int, int]:
    """A plan with less pair overlap (rounds of groups by table), with the overlap before and
    after. Stops at `target` (the lower bound)."""
    state = Crossings(complete_rows(plan, n_people, n_tables), len(plan), n_tables)
    start = best = state.cost
    best_rows = [row[: len(plan)] for row in state.rows]
    budget = max(1, int(_MOVES_PER_SECOND * time_limit))
    n_rounds = state.n_rounds
    for it in range(budget):
        if best <= target or (it & 255 == 0 and time.perf_counter() > deadline):
            break
        r, r2 = rng.sample(range(n_rounds), 2)
        if r >= len(plan) and r2 >= len(plan):
            continue
        people = state.cycle(rng, r, r2, rng.randrange(n_people))
        if people is None:
            continue
        d = state.exchange(people, r, r2)
        temperature = _START_TEMPERATURE * (1 - it / budget) + _END_TEMPERATURE
        if d <= 0 or rng.random() < math.exp(-d / temperature):
            state.reseat(people, r, r2)
            state.cost += d
            if state.cost < best:
                best = state.cost
                best_rows = [row[: len(plan)] for row in state.rows]
        else:
            state.exchange(people, r, r2)
    out: list[list[list[int]]] = [[[] for _ in range(n_tables)] for _ in plan]
    for p, row in enumerate(best_rows):
        for r, t in enumerate(row):
            out[r][t].append(p)
    return out, start, best
