"""Tabu search over swaps of two people of one round, swap chains and schedule trades."""

from __future__ import annotations

import time

from eventsys.planner.assignment import min_cost_assignment
from eventsys.planner.costs import _STALL_BASE, _STALL_PER_SLOT, _TENURE_MIN, _TENURE_SPREAD
from eventsys.planner.problem import _free_sizes
from eventsys.planner.state import _SearchState


class _Search(_SearchState):
    """Tabu search over swaps of two people in different groups of one planned round."""

    def relabel(self, target: int, deadline: float) -> None:
        """Let people trade whole schedules while that helps."""
        # A construction is repeat-free whoever plays which point; trading schedules keeps that
        # and fixes what the construction ignores: colleagues, wishes, rounds already played.
        classes: dict[tuple[bool, ...], list[int]] = {}
        for p in range(self.prob.n_people):
            key = tuple(self.pos[ri][p] >= 0 for ri in range(self.n_plan))
            if any(key):
                classes.setdefault(key, []).append(p)
        improved = True
        while improved and self.cost > target:
            improved = False
            hot = sorted({p for _, p in self.candidates()})
            self.rng.shuffle(hot)
            for u in hot:
                if time.perf_counter() > deadline or self.cost <= target:
                    return
                key = tuple(self.pos[ri][u] >= 0 for ri in range(self.n_plan))
                mates = [v for v in classes[key] if v != u]
                scored = sorted((self.trade_delta_estimate(u, v), v) for v in mates)
                for estimate, v in scored[:4]:
                    if estimate >= 0:
                        break
                    if self.trade(u, v) < 0:
                        improved = True
                        break
                    self.trade(u, v)  # undo

    def assign_schedules(self) -> None:
        """Give people the schedules that suit their stations best (Hungarian method)."""
        # Among people present in the same rounds, who gets which schedule only matters for
        # what each person brings: stations met in played rounds and wished-for themes. That
        # part is linear, so an assignment solves it exactly; meetings are left to the search.
        if not self.prob.stations:
            return
        classes: dict[tuple[bool, ...], list[int]] = {}
        for p in range(self.prob.n_people):
            key = tuple(self.pos[ri][p] >= 0 for ri in range(self.n_plan))
            if any(key):
                classes.setdefault(key, []).append(p)
        before = self.cost
        old = self.snapshot()
        for people in classes.values():
            if len(people) < 2 or len(people) > 150:
                continue
            rounds = [ri for ri in range(self.n_plan) if self.pos[ri][people[0]] >= 0]
            stations = [[self.gst[ri][self.pos[ri][q]] for ri in rounds] for q in people]
            cost = []
            for p in people:
                row = []
                for sched in stations:
                    c = 0
                    for ri, st in zip(rounds, sched, strict=True):
                        if st < len(self.uw) - 1 and self.base_visits[p][st]:
                            c += self.uw[st]
                        pref = self.pref[ri].get(p)
                        if pref is not None and st < len(pref):
                            c += pref[st]
                    row.append(c)
                cost.append(row)
            assign = min_cost_assignment(cost)
            for ri in rounds:
                old_groups = {q: self.pos[ri][q] for q in people}
                for i, p in enumerate(people):
                    self.pos[ri][p] = old_groups[people[assign[i]]]
                mem = [[] for _ in self.members[ri]]
                for q in self.present[ri]:
                    mem[self.pos[ri][q]].append(q)
                self.members[ri] = mem
        self.rebuild()
        if self.cost > before:
            self.restore(old)

    def snapshot(self) -> list[list[list[int]]]:
        """Copy of the groups of the planned rounds."""
        return [[g[:] for g in mem] for mem in self.members]

    def restore(self, groups: list[list[list[int]]]) -> None:
        """Load a snapshot and rebuild the caches."""
        self.members = [[g[:] for g in mem] for mem in groups]
        for ri, mem in enumerate(self.members):
            pos = [-1] * self.prob.n_people
            for gi, grp in enumerate(mem):
                for p in grp:
                    pos[p] = gi
            self.pos[ri] = pos
        self.rebuild()

    def candidates(self) -> list[tuple[int, int]]:
        """(round, person) worth moving: their group costs something or a wish is unmet."""
        out = []
        for ri in range(self.n_plan):
            if len(self.members[ri]) < 2:
                continue
            Dr = self.D[ri]
            pref = self.pref[ri]
            pos = self.pos[ri]
            gst = self.gst[ri]
            for p in self.present[ri]:
                if Dr[p] > 0:
                    out.append((ri, p))
                elif p in pref:
                    st = gst[pos[p]]
                    if st < 0 or st >= len(pref[p]) or pref[p][st] == 0:
                        out.append((ri, p))
        return out

    def chain(self, ri: int, a: int, u: int) -> list[tuple[int, int, int]]:
        """Swaps that move a to station u in round ri while everyone keeps distinct stations."""
        # a leaves t for u; a partner leaves u for t. Whoever gained a station they visit in
        # another planned round gives it up there for the station they left (a Kempe chain).
        t = self.pos[ri][a]
        used = {ri}
        swaps: list[tuple[int, int, int]] = []
        partner = self._partner(ri, a, u)
        if partner < 0:
            return swaps
        swaps.append((ri, a, partner))
        pending = [(a, u, t), (partner, t, u)]
        while pending and len(swaps) <= self.n_plan:
            p, gained, freed = pending.pop()
            other = [r for r in range(self.n_plan) if r not in used and self.pos[r][p] == gained]
            if not other:
                continue
            r = other[0]
            q = self._partner(r, p, freed)
            if q < 0:
                break
            used.add(r)
            swaps.append((r, p, q))
            pending.append((q, gained, freed))
        return swaps

    def _partner(self, r: int, p: int, g: int) -> int:
        """Member of group g in round r whose swap with p costs least (-1 if none)."""
        best, best_q = None, -1
        for q in self.members[r][g]:
            d = self.delta(r, p, q)
            if best is None or d < best:
                best, best_q = d, q
        return best_q

    def apply_swaps(self, swaps: list[tuple[int, int, int]]) -> int:
        """Apply swaps in order (exact cost change); applying them reversed undoes them."""
        total = 0
        for r, x, y in swaps:
            total += self.delta(r, x, y)
            self.swap(r, x, y)
        self.cost += total
        return total

    def run(self, target: int, deadline: float, work_budget: int) -> None:
        """Tabu search until the cost reaches `target`, the deadline or the work budget."""
        # The work budget (moves evaluated) makes the result depend on the seed only, as long as
        # the machine is fast enough to use it up before the deadline.
        rng = self.rng
        best_cost = self.cost
        best = self.snapshot()
        tabu = [[0] * self.prob.n_people for _ in range(self.n_plan)]
        it = 0
        stall = 0
        work_budget += self.work
        n_total = sum(len(p) for p in self.present)
        sample_size = max(8, min(40, 4000 // max(1, n_total // max(1, self.n_plan))))
        stall_limit = _STALL_BASE + _STALL_PER_SLOT * n_total
        inc = self.inc
        chains = self.prob.n_stations > 0 and all(b < 0 for b in self.bench)
        free_sizes = _free_sizes(self.prob)
        while self.cost > target and self.work < work_budget:
            it += 1
            if (it & 15) == 0 and time.perf_counter() > deadline:
                break
            cands = self.candidates()
            if not cands:
                break
            if len(cands) > sample_size:
                cands = rng.sample(cands, sample_size)
            best_d = None
            moves: list[tuple[int, int, int]] = []
            cost = self.cost
            for ri, a in cands:
                pos = self.pos[ri]
                mem = self.members[ri]
                ga = pos[a]
                bench = self.bench[ri]
                Tr, Dr = self.T[ri], self.D[ri]
                Ta = Tr[a]
                Ka = self.K[a]
                base = -Dr[a]
                tabu_r = tabu[ri]
                a_tabu = tabu_r[a] > it
                for gb, grp in enumerate(mem):
                    if gb == ga:
                        continue
                    corr = 2 - (ga == bench) - (gb == bench)
                    head = Ta[gb] + base  # type: ignore[index]
                    self.work += len(grp)
                    for b in grp:
                        d = head + Tr[b][ga] - corr * inc[Ka[b]] - Dr[b]  # type: ignore[index]
                        if best_d is not None and d > best_d:
                            continue
                        if (a_tabu or tabu_r[b] > it) and cost + d >= best_cost:
                            continue
                        if best_d is None or d < best_d:
                            best_d = d
                            moves = [(ri, a, b)]
                        else:
                            moves.append((ri, a, b))
            best_move: tuple[int, int, int] | None = None
            if free_sizes:
                # Moving someone from a larger to a smaller group keeps the sizes balanced
                # and changes which groups are the larger ones.
                for ri, a in cands:
                    if self.bench[ri] >= 0 or (tabu[ri][a] > it):
                        continue
                    mem = self.members[ri]
                    ga = self.pos[ri][a]
                    size = len(mem[ga]) - 1
                    Ta = self.T[ri][a]
                    own = self.D[ri][a]
                    for gb, grp in enumerate(mem):
                        if len(grp) == size:
                            d = Ta[gb] - own  # type: ignore[index]
                            if best_d is None or d < best_d:
                                best_d, best_move = d, (ri, a, gb)
            chosen: list[tuple[int, int, int]] | None = None
            if chains and (best_d is None or best_d >= 0):
                # With stations a plain swap mostly sends someone back to a station; chains
                # of swaps across rounds keep everyone's stations distinct.
                for ri, a in cands[:3]:
                    if tabu[ri][a] > it:
                        continue
                    for u in range(len(self.members[ri])):
                        if u == self.pos[ri][a]:
                            continue
                        swaps = self.chain(ri, a, u)
                        if len(swaps) < 2:
                            continue
                        d = self.apply_swaps(swaps)
                        self.apply_swaps(swaps[::-1])
                        if best_d is None or d < best_d:
                            best_d, chosen = d, swaps
            if chosen is not None:
                self.apply_swaps(chosen)
                touched = chosen
            elif best_move is not None:
                ri, a, gb = best_move
                self.move(ri, a, gb)
                self.cost += best_d or 0
                touched = [(ri, a, a)]
            elif moves:
                ri, a, b = moves[rng.randrange(len(moves))] if len(moves) > 1 else moves[0]
                self.swap(ri, a, b)
                self.cost += best_d or 0
                touched = [(ri, a, b)]
            else:
                stall += 1
                continue
            tenure = _TENURE_MIN + rng.randrange(_TENURE_SPREAD)
            for ri, a, b in touched:
                tabu[ri][a] = it + tenure
                tabu[ri][b] = it + tenure
            if self.cost < best_cost:
                best_cost = self.cost
                best = self.snapshot()
                stall = 0
            else:
                stall += 1
                if stall > stall_limit:
                    # Restart from the best plan with a few random swaps in troubled rounds.
                    self.restore(best)
                    for _ in range(2 + rng.randrange(4)):
                        cands = self.candidates() or [
                            (r, p) for r in range(self.n_plan) for p in self.present[r]
                        ]
                        ri, a = rng.choice(cands)
                        others = [p for p in self.present[ri] if self.pos[ri][p] != self.pos[ri][a]]
                        if others:
                            self.swap(ri, a, rng.choice(others))
                    self.cost = self.total_cost()
                    stall = 0
        if self.cost > best_cost:
            self.restore(best)
