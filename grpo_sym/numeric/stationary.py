"""Where GRPO drives a binary question: the public entry points, their validation and
broadcasting.

Every function here takes ``pi_ref``, ``beta``, ``margin``, ``eps`` (and ``group_size``)
as numbers or arrays (numpy arrays, 0-d arrays, nested lists), broadcasts them as numpy
does and returns floats for scalars, float64 arrays of the broadcast shape otherwise.

* ``dps=None`` (floats): each input is converted to float once (an int, Fraction,
  Decimal, decimal string or mpf too); the grid is solved at once --
  closed forms (:mod:`.binary`) for groups of two and large groups, vectorised Newton
  with a double-double step (:func:`.solvers.grid_grpo`) for every other group size --
  and the rare point those cannot settle (an answer that underflows, an
  ill-conditioned root) is solved alone by :func:`.solvers.binary_point`.  The result
  is within a few ulp of the exact answer everywhere (pi_ref down to 1e-300, beta/gamma
  from 1e-12 to 1e12, G up to 1e6).
* ``dps=d``: mpmath numbers with d significant digits; int, Fraction, Decimal, decimal
  strings and mpf are read exactly at the working precision (``validate.to_mpf``), so
  ``stationary_binary("0.81", "0.81", margin="0.81", dps=60)`` is 0.9 to all 60 digits.
  Arrays give object arrays of mpf (one exact solve per element).

``beta = 0`` is no penalty: the answer is 1 (for pi_ref > 0), for every group size,
std, eps and penalty.

>>> stationary_binary(0.2, 0.04)                 # groups of two, margin 1: (14)
0.9682622246293481
>>> stationary_binary(0.2, 0.04, group_size=math.inf)
0.9989775703849172
>>> stationary_binary(0.2, 0.04, group_size=8)   # between (14) and (15)
0.987733682440109
>>> stationary_binary([0.2, 0.25], [[0.04], [1.0]])          # broadcast: shape (2, 2)
array([[0.96826222, 0.97030603],
       [0.4472136 , 0.5       ]])
>>> print(mpmath.nstr(stationary_binary(0.2, 0.04, dps=30), 30))
0.968262224629348117875593984439
"""
from __future__ import annotations

import math

import mpmath
import numpy as np

from . import validate
from .binary import BinaryPolicy, large, pairs
from .direct_kl import threshold_root
from .kernel import Kernel, sums_float, sums_mp
from .solvers import binary_point, grid_grpo

__all__ = ["stationary_binary", "stationary_binary_pair", "stationary_binary_finite",
           "group_advantage_sum", "direct_kl_threshold"]

_STD = ("population", "bessel")
_PENALTY = ("grpo", "kl")
_NAMES = ("pi_ref", "beta", "margin", "eps")
_KINDS = ("probability", "nonnegative", "margin", "nonnegative")


def stationary_binary_pair(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                           eps=0.0, penalty: str = "grpo", dps: int | None = None
                           ) -> BinaryPolicy:
    """Stationary probabilities of both answers, each to full relative accuracy (b is not
    computed as 1 - a); options and broadcasting as for :func:`stationary_binary`.

    >>> print(mpmath.nstr(stationary_binary_pair(0.999999, 0.01, dps=20).b, 20))
    9.9009901963536274451e-9
    >>> stationary_binary_pair(0.2, 0.04, group_size=8, std="bessel", eps=1e-4)   # TRL
    BinaryPolicy(a=0.9868703389988354, b=0.013129661001164675)
    >>> stationary_binary_pair(np.array([1e-300, 0.5]), 1e6).b
    array([1.        , 0.49999975])
    """
    validate.choice("std", std, _STD)
    validate.choice("penalty", penalty, _PENALTY)
    dps = validate.digits(dps)
    values = (pi_ref, beta, margin, eps)
    if dps is not None:
        return _exact(values, group_size, std, penalty, dps)
    arrays = [validate.floats(n, v, k) for n, v, k in zip(_NAMES, values, _KINDS)]
    G = validate.group_sizes(group_size)
    shape = _shape(arrays + [G])
    f, beta_, gamma, eps_, G = (np.broadcast_to(x, shape).ravel() for x in arrays + [G])
    _check_margin(gamma, G, eps_)
    a, b = _solve_floats(f, beta_, gamma, eps_, G, std, penalty)
    if shape == ():
        return BinaryPolicy(float(a[0]), float(b[0]))
    return BinaryPolicy(a.reshape(shape), b.reshape(shape))


