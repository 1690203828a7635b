"""Plan metrics and the lower bounds a plan is measured against (format: rotation.md)."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from typing import Any

from eventsys.planner.problem import _c2, _free_sizes, _ov, _Problem

# Upper bounds on the number of mutually orthogonal Latin squares N(s) that are below the
# trivial s - 1; only order 6 is settled (Tarry 1900), other non-prime-powers stay at s - 1.
_MOLS_UPPER = {6: 1}


def _preference_slots(prob: _Problem, plan: list[list[list[int]]]) -> list[tuple[int, int]]:
    """For each person with preferences: (top themes reached in their first rounds, how many)."""
    if not prob.stations:
        return []
    themes = [st["theme"] for st in prob.stations]
    known = {t for t in themes if t}
    out = []
    for p in range(prob.n_people):
        wanted = [t for t in prob.themes[p] if t in known]
        if not wanted:
            continue
        visits = [themes[g] for rnd in plan for g, members in enumerate(rnd) if p in members]
        k = min(len(wanted), len(visits))
        if k == 0:
            continue
        out.append((len(set(wanted[:k]) & set(visits[:k])), k))
    return out


def plan_metrics(prob: _Problem, plan: list[list[list[int]]]) -> dict[str, Any]:
    """Measure a plan given as rounds of groups (group index = station index with stations)."""
    meetings: Counter[tuple[int, int]] = Counter()
    colleagues = 0
    for rnd in plan:
        for members in rnd:
            ordered = sorted(members)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    meetings[a, b] += 1
                    if prob.orgs[a] is not None and prob.orgs[a] == prob.orgs[b]:
                        colleagues += 1
    revisits = 0
    if prob.stations:
        visits: Counter[tuple[int, int]] = Counter(
            (p, g) for rnd in plan for g, members in enumerate(rnd) for p in members
        )
        revisits = sum(c - 1 for c in visits.values() if c > 1)
    slots = _preference_slots(prob, plan)
    met = sum(a / k for a, k in slots) / len(slots) if slots else 1.0
    return {
        "repeat_encounters": sum(m - 1 for m in meetings.values() if m > 1),
        "pair_overlap": sum(_c2(m) for m in meetings.values()),
        "max_meetings_per_pair": max(meetings.values(), default=0),
        "station_revisits": revisits,
        "preferences_met": round(met, 4),
        "same_organisation_pairs": colleagues,
    }


def _min_overlap_after_removal(sizes: list[int], removed: int, b: int) -> int:
    """Least Σ ov over groups when `removed` of their people are missing from the other round."""
    heap = [-s for s in sizes if s > 0]
    heapq.heapify(heap)
    # ov(s) - ov(s-1) = floor((s-1)/b) grows with s, so dropping people from the largest group
    # first is optimal for this separable convex sum.
    for _ in range(min(removed, sum(sizes))):
        s = -heapq.heappop(heap)
        if s > 1:
            heapq.heappush(heap, -(s - 1))
    return sum(_ov(-s, b) for s in heap)


def _no_projective_plane(n: int) -> bool:
    """Orders known to have no projective plane: Bruck-Ryser (n = 1, 2 mod 4 and not a sum of
    two squares: 6, 14, 21, 22, ...) and 10 (Lam, Thiel and Swiercz, 1989)."""
    if n == 10:
        return True
    squares = {i * i for i in range(math.isqrt(n) + 1)}
    return n % 4 in (1, 2) and not any(n - a in squares for a in squares)


def _twins_impossible(prob: _Problem, lb_overlap: int) -> bool:
    """g tables of g people over g rounds, everyone present, nothing played, where no projective
    plane of order g exists: then repeats exceed 2 * (overlap bound) / g.

    Repeats reach 2 * overlap / R only if every pair meeting twice meets in every round (a
    pair meeting m times has m - 1 >= 2 C(m, 2) / R, equal only for m = 0, 1, R) and the overlap
    is at its bound g * C(g, 2); the repeats, g * (g - 1), then come from pairs of people with the
    same tables in every round, at least g of them, and the people left after dropping one of
    each pair, g * (g - 1) or more, would meet pairwise at most once: a set of permutations of g
    points agreeing at most once, which has g * (g - 1) members only if a projective plane of
    order g exists. A plan above the overlap bound has repeats >= 2 * (g C(g, 2) + 1) / g,
    above g * (g - 1) too.
    """
    g = prob.n_stations
    rounds = prob.rounds
    if prob.n_played or len(rounds) != g or prob.n_people != g * g or not _no_projective_plane(g):
        return False
    if any(r.bench or len(r.present) != g * g or r.sizes != [g] * g for r in rounds):
        return False
    return lb_overlap == g * _c2(g)


def _lower_bounds(prob: _Problem, no_revisit: bool) -> dict[str, int]:
    """Lower bounds on repeats, overlap, revisits and colleague pairs (format: rotation.md)."""
    rounds = prob.rounds
    n_rounds = len(rounds)
    n_people = prob.n_people
    played = [r for r in rounds if r.played is not None]
    presence = [set(r.present) for r in rounds]

    # Played rounds are fixed, so what they already contain is a floor for the whole plan.
    played_plan = [r.played for r in played]
    played_metrics = plan_metrics(prob, played_plan) if played else None

    # Counting bound: pairs the plan must form versus pairs that can be formed at all.
    masks: Counter[int] = Counter()
    person_mask = []
    for p in range(n_people):
        mask = sum(1 << r for r in range(n_rounds) if p in presence[r])
        person_mask.append(mask)
        masks[mask] += 1
    mask_items = list(masks.items())
    usable_pairs = 0
    for i, (m1, c1) in enumerate(mask_items):
        if m1 == 0:
            continue
        usable_pairs += _c2(c1)
        for m2, c2 in mask_items[i + 1 :]:
            if m1 & m2:
                usable_pairs += c1 * c2
    formed = sum(_c2(s) for r in rounds for s in r.sizes)
    lb_count = max(0, formed - usable_pairs)

    # Per person: meetings they must have versus people they can meet.
    partners_by_mask = {m: sum(c for m2, c in mask_items if m & m2) - 1 for m, _ in mask_items if m}
    excess = 0
    for p in range(n_people):
        need = 0
        for r, rnd in enumerate(rounds):
            if p not in presence[r]:
                continue
            if rnd.played is not None:
                need += next((len(g) - 1 for g in rnd.played if p in g), 0)
            elif rnd.bench == 0 and rnd.sizes:
                need += min(rnd.sizes) - 1
        if person_mask[p]:
            excess += max(0, need - partners_by_mask[person_mask[p]])
    lb_person = -(-excess // 2)

    # Two rounds share at least ov(s, b) pairs per group of one of them.
    lb_overlap = 0
    for r1, r2 in itertools.combinations(range(n_rounds), 2):
        a, b = rounds[r1], rounds[r2]
        if a.played is not None and b.played is not None:
            lb_overlap += plan_metrics(prob, [a.played, b.played])["pair_overlap"]
            continue
        best = 0
        for x, y, px, py in (
            (a, b, presence[r1], presence[r2]),
            (b, a, presence[r2], presence[r1]),
        ):
            groups = len([s for s in y.sizes if s > 0])
            if no_revisit:
                groups -= 1
            if groups <= 0:
                continue
            missing = len(px - py) + y.bench
            sizes = [len(g) for g in x.played] if x.played is not None else x.sizes
            best = max(best, _min_overlap_after_removal(sizes, missing, groups))
        lb_overlap += best
    if played_metrics:
        lb_overlap = max(lb_overlap, played_metrics["pair_overlap"])
    # A pair meets at most once per round with groups, so m - 1 >= 2 C(m, 2) / rounds.
    active = sum(1 for r in rounds if any(s > 1 for s in r.sizes))
    lb_from_overlap = -(-2 * lb_overlap // active) if active else 0

    # Structure: with g groups of s = g people, at most N(s) + 2 rounds are repeat-free, and
    # dropping one round per repeat leaves a repeat-free plan, so E >= R - (N(s) + 2).
    lb_structure = 0
    sizes0 = {s for r in rounds for s in r.sizes}
    if (
        len(sizes0) == 1
        and not played
        and all(len(r.present) == n_people and r.bench == 0 for r in rounds)
    ):
        (s,) = sizes0
        if len(rounds[0].sizes) == s:
            mols = _MOLS_UPPER.get(s, s - 1)
            lb_structure = max(0, n_rounds - (mols + 2))

    if no_revisit and _twins_impossible(prob, lb_overlap):
        lb_from_overlap += 1
    lb_repeat = max(lb_count, lb_person, lb_from_overlap, lb_structure)
    if played_metrics:
        lb_repeat = max(lb_repeat, played_metrics["repeat_encounters"])

    lb_revisits = 0
    if prob.stations:
        n_st = prob.n_stations
        for p in range(n_people):
            visits = sum(1 for r in range(n_rounds) if p in presence[r])
            lb_revisits += max(0, visits - n_st)
        # Per station: visits beyond the number of people are revisits. Only capacities fix
        # the sizes by station; otherwise the planner may give any station the larger group.
        if not prob.keep_groups and any(st["capacity"] is not None for st in prob.stations):
            everyone = len(set().union(*presence))
            per_station = 0
            for t in range(n_st):
                needed = 0
                for r in rounds:
                    if r.played is None:
                        needed += r.sizes[t]
                    else:
                        stations_of = r.played_stations or []
                        needed += sum(
                            len(g) for g, x in zip(r.played, stations_of, strict=True) if x == t
                        )
                per_station += max(0, needed - everyone)
            lb_revisits = max(lb_revisits, per_station)
        if not prob.keep_groups:
            # Per station, in the rounds to plan: it hosts at least its share of each round (its
            # fixed size with capacities, else the smaller of the balanced sizes), and only people
            # who have not been there yet can come without a revisit, each once. After rounds
            # already played this is often above zero (e.g. a table visited by more people than
            # its share, then three of the others leave).
            free = _free_sizes(prob)
            seen: list[set[int]] = [set() for _ in range(n_st)]
            for r in rounds:
                if r.played is not None:
                    for g, x in zip(r.played, r.played_stations or [], strict=False):
                        seen[x].update(g)
            to_plan = [i for i, r in enumerate(rounds) if r.played is None and r.sizes]
            coming = set().union(*(presence[i] for i in to_plan)) if to_plan else set()
            forced = 0
            for t in range(n_st):
                needed = sum(min(rounds[i].sizes) if free else rounds[i].sizes[t] for i in to_plan)
                forced += max(0, needed - len(coming - seen[t]))
            already = played_metrics["station_revisits"] if played_metrics else 0
            lb_revisits = max(lb_revisits, already + forced)
        if played_metrics:
            lb_revisits = max(lb_revisits, played_metrics["station_revisits"])

    lb_colleagues = 0
    for rnd in rounds:
        if rnd.played is not None:
            lb_colleagues += plan_metrics(prob, [rnd.played])["same_organisation_pairs"]
            continue
        orgs = Counter(prob.orgs[p] for p in rnd.present if prob.orgs[p] is not None)
        groups = len(rnd.sizes)
        for count in orgs.values():
            lb_colleagues += _ov(max(0, count - rnd.bench), groups)
    return {
        "repeat_encounters": lb_repeat,
        "pair_overlap": lb_overlap,
        "station_revisits": lb_revisits,
        "same_organisation_pairs": lb_colleagues,
    }
