"""g tables of g people with everyone visiting each table once, developed under the affine group.

Rounds and tables are both the points of the projective line GF(q) + {inf}, q = g - 1. A person
is a permutation s of those points: in round x they sit at table s(x), so nobody visits a table
twice. The affine maps t(x) = a*x + b (a != 0, inf fixed) act on people by conjugation,
s -> t s t^-1 (relabel rounds and tables alike). A few base permutations, each developed into
its orbit, give the g * g people; because the plan is invariant under the group, every cell of
a round pair is as good as its orbit's representative, so the plan can be checked (and was
found) orbit by orbit.

The bases below were found by an integer program over the orbits (HiGHS, through scipy), with
the constraint that every two rounds r, r' cross every two different tables t, u at least once:
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
    field = _Field(q)
    maps = [
        tuple([field.add(field.mul(a, x), b) for x in range(q)] + [q])
        for a in range(1, q)
        for b in range(q)
    ]
    people: list[tuple[int, ...]] = []
    for base in bases:
        orbit = set()
        for t in maps:
            image = [0] * g
            for x in range(g):
                image[t[x]] = t[base[x]]
            orbit.add(tuple(image))
        people.extend(sorted(orbit))
    return people


def orbit_rounds(n_people: int, n_stations: int, n_rounds: int) -> list[list[list[int]]]:
    """Rounds of groups by table for g tables of g people, or [] where no bases are known."""
    g = n_stations
    if n_people != g * g or not 1 <= n_rounds <= g:
        return []
    people = orbit_people(g)
    if len(people) != g * g:
        return []
    return _rounds_from_schedules(people, g, n_rounds)
