"""The search state: groups per round with cached move costs (swaps, moves, station visits)."""

from __future__ import annotations

import random
from collections import Counter

from eventsys.planner.costs import (
    _W_BENCH,
    _W_COLLEAGUE,
    _W_FIRST_CHOICE,
    _W_OVERLAP,
    _W_PREFERENCE,
    _W_REPEAT,
    _W_REVISIT,
)
from eventsys.planner.problem import _c2, _Problem


def _preference_weight(theme: str, wanted: list[str], j: int) -> int:
    """Reward for a wanted theme in a person's j-th round: most for the first choice first."""
    return _W_FIRST_CHOICE if theme == wanted[0] and j == 0 else _W_PREFERENCE


def _preference_costs(prob: _Problem) -> list[dict[int, list[int]]]:
    """Per planned round: person -> cost per station, a reward for a wanted theme in time."""
    # A person ranking k themes wants them within their first k rounds; a theme already met in a
    # played round earns nothing more.
    planned = len(prob.rounds) - prob.n_played
    out: list[dict[int, list[int]]] = [{} for _ in range(planned)]
    if not prob.stations:
        return out
    themes = [st["theme"] for st in prob.stations]
    known = {t for t in themes if t}
    for p in range(prob.n_people):
        wanted = [t for t in prob.themes[p] if t in known]
        if not wanted:
            continue
        attended = [r for r, rnd in enumerate(prob.rounds) if p in rnd.present]
        k = min(len(wanted), len(attended))
        top = set(wanted[:k])
        seen = set()
        for j, r in enumerate(attended[:k]):
            rnd = prob.rounds[r]
            if rnd.played is not None:
                for g_idx, grp in enumerate(rnd.played):
                    if p in grp and rnd.played_stations is not None:
                        seen.add(themes[rnd.played_stations[g_idx]])
                continue
            costs = [
                -_preference_weight(t, wanted, j) if (t in top and t not in seen) else 0
                for t in themes
            ]
            if any(costs):
                out[r - prob.n_played][p] = costs
    return out


