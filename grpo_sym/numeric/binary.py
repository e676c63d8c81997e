"""Stationary policies for binary questions, evaluated without losing digits.

Closed forms (paper, Section 2.3.1), with ``c = beta/margin`` and
``f = pi_ref(a|q)`` for the better answer a:

* groups of two, (14): ``p = (1 - c + sqrt((1 - c)^2 + 4 c f)) / 2``;
* large groups, (15): ``p = (2 beta^2 f + 1 + sqrt(1 + 4 beta^2 f (1 - f))) / (2 (1 + beta^2))``.

As printed, (14) cancels catastrophically when ``c > 1`` and ``c f`` is small
(all digits are lost at ``f = 1e-10, c = 1e6``), and ``1 - p`` cancels when p
is near 1.  Each probability is therefore computed from the root of its own
quadratic written without subtraction (the rewritings are claims proved in
``derivations/``):

* (14), ``c > 1``:  ``p = 2 c f / (sqrt(D) + (c - 1))``,  ``D = (1 - c)^2 + 4 c f``;
* (14), other answer: ``1 - p = 2 c g / ((1 + c) + sqrt(D))``, ``g = 1 - f``;
* (15), other answer: ``1 - p = 2 b g^2 / (1 + 2 b g + sqrt(1 + 4 b f g))``, ``b = beta^2``;

and ``sqrt(x^2 + y^2)`` is a ``hypot`` (no overflow for huge c or beta).

>>> stationary_binary(0.2, 0.04)                 # groups of two, margin 1
0.9682622246293481
>>> stationary_binary(0.2, 0.04, group_size=math.inf)
0.9989775703849172
>>> stationary_binary(0.25, 1.0)                 # beta = gamma: sqrt(pi_ref)
0.5
>>> print(mpmath.nstr(stationary_binary(0.2, 0.04, dps=30), 30))
0.968262224629348117875593984439
"""
from __future__ import annotations

import math
from typing import NamedTuple

import mpmath
import sympy as sp

from . import validate

__all__ = ["stationary_binary", "stationary_binary_pair", "BinaryPolicy", "SymbolicBackend",
           "eq14_a_small_c", "eq14_a_large_c", "eq14_b", "eq15_a_small_beta",
           "eq15_a_large_beta", "eq15_b_small_beta", "eq15_b_large_beta"]


class BinaryPolicy(NamedTuple):
    """Stationary probabilities of the better answer ``a`` and of ``b``, each
    computed to full relative accuracy (``b`` is not ``1 - a``)."""

    a: float | mpmath.mpf
    b: float | mpmath.mpf


class _Float:
    sqrt = staticmethod(math.sqrt)
    hypot = staticmethod(math.hypot)

    @staticmethod
    def num(x):
        return float(x)


class _Mp:
    sqrt = staticmethod(mpmath.sqrt)
    hypot = staticmethod(mpmath.hypot)

    @staticmethod
    def num(x):
        return mpmath.mpf(x)


class SymbolicBackend:
    """The same formulas as SymPy expressions, so that derivations/ can prove
    that what the float code evaluates is the paper's (14) and (15)."""

    sqrt = staticmethod(sp.sqrt)

    @staticmethod
    def hypot(x, y):
        return sp.sqrt(x**2 + y**2)

    @staticmethod
    def num(x):
        return sp.sympify(x)


# -- the stable formulas (one function per branch; m is the backend) --------------

def eq14_a_small_c(f, c, m=_Float):
    """(14) for c = beta/gamma <= 1: no cancellation as printed."""
    return ((1 - c) + m.hypot(1 - c, 2 * m.sqrt(c * f))) / 2


def eq14_a_large_c(f, c, m=_Float):
    """(14) for c > 1, rationalised: 2 c f / (sqrt(D) + (c - 1))."""
    return 2 * c * f / (m.hypot(c - 1, 2 * m.sqrt(c * f)) + (c - 1))


def eq14_b(f, c, m=_Float):
    """1 - (14) without subtraction: 2 c g / ((1 + c) + sqrt(D)), g = 1 - f."""
    return 2 * c * (1 - f) / ((1 + c) + m.hypot(1 - c, 2 * m.sqrt(c * f)))


def eq15_a_small_beta(f, beta, m=_Float):
    """(15) as printed (no cancellation); used for beta <= 1."""
    b2 = beta * beta
    return (2 * b2 * f + 1 + m.hypot(1, 2 * beta * m.sqrt(f * (1 - f)))) / (2 * (1 + b2))


def eq15_a_large_beta(f, beta, m=_Float):
    """(15) divided through by beta^2 (no overflow); used for beta > 1."""
    e = 1 / beta
    e2 = e * e
    return (2 * f + e2 + m.hypot(e2, 2 * e * m.sqrt(f * (1 - f)))) / (2 * (e2 + 1))


def eq15_b_small_beta(f, beta, m=_Float):
    """1 - (15) without subtraction: 2 b g^2 / (1 + 2 b g + sqrt(1 + 4 b f g))."""
    b2 = beta * beta
    g = 1 - f
    return 2 * b2 * g * g / (1 + 2 * b2 * g + m.hypot(1, 2 * beta * m.sqrt(f * g)))


