"""Starting plans: greedy rounds, station-revisit repairs, groups kept together."""

from __future__ import annotations

import random
from collections import Counter

from eventsys.planner.assignment import min_cost_assignment
from eventsys.planner.costs import _W_COLLEAGUE, _W_OVERLAP, _W_REPEAT, _W_REVISIT
from eventsys.planner.problem import _group_count, _Problem
from eventsys.planner.state import _preference_costs


def _greedy_plan(
    prob: _Problem, rng: random.Random, fixed: dict[int, tuple[list[list[int]], list[int]]]
) -> list[tuple[list[list[int]], list[int]]]:
    """Planned rounds: the given ones as they are, the others filled greedily in order."""
    n_people = prob.n_people
    n_st = prob.n_stations
    meet = [[0] * n_people for _ in range(n_people)]
    visits = [[0] * (n_st + 1) for _ in range(n_people)]
    bench_counts = [0] * n_people
    # Cost of one more meeting for a pair that met m times (as in the search's cost).
    step = [0] + [_W_REPEAT + _W_OVERLAP * m for m in range(1, len(prob.rounds) + 2)]
    colleague_cost = _W_COLLEAGUE if prob.avoid_org else 0
    prefs = _preference_costs(prob)

    def add_round(groups: list[list[int]], stations: list[int] | None, bench: list[int]) -> None:
        for gi, grp in enumerate(groups):
            for a in grp:
                if stations is not None:
                    visits[a][stations[gi]] += 1
                row = meet[a]
                for b in grp:
                    if b != a:
                        row[b] += 1
        for p in bench:
            bench_counts[p] += 1

    def add_meetings(groups: list[list[int]]) -> None:
        for grp in groups:
            for a in grp:
                row = meet[a]
                for b in grp:
                    if b != a:
                        row[b] += 1

    for rnd in prob.rounds[: prob.n_played]:
        add_round(rnd.played or [], rnd.played_stations, [])
    station_ids = list(range(n_st)) if n_st else None
    # Constructed rounds count as meetings from the start; station visits come in order.
    for groups, _ in fixed.values():
        add_meetings(groups)
    out = []
    orgs = prob.orgs
    for k, rnd in enumerate(prob.rounds[prob.n_played :]):
        if k in fixed:
            groups, bench = fixed[k][0], fixed[k][1]
            if n_st:
                groups = [g[:] for g in groups]
                _repair_revisits(groups, visits, rng)
            out.append((groups, bench))
            for gi, grp in enumerate(groups):
                for a in grp:
                    if n_st:
                        visits[a][gi] += 1
            for p in bench:
                bench_counts[p] += 1
            continue
        order = rnd.present[:]
        rng.shuffle(order)
        if n_st:
            # Who has few stations left to visit chooses first.
            order.sort(key=lambda p: sum(1 for v in visits[p][:n_st] if v == 0))
        bench_people: list[int] = []
        if rnd.bench:
            # Whoever sat out least so far sits out now.
            order.sort(key=lambda p: bench_counts[p])
            bench_people = order[: rnd.bench]
            order = order[rnd.bench :]
            rng.shuffle(order)
        groups: list[list[int]] = [[] for _ in rnd.sizes]
        pref_round = prefs[k]
        for p in order:
            row = meet[p]
            org = orgs[p]
            pref = pref_round.get(p)
            best, best_gs = None, []
            for gi, grp in enumerate(groups):
                if len(grp) >= rnd.sizes[gi]:
                    continue
                c = sum(step[row[y]] for y in grp)
                if colleague_cost and org is not None:
                    c += colleague_cost * sum(1 for y in grp if orgs[y] == org)
                if n_st:
                    c += _W_REVISIT * visits[p][gi] + (pref[gi] if pref else 0)
                if best is None or c < best:
                    best, best_gs = c, [gi]
                elif c == best:
                    best_gs.append(gi)
            groups[best_gs[rng.randrange(len(best_gs))]].append(p)
        if n_st:
            _repair_revisits(groups, visits, rng)
        out.append((groups, bench_people))
        add_round(groups, station_ids, bench_people)
    if n_st:
        _kempe_repair(prob, [groups for groups, _ in out], rng)
    return out


