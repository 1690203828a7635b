"""Known constructions: transversal designs over GF(q), the circle method, 1-rotational designs."""

from __future__ import annotations

import itertools
import random
import time

from eventsys.planner.costs import _ROTATIONAL_WORK
from eventsys.planner.fields import _prime_power, _Ring
from eventsys.planner.problem import _c2


def _transversal_rounds(
    n_people: int, n_groups: int, n_rounds: int, with_stations: bool, twins: bool = False
) -> list[list[list[int]]]:
    """Repeat-free rounds from a transversal design x + r*y over GF(q) or a MacNeish product."""
    # People are points (x, y) with x in the ring and y in a set Y of t = ceil(N/q) elements; a
    # shortfall is taken from one column, whose people never meet, so sizes stay within one.
    # With stations, Y holds units only, so everyone visits a different station every round.
    # `twins` (stations, q a prime power, more columns than units): the extra columns repeat
    # units, so their people shadow a twin through every round. For q tables of q people this
    # meets both lower bounds: each pair of rounds shares exactly one pair per table (the
    # pair-overlap bound q * C(R, 2)) and the q twin pairs carry all q * (R - 1) repeats.
    q = n_groups
    t = -(-n_people // q)
    shortfall = q * t - n_people
    if q < 2 or t < 1:
        return []
    ring = _Ring(q)
    ys = ring.units() if with_stations else ring.elements
    if twins and with_stations and len(ring.fields) == 1 and len(ys) < t <= 2 * len(ys):
        ys = ys + ys[: t - len(ys)]
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


def _punctured_rounds(n_people: int, n_stations: int, n_rounds: int) -> list[list[list[int]]]:
    """g tables of g people when g + 1 is a prime: the design over GF(g + 1) minus a table and a round.

    Over GF(q), q = g + 1, the q(q - 1) people (k, c), c != 0, sit at table k + c*x in round x:
    nobody meets twice and everyone visits every table. Removing table 0 and round 0 drops the
    g people who sat there in round 0 and leaves g * g people; each still meets table 0 once in
    the other rounds, and goes instead to the one table they would otherwise never visit. Every
    table keeps g people a round (q prime), nobody revisits a table, and every repeat comes from
    the one move each person makes: a start for the search where no design exists (g = 6, 10, 12).
    """
    g = n_stations
    q = g + 1
    if n_people != g * g or not 2 <= n_rounds <= g or _prime_power(q) != (q, 1):
        return []
    schedules = []
    for c in range(1, q):
        for k in range(q):
            if k == 0:
                continue  # at table 0 in round 0: left out
            visits = [(k + c * x) % q for x in range(1, q)]
            missing = (set(range(1, q)) - set(visits)).pop()
            schedules.append([(missing if t == 0 else t) - 1 for t in visits])
    return _rounds_from_schedules(schedules, g, n_rounds)


def _rounds_from_schedules(
    schedules: list[list[int]] | list[tuple[int, ...]], n_tables: int, n_rounds: int
) -> list[list[list[int]]]:
    """Rounds of groups by table from each person's table in every round."""
    rounds = []
    for x in range(n_rounds):
        groups: list[list[int]] = [[] for _ in range(n_tables)]
        for person, visits in enumerate(schedules):
            groups[visits[x]].append(person)
        rounds.append(groups)
    return rounds
