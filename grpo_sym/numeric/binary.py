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

from . import validate

__all__ = ["stationary_binary", "stationary_binary_pair", "BinaryPolicy"]


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


def _pairs(f, g, c, m) -> BinaryPolicy:
    """Eq. (14) and its complement, stable for every c > 0 and f in (0, 1)."""
    if c <= 1:
        t = 1 - c
        root = m.hypot(t, 2 * m.sqrt(c * f))     # sqrt((1 - c)^2 + 4 c f)
        a = (t + root) / 2
    else:
        s = c - 1
        root = m.hypot(s, 2 * m.sqrt(c * f))
        a = 2 * c * f / (root + s)
    b = 2 * c * g / ((1 + c) + root)
    return BinaryPolicy(min(a, m.num(1)), min(b, m.num(1)))


def _large(f, g, beta, m) -> BinaryPolicy:
    """Eq. (15) and its complement; scaled by 1/beta^2 when beta > 1 (no overflow)."""
    if beta <= 1:
        b2 = beta * beta
        root = m.hypot(1, 2 * beta * m.sqrt(f * g))  # sqrt(1 + 4 beta^2 f g)
        a = (2 * b2 * f + 1 + root) / (2 * (1 + b2))
        b = 2 * b2 * g * g / (1 + 2 * b2 * g + root)
    else:
        e = 1 / beta                                  # divide through by beta^2
        e2 = e * e
        root = m.hypot(e2, 2 * e * m.sqrt(f * g))     # sqrt(1 + 4 beta^2 f g) / beta^2
        a = (2 * f + e2 + root) / (2 * (e2 + 1))
        b = 2 * g * g / (e2 + 2 * g + root)
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
    if penalty != "grpo":
        raise NotImplementedError("penalty='kl' (the direct-KL penalty of Section 3) is not "
                                  "implemented yet")
    if G != 2 and G != math.inf:
        raise NotImplementedError(f"group_size={G} is not implemented yet: only 2 and "
                                  "math.inf (the paper's closed forms (14) and (15))")
    m = _Float if dps is None else _Mp
    with mpmath.workdps((dps or 15) + 15):
        f_, beta_, gamma_ = (m.num(x) for x in (f, beta, gamma))
        g_ = 1 - f_
        if f_ == 0 or f_ == 1:
            # pi_theta's domain lies in pi_ref's support (Sec. 1.3)
            res = BinaryPolicy(f_, g_)
        elif G == 2:
            c = beta_ / gamma_
            res = _pairs(f_, g_, c, m) if c != math.inf else BinaryPolicy(f_, g_)
        else:
            res = _large(f_, g_, beta_, m)
    if dps is None:
        return res
    with mpmath.workdps(dps):
        return BinaryPolicy(+res.a, +res.b)


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
    penalty : ``"grpo"`` (the paper's estimator); ``"kl"`` later
    dps : None for a float accurate to a few ulp; an integer for an mpmath
        number with that many significant digits

    Raises ValueError naming the parameter for bad input (beta <= 0, a
    probability outside [0, 1], a margin outside (0, 1], NaN or infinity, a
    group size that is not an integer >= 2 or inf) and NotImplementedError for
    a valid setting not implemented yet.

    >>> stationary_binary(0.0, 0.5), stationary_binary(1.0, 0.5)
    (0.0, 1.0)
    >>> stationary_binary(0.3, -0.1)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a positive number, got -0.1
    """
    return stationary_binary_pair(pi_ref, beta, margin=margin, group_size=group_size, std=std,
                                  penalty=penalty, dps=dps).a