def stationary_binary(pi_ref, beta, *, margin=1, group_size=2, std: str = "population",
                      eps=0.0, penalty: str = "grpo", dps: int | None = None
                      ) -> float | np.ndarray | mpmath.mpf:
    """pi_theta(a|q): where GRPO drives the better answer of a binary question.

    Options (each of pi_ref, beta, margin, eps, group_size a number or an array; they
    broadcast together)
    -------
    pi_ref : the reference probability of the better answer a, in [0, 1]
        (0 and 1 are fixed points: pi_theta's domain lies in pi_ref's support)
    beta : the KL coefficient, >= 0; beta = 0 (TRL's current default) switches the
        penalty off and the answer is 1 (for pi_ref > 0)
    margin : gamma_{a,b} = P(a > b) - P(b > a), in (0, 1] (1 for deterministic
        rewards); below 1 only for groups of two (the paper's (14)) with eps = 0
    group_size : 2 (eq. (14)), any integer G >= 2 (:func:`.solvers.grid_grpo`), or
        inf (``math.inf``, ``"inf"``: eq. (15))
    std : ``"population"`` (the paper) or ``"bessel"`` (torch ``.std()``: TRL,
        verl, OpenRLHF); the same at inf
    eps : >= 0, added to the std in the advantage, in units of the rewards 1 and 0
        (TRL 1e-4, verl 1e-6, OpenRLHF 1e-9).  At inf it is the limit of the finite-G
        advantage, ``(r - mean)/(sigma + eps)`` with rewards 1 and 0 (not (15), which
        is eps = 0)
    penalty : ``"grpo"`` (the paper's estimator) or ``"kl"`` (the direct-KL
        penalty of Section 3: for groups of two its closed form; otherwise the
        policy on-policy GRPO reaches from pi_ref -- for G = inf and eps = 0, 1.0
        when no interior stationary point attracts it, see ``direct_kl_threshold``;
        for finite G or eps > 0 an interior point always exists).  Solved point by
        point (not vectorised)
    dps : None for floats accurate to a few ulp; an integer for mpmath numbers with
        that many significant digits (exact inputs kept exact)

    Raises ValueError naming the parameter for bad input (beta < 0, a probability
    outside [0, 1], a margin outside (0, 1] or below 1 where it is not defined,
    eps < 0, NaN or infinity, a group size that is not an integer >= 2 or inf),
    TypeError for a value that is not a real number.

    >>> stationary_binary(0.3, 0.5, penalty="kl", group_size=math.inf)   # beta < beta*(0.3)
    1.0
    >>> round(stationary_binary(0.3, 2.0, penalty="kl", group_size=math.inf), 12)
    0.538855340108
    >>> stationary_binary(0.3, 0.04, group_size=64), stationary_binary(0.3, 0.0, group_size=8)
    (0.9962419232023527, 1.0)
    >>> stationary_binary(0.0, 0.5), stationary_binary(1.0, 0.5)
    (0.0, 1.0)
    >>> stationary_binary(0.2, 0.04, group_size=[2, 8, "inf"])
    array([0.96826222, 0.98773368, 0.99897757])
    >>> stationary_binary(0.3, -0.1)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a non-negative number, got -0.1
    >>> stationary_binary(0.3, 0.1, group_size=2.5)
    Traceback (most recent call last):
    ...
    ValueError: group_size must be an integer >= 2 or inf, got 2.5
    """
    return stationary_binary_pair(pi_ref, beta, margin=margin, group_size=group_size, std=std,
                                  eps=eps, penalty=penalty, dps=dps).a


def stationary_binary_finite(pi_ref, beta, group_size, *, std: str = "population", eps=0.0,
                             penalty: str = "grpo", dps: int | None = None) -> BinaryPolicy:
    """The stationary policy (pi_theta(a), pi_theta(b)) of a binary question for group
    size G with deterministic rewards: :func:`stationary_binary_pair` at margin 1.

    Solves ``beta (p - f) = g(p)`` (``penalty="grpo"``, the paper's (11)) or
    ``beta (logit p - logit f) = g(p)/(p (1 - p))`` (``penalty="kl"``; the first
    root above pi_ref, where on-policy GRPO started at pi_ref stops) for
    p = pi_theta(a), f = pi_ref(a); see :mod:`.kernel` for g and :mod:`.solvers` for
    the methods.

    >>> a3 = stationary_binary_finite(0.2, 0.04, 3).a            # G = 3 is (14) at beta/sqrt(2)
    >>> abs(a3 - stationary_binary_finite(0.2, 0.04 / math.sqrt(2), 2).a) < 1e-15
    True
    >>> stationary_binary_finite(0.3, 2.0, 8, penalty="kl").a     # G = inf: 0.538855340108
    0.5202541518370546
    >>> stationary_binary_finite(0.3, 0.5, 64, penalty="kl").b    # G = inf: 0 (beta < beta*)
    2.977159045895317e-07
    >>> stationary_binary_finite(0.3, 0.0, 64), stationary_binary_finite(0.0, 0.5, 64)
    (BinaryPolicy(a=1.0, b=0.0), BinaryPolicy(a=0.0, b=1.0))
    >>> stationary_binary_finite(0.3, 0.1, 1)
    Traceback (most recent call last):
    ...
    ValueError: group_size must be an integer >= 2 or inf, got 1
    """
    return stationary_binary_pair(pi_ref, beta, group_size=group_size, std=std, eps=eps,
                                  penalty=penalty, dps=dps)


