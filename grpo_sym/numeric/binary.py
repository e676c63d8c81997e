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

Every other group size, the Bessel-corrected std and an eps added to the std
are solved numerically by :mod:`grpo_sym.numeric.finite_group` (for G = 2 they
only rescale c: the advantage of a in a split pair is ``(1/2)/(s_2 + eps)`` with
s_2 = 1/2, or 1/sqrt(2) for Bessel, so ``c = beta/(gamma (1/2)/(s_2 + eps))``).

>>> stationary_binary(0.2, 0.04)                 # groups of two, margin 1
0.9682622246293481
>>> stationary_binary(0.2, 0.04, group_size=math.inf)
0.9989775703849172
>>> stationary_binary(0.25, 1.0)                 # beta = gamma: sqrt(pi_ref)
0.5
>>> print(mpmath.nstr(stationary_binary(0.2, 0.04, dps=30), 30))
0.968262224629348117875593984439
>>> stationary_binary(0.2, 0.04, group_size=8)   # between (14) and (15)
0.987733682440109
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


def _pair_advantage(std: str, eps, m):
    """The advantage of a in a pair {a, b}: (1/2)/(s_2 + eps), s_2 = 1/2 or 1/sqrt(2)."""
    half = m.num(1) / 2
    s2 = half if std == "population" else 1 / m.sqrt(m.num(2))
    return half / (s2 + m.num(eps))


