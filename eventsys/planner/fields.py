"""Finite fields GF(p^k) and their MacNeish products, for transversal designs."""

from __future__ import annotations

import itertools


def _prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q = p**k, or None."""
    if q < 2:
        return None
    for p in range(2, q + 1):
        if q % p == 0:
            k = 0
            while q % p == 0:
                q //= p
                k += 1
            return (p, k) if q == 1 else None
    return None


def _prime_power_factors(n: int) -> list[int]:
    """n as a product of prime powers (MacNeish), e.g. 20 -> [4, 5]."""
    out = []
    p = 2
    while p * p <= n:
        if n % p == 0:
            q = 1
            while n % p == 0:
                n //= p
                q *= p
            out.append(q)
        p += 1
    if n > 1:
        out.append(n)
    return out


class _Field:
    """GF(p^k); elements are integers whose base-p digits are polynomial coefficients."""

    def __init__(self, q: int) -> None:
        pk = _prime_power(q)
        if pk is None:
            raise ValueError(f"{q} is not a prime power")
        self.q = q
        self.p, self.k = pk
        self.modulus = self._irreducible() if self.k > 1 else None
        self._mul = (
            [[self._slow_mul(a, b) for b in range(q)] for a in range(q)] if q <= 256 else None
        )

    def _digits(self, a: int) -> list[int]:
        """Coefficients of a, lowest degree first."""
        out = []
        for _ in range(self.k):
            a, d = divmod(a, self.p)
            out.append(d)
        return out

    def _number(self, digits: list[int]) -> int:
        """Inverse of _digits."""
        value = 0
        for d in reversed(digits):
            value = value * self.p + d
        return value

    def _polymod(self, poly: list[int], mod: list[int]) -> list[int]:
        """Remainder of poly by a monic mod over GF(p)."""
        poly = poly[:]
        deg = len(mod) - 1
        for i in range(len(poly) - 1, deg - 1, -1):
            c = poly[i] % self.p
            if c:
                for j in range(deg + 1):
                    poly[i - deg + j] = (poly[i - deg + j] - c * mod[j]) % self.p
        return [c % self.p for c in poly[:deg]] + [0] * max(0, deg - len(poly))

    def _irreducible(self) -> list[int]:
        """First monic irreducible polynomial of degree k over GF(p) (trial division)."""
        p, k = self.p, self.k
        for tail in itertools.product(range(p), repeat=k):
            cand = [*tail, 1]
            if cand[0] == 0:
                continue
            if all(
                any(self._polymod(cand, [*t, 1]))
                for d in range(1, k // 2 + 1)
                for t in itertools.product(range(p), repeat=d)
            ):
                return cand
        raise AssertionError("an irreducible polynomial always exists")

    def add(self, a: int, b: int) -> int:
        """a + b."""
        if self.k == 1:
            return (a + b) % self.p
        da, db = self._digits(a), self._digits(b)
        return self._number([(x + y) % self.p for x, y in zip(da, db, strict=True)])

    def _slow_mul(self, a: int, b: int) -> int:
        """a * b by polynomial multiplication modulo the irreducible polynomial."""
        if self.k == 1:
            return a * b % self.p
        da, db = self._digits(a), self._digits(b)
        prod = [0] * (2 * self.k - 1)
        for i, x in enumerate(da):
            if x:
                for j, y in enumerate(db):
                    prod[i + j] += x * y
        return self._number(self._polymod(prod, self.modulus or [0, 1]))

    def mul(self, a: int, b: int) -> int:
        """a * b."""
        return self._mul[a][b] if self._mul is not None else self._slow_mul(a, b)


class _Ring:
    """Product of finite fields of order n (MacNeish): x + r*y with unit differences of r."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.fields = [_Field(q) for q in _prime_power_factors(n)]
        self.elements = list(itertools.product(*(range(f.q) for f in self.fields)))
        self.index = {e: i for i, e in enumerate(self.elements)}

    @property
    def n_multipliers(self) -> int:
        """How many multipliers have pairwise unit differences."""
        return min(f.q for f in self.fields)

    def multiplier(self, k: int) -> tuple[int, ...]:
        """k-th multiplier: k in every component, so two of them differ by a unit."""
        return tuple(k for _ in self.fields)

    def units(self) -> list[tuple[int, ...]]:
        """Elements with no zero component."""
        return [e for e in self.elements if all(e)]

    def affine(self, x: tuple[int, ...], r: tuple[int, ...], y: tuple[int, ...]) -> int:
        """Index of x + r*y."""
        return self.index[
            tuple(
                f.add(xi, f.mul(ri, yi)) for f, xi, ri, yi in zip(self.fields, x, r, y, strict=True)
            )
        ]