# -- floats: the whole grid at once ----------------------------------------------------------

def _shape(arrays) -> tuple:
    try:
        return np.broadcast_shapes(*(np.shape(x) for x in arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(x)}" for n, x in
                           zip(_NAMES + ("group_size",), arrays))
        raise ValueError(f"pi_ref, beta, margin, eps and group_size must broadcast "
                         f"together, got shapes {shapes}") from None


def _check_margin(gamma, G, eps) -> None:
    """A margin below 1 is defined for groups of two with eps = 0 only."""
    below = gamma != 1
    if (below & np.isinf(G)).any():
        raise ValueError("margin applies to groups of two; for group_size=inf, (15) assumes "
                         "deterministic rewards r(a|q) > r(b|q) (leave margin=1)")
    odd = below & (G != 2) & np.isfinite(G)
    if odd.any():
        raise ValueError(f"margin applies to groups of two; group_size={int(G[odd][0])} is "
                         "solved for deterministic rewards r(a|q) = 1 > r(b|q) = 0 (leave "
                         "margin=1)")
    if (below & (eps != 0)).any():
        raise ValueError("margin < 1 with eps > 0: with stochastic rewards the advantage "
                         "(r - r')/(|r - r'| + 2 eps) depends on the reward values, not only "
                         "on the margin (use eps=0, or margin=1 for rewards 1 and 0)")


def _solve_floats(f, beta, gamma, eps, G, std, penalty):
    """(a, b) for flat float arrays of one length."""
    a, b = np.empty_like(f), np.empty_like(f)
    edge = (f == 0) | (f == 1)             # pi_theta's domain lies in pi_ref's support
    a[edge], b[edge] = f[edge], 1 - f[edge]
    free = ~edge & (beta == 0)             # no penalty: nothing holds pi_theta back from a
    a[free], b[free] = 1.0, 0.0
    todo = ~edge & ~free
    for g_value in sorted(set(G[todo].tolist())):      # (np.unique imports numpy.ma: 80 ms)
        m = todo & (G == g_value)
        Gv = math.inf if math.isinf(g_value) else int(g_value)
        one = m & (eps == 0) & (std == "population" or Gv == math.inf)
        if penalty == "grpo" and Gv == 2:          # (14): c = beta/gamma
            res = pairs(f[one], beta[one] / gamma[one])
            a[one], b[one] = res.a, res.b
            m &= ~one
        elif penalty == "grpo" and Gv == math.inf:     # (15)
            res = large(f[one], beta[one])
            a[one], b[one] = res.a, res.b
            m &= ~one
        alone = np.flatnonzero(m)
        if penalty == "grpo" and Gv != math.inf and alone.size:
            e = eps[alone]
            ga, gb, ok = grid_grpo(f[alone], beta[alone], Gv, std,
                                   e[0] if (e == e[0]).all() else e)
            a[alone], b[alone] = ga, gb
            alone = alone[~ok]
        for i in alone:                    # the direct KL, G = inf with eps > 0, fallbacks
            a[i], b[i] = binary_point(f[i], beta[i], gamma[i], Gv, std, eps[i], penalty, None)
    return a, b


# -- mpmath: one exact solve per element ----------------------------------------------------

def _exact(values, group_size, std, penalty, dps):
    checks = (validate.probability, validate.nonnegative,
              lambda _n, v: validate.margin_value(v), validate.nonnegative)
    cells = [_elementwise(n, v, c) for n, v, c in zip(_NAMES, values, checks)]
    cells.append(_elementwise("group_size", group_size,
                              lambda _n, v: validate.group_size_value(v)))
    shape = _shape(cells)
    if shape == ():
        return _exact_point(*cells, std, penalty, dps)
    a, b = np.empty(shape, dtype=object), np.empty(shape, dtype=object)
    cells = [np.broadcast_to(c, shape) for c in cells]
    for idx in np.ndindex(shape):
        a[idx], b[idx] = _exact_point(*(c[idx] for c in cells), std, penalty, dps)
    return BinaryPolicy(a, b)


