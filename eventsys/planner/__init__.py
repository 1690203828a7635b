"""Rotation planner: who sits with whom, round after round (format: shared/formats/rotation.md).

A pure package (no Flask, no database): `validate_instance` checks and normalises an instance,
`plan_rotation` returns the plan with its metrics and lower bounds. Known constructions come
first (circle method, transversal designs over GF(q) and MacNeish products, 1-rotational designs,
and the rest of the original plan when re-planning); a tabu search over swaps of two people of
one round (plus moves between groups of unequal size and swap chains that keep station visits
distinct) then removes what the constructions leave.

Modules, by concern:
- `instance`: validation of the JSON instance; `problem`: the index model;
- `bounds`: metrics and lower bounds; `fields`: finite fields GF(q) and MacNeish products;
- `constructions`: transversal designs, circle method, 1-rotational designs;
  `candidates`: constructions fitted to the people present;
- `costs`: weights and work budgets; `state` and `search`: the tabu search;
  `greedy`: starting plans and kept groups; `replan`: continuing after played rounds;
- `assembly`: planning an instance end to end.

Beyond the format, the output carries:
- each group's `group` number (1-based, by station order with stations);
- `sitting_out`: per round, who sits out (1:1 meetings with an odd number of people present);
- `warnings`: plain-English notes (more rounds than stations, ignored keys or themes, ...);
- metrics `lower_bound_station_revisits`, `lower_bound_same_organisation_pairs`, `optimal`
  (repeat encounters at their lower bound) and `method` (how the plan was made).

Definitions: `same_organisation_pairs` counts, over all rounds, pairs of colleagues in one group.
`preferences_met` is the mean, over people who rank themes of some station, of the share of
their k first themes met in their first k rounds (k = themes ranked, at most rounds attended);
1.0 when nobody ranks themes. Without stations, a round of n people gets n // s or ceil(n / s)
groups, whichever keeps sizes nearer s (ties: fewer, larger groups; when re-planning, the
number of groups played so far if its sizes are within one of s); with group size 2 and an odd
number present, one person sits out instead.

The same instance and seed give the same plan as long as the search stops on its work budget or
on reaching the lower bounds, not on the clock (the budget is set to fit well within the time
limit on a machine like the CI's).
"""

from eventsys.planner.assembly import plan_rotation
from eventsys.planner.bounds import plan_metrics
from eventsys.planner.instance import (
    DEFAULT_TIME_LIMIT_S,
    MAX_PARTICIPANTS,
    MAX_ROUNDS,
    MAX_STATIONS,
    MAX_TIME_LIMIT_S,
    RotationInputError,
    validate_instance,
)

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "MAX_PARTICIPANTS",
    "MAX_ROUNDS",
    "MAX_STATIONS",
    "MAX_TIME_LIMIT_S",
    "RotationInputError",
    "plan_metrics",
    "plan_rotation",
    "validate_instance",
]
