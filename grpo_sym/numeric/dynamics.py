"""How fast on-policy GRPO without a penalty (beta = 0) drives the better answer to 1.

A binary question, a (reward 1) and b (reward 0), p = pi_theta(a).  With beta = 0 the
on-policy update is a gradient flow dp/dt = eta m(p) gamma(p)
(:mod:`grpo_sym.grpo.dynamics`): the margin gamma of the reward scaling times the metric m
of the update rule (``flow``).  This module gives, for each scaling and rule, the time
to reach 1 - delta, the number of discrete steps, and the behaviour as delta -> 0.

=================================  ======================================================
function                           returns
=================================  ======================================================
``margin(p, ...)``                 gamma(p) = P(a | p) - P(b | p) of the scaling
``time_to_reach(p0, delta, ...)``  the flow's time from p0 to 1 - delta (inf if never)
``steps_to_reach(p0, delta, ...)`` the discrete updates from p0 until p >= 1 - delta
``near_one(...)``                  ``NearOne``: how the time grows as delta -> 0
=================================  ======================================================

Scalings (``scaling``): ``"std"`` -- (r - mean)/(std + eps) per group, population or Bessel
std (``group_size`` G, or inf for the large-group limit); ``"shift"`` -- r - mean (Dr. GRPO:
TRL ``scale_rewards="none"``, verl ``norm_adv_by_std_in_grpo=False``), margin (G - 1)/G;
``"batch"`` -- (r - group mean)/s with one std s for the whole batch (``batch_std``; TRL
``scale_rewards="batch"``, here with s held fixed), margin (G - 1)/(G s).  For ``"std"`` the
margin is g(p)/(p (1 - p)) with g the group-advantage sum
(:func:`grpo_sym.numeric.group_advantage_sum`).  Sources: TRL 1.10.0.dev0
(``trl/trainer/grpo_trainer.py``, the advantage block, commit f2cd577 of 2026-07-24:
``rewards - mean_grouped_rewards``, divided by ``std_rewards + 1e-4`` unless
``scale_rewards == "none"``, ``std_rewards`` the batch's ``nanstd`` for ``"batch"``); verl
0.8.0.dev (``verl/trainer/ppo/core_algos.py``, ``compute_grpo_outcome_advantage``, commit
b178a3c of 2026-01-29: ``scores - id2mean`` when ``norm_adv_by_std_in_grpo`` is False).

Time.  ``time_to_reach`` integrates the clock density 1/(eta m gamma) -- in closed form
(:func:`grpo_sym.grpo.dynamics.clock`, the expressions the claims prove) where the margin
is ``"large"`` or constant, else by ``mpmath.quad`` in the logit z = log(p/(1 - p)), with
g evaluated at the smaller of p and 1 - p (g is symmetric) so that nothing cancels near 1.

Near 1 (``near_one``).  Every finite-G scaling has g(p) = c1 (1 - p) + O((1 - p)^2), with
c1 = ((G - 1)/G)/(s_(G-1) + eps) for the std (s_(G-1) the std of a group with one b:
sqrt(G - 1)/G, Bessel 1/sqrt(G); c1 = sqrt(G - 1) for the paper's std) and c1 = the
constant margin otherwise: the probability rule reaches 1 in finite time, the natural rule
needs log(1/delta)/(eta c1), the softmax rule 1/(2 eta c1 delta).  Only the large-group std
without eps differs (g = sqrt(p (1 - p))): finite time for the natural rule, and
1/(eta sqrt(delta)) for the softmax rule.  An eps > 0 at G = inf gives c1 = 1/eps.

>>> round(time_to_reach(0.5, 0, flow="natural"), 12)                 # pi/2: finite
1.570796326795
>>> time_to_reach(0.5, 0, flow="natural", scaling="shift")           # logistic: never
inf
>>> round(time_to_reach(0.5, 1e-4, flow="logits"), 6)                # 1/sqrt(delta) - ...
99.984999
>>> near_one(flow="logits", group_size=8)
NearOne(kind='power', exponent=1, constant=0.18898223650461363)
>>> steps_to_reach(0.5, 0.01, flow="logits", learning_rate=0.5)
19
>>> time_to_reach(1.5, 0.1)
Traceback (most recent call last):
...
ValueError: p0 must be a probability in [0, 1], got 1.5
"""
from __future__ import annotations

