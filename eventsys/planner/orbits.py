"""g tables of g people with everyone visiting each table once, developed under the affine group.

Rounds and tables are both the points of the projective line GF(q) + {inf}, q = g - 1. A person
is a permutation s of those points: in round x they sit at table s(x), so nobody visits a table
twice. The affine maps t(x) = a*x + b (a != 0, inf fixed) act on people by conjugation,
s -> t s t^-1 (relabel rounds and tables alike). A few base permutations, each developed into
its orbit, give the g * g people; because the plan is invariant under the group, every cell of
a round pair is as good as its orbit's representative, so the plan can be checked (and was
found) orbit by orbit.

The bases below were found by `solve`, an integer program over the orbits (HiGHS, through
scipy; `benchmarks/rotation_orbits.py` runs it offline), with the constraint that every two
rounds r, r' cross every two different tables t, u at least once:
then each table's g people spread over all g - 1 other tables of any other round, one table
taking two of them, and the pair overlap meets the lower bound g * C(R, 2) exactly (for any R
of the g rounds, since the bound holds round pair by round pair). Tests rebuild the plan and
check every rule and that count independently.

g = 6 (q = 5): no pair of orthogonal Latin squares of order 6 exists (Euler's 36 officers), so
no transversal design gives these tables; this plan still reaches the overlap bound: 90 over six
rounds, 60 over five. The bases: the identity, x -> 2x and x -> 3x with 0 and inf exchanged,
x -> 4x (= -x), and one permutation with trivial stabiliser (orbit of 20): 1 + 5 + 5 + 5 + 20.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from eventsys.planner.constructions import _rounds_from_schedules
from eventsys.planner.fields import _Field

# Base permutations by number of tables g, as images of the points 0, 1, ..., q-1, inf (= q).
_BASES: dict[int, list[tuple[int, ...]]] = {
    6: [
        (0, 1, 2, 3, 4, 5),
        (5, 2, 4, 1, 3, 0),
        (5, 3, 1, 4, 2, 0),
        (0, 4, 3, 2, 1, 5),
        (5, 4, 0, 3, 2, 1),
    ],
}


def orbit_people(g: int) -> list[tuple[int, ...]]:
    """The g * g permutations (people) developed from the bases of g, or [] if none is known."""
    bases = _BASES.get(g)
    if not bases:
        return []
    q = g - 1
    maps = group(q)
    people: list[tuple[int, ...]] = []
    for base in bases:
        people.extend(sorted(conjugates(base, maps)))
    return people


def conjugates(perm: tuple[int, ...], maps: list[tuple[int, ...]]) -> set[tuple[int, ...]]:
    """The orbit of a person under the maps: t s t^-1 (rounds and tables relabelled alike)."""
    orbit = set()
    for t in maps:
        image = [0] * len(perm)
        for x, y in enumerate(perm):
            image[t[x]] = t[y]
        orbit.add(tuple(image))
    return orbit


def orbit_rounds(n_people: int, n_stations: int, n_rounds: int) -> list[list[list[int]]]:
    """Rounds of groups by table for g tables of g people, or [] where no bases are known."""
    g = n_stations
    if n_people != g * g or not 1 <= n_rounds <= g:
        return []
    people = orbit_people(g)
    if len(people) != g * g:
        return []
    return _rounds_from_schedules(people, g, n_rounds)


def group(q: int, projective: bool = False) -> list[tuple[int, ...]]:
    """The maps of the group, as images of 0 .. q (q = inf)."""
    f = _Field(q)
    inverse = {x: next(y for y in range(1, q) if f.mul(x, y) == 1) for x in range(1, q)}
    minus_one = next(y for y in range(q) if f.add(1, y) == 0)
    maps = set()
    for a, b, c, d in itertools.product(range(q), repeat=4):
        if not projective and (c != 0 or d != 1):
            continue
        if f.add(f.mul(a, d), f.mul(minus_one, f.mul(b, c))) == 0:
            continue
        image = []
        for x in range(q + 1):
            if x == q:
                image.append(q if c == 0 else f.mul(a, inverse[c]))
                continue
            num, den = f.add(f.mul(a, x), b), f.add(f.mul(c, x), d)
            image.append(q if den == 0 else f.mul(num, inverse[den]))
        maps.add(tuple(image))
    return sorted(maps)


def orbits(g: int, maps: list[tuple[int, ...]]) -> list[tuple[tuple[int, ...], int]]:
    """A representative and the size of every conjugation orbit of the permutations of g points."""
    fact = [math.factorial(i) for i in range(g + 1)]

    def rank(p: tuple[int, ...]) -> int:
        r, used = 0, [False] * g
        for i, x in enumerate(p):
            r += sum(1 for y in range(x) if not used[y]) * fact[g - 1 - i]
            used[x] = True
        return r

    seen = np.zeros(fact[g], dtype=bool)
    out = []
    for p in itertools.permutations(range(g)):
        if seen[rank(p)]:
            continue
        orbit = conjugates(p, maps)
        for member in orbit:
            seen[rank(member)] = True
        out.append((p, len(orbit)))
    return out


def solve(g: int, maps: list[tuple[int, ...]], time_limit: float) -> list[tuple[int, ...]] | None:
    """Bases of a design meeting the overlap bound, or None (infeasible or out of time)."""
    reps = orbits(g, maps)
    cells: dict[tuple[int, ...], int] = {}
    for key in itertools.product(range(g), repeat=4):
        a, b, t, u = key
        if a != b and t != u and key not in cells:
            n = len(set(cells.values()))
            for m in maps:
                cells[m[a], m[b], m[t], m[u]] = n
    seats: dict[tuple[int, int], int] = {}
    for key in itertools.product(range(g), repeat=2):
        if key not in seats:
            n = len(set(seats.values()))
            for m in maps:
                seats[m[key[0]], m[key[1]]] = n
    n_cells, n_seats = len(set(cells.values())), len(set(seats.values()))
    cell_size = np.bincount(list(cells.values()), minlength=n_cells)
    seat_size = np.bincount(list(seats.values()), minlength=n_seats)
    rows, cols, vals = [], [], []
    for j, (s, size) in enumerate(reps):
        count: dict[int, int] = {}
        for a, b in itertools.permutations(range(g), 2):
            k = cells[a, b, s[a], s[b]]
            count[k] = count.get(k, 0) + 1
        for r in range(g):
            k = n_cells + seats[r, s[r]]
            count[k] = count.get(k, 0) + 1
        for k, v in count.items():
            rows.append(k)
            cols.append(j)
            vals.append(v * size)
    matrix = coo_matrix((vals, (rows, cols)), shape=(n_cells + n_seats, len(reps))).tocsr()
    # Summed over an orbit of cells (all of its cells alike): 1 or 2 crossings each, g per seat.
    low = np.concatenate([cell_size, seat_size * g])
    high = np.concatenate([2 * cell_size, seat_size * g])
    res = milp(
        np.zeros(len(reps)),
        constraints=[LinearConstraint(matrix, low, high)],
        integrality=np.ones(len(reps)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    if res.x is None:
        return None
    return [reps[j][0] for j in range(len(reps)) if res.x[j] > 0.5]