def stationary_binary_pair(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                           eps=0.0, penalty: str = "grpo", dps: int | None = None) -> BinaryPolicy:
    """Stationary probabilities of both answers; see :func:`stationary_binary`.

    >>> print(mpmath.nstr(stationary_binary_pair(0.999999, 0.01, dps=20).b, 20))
    9.9009901963536274451e-9
    >>> stationary_binary_pair(0.2, 0.04, group_size=8, std="bessel", eps=1e-4)   # TRL
    BinaryPolicy(a=0.9868703389988354, b=0.013129661001164675)
    """
    f = validate.probability("pi_ref", pi_ref)
    beta = validate.nonnegative("beta", beta)
    gamma = validate.margin_value(margin)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, ("population", "bessel"))
    eps = validate.nonnegative("eps", eps)
    validate.choice("penalty", penalty, ("grpo", "kl"))
    dps = validate.digits(dps)
    if G == math.inf and gamma != 1:
        raise ValueError("margin applies to groups of two; for group_size=math.inf, (15) "
                         "assumes deterministic rewards r(a|q) > r(b|q) (leave margin=1)")
    if G != 2 and G != math.inf and gamma != 1:
        raise ValueError(f"margin applies to groups of two; group_size={G} is solved for "
                         "deterministic rewards r(a|q) = 1 > r(b|q) = 0 (leave margin=1)")
    if gamma != 1 and eps != 0:
        raise ValueError("margin < 1 with eps > 0: with stochastic rewards the advantage "
                         "(r - r')/(|r - r'| + 2 eps) depends on the reward values, not only "
                         "on the margin (use eps=0, or margin=1 for rewards 1 and 0)")

    def done(res: BinaryPolicy) -> BinaryPolicy:
        if dps is None:
            return BinaryPolicy(float(res.a), float(res.b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+mpmath.mpf(res.a), +mpmath.mpf(res.b))

    if f == 0 or f == 1:
        # pi_theta's domain lies in pi_ref's support (Sec. 1.3)
        return done(BinaryPolicy(f, 1 - f))
    if beta == 0:
        # no penalty (TRL's default): nothing holds pi_theta back from the better answer
        return done(BinaryPolicy(1, 0))
    if G != 2 and (G != math.inf or eps != 0):
        from .finite_group import _solve
        return _solve(f, beta, G, std, eps, penalty, dps)
    if penalty == "kl":
        return _direct_kl(f, beta, gamma, G, dps, std, eps)
    if G == 2 and (std != "population" or eps != 0):
        # c = beta/(gamma A_2) is irrational and (14) needs c - 1 to full relative
        # accuracy where c is within 10^-17 of 1 (f tiny): 40 guard digits, round once
        with mpmath.workdps((dps or 17) + 40):
            c = mpmath.mpf(beta) / (mpmath.mpf(gamma) * _pair_advantage(std, eps, _Mp))
            return done(_pairs(mpmath.mpf(f), c, _Mp))
    m = _Float if dps is None else _Mp
    with mpmath.workdps((dps or 15) + 15):
        f_, beta_, gamma_ = (m.num(x) for x in (f, beta, gamma))
        g_ = 1 - f_
        if G == 2:
            c = beta_ / gamma_
            res = _pairs(f_, c, m) if c != math.inf else BinaryPolicy(f_, g_)
        else:
            res = _large(f_, beta_, m)
    if dps is None:
        return res
    with mpmath.workdps(dps):
        return BinaryPolicy(+res.a, +res.b)


def _direct_kl(f, beta, gamma, G, dps, std="population", eps=0) -> BinaryPolicy:
    """The direct-KL penalty (Sec. 3): closed form for groups of two; for large
    groups, where on-policy GRPO started at pi_ref ends up."""
    from .direct_kl import direct_kl_large, direct_kl_pairs, direct_kl_pairs_other

    if G == 2:
        # in float, e^{-gamma/beta} would amplify the rounding of gamma/beta by
        # |gamma/beta| and underflow where pi_theta(b) itself does not: work in
        # mpmath (30 digits for a float result) and round once
        # 1/c = gamma A_2/beta is the exponent: its digits are needed beyond the point
        digits = (dps or 15) + 15 + max(0, int(math.log10(float(gamma) / max(float(beta),
                                                                              1e-300))))
        with mpmath.workdps(digits):
            c = mpmath.mpf(beta) / (mpmath.mpf(gamma) * _pair_advantage(std, eps, _Mp))
            fm = mpmath.mpf(f)
            a, b = direct_kl_pairs(fm, c, mpmath.exp), direct_kl_pairs_other(fm, c, mpmath.exp)
        if dps is None:
            return BinaryPolicy(float(a), float(b))
        with mpmath.workdps(dps):
            return BinaryPolicy(+a, +b)
    return BinaryPolicy(*direct_kl_large(f, beta, dps))


def stationary_binary(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                      eps=0.0, penalty: str = "grpo", dps: int | None = None) -> float | mpmath.mpf:
    """pi_theta(a|q): where GRPO drives the better answer of a binary question.

    Options
    -------
    pi_ref : the reference probability of the better answer a, in [0, 1]
        (0 and 1 are fixed points: pi_theta's domain lies in pi_ref's support)
    beta : the KL coefficient, >= 0; beta = 0 (TRL's current default) switches the
        penalty off and the answer is 1 (for pi_ref > 0)
    margin : gamma_{a,b} = P(a > b) - P(b > a), in (0, 1] (1 for deterministic
        rewards); below 1 only for groups of two (the paper's (14)) with eps = 0
    group_size : 2 (eq. (14)), any integer G >= 2 (numeric, :mod:`.finite_group`),
        or ``math.inf`` (eq. (15))
    std : ``"population"`` (the paper) or ``"bessel"`` (torch ``.std()``: TRL,
        verl, OpenRLHF); the same at ``math.inf``
    eps : >= 0, added to the std in the advantage, in units of the rewards 1 and 0
        (TRL 1e-4, verl 1e-6, OpenRLHF 1e-9).  At ``math.inf`` it is the limit of
        the finite-G advantage, ``(r - mean)/(sigma + eps)`` with rewards 1 and 0
        (not (15), which is eps = 0)
    penalty : ``"grpo"`` (the paper's estimator) or ``"kl"`` (the direct-KL
        penalty of Section 3: for groups of two its closed form; otherwise the
        policy on-policy GRPO reaches from pi_ref -- for G = inf and eps = 0, 1.0
        when no interior stationary point attracts it, see ``direct_kl_threshold``;
        for finite G or eps > 0 an interior point always exists)
    dps : None for a float accurate to a few ulp; an integer for an mpmath
        number with that many significant digits

    Raises ValueError naming the parameter for bad input (beta < 0, a
    probability outside [0, 1], a margin outside (0, 1] or below 1 where it is
    not defined, eps < 0, NaN or infinity, a group size that is not an integer
    >= 2 or inf).

    >>> stationary_binary(0.3, 0.5, penalty="kl", group_size=math.inf)   # beta < beta*(0.3)
    1.0
    >>> round(stationary_binary(0.3, 2.0, penalty="kl", group_size=math.inf), 12)
    0.538855340108
    >>> stationary_binary(0.3, 0.04, group_size=64), stationary_binary(0.3, 0.0, group_size=8)
    (0.9962419232023527, 1.0)

    >>> stationary_binary(0.0, 0.5), stationary_binary(1.0, 0.5)
    (0.0, 1.0)
    >>> stationary_binary(0.3, -0.1)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a non-negative number, got -0.1
    """
    return stationary_binary_pair(pi_ref, beta, margin=margin, group_size=group_size, std=std,
                                  eps=eps, penalty=penalty, dps=dps).a