def _kempe_repair(prob: _Problem, planned: list[list[list[int]]], rng: random.Random) -> None:
    """Remove station revisits with chains of swaps between two stations t and u."""
    # p visits t twice and never visits u: in a planned round p moves from t to u and someone q
    # there moves to t; if q now visits t twice, q moves back to u in the round of its other
    # t-visit, and so on (a Kempe chain across rounds). Every step is a swap, so sizes stay.
    n_st = prob.n_stations
    n_people = prob.n_people
    visits = [[0] * n_st for _ in range(n_people)]
    played_visit = [[False] * n_st for _ in range(n_people)]
    for rnd in prob.rounds[: prob.n_played]:
        for grp, st in zip(rnd.played or [], rnd.played_stations or [], strict=False):
            for p in grp:
                visits[p][st] += 1
                played_visit[p][st] = True
    where = [[-1] * n_people for _ in planned]
    for r, groups in enumerate(planned):
        for st, grp in enumerate(groups):
            for p in grp:
                visits[p][st] += 1
                where[r][p] = st

    def t_rounds(q: int, t: int, skip: set[int]) -> list[int]:
        return [r for r in range(len(planned)) if where[r][q] == t and r not in skip]

    def chain(p: int, t: int, u: int) -> list[tuple[int, int, int]] | None:
        for r0 in t_rounds(p, t, set()):
            queue = [(r0, p, [])]
            used = {r0}
            while queue:
                r, mover, path = queue.pop(0)
                for q in planned[r][u]:
                    step = [*path, (r, mover, q)]
                    others = visits[q][t]
                    if others == 0:
                        return step
                    if others == 1 and not played_visit[q][t]:
                        nxt = t_rounds(q, t, used)
                        if nxt:
                            used.add(nxt[0])
                            queue.append((nxt[0], q, step))
        return None

    people = list(range(n_people))
    rng.shuffle(people)
    for p in people:
        for t in range(n_st):
            while visits[p][t] > 1 and any(where[r][p] == t for r in range(len(planned))):
                free = [u for u in range(n_st) if visits[p][u] == 0]
                rng.shuffle(free)
                found = None
                for u in free:
                    found = chain(p, t, u)
                    if found:
                        break
                if not found:
                    break
                for r, mover, q in found:
                    planned[r][t].remove(mover)
                    planned[r][u].append(mover)
                    planned[r][u].remove(q)
                    planned[r][t].append(q)
                    where[r][mover], where[r][q] = u, t
                    visits[mover][t] -= 1
                    visits[mover][u] += 1
                    visits[q][u] -= 1
                    visits[q][t] += 1


def _repair_revisits(groups: list[list[int]], visits: list[list[int]], rng: random.Random) -> None:
    """Move people round cycles of stations so nobody returns to a station visited before."""
    # Sizes stay as they are: p leaves s0 for a new station t1, someone there moves on to a
    # station new to them, and so on until someone takes p's place at s0 (breadth-first search).
    n_st = len(groups)
    bad = [(gi, p) for gi, grp in enumerate(groups) for p in grp if visits[p][gi]]
    rng.shuffle(bad)
    for s0, p in bad:
        if p not in groups[s0] or not visits[p][s0]:
            continue
        prev: dict[int, tuple[int, int]] = {}
        frontier = []
        for t in range(n_st):
            if t != s0 and not visits[p][t]:
                prev[t] = (s0, p)
                frontier.append(t)
        found = None
        while frontier and found is None:
            following = []
            for u in frontier:
                for q in groups[u]:
                    if not visits[q][s0]:
                        found = (u, q)
                        break
                    for v in range(n_st):
                        if v not in prev and v != s0 and not visits[q][v]:
                            prev[v] = (u, q)
                            following.append(v)
                if found is not None:
                    break
            frontier = following
        if found is None:
            continue
        moves = [(found[1], found[0], s0)]
        station = found[0]
        while True:
            origin, person = prev[station]
            moves.append((person, origin, station))
            if origin == s0:
                break
            station = origin
        for person, origin, target in moves:
            groups[origin].remove(person)
            groups[target].append(person)


