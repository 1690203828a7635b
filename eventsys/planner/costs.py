"""Cost weights and work budgets shared by the planner's starts and searches."""

from __future__ import annotations

# Cost weights of the search. A station revisit outweighs anything else because the format makes
# "nobody visits a station twice" a rule; a repeat encounter outweighs a colleague pair because
# mixing is the point of a rotation; the pair-overlap term breaks ties between equal repeat counts.
_W_REVISIT = 1000
_W_BENCH = 60
_W_REPEAT = 12
_W_OVERLAP = 1
_W_COLLEAGUE = 4
# Starting at one's first choice outweighs repeat encounters (people asked to start there);
# the other wished-for themes early on only break ties between plans with as many repeats.
_W_FIRST_CHOICE = 200
_W_PREFERENCE = 3

# Short tabu tenures and restarts from the best plan after a stall did best on the social
# golfer instances (6-4-6, 6-5-5) in trials of tenures 2-30 and stall limits 100-100000.
_TENURE_MIN = 3
_TENURE_SPREAD = 4
_STALL_BASE = 300
_STALL_PER_SLOT = 5

# Search work (moves evaluated, cache entries updated) allowed per second of time limit. This
# machine does 1.2-2.5 million a second, so the search normally stops on this budget, not on
# the clock, and the same instance and seed give the same plan.
_WORK_PER_SECOND = 600_000

# Swaps a 1-rotational search may evaluate per choice of Z_n, in a short and a long pass
# (about 3 s in all here); a budget rather than the clock keeps the result reproducible.
_ROTATIONAL_WORK = (60_000, 250_000)

# Work of the short search tried before the 1-rotational search (fixed, so that re-running an
# instance with another time limit reproduces its plan).
_QUICK_WORK = 200_000
