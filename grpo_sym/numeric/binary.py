"""Closed forms of a binary question, over a backend (float/numpy, mpmath, SymPy).

Closed forms (paper, Section 2.3.1), with ``c = beta/margin`` and
``f = pi_ref(a|q)`` for the better answer a:

* groups of two, (14): ``p = (1 - c + sqrt((1 - c)^2 + 4 c f)) / 2``;
* large groups, (15): ``p = (2 beta^2 f + 1 + sqrt(1 + 4 beta^2 f (1 - f))) / (2 (1 + beta^2))``.

As printed, (14) cancels catastrophically when ``c > 1`` and ``c f`` is small
(all digits are lost at ``f = 1e-10, c = 1e6``), and ``1 - p`` cancels when p
is near 1.  Each probability is therefore computed from the root of its own
quadratic written without subtraction (the rewritings are claims proved in
``derivations/``, which evaluate these very functions on
:class:`grpo_sym.numeric.symbolic.SymbolicBackend`):

* (14), ``c > 1``:  ``p = 2 c f / (sqrt(D) + (c - 1))``,  ``D = (1 - c)^2 + 4 c f``;
* (14), other answer: ``1 - p = 2 c g / ((1 + c) + sqrt(D))``, ``g = 1 - f``;
* (15), other answer: ``1 - p = 2 b g^2 / (1 + 2 b g + sqrt(1 + 4 b f g))``, ``b = beta^2``;

and ``sqrt(x^2 + y^2)`` is a ``hypot`` (no overflow for huge c or beta).

A backend supplies ``sqrt``, ``hypot``, ``num`` (a constant in its number type) and
``minimum``.  :data:`FLOAT` evaluates numpy arrays
elementwise (and Python floats), :data:`MP` mpmath numbers.

>>> pairs(np.array([0.2, 0.25]), np.array([0.04, 1.0]))        # (14): a and b
BinaryPolicy(a=array([0.96826222, 0.5       ]), b=array([0.03173778, 0.5       ]))
>>> float(large(0.2, 0.04).a)                                  # (15)
0.9989775703849172
>>> print(mpmath.nstr(pairs(mpmath.mpf(0.2), mpmath.mpf(0.04), MP).a, 20))   # of the floats
0.96826222462934807833
"""
from __future__ import annotations

from typing import NamedTuple

import mpmath
import numpy as np

__all__ = ["BinaryPolicy", "FLOAT", "MP", "pairs", "large", "pair_advantage",
           "eq14_a_small_c", "eq14_a_large_c", "eq14_b", "eq15_a_small_beta",
           "eq15_a_large_beta", "eq15_b_small_beta", "eq15_b_large_beta"]


class BinaryPolicy(NamedTuple):
    """Stationary probabilities of the better answer ``a`` and of ``b``, each
    computed to full relative accuracy (``b`` is not ``1 - a``): floats, numpy
    arrays of the inputs' broadcast shape, or mpmath numbers."""

    a: float | np.ndarray | mpmath.mpf
    b: float | np.ndarray | mpmath.mpf


class _FloatBackend:
    """numpy: arrays elementwise (every branch evaluated, then selected)."""

    sqrt = staticmethod(np.sqrt)
    hypot = staticmethod(np.hypot)
    minimum = staticmethod(np.minimum)

    @staticmethod
    def num(x):
        return np.float64(x)


class _MpBackend:
    """mpmath numbers at the working precision (scalars)."""

    sqrt = staticmethod(mpmath.sqrt)
    hypot = staticmethod(mpmath.hypot)
    minimum = staticmethod(min)

    @staticmethod
    def num(x):
        return mpmath.mpf(x)


FLOAT = _FloatBackend
MP = _MpBackend


# -- the stable formulas (one function per branch; m is the backend) --------------

def eq14_a_small_c(f, c, m=FLOAT):
    """(14) for c = beta/gamma <= 1: no cancellation as printed."""
    return ((1 - c) + m.hypot(1 - c, 2 * m.sqrt(c * f))) / 2


def eq14_a_large_c(f, c, m=FLOAT):
    """(14) for c > 1, rationalised: 2 c f / (sqrt(D) + (c - 1))."""
    return 2 * c * f / (m.hypot(c - 1, 2 * m.sqrt(c * f)) + (c - 1))