import math
from typing import NamedTuple

import mpmath

from grpo_sym.grpo.dynamics import FLOWS, clock, metric

from . import validate
from .stationary import group_advantage_sum

__all__ = ["SCALINGS", "NearOne", "margin", "time_to_reach", "steps_to_reach", "near_one"]

SCALINGS = ("std", "shift", "batch")
_STD = ("population", "bessel")
_DIGITS = 15                       # the working digits of a float answer (then rounded)


class NearOne(NamedTuple):
    """How the time to reach 1 - delta behaves as delta -> 0.

    kind : ``"finite"`` (p reaches 1 at a finite time, ``constant`` = that time from
        p0 = 1/2), ``"log"`` (time ~ constant log(1/delta)) or ``"power"`` (time ~
        constant delta^-exponent)
    exponent : the power (``"power"`` only; else None)
    constant : see ``kind``
    """

    kind: str
    exponent: float | None
    constant: float | mpmath.mpf


class _Setting:
    """Validated options: the scaling's margin at any point, in mpmath."""

    def __init__(self, flow, scaling, group_size, std, eps, batch_std, learning_rate, dps):
        validate.choice("flow", flow, FLOWS)
        validate.choice("scaling", scaling, SCALINGS)
        validate.choice("std", std, _STD)
        self.flow, self.scaling, self.std = flow, scaling, std
        self.G = validate.group_size_value(group_size)
        self.eps = validate.nonnegative("eps", eps)
        self.s = validate.positive("batch_std", batch_std)
        self.eta = validate.positive("learning_rate", learning_rate)
        self.dps = validate.digits(dps)
        if scaling != "std" and eps != 0:
            raise ValueError(f"eps applies to scaling='std' only, got eps={validate.shown(eps)}"
                             f" with scaling={scaling!r}")
        if scaling != "batch" and batch_std != 1:
            raise ValueError(f"batch_std applies to scaling='batch' only, got "
                             f"batch_std={validate.shown(batch_std)} with scaling={scaling!r}")

    # -- the margin ------------------------------------------------------------------------
    def constant(self):
        """The margin where it does not depend on p (else None), in mpmath."""
        G = self.G
        keep = mpmath.mpf(1) if G == math.inf else mpmath.mpf(G - 1) / G
        if self.scaling == "shift":
            return keep
        if self.scaling == "batch":
            return keep / validate.to_mpf(self.s)
        if self.eps == 0 and G in (2, 3):   # B_2[phi] = u, B_3[phi] = sqrt(2) u
            c = mpmath.mpf(1) if G == 2 else mpmath.sqrt(2)
            return c if self.std == "population" else c * mpmath.sqrt(keep)
        return None

    def large(self) -> bool:
        """The margin is 1/sqrt(p (1 - p)): std per group, G -> oo, no eps."""
        return self.scaling == "std" and self.G == math.inf and self.eps == 0

    def g(self, x):
        """g(x) = x (1 - x) gamma(x), symmetric in x <-> 1 - x (pass the smaller one)."""
        c = self.constant()
        if c is not None:
            return c * x * (1 - x)
        return group_advantage_sum(x, self.G, std=self.std, eps=self.eps, dps=mpmath.mp.dps)

    def c1(self):
        """g(p) ~ c1 (1 - p) as p -> 1 (None for the large-group std without eps)."""
        c = self.constant()
        if c is not None:
            return c
        if self.large():
            return None
        e = validate.to_mpf(self.eps)
        if self.G == math.inf:
            return 1 / e
        G = self.G
        s = mpmath.sqrt(G - 1) / G if self.std == "population" else 1 / mpmath.sqrt(G)
        return (mpmath.mpf(G - 1) / G) / (s + e)

    # -- the clock ---------------------------------------------------------------------------
    def closed_clock(self, x):
        """tau(x) in closed form, or None where there is none."""
        if self.large():
            return clock(self.flow, "large", x, m=mpmath)
        c = self.constant()
        return None if c is None else clock(self.flow, "constant", x, c, m=mpmath)

    def density_z(self, z):
        """dt/dz at step size 1, z = logit p: u/(m gamma) = u^2/(m g)."""
        x = 1 / (1 + mpmath.exp(abs(z)))            # the smaller of p and 1 - p
        u = x * (1 - x)
        return u * u / (metric(self.flow, x) * self.g(x))

    def done(self, value):
        if self.dps is None:
            return float(value)
        with mpmath.workdps(self.dps):
            return +value