def eq15_b_large_beta(f, beta, m=_Float):
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


def stationary_binary_pair(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                           penalty: str = "grpo", dps: int | None = None) -> BinaryPolicy:
    """Stationary probabilities of both answers; see :func:`stationary_binary`.

    >>> print(mpmath.nstr(stationary_binary_pair(0.999999, 0.01, dps=20).b, 20))
    9.9009901963536274451e-9
    """
    f = validate.probability("pi_ref", pi_ref)
    beta = validate.positive("beta", beta)
    gamma = validate.margin_value(margin)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, ("population", "bessel"))
    validate.choice("penalty", penalty, ("grpo", "kl"))
    dps = validate.digits(dps)
    if G == math.inf and gamma != 1:
        raise ValueError("margin applies to groups of two; for group_size=math.inf, (15) "
                         "assumes deterministic rewards r(a|q) > r(b|q) (leave margin=1)")
    if std != "population":
        raise NotImplementedError("std='bessel' is not implemented yet (planned: exact "
                                  "stationary policies for trainer conventions)")

    if G != 2 and G != math.inf:
        raise NotImplementedError(f"group_size={G} is not implemented yet: only 2 and "
                                  "math.inf (the paper's closed forms (14) and (15))")
    if penalty == "kl":
        return _direct_kl(f, beta, gamma, G, dps)
    m = _Float if dps is None else _Mp
    with mpmath.workdps((dps or 15) + 15):
        f_, beta_, gamma_ = (m.num(x) for x in (f, beta, gamma))
        g_ = 1 - f_
        if f_ == 0 or f_ == 1:
            # pi_theta's domain lies in pi_ref's support (Sec. 1.3)
            res = BinaryPolicy(f_, g_)
        elif G == 2:
            c = beta_ / gamma_
            res = _pairs(f_, c, m) if c != math.inf else BinaryPolicy(f_, g_)
        else:
            res = _large(f_, beta_, m)
    if dps is None:
        return res
    with mpmath.workdps(dps):
        return BinaryPolicy(+res.a, +res.b)


def _direct_kl(f, beta, gamma, G, dps) -> BinaryPolicy:
    """The direct-KL penalty (Sec. 3): closed form for groups of two; for large
    groups, where on-policy GRPO started at pi_ref ends up."""
    from .direct_kl import direct_kl_large, direct_kl_pairs, direct_kl_pairs_other

    if f == 0 or f == 1:
        one = mpmath.mpf(1) if dps else 1.0
        return BinaryPolicy(f * one, (1 - f) * one)
    if G == 2:
        # in float, e^{-gamma/beta} would amplify the rounding of gamma/beta by
        # |gamma/beta| and underflow where pi_theta(b) itself does not: work in
        # mpmath (30 digits for a float result) and round once
        with mpmath.workdps((dps or 15) + 15):
            c = mpmath.mpf(beta) / mpmath.mpf(gamma)
            fm = mpmath.mpf(f)
            a, b = direct_kl_pairs(fm, c, mpmath.exp), direct_kl_pairs_other(fm, c, mpmath.exp)
        if dps is None:
            return BinaryPolicy(float(a), float(b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+a, +b)
    return BinaryPolicy(*direct_kl_large(f, beta, dps))


def stationary_binary(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                      penalty: str = "grpo", dps: int | None = None) -> float | mpmath.mpf:
    """pi_theta(a|q): where GRPO drives the better answer of a binary question.

    Options
    -------
    pi_ref : the reference probability of the better answer a, in [0, 1]
        (0 and 1 are fixed points: pi_theta's domain lies in pi_ref's support)
    beta : the KL coefficient, > 0
    margin : gamma_{a,b} = P(a > b) - P(b > a), in (0, 1] (1 for deterministic
        rewards); groups of two only
    group_size : 2 (eq. (14)) or ``math.inf`` (eq. (15)); other sizes later
    std : ``"population"`` (the paper); ``"bessel"`` later
    penalty : ``"grpo"`` (the paper's estimator) or ``"kl"`` (the direct-KL
        penalty of Section 3: for groups of two its closed form; for large
        groups the policy on-policy GRPO reaches from pi_ref -- 1.0 when no
        interior stationary point attracts it, see ``direct_kl_threshold``)
    dps : None for a float accurate to a few ulp; an integer for an mpmath
        number with that many significant digits

    Raises ValueError naming the parameter for bad input (beta <= 0, a
    probability outside [0, 1], a margin outside (0, 1], NaN or infinity, a
    group size that is not an integer >= 2 or inf) and NotImplementedError for
    a valid setting not implemented yet (other group sizes, std="bessel").

    >>> stationary_binary(0.3, 0.5, penalty="kl", group_size=math.inf)   # beta < beta*(0.3)
    1.0
    >>> round(stationary_binary(0.3, 2.0, penalty="kl", group_size=math.inf), 12)
    0.538855340108

    >>> stationary_binary(0.0, 0.5), stationary_binary(1.0, 0.5)
    (0.0, 1.0)
    >>> stationary_binary(0.3, -0.1)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a positive number, got -0.1
    """
    return stationary_binary_pair(pi_ref, beta, margin=margin, group_size=group_size, std=std,
                                  penalty=penalty, dps=dps).a