def eq14_b(f, c, m=FLOAT):
    """1 - (14) without subtraction: 2 c g / ((1 + c) + sqrt(D)), g = 1 - f."""
    return 2 * c * (1 - f) / ((1 + c) + m.hypot(1 - c, 2 * m.sqrt(c * f)))


def eq15_a_small_beta(f, beta, m=FLOAT):
    """(15) as printed (no cancellation); used for beta <= 1."""
    b2 = beta * beta
    return (2 * b2 * f + 1 + m.hypot(1, 2 * beta * m.sqrt(f * (1 - f)))) / (2 * (1 + b2))


def eq15_a_large_beta(f, beta, m=FLOAT):
    """(15) divided through by beta^2 (no overflow); used for beta > 1."""
    e = 1 / beta
    e2 = e * e
    return (2 * f + e2 + m.hypot(e2, 2 * e * m.sqrt(f * (1 - f)))) / (2 * (e2 + 1))


def eq15_b_small_beta(f, beta, m=FLOAT):
    """1 - (15) without subtraction: 2 b g^2 / (1 + 2 b g + sqrt(1 + 4 b f g))."""
    b2 = beta * beta
    g = 1 - f
    return 2 * b2 * g * g / (1 + 2 * b2 * g + m.hypot(1, 2 * beta * m.sqrt(f * g)))


def eq15_b_large_beta(f, beta, m=FLOAT):
    """1 - (15), divided through by beta^2."""
    e = 1 / beta
    e2 = e * e
    g = 1 - f
    return 2 * g * g / (e2 + 2 * g + m.hypot(e2, 2 * e * m.sqrt(f * g)))


def _pairs(f, c, m) -> BinaryPolicy:
    a = eq14_a_small_c(f, c, m) if c <= 1 else eq14_a_large_c(f, c, m)
    return BinaryPolicy(min(a, m.num(1)), min(eq14_b(f, c, m), m.num(1)))


def _large(f, beta, m) -> BinaryPolicy:
    if beta <= 1:
        a, b = eq15_a_small_beta(f, beta, m), eq15_b_small_beta(f, beta, m)
    else:
        a, b = eq15_a_large_beta(f, beta, m), eq15_b_large_beta(f, beta, m)
    return BinaryPolicy(min(a, m.num(1)), min(b, m.num(1)))


def _branch(m, cond, first, second):
    """first() where cond, else second(): elementwise for numpy, lazily for scalars."""
    if m is FLOAT:
        return np.where(cond, first(), second())
    return first() if cond else second()


def pairs(f, c, m=FLOAT) -> BinaryPolicy:
    """(14) for pi_ref(a) = f and c = beta/gamma > 0: both answers (c = inf gives (f, 1 - f))."""
    with np.errstate(all="ignore"):
        a = _branch(m, c <= 1, lambda: eq14_a_small_c(f, c, m), lambda: eq14_a_large_c(f, c, m))
        b = eq14_b(f, c, m)
        one = m.num(1)
        inf = c == m.num(np.inf)
        return BinaryPolicy(_branch(m, inf, lambda: f, lambda: m.minimum(a, one)),
                            _branch(m, inf, lambda: one - f, lambda: m.minimum(b, one)))


def large(f, beta, m=FLOAT) -> BinaryPolicy:
    """(15) for pi_ref(a) = f and beta > 0: both answers."""
    with np.errstate(all="ignore"):
        small = beta <= 1
        a = _branch(m, small, lambda: eq15_a_small_beta(f, beta, m),
                    lambda: eq15_a_large_beta(f, beta, m))
        b = _branch(m, small, lambda: eq15_b_small_beta(f, beta, m),
                    lambda: eq15_b_large_beta(f, beta, m))
        one = m.num(1)
        return BinaryPolicy(m.minimum(a, one), m.minimum(b, one))


def pair_advantage(std: str, eps, m=MP):
    """The advantage of a in a pair {a, b}: (1/2)/(s_2 + eps), s_2 = 1/2 or 1/sqrt(2)."""
    half = m.num(1) / 2
    s2 = half if std == "population" else 1 / m.sqrt(m.num(2))
    return half / (s2 + m.num(eps))