def _elementwise(name, value, check):
    """A validated scalar as given, or an object array of them."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return check(name, value)
    raw = np.asarray(value, dtype=object)
    out = np.empty(raw.shape, dtype=object)
    for idx in np.ndindex(raw.shape):
        try:
            out[idx] = check(name, raw[idx])
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{exc} (at index {idx[0] if len(idx) == 1 else idx})") from None
    return out


def _exact_point(f, beta, gamma, eps, G, std, penalty, dps):
    _check_margin(np.array([1.0 if gamma == 1 else 0.5]), np.array([float(G)]),
                  np.array([0.0 if eps == 0 else 1.0]))         # (values standing for them)
    return binary_point(f, beta, gamma, G, std, eps, penalty, dps)


# -- the group-advantage sum and the direct-KL threshold --------------------------------------

def group_advantage_sum(q, group_size, *, std: str = "population", eps=0.0,
                        dps: int | None = None) -> float | mpmath.mpf:
    """g(q) = q P_G(a | q) = E[(1/G) sum over the a's of a group of their advantages].

    ``g(q) = sum_j C(G, j) q^j (1 - q)^(G - j) psi(j/G)`` with
    ``psi(x) = x (1 - x)/(s(x) + eps)`` (:mod:`.kernel`); for the population std
    and eps = 0 it is the Bernstein polynomial of sqrt(x (1 - x)).  Then
    P_G(a | q) = g/q and P_G(b | q) = -g/(1 - q).

    Options
    -------
    q : pi_old(a), in [0, 1] (g(0) = g(1) = 0)
    group_size : an integer G >= 2, or inf for the limit ``psi(q)``
    std : ``"population"`` (the paper) or ``"bessel"`` (torch ``.std()``)
    eps : the constant added to the std, >= 0 (rewards are 1 and 0, so eps is in
        their units)
    dps : None for a float (a few ulp), or the number of significant digits

    >>> group_advantage_sum(0.3, 3), math.sqrt(2) * 0.3 * 0.7       # G = 3: sqrt(2) q (1 - q)
    (0.29698484809834996, 0.29698484809834996)
    >>> print(mpmath.nstr(group_advantage_sum(0.5, 10**6, dps=30), 25))  # ~ 1/2 - 1/(8 G (1/2))
    0.4999997499998124996562489
    """
    q = validate.probability("q", q)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, _STD)
    eps = validate.nonnegative("eps", eps)
    dps = validate.digits(dps)
    digits = dps or 17
    prec = int((digits + 6) * 3.33)
    with mpmath.workprec(prec + 32):
        qm, em = validate.to_mpf(q), validate.to_mpf(eps)
        if q == 0 or q == 1:
            res = mpmath.mpf(0)
        elif G == math.inf and eps == 0:
            res = mpmath.sqrt(qm * (1 - qm))
        elif dps is None and G != math.inf:
            qf = float(q)
            side = "a" if qf <= 0.5 else "b"
            x = qf if side == "a" else 1.0 - qf
            return sums_float(Kernel(G, std, float(eps)), x, side)[0] * x
        else:
            side = "a" if qm <= mpmath.mpf(1) / 2 else "b"
            x = qm if side == "a" else 1 - qm
            res = sums_mp(Kernel(G, std, em), x, side, prec)[0] * x
    if dps is None:
        return float(res)
    with mpmath.workdps(dps):
        return +res


def direct_kl_threshold(pi_ref, *, dps: int | None = None):
    """beta*(pi_ref): for beta > beta* the large-group direct-KL objective has two
    interior stationary points (a local maximum and a local minimum); for
    beta < beta* none, and on-policy GRPO drives pi_theta(a) to 1.

    Options
    -------
    pi_ref : pi_ref(a) of the better answer, in [0, 1] (0 gives 0.0, 1 gives inf); an
        array gives an array (one root per element)
    dps : None for floats, or the number of significant digits of mpmath results

    >>> direct_kl_threshold(0.0), direct_kl_threshold(1.0)
    (0.0, inf)
    >>> direct_kl_threshold([0.1, 0.5]).round(6)
    array([0.697006, 1.50888 ])
    >>> direct_kl_threshold(2)
    Traceback (most recent call last):
    ...
    ValueError: pi_ref must be a probability in [0, 1], got 2
    """
    dps = validate.digits(dps)
    f = _elementwise("pi_ref", pi_ref, validate.probability)

    def one(x):
        if x == 0:
            return mpmath.mpf(0) if dps else 0.0
        if x == 1:
            return mpmath.inf if dps else math.inf
        return threshold_root(x, dps)

    if not isinstance(f, np.ndarray):
        return one(f)
    out = np.empty(f.shape, dtype=object if dps else np.float64)
    for idx in np.ndindex(f.shape):
        out[idx] = one(f[idx])
    return out
