"""On-policy dynamics of a binary question with no penalty (beta = 0): how fast p goes to 1.

A binary question has a better answer a (reward 1) and b (reward 0); p = pi_theta(a),
u = p (1 - p).  On policy, the derivative in p of the surrogate
J(p; q) = p P(a | q) + (1 - p) P(b | q) at q = p is the *margin*
gamma(p) = P(a | p) - P(b | p) of the reward scaling (the effective margin of
``x1_finite_groups``).  Every update rule is a gradient flow of the same potential Phi
(Phi' = gamma) in some metric, dp/dt = eta m(p) gamma(p): the rule decides how fast p
moves, never where it goes.  The metrics (``FLOWS``):

=================  ==============  ===================================================
flow               m(p)            update
=================  ==============  ===================================================
``"probability"``  1               p <- p + eta gamma(p): ascent in p itself (App. B.2's
                                   "p <- p + eta beta h(p)")
``"natural"``      u               z <- z + eta gamma(p), z = logit p: natural gradient
                                   (the Fisher information of p = sigma(z) in z is u),
                                   the replicator dynamics
``"logits"``       2 u^2           plain gradient on both logits of a softmax:
                                   z <- z + 2 eta u gamma(p) (``grpo_sym.simulate``)
=================  ==============  ===================================================

The *clock* of a flow is a function tau with tau'(p) = 1/velocity(p) (step size 1): the
time from p0 to p1 is (tau(p1) - tau(p0))/eta, and p reaches 1 in finite time iff tau(1-)
is finite.  Closed-form clocks (:func:`clock`) exist for the two margins that are simple:

* ``"large"``, the std-normalised advantage as G -> oo: gamma = 1/sqrt(u), Phi = 2 asin sqrt p;
* ``"constant"``, gamma = c: shift-only (Dr. GRPO, c = (G - 1)/G), a fixed batch std s
  (c = (G - 1)/(G s)), and the std per group at G = 2 (c = 1) and G = 3 (c = sqrt 2).

==============================  =======================================================
function                        object
==============================  =======================================================
``metric(flow, x)``             m(x)
``velocity(flow, g, x)``        dp/dt per unit step size: m(x) g, g the margin at x
``clock(flow, margin, x, c)``   tau(x) for the margins ``"large"`` and ``"constant"``
==============================  =======================================================

Every function is plain arithmetic over a backend ``m`` (a module with ``sqrt``, ``atan``,
``log``: ``sympy`` for the claims, ``mpmath`` for the numbers), so the claims of
``x6_zero_beta_dynamics`` prove the very expressions that ``grpo_sym.numeric.dynamics``
evaluates.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> velocity("logits", 1, x)
2*x**2*(1 - x)**2
>>> clock("natural", "large", x, m=sp)
2*atan(sqrt(x)*sqrt(1/(1 - x)))
>>> metric("momentum", x)
Traceback (most recent call last):
...
ValueError: flow must be one of 'probability', 'natural', 'logits', got 'momentum'
"""
from __future__ import annotations

__all__ = ["FLOWS", "MARGINS", "metric", "velocity", "clock"]

FLOWS = ("probability", "natural", "logits")
MARGINS = ("large", "constant")


def _flow(flow: str) -> str:
    if flow not in FLOWS:
        raise ValueError(f"flow must be one of {', '.join(map(repr, FLOWS))}, got {flow!r}")
    return flow


def metric(flow: str, x):
    """m(x): the factor between the margin and dp/dt for the update rule ``flow``.

    Options
    -------
    flow : ``"probability"``, ``"natural"`` or ``"logits"`` (see the module table)
    x : p = pi_theta(a) (a SymPy expression or a number)

    Raises ValueError naming ``flow`` for any other rule.

    >>> metric("natural", 0.5), metric("probability", 0.5)
    (0.25, 1)
    """
    u = x * (1 - x)
    return {"probability": 1, "natural": u, "logits": 2 * u**2}[_flow(flow)]


def velocity(flow: str, margin, x):
    """dp/dt at p = x for step size 1: m(x) times ``margin``, the margin's value at x.

    >>> velocity("natural", 2, 0.5)
    0.5
    """
    return metric(flow, x) * margin


def clock(flow: str, margin: str, x, c=1, m=None):
    """A clock tau of ``flow`` (tau' = 1/velocity at step size 1) for a simple margin.

    Options
    -------
    flow : ``"probability"``, ``"natural"`` or ``"logits"``
    margin : ``"large"`` (gamma = 1/sqrt(x (1 - x)), std per group as G -> oo) or
        ``"constant"`` (gamma = c)
    x : p = pi_theta(a), in (0, 1)
    c : the constant margin (``margin="constant"`` only), > 0
    m : the backend, a module with ``sqrt``, ``atan`` and ``log`` (default ``sympy``);
        asin(sqrt x) is computed as atan(sqrt(x/(1 - x))), so x < 1

    ========  =======================================  ====================================
    flow      ``"large"``                              ``"constant"``
    ========  =======================================  ====================================
    prob.     ((2x - 1) sqrt(u) + asin(sqrt x))/4      x/c
    natural   2 asin(sqrt x)                           logit(x)/c
    logits    (2x - 1)/sqrt(u)                         (logit(x) + (2x - 1)/(2u))/c
    ========  =======================================  ====================================

    Raises ValueError naming ``flow`` or ``margin`` for an unknown one.

    >>> import mpmath
    >>> print(mpmath.nstr(clock("logits", "large", mpmath.mpf(0.5), m=mpmath), 5))
    0.0
    >>> clock("natural", "quadratic", 0.5)
    Traceback (most recent call last):
    ...
    ValueError: margin must be one of 'large', 'constant', got 'quadratic'
    """
    _flow(flow)
    if margin not in MARGINS:
        raise ValueError(f"margin must be one of {', '.join(map(repr, MARGINS))}, got "
                         f"{margin!r}")
    if m is None:
        import sympy as m
    u = x * (1 - x)
    if margin == "large":
        # asin(sqrt x) written atan(sqrt(x/(1 - x))): the engine's 50-digit evaluator has atan
        arc = m.atan(m.sqrt(x / (1 - x)))
        return {"probability": lambda: ((2 * x - 1) * m.sqrt(u) + arc) / 4,
                "natural": lambda: 2 * arc,
                "logits": lambda: (2 * x - 1) / m.sqrt(u)}[flow]()
    logit = m.log(x / (1 - x))
    return {"probability": lambda: x / c,
            "natural": lambda: logit / c,
            "logits": lambda: (logit + (2 * x - 1) / (2 * u)) / c}[flow]()