def margin(p, *, scaling: str = "std", group_size=math.inf, std: str = "population", eps=0,
           batch_std=1, dps: int | None = None):
    """gamma(p) = P(a | p) - P(b | p): the on-policy derivative of the surrogate in p.

    Options
    -------
    p : pi_theta(a), in (0, 1)
    scaling : ``"std"``, ``"shift"`` or ``"batch"`` (module docstring)
    group_size : an integer G >= 2, or inf
    std, eps : the std convention (``"population"``/``"bessel"``) and eps >= 0 (``"std"``)
    batch_std : the fixed batch std s > 0 (``"batch"``)
    dps : None for a float, or the significant digits of an mpmath result

    Raises ValueError naming the parameter for bad input.

    >>> margin(0.25), margin(0.25, group_size=2), margin(0.25, scaling="shift", group_size=4)
    (2.309401076758503, 1.0, 0.75)
    >>> margin(0, group_size=8)
    Traceback (most recent call last):
    ...
    ValueError: p must be in (0, 1) (the flow lives inside the simplex), got 0
    """
    st = _Setting("natural", scaling, group_size, std, eps, batch_std, 1, dps)
    p = _interior("p", p)
    with mpmath.workdps((st.dps or _DIGITS) + 10):
        x = validate.to_mpf(p)
        small = min(x, 1 - x)
        return st.done(st.g(small) / (x * (1 - x)))


def _interior(name, value):
    v = validate.probability(name, value)
    if v == 0 or v == 1:
        raise ValueError(f"{name} must be in (0, 1) (the flow lives inside the simplex), got "
                         f"{validate.shown(value)}")
    return v