def _deal(people: list[int], n_groups: int, prob: _Problem, rng: random.Random) -> list[list[int]]:
    """Deal people into balanced groups; colleagues are dealt in a row so they spread out."""
    order = people[:]
    rng.shuffle(order)
    if prob.avoid_org:
        counts = Counter(prob.orgs[p] for p in order)
        order.sort(key=lambda p: (prob.orgs[p] is None, -counts[prob.orgs[p]], str(prob.orgs[p])))
    groups: list[list[int]] = [[] for _ in range(n_groups)]
    for i, p in enumerate(order):
        groups[i % n_groups].append(p)
    return groups


def _plan_keep_groups(
    prob: _Problem, rng: random.Random
) -> list[tuple[list[list[int]], list[int]]]:
    """Groups formed once (or taken from the last played round) that rotate through stations."""
    planned_rounds = prob.rounds[prob.n_played :]
    everyone = sorted({p for r in planned_rounds for p in r.present})
    n_st = prob.n_stations
    if prob.n_played:
        last = prob.rounds[prob.n_played - 1]
        last_groups = last.played or []
        if n_st and last.played_stations is not None:
            fixed: list[list[int]] = [[] for _ in range(n_st)]
            for st, grp in zip(last.played_stations, last_groups, strict=True):
                fixed[st] = [p for p in grp if p in everyone]
        else:
            fixed = [[p for p in grp if p in everyone] for grp in last_groups]
        known = {p for g in fixed for p in g}
        for p in everyone:
            if p in known:
                continue
            # Newcomers join the smallest group, preferring one without colleagues.
            gi = min(
                range(len(fixed)),
                key=lambda i: (
                    len(fixed[i]),
                    sum(
                        1
                        for x in fixed[i]
                        if prob.orgs[x] is not None and prob.orgs[x] == prob.orgs[p]
                    ),
                    i,
                ),
            )
            fixed[gi].append(p)
    else:
        n_groups = n_st or _group_count(len(everyone), prob.group_size or 2)
        fixed = _deal(everyone, n_groups, prob, rng)
    visits = [[0] * max(1, n_st) for _ in range(prob.n_people)]
    for rnd in prob.rounds[: prob.n_played]:
        if rnd.played_stations is not None and rnd.played is not None:
            for st, grp in zip(rnd.played_stations, rnd.played, strict=True):
                for p in grp:
                    visits[p][st] += 1
    prefs = _preference_costs(prob)
    out = []
    for k, rnd in enumerate(planned_rounds):
        present = set(rnd.present)
        groups = [[p for p in g if p in present] for g in fixed]
        if not n_st:
            out.append((groups, []))
            continue
        cost = []
        for grp in groups:
            row = []
            for st in range(n_st):
                c = float(_W_REVISIT * sum(visits[p][st] for p in grp))
                c += sum(prefs[k][p][st] for p in grp if p in prefs[k])
                capacity = prob.stations[st]["capacity"] if prob.stations else None
                if capacity is not None and len(grp) > capacity:
                    c += _W_REVISIT * len(prob.rounds) * len(grp)
                row.append(c)
            cost.append(row)
        assign = min_cost_assignment(cost)
        by_station: list[list[int]] = [[] for _ in range(n_st)]
        for gi, st in enumerate(assign):
            by_station[st] = groups[gi]
            for p in groups[gi]:
                visits[p][st] += 1
        out.append((by_station, []))
    return out
