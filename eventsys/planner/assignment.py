"""Exact assignments with a maintained solver (scipy's linear_sum_assignment)."""

from __future__ import annotations

from scipy.optimize import linear_sum_assignment


def min_cost_assignment(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of rows to columns of a square matrix; the column of each row."""
    if not cost:
        return []
    rows, cols = linear_sum_assignment(cost)
    out = [0] * len(cost)
    for r, c in zip(rows, cols, strict=True):
        out[int(r)] = int(c)
    return out
