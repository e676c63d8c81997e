"""Stationary policies with the direct-KL penalty (paper, Section 3 and App. B.2).

Groups of two: setting gamma - beta (logit p - logit f) = 0 gives

    p = f e^{gamma/beta} / (f e^{gamma/beta} + 1 - f),

computed here from whichever of ``e^{+-gamma/beta}`` does not overflow, and
the other answer ``1 - p = (1 - f) / (f e^{gamma/beta} + 1 - f)`` directly (no
subtraction), so both are accurate to a few ulp.

Large groups: on-policy, dJ/dp = beta h(p) with
``h(x) = 1/(beta sqrt(x (1 - x))) - logit x + logit f``.  h is +oo at both
ends with a single minimum at ``x* = (1 + beta/sqrt(1 + beta^2))/2``, where

    h(x*) = 2 sqrt(1 + beta^2)/beta - 2 asinh(beta) + logit f.

So interior stationary points exist iff ``T(beta) = 2 asinh(beta) -
2 sqrt(1 + beta^2)/beta >= logit f``; T increases from -oo to +oo, which gives
the threshold ``beta*(f)`` (:func:`threshold_root`).  On-policy GRPO
started at pi_ref moves up (h(f) > 0) and stops at the smaller zero x1 of h
when there is one above f; otherwise it reaches 1.

>>> direct_kl_pairs(0.2, 0.04)            # p for pi_ref = 0.2, beta/gamma = 0.04
0.9999999999444482
>>> round(threshold_root(0.5), 6)          # beta* where logit f = 0
1.50888
"""
from __future__ import annotations

import math

import mpmath

from .validate import to_mpf

__all__ = ["direct_kl_pairs", "direct_kl_pairs_other", "threshold_root",
           "direct_kl_large", "threshold_function", "h_at_minimum"]


def direct_kl_pairs(f, c, exp=math.exp):
    """Groups of two: pi_theta(a) for pi_ref(a) = f and c = beta/gamma."""
    if 1 / c <= 1:
        t = exp(1 / c)
        return f * t / (f * t + (1 - f))
    s = exp(-1 / c)
    return f / (f + (1 - f) * s)


def direct_kl_pairs_other(f, c, exp=math.exp):
    """Groups of two: pi_theta(b) = 1 - pi_theta(a), without the subtraction."""
    if 1 / c <= 1:
        t = exp(1 / c)
        return (1 - f) / (f * t + (1 - f))
    s = exp(-1 / c)
    return (1 - f) * s / (f + (1 - f) * s)


def threshold_function(beta):
    """T(beta) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta (mpmath): interior stationary
    points exist iff T(beta) >= logit pi_ref(a)."""
    beta = mpmath.mpf(beta)
    return 2 * mpmath.asinh(beta) - 2 * mpmath.sqrt(1 + beta**2) / beta


def h_at_minimum(f, beta):
    """h(x*) = 2 sqrt(1 + beta^2)/beta - 2 asinh(beta) + logit f (mpmath)."""
    f = mpmath.mpf(f)
    return mpmath.log(f) - mpmath.log1p(-f) - threshold_function(beta)


def threshold_root(f, dps: int | None = None):
    """beta* for pi_ref(a) = f in (0, 1) (a float, or mpf with dps digits): the root of
    T(beta) = logit f (``grpo_sym.numeric.direct_kl_threshold`` validates and calls it)."""
    with mpmath.workdps((dps or 15) + 15):
        fm = to_mpf(f)
        target = mpmath.log(fm) - mpmath.log1p(-fm)
        lo, hi = mpmath.mpf(1), mpmath.mpf(1)
        while threshold_function(lo) > target:   # T increases from -oo to +oo
            lo /= 4
        while threshold_function(hi) < target:
            hi *= 4
        root = mpmath.findroot(lambda b: threshold_function(b) - target, (lo, hi),
                               solver="anderson")
    if dps is None:
        return float(root)
    with mpmath.workdps(dps):
        return +root


def direct_kl_large(f, beta, dps: int | None = None):
    """Large groups: where on-policy GRPO started at pi_ref(a) = f ends up.

    Returns (p_a, p_b): the smaller zero x1 of h when it lies above f, else (1, 0).
    """
    with mpmath.workdps((dps or 15) + 20):
        fm, b = mpmath.mpf(f), mpmath.mpf(beta)
        x_star = (1 + b / mpmath.sqrt(1 + b**2)) / 2
        if h_at_minimum(fm, b) > 0 or fm >= x_star:
            a, other = mpmath.mpf(1), mpmath.mpf(0)
        else:
            logit_f = mpmath.log(fm) - mpmath.log1p(-fm)

            def h(x):
                return 1 / (b * mpmath.sqrt(x * (1 - x))) - (mpmath.log(x) - mpmath.log1p(-x)) \
                    + logit_f

            # h(f) > 0 >= h(x*): a bracket for the zero x1 (h decreases on it)
            a = mpmath.findroot(h, (fm, x_star), solver="anderson")
            other = 1 - a
    if dps is None:
        return float(a), float(other)
    with mpmath.workdps(dps):
        return +a, +other
