"""Stationary policies for K outputs, stochastic rewards and any group size.

A stationary policy pi (paper, (11) and Sec. 3) solves, for every output o with
pi_ref(o) > 0,

* ``penalty="grpo"`` (the estimator of (1)):  pi(o) (1 - P_G(o | pi)/beta) = pi_ref(o),
  i.e. pi(o) = beta pi_ref(o) / (beta - P_G(o | pi));  the multiplier of (11) is
  E_pi[P_G(. | pi)] = 0 for every pi (the advantages of a group sum to zero);
* ``penalty="kl"`` (the direct KL of Sec. 3):  pi(o) = pi_ref(o) e^{P_G(o | pi)/beta} / Z;

and pi(o) = 0 where pi_ref(o) = 0.  P_G is computed exactly by ``groups.py`` (any std
convention and eps; ``group_size=math.inf`` is the large-group limit P_inf).

Which solution.  (14), (15) and the closed form for groups of two are unique, but the
fixed point need not be: with the direct-KL penalty and large groups a binary question has
two interior solutions or none (App. B.2).  The convention, as in ``stationary_binary``:
the policy that on-policy GRPO reaches from pi_ref, i.e. the limit of the on-policy flow

    d theta(o)/dt = g(o) - E_pi[g],   g(o) = dJ/dpi(o) at pi_old = pi,

started at theta = log pi_ref (the natural-gradient form of small-step GRPO on the logits
theta; for a binary question it has the orbits of the plain-gradient flow of a tabular
softmax policy, which ``grpo_sym.simulate`` runs, and for K = 3 the two reached the same
point in each of 60 random direct-KL large-group questions we tried).  It is integrated
with an adaptive Dormand-Prince (RK45) method until a Newton step from the current point
is shorter than 1e-3 in the logits; Newton's method then polishes the limit.

With the direct-KL penalty, large groups, eps = 0 and a set T of best outputs whose
rewards are deterministic (and equal), the flow can instead run into the face of the
simplex spanned by T (sigma -> 0 there, so P_inf of every other output tends to -inf);
once the mass outside T is below 1e-30 the limit, pi_ref restricted to T and
renormalised, is returned.  P_inf is discontinuous where sigma = 0, so this limit solves
the equations *at* the face (:func:`fixed_point_residual` = 0) only when every other
output is likelier to lose than to win against the best reward.

Accuracy.  ``dps=None``: Newton in float on the relative residuals (see
:func:`fixed_point_residual`) until its step is below 1e-12 in the logits; where an
mpmath evaluation of P_G is cheap (G = inf, or at most 1500 (multiset, value) terms) a
few chord steps at 32 digits follow, so the result is good to about an ulp (measured
against ``stationary_binary``: at most 1.6 ulp over pi_ref in [1e-6, 0.999] and beta in
[1e-3, 100], G = 2 and inf, both penalties); otherwise to about 1e-13 relative.
``dps=d``: chord iteration in mpmath at d + 15 digits until the step is below
10^-(d + 5) in the logits, then rounded to d digits.  Run time: a few hundred evaluations of
P_G (0.05 s for a binary question at G = 64; 2 to 4 s for K = 4 deterministic rewards at
G = 64, 45760 multisets).

>>> p = stationary_policy([0.2, 0.8], [1, 0], 0.04)       # (14): stationary_binary(0.2, 0.04)
>>> [round(x, 12) for x in p]
[0.968262224629, 0.031737775371]
>>> [round(x, 10) for x in stationary_policy([0.2, 0.3, 0.5], [1, 0.5, 0], 0.5, group_size=4)]
[0.7707474396, 0.0981579864, 0.131094574]
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence

import mpmath

from . import validate
from .groups import GroupModel, enumeration_size, reward_laws

try:
    import numpy as np
except ImportError:                     # pragma: no cover
    np = None

__all__ = ["stationary_policy", "fixed_point_residual", "no_penalty_limit"]

_FACE_MASS = 1e-30        # mass outside the best face below which the flow has reached it
_FLOW_RTOL = 1e-6         # local error tolerance of the flow (it only has to pick the basin)
_HANDOVER = 1e-3          # the flow hands over to Newton when its step is this short
_FLOAT_POLISH_WORK = 1500  # float results are polished in mpmath when this cheap
_MAX_FLOW_STEPS = 3000     # then Newton decides from wherever the flow is


def check_inputs(pi_ref, rewards, beta, group_size, std, eps, penalty, dps,
                 beta_zero: bool = True):
    """The validated inputs shared by the solver and the simulation (ValueError names
    the parameter): ``(pi_ref, reward laws, beta, G, eps, dps)``; beta >= 0 (> 0 with
    ``beta_zero=False``)."""
    pr = validate.distribution("pi_ref", pi_ref, min_len=2)
    laws = reward_laws(rewards, len(pr))
    beta = (validate.nonnegative if beta_zero else validate.positive)("beta", beta)
    G = validate.group_size_value(group_size)
    validate.choice("std", std, ("population", "bessel"))
    eps_v = validate.nonnegative("eps", eps)
    validate.choice("penalty", penalty, ("grpo", "kl"))
    dps = validate.digits(dps)
    return pr, laws, beta, G, eps_v, dps


def stationary_policy(pi_ref: Sequence, rewards: Sequence, beta: float, *,
                      group_size: int | float = 2, std: str = "population", eps: float = 0.0,
                      penalty: str = "grpo", dps: int | None = None) -> list:
    """The stationary policy of GRPO for one question with K outputs.

    Options
    -------
    pi_ref : the reference probabilities of the K >= 2 outputs, each in [0, 1], summing to
        1 within 1e-9 (they are divided by their sum); outputs with pi_ref = 0 get 0
    rewards : one entry per output: a number (deterministic reward), a mapping
        ``{value: probability}`` or ``(value, probability)`` pairs (stochastic reward)
    beta : the penalty coefficient, >= 0.  beta = 0 is no penalty
        (:func:`no_penalty_limit`): the policy is pi_ref restricted to the outputs that
        always receive the highest reward, renormalised (tied best outputs keep the
        ratios of pi_ref); for groups of two, else, the vertex of an output that beats
        every other; otherwise there is no answer determined by the rewards (ValueError)
    group_size : G, an integer >= 2, or ``math.inf`` (exact for every K; finite G as far
        as the enumeration of ``groups.py`` is affordable, ValueError past it)
    std : ``"population"`` (the paper) or ``"bessel"`` (trainers)
    eps : >= 0, added to the std in the advantage's denominator (trainers: 1e-4 or so)
    penalty : ``"grpo"`` (the paper's estimator of (1): reverse-KL-like) or ``"kl"`` (the
        direct KL, Sec. 3; where several stationary points exist, the one on-policy GRPO
        reaches from pi_ref)
    dps : None for floats, or the number of significant digits of mpmath results

    Returns a list of K probabilities (floats, or mpf with ``dps`` digits).

    Groups of two with a stochastic reward reproduce (14) with margin gamma = 1/2:

    >>> p = stationary_policy([0.2, 0.8], [{1: 0.5, 0: 0.5}, 0], 0.1)
    >>> from grpo_sym.numeric import stationary_binary
    >>> abs(p[0] - stationary_binary(0.2, 0.1, margin=0.5)) < 1e-14
    True
    >>> stationary_policy([0.5, 0.5], [1, 0], 0.3, penalty="kl", group_size=math.inf)
    [1.0, 0.0]
    >>> stationary_policy([0.2, 0.3, 0.5], [1, 1, 0], 0)          # no penalty: tied best
    [0.4, 0.6, 0.0]
    >>> stationary_policy([0.5, 0.5], [{1: 0.5, 0: 0.5}, 0.5], 0, group_size=4)
    Traceback (most recent call last):
    ...
    ValueError: beta = 0 (no penalty): no output always receives the highest reward, so where GRPO goes depends on the path, not only on the rewards (use beta > 0)
    >>> stationary_policy([0.5, 0.6], [1, 0], 0.3)
    Traceback (most recent call last):
    ...
    ValueError: pi_ref must sum to 1 (within 1e-09), got 1.1
    """
    pr, laws, beta, G, eps, dps = check_inputs(pi_ref, rewards, beta, group_size, std, eps,
                                                penalty, dps)
    if beta == 0:
        limit = no_penalty_limit(pr, laws, G, dps)
        if limit is None:
            raise ValueError(
                "beta = 0 (no penalty): no output always receives the highest reward"
                + (" and none beats every other" if G == 2 else "")
                + ", so where GRPO goes depends on the path, not only on the rewards "
                  "(use beta > 0)")
        return limit
    solver = _Solver(pr, laws, beta, G, std, eps, penalty)
    if dps is None:
        return solver.solve_float()
    return solver.solve_mp(dps)


def no_penalty_limit(pi_ref: Sequence, laws, group_size, dps: int | None = None
                     ) -> list | None:
    """Where GRPO goes without a penalty (beta = 0), when the rewards determine it.

    * Outputs T (in pi_ref's support) whose reward is always the highest value any
      supported output can receive: the limit as beta -> 0 of the stationary policy is
      pi_ref restricted to T, renormalised.
      For every beta > 0 outputs with the same reward law have the same P_G, so the
      stationary policy keeps their ratio pi(o)/pi(o') = pi_ref(o)/pi_ref(o'); every
      other output sometimes loses to T and never beats it, so P_G < 0 on the face T
      and its mass tends to 0 as beta -> 0.  (A binary question: (1, 0).)  A
      no-penalty *update* started elsewhere reaches the face T too, but where on it
      depends on its parameterisation (``grpo_sym.simulate`` predicts only vertices).
    * Otherwise, for groups of two, an output w that beats every other supported one
      (gamma(w, o) = P(r_w > r_o) - P(r_o > r_w) > 0): the vertex w, since
      d log pi(w)/dt = P_2(w | pi) = sum_o pi(o) gamma(w, o) > 0 away from it (a
      binary question with margin gamma > 0).
    * Otherwise None: the no-penalty flow has no limit fixed by the rewards alone.

    ``laws`` are validated reward laws (``groups.reward_laws``); floats, or mpf with
    ``dps`` digits.

    >>> from grpo_sym.numeric.groups import reward_laws
    >>> no_penalty_limit([0.2, 0.3, 0.5], reward_laws([1, {1: 0.9, 0: 0.1}, 0]), 8)
    [1.0, 0.0, 0.0]
    >>> no_penalty_limit([0.5, 0.5], reward_laws([{1: 0.75, 0: 0.25}, 0]), 2)
    [1.0, 0.0]
    """
    support = [o for o, p in enumerate(pi_ref) if p > 0]
    top = max(v for o in support for v, _ in laws[o])
    best = [o for o in support if len(laws[o]) == 1 and laws[o][0][0] == top]
    if not best and group_size == 2:
        def gamma(w, o):
            return sum(pw * po * ((vw > vo) - (vw < vo)) for vw, pw in laws[w]
                       for vo, po in laws[o])
        best = [w for w in support if all(gamma(w, o) > 0 for o in support if o != w)]
    if not best:
        return None
    conv = float if dps is None else validate.to_mpf
    with mpmath.workdps((dps or 15) + 10):
        mass = sum(conv(pi_ref[o]) for o in best)
        out = [conv(pi_ref[o]) / mass if o in best else 0 * mass for o in range(len(pi_ref))]
    if dps is None:
        return [float(x) for x in out]
    with mpmath.workdps(dps):
        return [+x for x in out]


def fixed_point_residual(pi: Sequence, pi_ref: Sequence, rewards: Sequence, beta: float, *,
                         group_size: int | float = 2, std: str = "population",
                         eps: float = 0.0, penalty: str = "grpo",
                         dps: int | None = None) -> float | mpmath.mpf:
    """The largest violation of the stationarity equations at pi, in probability units.

    ``penalty="grpo"``: max_o |pi(o) (1 - (P_G(o|pi) - E_pi[P_G(.|pi)])/beta) - pi_ref(o)|,
    equation (11) as printed (with the multiplier computed, not assumed to be 0);
    ``penalty="kl"``: max_o |pi(o) - pi_ref(o) e^{P_G(o|pi)/beta} / Z|.  Both are 0 exactly
    at a stationary policy; outputs with pi(o) = 0 contribute pi_ref(o).

    Options as for :func:`stationary_policy`; ``pi`` is the candidate policy.

    >>> from grpo_sym.numeric import stationary_binary_pair
    >>> a, b = stationary_binary_pair(0.25, 0.04, dps=50)
    >>> fixed_point_residual([a, b], [0.25, 0.75], [1, 0], 0.04, dps=50) < 1e-50
    True
    >>> round(fixed_point_residual([0.2, 0.8], [0.2, 0.8], [1, 0], 0.04), 12)  # not stationary
    4.0
    """
    pr, laws, beta, G, eps, dps = check_inputs(pi_ref, rewards, beta, group_size, std, eps,
                                                penalty, dps, beta_zero=False)
    p = validate.distribution("pi", pi)
    if len(p) != len(pr):
        raise ValueError(f"pi must have one probability per output ({len(pr)}), got {len(p)}")
    if dps is None:
        conv, ctx = float, contextlib.nullcontext()
    else:
        conv, ctx = validate.to_mpf, mpmath.workdps(dps + 10)
    with ctx:
        model = GroupModel(laws, G, std=std, eps=eps, dps=None if dps is None else dps + 10)
        p = [conv(x) for x in p]
        total = sum(conv(x) for x in pr)
        r = [conv(x) / total for x in pr]
        P = model.preference(p)
        inf = math.inf
        if penalty == "grpo":
            lam = sum(pi_o * P_o for pi_o, P_o in zip(p, P) if pi_o > 0)
            worst = max(abs(pi_o * (1 - (P_o - lam) / conv(beta)) - r_o) if pi_o > 0 else r_o
                        for pi_o, P_o, r_o in zip(p, P, r))
        else:
            b = conv(beta)
            logs = [P_o / b for P_o, r_o in zip(P, r) if r_o > 0 and P_o > -inf]
            top = max(logs) if logs else 0
            exp = math.exp if dps is None else mpmath.exp
            w = [r_o * exp(P_o / b - top) if (r_o > 0 and P_o > -inf) else 0 * r_o
                 for P_o, r_o in zip(P, r)]
            Z = sum(w)
            worst = max(abs(pi_o - w_o / Z) for pi_o, w_o in zip(p, w))
    if dps is None:
        return float(worst)
    with mpmath.workdps(dps):
        return +worst


# -- the solver ------------------------------------------------------------------------------

class _Solver:
    """Flow from pi_ref, then Newton, on the support S of pi_ref.

    Coordinates: the logits theta of the outputs in S, with the logit of one output
    (``fix``, the most probable one once the flow has run: its equation is the worst
    conditioned and is implied by the others) held at 0; ``z`` holds the others."""

    def __init__(self, pr, laws, beta, G, std, eps, penalty):
        self.K = len(pr)
        self.S = [o for o in range(self.K) if pr[o] > 0]
        self.pr_in = pr
        self.laws = [laws[o] for o in self.S]
        self.beta_exact = beta                       # as given (a Fraction stays exact)
        self.beta = float(beta)
        self.G, self.std, self.eps, self.penalty = G, std, eps, penalty
        self.n = len(self.S)
        prf = [float(pr[o]) for o in self.S]
        total = math.fsum(prf)
        self.prS = [x / total for x in prf]
        self._set_fix(max(range(self.n), key=lambda i: self.prS[i]))
        self.face = self._best_face()

    def _set_fix(self, i):
        self.fix = i
        self.free = [j for j in range(self.n) if j != i]

    def _best_face(self):
        """The outputs the direct-KL large-group flow may concentrate on (or None): the
        best mean reward, every one of them deterministic (so sigma -> 0 on the face)."""
        if self.penalty != "kl" or self.G != math.inf or self.eps != 0:
            return None
        means = [math.fsum(float(v) * float(p) for v, p in law) for law in self.laws]
        top = max(means)
        T = [i for i, m in enumerate(means) if m == top]
        if len(T) < self.n and all(len(self.laws[i]) == 1 for i in T):
            return T
        return None

    # -- float -------------------------------------------------------------------------
    def _setup_float(self):
        np_ = _numpy()
        self.model = GroupModel(self.laws, self.G, std=self.std, eps=self.eps)
        self.logpr = np_.log(np_.array(self.prS))

    def solve_float(self) -> list:
        if self.n == 1:
            return [1.0 if o in self.S else 0.0 for o in range(self.K)]
        self._setup_float()
        z, on_face = self._flow(self.logpr - self.logpr[self.fix])
        if on_face:
            return self._face_policy(float)
        z = self._newton_float(z)
        if self._mp_affordable(_FLOAT_POLISH_WORK):
            # Newton in float loses digits where beta - P_G(o) cancels (pi >> pi_ref):
            # two or three chord steps at 32 digits (with the float Jacobian) make the
            # float result good to an ulp or so
            J = self._jacobian_float(z, self._residuals_float(z))
            return [float(x) for x in self._polish_mp(z, 17, J)]
        pi = self._softmax(self._theta(z))
        out = [0.0] * self.K
        for i, o in enumerate(self.S):
            out[o] = float(pi[i])
        return out

    def _mp_affordable(self, work: int) -> bool:
        """Is one mpmath evaluation of P_G at most ``work`` (multiset, value) terms?"""
        if self.G == math.inf:
            return True
        values = {float(v) for law in self.laws for v, _ in law}
        return enumeration_size(len(values), self.G) * len(values) <= work

    def _theta(self, z):
        theta = _numpy().zeros(self.n)
        theta[self.free] = z
        return theta

    @staticmethod
    def _softmax(theta):
        e = _numpy().exp(theta - theta.max())
        return e / e.sum()

    @staticmethod
    def _logsoftmax(theta):
        np_ = _numpy()
        m = theta.max()
        return theta - (m + math.log(np_.exp(theta - m).sum()))

    def _velocity(self, theta):
        """The on-policy natural-gradient flow g - E_pi[g] (g(o) = dJ/dpi(o) at
        pi_old = pi) and pi."""
        np_ = _numpy()
        logpi = self._logsoftmax(theta)
        pi = np_.exp(logpi)
        P = self.model._pref_np(pi)
        # a trial stage of the integrator may overflow: the caller rejects non-finite v
        with np_.errstate(over="ignore", invalid="ignore"):
            if self.penalty == "grpo":
                g = P + self.beta * (np_.exp(self.logpr - logpi) - 1)
            else:
                g = P - self.beta * (logpi - self.logpr)
            return g - pi @ g, pi

    def _flow(self, theta):
        """Dormand-Prince RK45 on the flow rescaled by 1/(1 + |v|_inf) (the same orbits, no
        blow-up near a face), until a Newton step from the current point is shorter than
        1e-3 in the logits (then Newton takes over) or the best face is reached."""
        np_ = _numpy()

        def f(t):
            v, pi = self._velocity(t)
            if not np_.all(np_.isfinite(v)):
                return None, pi
            return v / (1 + np_.max(np_.abs(v))), pi

        k1, pi = f(theta)
        if k1 is None:
            raise RuntimeError("the on-policy flow is undefined at pi_ref (a non-finite "
                               "preference)")
        h = 0.1
        for step in range(_MAX_FLOW_STEPS):
            if self.face is not None and self._off_face_mass(pi) < _FACE_MASS:
                return None, True
            speed = np_.max(np_.abs(k1))
            if speed < 1e-13:
                break                  # at rest (Newton decides what this point is)
            if speed < 1e-3 or step % 10 == 0:
                self._set_fix(int(np_.argmax(theta)))
                z = (theta - theta[self.fix])[self.free]
                dz, _ = self._newton_step_float(z)
                if dz is not None and np_.max(np_.abs(dz)) < _HANDOVER:
                    return z, False
            ks = [k1]
            for i in range(1, 7):
                k, _ = f(theta + h * sum(_DP_A[i][j] * ks[j] for j in range(i)))
                if k is None:
                    break
                ks.append(k)
            if len(ks) < 7:
                h *= 0.25
                continue
            y5 = theta + h * sum(_DP_B5[j] * ks[j] for j in range(7))
            y4 = theta + h * sum(_DP_B4[j] * ks[j] for j in range(7))
            err = np_.max(np_.abs(y5 - y4) / (_FLOW_RTOL * (1 + np_.abs(y5))))
            if not np_.isfinite(err) or err > 1:
                h *= max(0.2, 0.9 * err ** -0.2) if np_.isfinite(err) else 0.25
                continue
            theta = y5 - y5.max()
            k1 = ks[6]                 # first same as last: the 7th stage is at y5
            pi = self._softmax(theta)
            h *= min(5.0, 0.9 * max(err, 1e-10) ** -0.2)
        self._set_fix(int(np_.argmax(theta)))
        return (theta - theta[self.fix])[self.free], False   # Newton decides

    def _off_face_mass(self, pi):
        return float(sum(pi[i] for i in range(self.n) if i not in self.face))

    def _residuals_float(self, z):
        """Relative residuals of the free outputs: pi (beta - P)/(beta pi_ref) - 1 (grpo),
        or log(pi/pi_ref) - P/beta minus its value at ``fix`` (kl)."""
        np_ = _numpy()
        logpi = self._logsoftmax(self._theta(z))
        P = self.model._pref_np(np_.exp(logpi))
        b = self.beta
        with np_.errstate(over="ignore", invalid="ignore"):   # the line search rejects inf
            if self.penalty == "grpo":
                r = np_.exp(logpi - self.logpr) * (b - P) / b - 1
                return r[self.free]
            e = logpi - self.logpr - P / b
            return (e - e[self.fix])[self.free]

    def _jacobian_float(self, z, F):
        """Forward differences (step 1e-7 relative): accurate to about 1e-7."""
        np_ = _numpy()
        J = np_.empty((len(z), len(z)))
        for j in range(len(z)):
            h = 1e-7 * max(1.0, abs(z[j]))
            zj = z.copy()
            zj[j] += h
            J[:, j] = (self._residuals_float(zj) - F) / h
        return J

    def _newton_step_float(self, z, F=None):
        np_ = _numpy()
        if F is None:
            F = self._residuals_float(z)
        if not np_.all(np_.isfinite(F)):
            return None, F
        J = self._jacobian_float(z, F)
        try:
            dz = np_.linalg.solve(J, -F)
        except np_.linalg.LinAlgError:
            return None, F
        return (dz if np_.all(np_.isfinite(dz)) else None), F

    def _newton_float(self, z):
        """Damped Newton; converged when the step is below 1e-12 in the logits (a relative
        residual is no test: beta - P can cancel, e.g. for pi(o) >> pi_ref(o))."""
        np_ = _numpy()
        F = self._residuals_float(z)
        for _ in range(60):
            if np_.max(np_.abs(F)) == 0:
                return z
            dz, F = self._newton_step_float(z, F)
            if dz is None:
                break
            size = np_.max(np_.abs(dz))
            if size <= 1e-12 * max(1.0, np_.max(np_.abs(z))):
                return z + dz
            norm = np_.max(np_.abs(F))
            t = 1.0
            while t > 1e-6:
                Fnew = self._residuals_float(z + t * dz)
                if np_.all(np_.isfinite(Fnew)) and (np_.max(np_.abs(Fnew)) < norm
                                                    or t * size < 1e-9):
                    break
                t *= 0.5
            else:
                break
            z, F = z + t * dz, Fnew
        raise RuntimeError(f"no stationary policy found: Newton did not converge (relative "
                           f"residual {np_.max(np_.abs(F)):.3g})")

    def _face_policy(self, conv):
        total = sum(conv(self.pr_in[self.S[i]]) for i in self.face)
        out = [conv(0)] * self.K
        for i in self.face:
            o = self.S[i]
            out[o] = conv(self.pr_in[o]) / total
        return out

    # -- mpmath ------------------------------------------------------------------------
    def solve_mp(self, dps: int) -> list:
        if self.n == 1:
            with mpmath.workdps(dps):
                return [mpmath.mpf(1) if o in self.S else mpmath.mpf(0) for o in range(self.K)]
        self._setup_float()
        z0, on_face = self._flow(self.logpr - self.logpr[self.fix])
        if on_face:
            with mpmath.workdps(dps + 15):
                out = self._face_policy(validate.to_mpf)
            with mpmath.workdps(dps):
                return [+x for x in out]
        return self._polish_mp(self._newton_float(z0), dps)

    def _polish_mp(self, z0, dps: int, J0=None) -> list:
        """The chord method in mpmath at dps + 15 digits from the float solution z0: the
        Jacobian is ``J0`` (float) or forward differences at z0 (step 10^-(wp/2)), computed
        once; it stops when the step is below 10^-(dps + 5) in the logits.  The policy is
        rounded to dps digits."""
        wp = dps + 15
        with mpmath.workdps(wp):
            mp_model = GroupModel(self.laws, self.G, std=self.std, eps=self.eps, dps=wp)
            pr = [validate.to_mpf(self.pr_in[o]) for o in self.S]
            total = mpmath.fsum(pr)
            logpr = [mpmath.log(x / total) for x in pr]
            beta = validate.to_mpf(self.beta_exact)

            def logsoftmax(z):
                theta = [mpmath.mpf(0)] * self.n
                for i, zi in zip(self.free, z):
                    theta[i] = zi
                m = max(theta)
                lse = m + mpmath.log(mpmath.fsum(mpmath.exp(t - m) for t in theta))
                return [t - lse for t in theta]

            def residuals(z):
                logpi = logsoftmax(z)
                P = mp_model._pref_mp([mpmath.exp(x) for x in logpi])
                if self.penalty == "grpo":
                    return [mpmath.exp(logpi[i] - logpr[i]) * (beta - P[i]) / beta - 1
                            for i in self.free]
                e = [lp - lr - p / beta for lp, lr, p in zip(logpi, logpr, P)]
                return [e[i] - e[self.fix] for i in self.free]

            z = [mpmath.mpf(float(x)) for x in z0]
            n = len(z)
            F = residuals(z)
            if J0 is not None:
                J = mpmath.matrix([[float(J0[i, j]) for j in range(n)] for i in range(n)])
            else:
                J = mpmath.matrix(n, n)
                hstep = mpmath.mpf(10) ** (-(wp // 2))
                for j in range(n):
                    zj = list(z)
                    h = hstep * max(1, abs(z[j]))
                    zj[j] += h
                    Fj = residuals(zj)
                    for i in range(n):
                        J[i, j] = (Fj[i] - F[i]) / h
            small = mpmath.mpf(10) ** (-(dps + 5))
            last = mpmath.inf
            for _ in range(60):
                dz = mpmath.lu_solve(J, mpmath.matrix([-x for x in F]))
                size = max(abs(x) for x in dz)
                if size > last:          # the chord iteration must contract
                    break
                z = [zi + dz[i] for i, zi in enumerate(z)]
                F = residuals(z)
                last = size
                if size < small * max(1, max(abs(x) for x in z)):
                    break
            else:
                size = mpmath.inf
            if not size < small * max(1, max(abs(x) for x in z)):
                raise RuntimeError(f"Newton in mpmath did not converge (relative residual "
                                   f"{mpmath.nstr(max(abs(x) for x in F), 3)})")
            pi = [mpmath.exp(x) for x in logsoftmax(z)]
            out = [mpmath.mpf(0)] * self.K
            for i, o in enumerate(self.S):
                out[o] = pi[i]
        with mpmath.workdps(dps):
            return [+x for x in out]


def _numpy():
    if np is None:                      # pragma: no cover
        raise ImportError("stationary_policy needs numpy (pip install numpy)")
    return np


# Dormand-Prince 5(4) coefficients (the flow is autonomous: the nodes c_i are not needed)
_DP_A = [[],
         [1 / 5],
         [3 / 40, 9 / 40],
         [44 / 45, -56 / 15, 32 / 9],
         [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
         [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
         [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
_DP_B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]
_DP_B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]