def time_to_reach(p0, delta, *, flow: str = "logits", scaling: str = "std",
                  group_size=math.inf, std: str = "population", eps=0, batch_std=1,
                  learning_rate=1, dps: int | None = None, method: str = "auto"):
    """The time t at which the flow started at p0 reaches p = 1 - delta.

    The ODE dp/dt = eta m(p) gamma(p) is integrated exactly: t = (tau(1 - delta) -
    tau(p0))/eta with the closed-form clock where there is one, else the quadrature of the
    clock density in z = logit p.  ``delta = 0`` asks for the time to reach 1 itself: finite
    or ``inf``.

    Options
    -------
    p0 : the starting pi_theta(a), in (0, 1)
    delta : the distance to 1, in [0, 1 - p0] (0: the time to reach 1)
    flow : ``"probability"``, ``"natural"`` or ``"logits"`` (:mod:`grpo_sym.grpo.dynamics`;
        ``"logits"`` is the simulator's update)
    scaling, group_size, std, eps, batch_std : the reward scaling (:func:`margin`)
    learning_rate : eta > 0; the time is in units of steps of size 1 (divide by eta)
    dps : None for a float, or the significant digits of an mpmath result (exact inputs,
        such as Fractions or decimal strings, are read exactly)
    method : ``"auto"`` (the closed-form clock where there is one) or ``"quad"`` (always the
        quadrature; for cross-checks, delta > 0)

    Raises ValueError naming the parameter for bad input.

    >>> from fractions import Fraction
    >>> print(mpmath.nstr(time_to_reach(Fraction(1, 4), 0, flow="natural", dps=30), 30))
    2.09439510239319549230842892219
    >>> time_to_reach(0.5, 0.01, flow="natural", group_size=3)    # logit(0.99)/sqrt(2)
    3.2492404063950806
    >>> time_to_reach(0.5, 0.6)
    Traceback (most recent call last):
    ...
    ValueError: delta must be in [0, 1 - p0] = [0, 0.5], got 0.6
    """
    st = _Setting(flow, scaling, group_size, std, eps, batch_std, learning_rate, dps)
    validate.choice("method", method, ("auto", "quad"))
    p0 = _interior("p0", p0)
    delta = validate.probability("delta", delta)
    digits = (st.dps or _DIGITS) + 10
    with mpmath.workdps(digits):
        x0, d = validate.to_mpf(p0), validate.to_mpf(delta)
        if d > 1 - x0:
            raise ValueError(f"delta must be in [0, 1 - p0] = [0, {validate.shown(1 - p0)}], "
                             f"got {validate.shown(delta)}")
        eta = validate.to_mpf(st.eta)
        if d == 0:
            return st.done(_time_to_one(st, x0) / eta)
        # 1 - delta and the clock's value there need the digits of delta as well
        with mpmath.workdps(digits + int(-mpmath.log10(d)) + 5):
            x1 = 1 - d
            closed = st.closed_clock(x1) if method == "auto" else None
            if closed is not None:
                return st.done((closed - st.closed_clock(x0)) / eta)
            z0, z1 = mpmath.log(x0 / (1 - x0)), mpmath.log(x1 / d)
            return st.done(_quad(st, z0, z1) / eta)


def _quad(st: _Setting, z0, z1):
    """The integral of the clock density over [z0, z1] in pieces: of length 1 for the softmax
    rule (its density grows like e^|z|), 8 for the others (theirs is at most linear in z)."""
    width = 1 if st.flow == "logits" else 8
    ks = range(int(mpmath.ceil(z0 / width)), int(mpmath.floor(z1 / width)) + 1)
    cuts = [z0] + [mpmath.mpf(k * width) for k in ks if z0 < k * width < z1] + [z1]
    return mpmath.quad(st.density_z, cuts)


# the clocks of the large-group std at p = 1 (their limits there:
# x6.large.natural.finite-time, x6.large.probability.finite-time)
_LARGE_AT_ONE = {"natural": lambda: +mpmath.pi, "probability": lambda: mpmath.pi / 8}


def _time_to_one(st: _Setting, x0):
    if st.flow == "natural" and st.large():
        return _LARGE_AT_ONE["natural"]() - st.closed_clock(x0)
    if st.flow != "probability":
        return mpmath.inf          # near_one: log(1/delta) or a power of 1/delta
    if st.large():
        return _LARGE_AT_ONE["probability"]() - st.closed_clock(x0)
    c = st.constant()
    if c is not None:              # the clock x/c
        return (1 - x0) / c

    def density_p(x):              # dt/dp = 1/gamma = x (1 - x)/g, bounded up to 1
        return x * (1 - x) / st.g(min(x, 1 - x))

    return mpmath.quad(density_p, [x0, 1])