class _SearchState:
    """Tabu search over swaps of two people in different groups of one planned round."""

    # Keeps, per round and person, the cost of joining each group (T) and the cost of the own
    # group (D), so a swap is evaluated in O(1) and applied in O(N + s * R).

    def __init__(
        self,
        prob: _Problem,
        planned: list[tuple[list[list[int]], list[int]]],
        rng: random.Random,
    ) -> None:
        self.prob = prob
        self.rng = rng
        n_people = prob.n_people
        n_st = prob.n_stations
        self.n_pseudo = n_st + 1  # last pseudo-station is the bench of 1:1 rounds
        self.uw = [_W_REVISIT] * n_st + [_W_BENCH]
        n_all = len(prob.rounds)
        top = 2 * (n_all + 3)
        f_table = [0] * top
        for k in range(top):
            m, same = divmod(k, 2)
            f_table[k] = (
                _W_REPEAT * max(0, m - 1) + _W_OVERLAP * _c2(m) + (_W_COLLEAGUE * m if same else 0)
            )
        self.F = f_table
        self.inc = [f_table[k + 2] - f_table[k] if k + 2 < top else 10**6 for k in range(top)]
        self.dec = [f_table[k] - f_table[k - 2] if k >= 2 else 0 for k in range(top)]

        # Static pair state: colleague bits and the played rounds.
        base = [[0] * n_people for _ in range(n_people)]
        if prob.avoid_org:
            for a in range(n_people):
                oa = prob.orgs[a]
                if oa is None:
                    continue
                row = base[a]
                for b in range(n_people):
                    if b != a and prob.orgs[b] == oa:
                        row[b] = 1
        self.base_visits = [[0] * self.n_pseudo for _ in range(n_people)]
        for rnd in prob.rounds[: prob.n_played]:
            for g_idx, grp in enumerate(rnd.played or []):
                for a in grp:
                    if rnd.played_stations is not None:
                        self.base_visits[a][rnd.played_stations[g_idx]] += 1
                    row = base[a]
                    for b in grp:
                        if b != a:
                            row[b] += 2
        self.base_pairs = base

        self.rounds = prob.rounds[prob.n_played :]
        self.present = [r.present for r in self.rounds]
        n_plan = len(self.rounds)
        # Group -> pseudo-station (stations keep their index; the bench is the last group).
        self.gst: list[list[int]] = []
        self.stgrp: list[list[int]] = []
        self.bench: list[int] = []
        for rnd in self.rounds:
            g = len(rnd.sizes)
            gst = list(range(g)) if n_st else [-1] * g
            stgrp = [-1] * self.n_pseudo
            if n_st:
                stgrp[:n_st] = list(range(n_st))
            if rnd.bench:
                gst.append(n_st)
                stgrp[n_st] = g
                self.bench.append(g)
            else:
                self.bench.append(-1)
            self.gst.append(gst)
            self.stgrp.append(stgrp)
        self.pref = _preference_costs(prob)
        self.members: list[list[list[int]]] = []
        self.pos: list[list[int]] = []
        for groups, bench in planned:
            mem = [list(g) for g in groups]
            if self.bench[len(self.members)] >= 0:
                mem.append(list(bench))
            pos = [-1] * n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    pos[p] = gi
            self.members.append(mem)
            self.pos.append(pos)
        self.n_plan = n_plan
        self.work = 0  # moves evaluated and cache updates made, the search's clock
        self.rebuild()

    def max_preference_reward(self) -> int:
        """Upper bound on the preference reward of the planned rounds (for stopping early)."""
        slots: Counter[int] = Counter()
        by_station: dict[int, dict[int, int]] = {}
        for rnd_pref in self.pref:
            for p, costs in rnd_pref.items():
                slots[p] += 1
                best = by_station.setdefault(p, {})
                for st, c in enumerate(costs):
                    if c:
                        best[st] = max(best.get(st, 0), -c)
        # One station per round and no station twice: the n largest rewards are a ceiling.
        return sum(sum(sorted(by_station[p].values(), reverse=True)[:n]) for p, n in slots.items())

    def unary(self, ri: int, p: int, g: int) -> int:
        """Cost of p being in group g of planned round ri, given the other rounds."""
        st = self.gst[ri][g]
        if st < 0:
            return 0
        own = 1 if self.pos[ri][p] == g else 0
        cost = self.uw[st] if self.visits[p][st] - own >= 1 else 0
        pref = self.pref[ri].get(p)
        if pref is not None and st < len(pref):
            cost += pref[st]
        return cost

    def rebuild(self) -> None:
        """Recompute pair counts, visits, T, D and the cost from the groups."""
        n_people = self.prob.n_people
        K = [row[:] for row in self.base_pairs]
        visits = [row[:] for row in self.base_visits]
        for ri, mem in enumerate(self.members):
            for gi, grp in enumerate(mem):
                st = self.gst[ri][gi]
                for a in grp:
                    if st >= 0:
                        visits[a][st] += 1
                if gi == self.bench[ri]:
                    continue
                for a in grp:
                    row = K[a]
                    for b in grp:
                        if b != a:
                            row[b] += 2
        self.K = K
        self.visits = visits
        inc, dec = self.inc, self.dec
        self.T: list[list[list[int] | None]] = []
        self.D: list[list[int]] = []
        for ri, mem in enumerate(self.members):
            present = self.present[ri]
            n_groups = len(mem)
            T: list[list[int] | None] = [None] * n_people
            for p in present:
                T[p] = [self.unary(ri, p, g) for g in range(n_groups)]
            for gi, grp in enumerate(mem):
                if gi == self.bench[ri]:
                    continue
                for y in grp:
                    Ky = K[y]
                    for p in present:
                        T[p][gi] += inc[Ky[p]]  # type: ignore[index]
            D = [0] * n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    D[p] = self.unary(ri, p, gi)
                    if gi != self.bench[ri]:
                        Kp = K[p]
                        D[p] += sum(dec[Kp[y]] for y in grp)
            self.T.append(T)
            self.D.append(D)
        self.cost = self.total_cost()

    def total_cost(self) -> int:
        """Cost from scratch (pairs, revisits, bench, preferences)."""
        F = self.F
        n_people = self.prob.n_people
        cost = 0
        K = self.K
        for a in range(n_people):
            row = K[a]
            cost += sum(F[row[b]] for b in range(a + 1, n_people))
        for p in range(n_people):
            for st, v in enumerate(self.visits[p]):
                if v > 1:
                    cost += self.uw[st] * (v - 1)
        # Pair costs of colleague bits with m = 0 are 0, so F needs no offset; preferences:
        for ri, mem in enumerate(self.members):
            for gi, grp in enumerate(mem):
                st = self.gst[ri][gi]
                if st < 0:
                    continue
                for p in grp:
                    pref = self.pref[ri].get(p)
                    if pref is not None and st < len(pref):
                        cost += pref[st]
        return cost

    def swap(self, ri: int, a: int, b: int) -> None:
        """Swap a and b (different groups of planned round ri) and update all caches."""
        pos = self.pos[ri]
        ga, gb = pos[a], pos[b]
        mem = self.members[ri]
        mem_a, mem_b = mem[ga], mem[gb]
        bench = self.bench[ri]
        K, inc, dec = self.K, self.inc, self.dec
        Tr, Dr = self.T[ri], self.D[ri]
        present = self.present[ri]
        # Membership change first, with the old pair counts.
        mem_a.remove(a)
        mem_b.remove(b)
        if ga != bench:
            for p in present:
                Kp = K[p]
                Tr[p][ga] += inc[Kp[b]] - inc[Kp[a]]  # type: ignore[index]
            for x in mem_a:
                Kx = K[x]
                Dr[x] += dec[Kx[b]] - dec[Kx[a]]
        if gb != bench:
            for p in present:
                Kp = K[p]
                Tr[p][gb] += inc[Kp[a]] - inc[Kp[b]]  # type: ignore[index]
            for y in mem_b:
                Ky = K[y]
                Dr[y] += dec[Ky[a]] - dec[Ky[b]]
        mem_a.append(b)
        mem_b.append(a)
        pos[a], pos[b] = gb, ga
        # Then the pair counts, with the new membership.
        changes = []
        if ga != bench:
            changes += [(a, x, -2) for x in mem_a if x != b] + [(b, x, 2) for x in mem_a if x != b]
        if gb != bench:
            changes += [(a, y, 2) for y in mem_b if y != a] + [(b, y, -2) for y in mem_b if y != a]
        self._pair_changes(changes)
        self.work += 2 * len(present) + len(changes) * self.n_plan
        sa, sb = self.gst[ri][ga], self.gst[ri][gb]
        if sa != sb:
            self._visit_change(ri, a, sa, sb)
            self._visit_change(ri, b, sb, sa)
        self._refresh_own(ri, a)
        self._refresh_own(ri, b)

    def move(self, ri: int, a: int, gb: int) -> None:
        """Move a to group gb of planned round ri (one size less) and update all caches."""
        pos = self.pos[ri]
        ga = pos[a]
        mem = self.members[ri]
        K, inc, dec = self.K, self.inc, self.dec
        Tr, Dr = self.T[ri], self.D[ri]
        mem[ga].remove(a)
        for p in self.present[ri]:
            v = inc[K[p][a]]
            Tp = Tr[p]
            Tp[ga] -= v  # type: ignore[index]
            Tp[gb] += v  # type: ignore[index]
        for x in mem[ga]:
            Dr[x] -= dec[K[x][a]]
        for y in mem[gb]:
            Dr[y] += dec[K[y][a]]
        mem[gb].append(a)
        pos[a] = gb
        changes = [(a, x, -2) for x in mem[ga]] + [(a, y, 2) for y in mem[gb] if y != a]
        self._pair_changes(changes)
        self.work += len(self.present[ri]) + len(changes) * self.n_plan
        sa, sb = self.gst[ri][ga], self.gst[ri][gb]
        if sa != sb:
            self._visit_change(ri, a, sa, sb)
        self._refresh_own(ri, a)

    def _refresh_own(self, ri: int, p: int) -> None:
        """Recompute what p's own group costs p in round ri."""
        g = self.pos[ri][p]
        value = self.unary(ri, p, g)
        if g != self.bench[ri]:
            Kp, dec = self.K[p], self.dec
            value += sum(dec[Kp[y]] for y in self.members[ri][g])
        self.D[ri][p] = value

    def _pair_changes(self, changes: list[tuple[int, int, int]]) -> None:
        """Change pair counts and the join and own costs that depend on them, in every round."""
        K, inc, dec = self.K, self.inc, self.dec
        all_pos, all_T, all_D, benches = self.pos, self.T, self.D, self.bench
        for u, v, d in changes:
            k0 = K[u][v]
            k1 = k0 + d
            K[u][v] = k1
            K[v][u] = k1
            di = inc[k1] - inc[k0]
            dd = dec[k1] - dec[k0]
            for rj in range(self.n_plan):
                pr = all_pos[rj]
                pu, pv = pr[u], pr[v]
                if pu < 0 or pv < 0:
                    continue
                bj = benches[rj]
                Tj = all_T[rj]
                if pv != bj:
                    Tj[u][pv] += di  # type: ignore[index]
                if pu != bj:
                    Tj[v][pu] += di  # type: ignore[index]
                    if pu == pv:
                        all_D[rj][u] += dd
                        all_D[rj][v] += dd

    def _visit_change(self, ri: int, p: int, s_from: int, s_to: int) -> None:
        """p goes from pseudo-station s_from to s_to in round ri: update "visited elsewhere"."""
        all_pos, all_T, all_D = self.pos, self.T, self.D
        for st, d in ((s_from, -1), (s_to, 1)):
            if st < 0:
                continue
            old = self.visits[p][st]
            new = old + d
            self.visits[p][st] = new
            w = self.uw[st]
            for rj in range(self.n_plan):
                if rj == ri:
                    continue
                g = self.stgrp[rj][st]
                if g < 0 or all_pos[rj][p] < 0:
                    continue
                own = 1 if all_pos[rj][p] == g else 0
                change = w * ((new - own >= 1) - (old - own >= 1))
                if change:
                    all_T[rj][p][g] += change  # type: ignore[index]
                    if own:
                        all_D[rj][p] += change

    def delta(self, ri: int, a: int, b: int) -> int:
        """Cost change of swapping a and b in planned round ri."""
        pos = self.pos[ri]
        ga, gb = pos[a], pos[b]
        bench = self.bench[ri]
        corr = 2 - (ga == bench) - (gb == bench)
        Tr, Dr = self.T[ri], self.D[ri]
        return (
            Tr[a][gb]  # type: ignore[index]
            + Tr[b][ga]  # type: ignore[index]
            - corr * self.inc[self.K[a][b]]
            - Dr[a]
            - Dr[b]
        )

    def trade_delta_estimate(self, u: int, v: int) -> int:
        """Sum of per-round swap deltas: exact unless u and v share acquaintances across rounds."""
        total = 0
        for ri in range(self.n_plan):
            pos = self.pos[ri]
            if pos[u] != pos[v]:
                total += self.delta(ri, u, v)
        return total

    def trade(self, u: int, v: int) -> int:
        """Swap the whole planned schedules of u and v (same presence); returns the cost change."""
        total = 0
        for ri in range(self.n_plan):
            pos = self.pos[ri]
            if pos[u] != pos[v]:
                total += self.delta(ri, u, v)
                self.swap(ri, u, v)
        self.cost += total
        return total
