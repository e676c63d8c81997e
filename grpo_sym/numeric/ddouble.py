"""Double-double arithmetic on numpy arrays (about 106 bits), for residuals that cancel.

A number is a pair ``(hi, lo)`` of float64 arrays with ``|lo| <= ulp(hi)/2``; the
error-free transformations are Knuth's two-sum and Dekker's two-product (numpy has no
fma), so the inputs must stay below about 2^996 in magnitude.

>>> hi, lo = add((np.float64(1.0), 0.0), (np.float64(1e-20), 0.0))
>>> float(hi), float(lo)
(1.0, 1e-20)
>>> r = sqrt((np.float64(2.0), 0.0))
>>> float(mul(r, r)[0]), abs(float(sub(mul(r, r), (2.0, 0.0))[0])) < 1e-30
(2.0, True)
"""
from __future__ import annotations

import numpy as np

__all__ = ["two_sum", "two_prod", "add", "sub", "mul", "div", "sqrt", "from_int"]

_SPLIT = 134217729.0                     # 2^27 + 1


def _fast_two_sum(a, b):
    s = a + b
    return s, b - (s - a)


def two_sum(a, b):
    """s + e = a + b exactly, s = fl(a + b)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    t = _SPLIT * a
    hi = t - (t - a)
    return hi, a - hi


def two_prod(a, b):
    """p + e = a b exactly, p = fl(a b) (no overflow for |a|, |b| < 2^996)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def add(a, b):
    s, e = two_sum(a[0], b[0])
    return _fast_two_sum(s, e + (a[1] + b[1]))


def sub(a, b):
    return add(a, (-b[0], -b[1]))


def mul(a, b):
    p, e = two_prod(a[0], b[0])
    return _fast_two_sum(p, e + (a[0] * b[1] + a[1] * b[0]))


def div(a, b):
    q1 = a[0] / b[0]
    r = sub(a, mul(b, (q1, 0.0)))
    return _fast_two_sum(q1, r[0] / b[0])


def sqrt(a):
    """sqrt of a double-double > 0."""
    s = np.sqrt(a[0])
    r = sub(a, two_prod(s, s))
    return _fast_two_sum(s, r[0] / (2 * s))


def from_int(n: int):
    """A Python integer as a double-double (exact below 2^106)."""
    hi = float(n)
    return np.float64(hi), np.float64(float(n - int(hi)))