def steps_to_reach(p0, delta, *, flow: str = "logits", scaling: str = "std",
                   group_size=math.inf, std: str = "population", eps=0, batch_std=1,
                   learning_rate=1, max_steps: int = 10**6, dps: int | None = None) -> int | None:
    """The number of discrete on-policy updates from p0 until p >= 1 - delta.

    The updates are those of :mod:`grpo_sym.grpo.dynamics` with step size eta: on the
    logit z = log(p/(1 - p)), z <- z + 2 eta g(p) (``"logits"``, the simulator with
    ``inner_steps=1``, no clipping, exact expectations) or z <- z + eta gamma(p)
    (``"natural"``); on p itself, p <- p + eta gamma(p) (``"probability"``, which can jump
    past 1: such a step counts as reaching 1 - delta).

    Options
    -------
    p0, delta, flow, scaling, group_size, std, eps, batch_std, learning_rate : as for
        :func:`time_to_reach` (delta in (0, 1 - p0])
    max_steps : give up (return None) after this many updates
    dps : None for float arithmetic, or the working digits of an mpmath run

    Raises ValueError naming the parameter for bad input.

    >>> steps_to_reach(0.5, 0.01, flow="natural", learning_rate=0.5)
    4
    >>> steps_to_reach(0.5, 0.01, flow="natural", scaling="shift", learning_rate=0.5)
    10
    >>> steps_to_reach(0.5, 1e-9, flow="logits", scaling="shift", max_steps=100) is None
    True
    """
    st = _Setting(flow, scaling, group_size, std, eps, batch_std, learning_rate, dps)
    p0 = _interior("p0", p0)
    delta = validate.probability("delta", delta)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be an integer >= 1, got {max_steps!r}")
    with mpmath.workdps(st.dps or _DIGITS + 2):
        x0, d = validate.to_mpf(p0), validate.to_mpf(delta)
        if not 0 < d <= 1 - x0:
            raise ValueError(f"delta must be in (0, 1 - p0] = (0, {validate.shown(1 - p0)}], "
                             f"got {validate.shown(delta)}")
        eta = validate.to_mpf(st.eta)
        if st.flow == "probability":
            x = x0
            for n in range(1, max_steps + 1):
                x = x + eta * st.g(min(x, 1 - x)) / (x * (1 - x))
                if x >= 1 - d:
                    return n
            return None
        z, z_goal = mpmath.log(x0 / (1 - x0)), mpmath.log((1 - d) / d)
        for n in range(1, max_steps + 1):
            small = 1 / (1 + mpmath.exp(abs(z)))
            g = st.g(small)
            z = z + (2 * eta * g if st.flow == "logits" else eta * g / (small * (1 - small)))
            if z >= z_goal:
                return n
        return None


def near_one(*, flow: str = "logits", scaling: str = "std", group_size=math.inf,
             std: str = "population", eps=0, batch_std=1, learning_rate=1,
             dps: int | None = None) -> NearOne:
    """How the time to reach 1 - delta grows as delta -> 0 (the module docstring's table).

    ``"finite"``: the time to reach 1 from p0 = 1/2; ``"log"``: time ~ constant log(1/delta)
    with constant 1/(eta c1); ``"power"``: time ~ constant delta^-exponent, exponent 1 and
    constant 1/(2 eta c1), or for the large-group std without eps exponent 1/2 and
    constant 1/eta.

    >>> near_one(flow="natural", scaling="shift", group_size=2)
    NearOne(kind='log', exponent=None, constant=2.0)
    >>> near_one(flow="probability", group_size=5).kind
    'finite'
    """
    st = _Setting(flow, scaling, group_size, std, eps, batch_std, learning_rate, dps)
    with mpmath.workdps((st.dps or _DIGITS) + 10):
        eta = validate.to_mpf(st.eta)
        half = mpmath.mpf(1) / 2
        if st.flow == "probability" or (st.flow == "natural" and st.large()):
            return NearOne("finite", None, st.done(_time_to_one(st, half) / eta))
        if st.large():
            return NearOne("power", 0.5, st.done(1 / eta))
        c1 = st.c1()
        if st.flow == "natural":
            return NearOne("log", None, st.done(1 / (eta * c1)))
        return NearOne("power", 1, st.done(1 / (2 * eta * c1)))
