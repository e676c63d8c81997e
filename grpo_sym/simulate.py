"""The GRPO update itself, simulated for one question with a tabular softmax policy.

Each outer iteration freezes pi_old = pi_theta, forms the surrogate objective of (1),

    L(theta) = E[(1/G) sum_i min(rho_i A_i, clip(rho_i) A_i) - beta w_i D_i],
    rho_i = pi_theta(o_i)/pi_old(o_i),

and takes ``inner_steps`` (mu) gradient-ascent steps on the logits theta with the gradient
computed analytically.  The expectation over groups is exact (``groups=None``: it is
enumerated by ``grpo_sym.numeric.groups``) or an average over ``groups`` sampled groups
(``numpy.random.default_rng(seed)``; the same seed gives the same run).

The penalty D_i and its weight w_i (``importance_weight=True``: w_i = rho_i, Sec. 3;
otherwise 1), with r = pi_ref(o_i)/pi_theta(o_i):

* ``penalty="grpo"``: D_i = r - log r - 1, the paper's (1) ("k3").  Unweighted its
  expectation is KL_0 of (7) and the stationary policies solve (11); weighted it is
  KL(pi_theta || pi_ref) (+ a constant), and they are the direct-KL ones of Sec. 3.
* ``penalty="kl"``: D_i = log(pi_theta/pi_ref) ("k1").  Weighted its expectation is
  KL(pi_theta || pi_ref) exactly (direct KL again); unweighted it is
  E_old[log pi_theta] + const, whose gradient vanishes on-policy: nothing pulls towards
  pi_ref (with sampled groups the policy only drifts towards its own sample frequencies).

The predicted stationary policy is :func:`grpo_sym.numeric.policy.stationary_policy` with
``penalty="grpo"`` for the unweighted paper penalty, ``penalty="kl"`` for the two weighted
ones, and none (``predicted=None``) for unweighted k1 (:func:`predicted_penalty`).  Where
several stationary policies exist it is the one reached from pi_ref, whatever ``init`` is.

Every stationary policy stays a fixed point with clipping (at theta = theta_old every
rho_i = 1 is inside the clip range, so the first inner step is zero and so are the rest).
But the converse fails: with several inner steps and a large learning rate, a step that
leaves the clip range loses the advantage's gradient while the penalty keeps pulling back,
and the outer iteration can stall at a policy that is *not* stationary.  Example: pi_ref =
(0.3, 0.7), rewards (1, 0), beta = 0.5, G = 8, clip = 0.2, inner_steps = 4,
learning_rate = 1 stalls at pi(a) = 0.61559 (the stationary 0.85356 needs a smaller step,
e.g. 0.2) -- the paper's "sufficiently small step size" assumption (Sec. 1.3) at work.

Clipping.  With A_i > 0 the term is (1 + clip) A_i, constant, once rho_i > 1 + clip; with
A_i < 0 it is (1 - clip) A_i once rho_i < 1 - clip.  So the exact surrogate needs
E[max(A_1, 0) | o] and E[min(A_1, 0) | o] (``GroupModel.parts``).  For
``group_size=math.inf`` the advantage is deterministic given the reward,
A = (r - mu_old)/(sigma_old + eps) (the law of large numbers), and the clipped surrogate
uses its two parts in the same way; sampled mode at G = inf samples single outputs and
rewards and uses that A.  (The paper's clip_eps, printed as "clips x to 1" outside
[1 - eps, 1 + eps], differs from the usual clip to the interval ends by a constant
times A_i on the clipped pieces: the gradients, and so these dynamics, are the same.)

Trainers' settings (:func:`simulate_trainer`).  For a binary question (rewards 1 and 0)
the update is simulated as a trainer computes it, sample by sample, for any
:class:`grpo_sym.numeric.trainers.TrainerSettings`: each group's rewards (minus beta v(o)
with ``placement="reward"``), its advantages (group std with the population or Bessel
divisor plus eps, a fixed batch std, or the mean only; minus beta v(o) with
``placement="advantage"``), the groups of equal rewards dropped with dynamic sampling, and
the penalty's per-sample gradient as torch backpropagates the estimator (clamps pass no
gradient, straight-through passes k2's; with ``placement="loss_ratio"`` the ratio's
gradient too).  The logit z = log(pi(a)/pi(b)) takes a step along the mean over the kept
samples, exactly over the G + 1 group compositions (``groups=None``) or over sampled
groups.  The prediction is :func:`grpo_sym.numeric.trainers.stationary_trainer`, which
reduces all this to a one-variable equation: landing there checks the reduction.

>>> r = simulate([0.3, 0.7], [1, 0], 0.5, learning_rate=1.0, iterations=400)
>>> [round(x, 8) for x in r.final], [round(x, 8) for x in r.predicted]
([0.71097722, 0.28902278], [0.71097722, 0.28902278])
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from grpo_sym.numeric import validate
from grpo_sym.numeric.groups import GroupModel
from grpo_sym.numeric.policy import check_inputs, no_penalty_limit, stationary_policy

__all__ = ["SimulationResult", "TrajectoryBundle", "simulate", "simulate_from_starts",
           "predicted_penalty", "simulate_trainer"]


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of :func:`simulate`.

    trajectory : array (iterations + 1, K): pi_old at the start of each outer iteration,
        row 0 the initial policy, the last row the final policy
    final : the final policy (list of K floats)
    predicted : the stationary policy the theory predicts (``stationary_policy``), or None
        where there is none (``penalty="kl"`` without importance weight)
    distance : max_o |final(o) - predicted(o)|, or None
    tail_mean : the mean of the trajectory over its last half (sampled groups fluctuate
        around the stationary policy; the mean averages the noise out)
    tail_distance : max_o |tail_mean(o) - predicted(o)|, or None
    iterations : the outer iterations run (fewer than asked when ``tol`` stopped them)
    """

    trajectory: np.ndarray
    final: list
    predicted: list | None
    distance: float | None
    tail_mean: list
    tail_distance: float | None
    iterations: int
    settings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TrajectoryBundle:
    """Trajectories from several starting points, for a figure (no plotting here).

    starts : the initial policies; trajectories : one array (n_i, K) per start;
    predicted : the stationary policy (or None); results : the SimulationResults.
    """

    pi_ref: list
    starts: list
    trajectories: list
    predicted: list | None
    results: list


def predicted_penalty(penalty: str, importance_weight: bool) -> str | None:
    """Which stationary-policy equation the simulated update should land on.

    ``"grpo"`` for the paper's penalty, ``"kl"`` (direct KL) when the penalty's expectation
    is KL(pi_theta || pi_ref) up to a constant, None when its on-policy gradient vanishes.

    Options
    -------
    penalty : ``"grpo"`` or ``"kl"``, as for :func:`simulate`
    importance_weight : whether the penalty term is multiplied by rho_i

    >>> predicted_penalty("grpo", False), predicted_penalty("grpo", True)
    ('grpo', 'kl')
    >>> predicted_penalty("kl", True), predicted_penalty("kl", False)
    ('kl', None)
    """
    validate.choice("penalty", penalty, ("grpo", "kl"))
    if penalty == "grpo":
        return "kl" if importance_weight else "grpo"
    return "kl" if importance_weight else None


def _positive_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def simulate(pi_ref: Sequence, rewards: Sequence, beta: float, *,
             group_size: int | float = 2, std: str = "population", eps: float = 0.0,
             penalty: str = "grpo", importance_weight: bool = False,
             clip: float | None = None, learning_rate: float = 0.5, inner_steps: int = 1,
             iterations: int = 1000, groups: int | None = None, seed: int = 0,
             init: Sequence | None = None, tol: float | None = None,
             predict: bool = True) -> SimulationResult:
    """Run the GRPO update on one question and compare with the stationary policy.

    Options
    -------
    pi_ref : the reference policy over K >= 2 outputs (sums to 1 within 1e-9); outputs
        with pi_ref = 0 are never sampled and stay at 0
    rewards : one entry per output: a number or ``{value: probability}``
    beta : the penalty coefficient, >= 0 (0: no penalty; ``predicted`` is then the
        vertex of ``no_penalty_limit`` where it is one, else None: on a face of tied
        best outputs the no-penalty update stops where its parameterisation takes it)
    group_size : G >= 2, or inf (advantage (r - mu_old)/(sigma_old + eps))
    std, eps : the advantage's std convention (``"population"``/``"bessel"``) and eps >= 0
    penalty : ``"grpo"`` (the paper's D_i) or ``"kl"`` (log(pi/pi_ref)); see the table above
    importance_weight : multiply the penalty term by rho_i (Sec. 3)
    clip : None (no clipping) or the clip range eps_clip > 0 of min(rho A, clip(rho) A)
    learning_rate : the step size on the logits, > 0
    inner_steps : mu, gradient steps per pi_old (>= 1)
    iterations : outer iterations (>= 1)
    groups : None for the exact expectation over groups, or the number of groups sampled
        per outer iteration
    seed : the seed of ``numpy.random.default_rng`` (sampled groups only)
    init : the initial policy (default pi_ref); it must be positive exactly where pi_ref is
    tol : stop early once an outer iteration changes pi by less than tol (max norm)
    predict : compute the predicted stationary policy (``stationary_policy``)

    Raises ValueError naming the parameter for bad input.

    >>> r = simulate([0.2, 0.3, 0.5], [1, 0.5, 0], 0.5, group_size=4, learning_rate=2.0,
    ...              iterations=3000, tol=1e-13)
    >>> r.distance < 1e-9
    True
    >>> simulate([0.5, 0.5], [1, 0], 0.1, groups=0)
    Traceback (most recent call last):
    ...
    ValueError: groups must be None (exact expectation) or an integer >= 1, got 0
    """
    pr, laws, beta, G, eps, _ = check_inputs(pi_ref, rewards, beta, group_size, std, eps,
                                             penalty, None)
    beta, eps = float(beta), float(eps)
    if not isinstance(importance_weight, (bool, np.bool_)):
        raise ValueError(f"importance_weight must be True or False, got {importance_weight!r}")
    if clip is not None:
        clip = float(validate.positive("clip", clip))
    lr = float(validate.positive("learning_rate", learning_rate))
    inner_steps = _positive_int("inner_steps", inner_steps)
    iterations = _positive_int("iterations", iterations)
    if groups is not None and (isinstance(groups, bool) or not isinstance(groups, (int, np.integer))
                               or groups < 1):
        raise ValueError(f"groups must be None (exact expectation) or an integer >= 1, got "
                         f"{groups!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if tol is not None:
        tol = float(validate.positive("tol", tol))

    K = len(pr)
    prf = np.array([float(x) for x in pr])
    prf /= prf.sum()
    S = np.flatnonzero(prf > 0)
    if init is None:
        start = prf.copy()
    else:
        start = np.array([float(x) for x in validate.distribution("init", init)])
        if len(start) != K:
            raise ValueError(f"init must have one probability per output ({K}), got "
                             f"{len(start)}")
        if not np.array_equal(start > 0, prf > 0):
            raise ValueError("init must be positive exactly where pi_ref is (pi_theta lives "
                             "in pi_ref's support; logits cannot reach 0)")
        start /= start.sum()

    model = GroupModel([laws[o] for o in S], G, std=std, eps=eps)
    ref = prf[S]
    log_ref = np.log(ref)
    theta = np.log(start[S])
    theta -= theta.max()
    rng = np.random.default_rng(seed) if groups is not None else None
    if groups is not None:
        sampler = _Sampler([laws[o] for o in S], G, std, float(eps), model)

    def full(pi_s):
        out = np.zeros(K)
        out[S] = pi_s
        return out

    traj = [full(_softmax(theta))]
    done = 0
    for _ in range(iterations):
        pi_old = _softmax(theta)
        if groups is None:
            pos, neg = model._parts_np(pi_old)
            adv_pos, adv_neg = pi_old * pos, pi_old * neg   # E[(1/G) sum_i 1{o_i=o} A_i^+-]
            freq = pi_old                                   # E[(1/G) sum_i 1{o_i=o}]
        else:
            adv_pos, adv_neg, freq = sampler.draw(rng, pi_old, int(groups))
        # a diverging run is reported below, once (FloatingPointError), not as numpy warnings
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for _ in range(inner_steps):
                theta = theta + lr * _gradient(theta, pi_old, adv_pos, adv_neg, freq, ref,
                                               log_ref, beta, penalty, importance_weight, clip)
                theta -= theta.max()
        done += 1
        new = full(_softmax(theta))
        change = float(np.max(np.abs(new - traj[-1])))
        traj.append(new)
        if not np.all(np.isfinite(new)):
            raise FloatingPointError("the simulation diverged (non-finite policy); lower "
                                     "learning_rate")
        if tol is not None and change < tol:
            break

    trajectory = np.array(traj)
    final = [float(x) for x in trajectory[-1]]
    tail = trajectory[len(trajectory) // 2:].mean(axis=0)
    tail_mean = [float(x) for x in tail]
    predicted = distance = tail_distance = None
    which = predicted_penalty(penalty, bool(importance_weight))
    if predict and beta == 0:
        # no penalty: a vertex where the rewards fix it; on a face of tied best outputs
        # where the update stops depends on its parameterisation, so no prediction
        limit = no_penalty_limit(pr, laws, G)
        predicted = limit if limit is not None and sum(x > 0 for x in limit) == 1 else None
    elif predict and which is not None:
        predicted = stationary_policy(pr, rewards, beta, group_size=G, std=std, eps=eps,
                                      penalty=which)
    if predicted is not None:
        distance = float(np.max(np.abs(trajectory[-1] - predicted)))
        tail_distance = float(np.max(np.abs(tail - predicted)))
    settings = dict(group_size=G, std=std, eps=eps, penalty=penalty,
                    importance_weight=bool(importance_weight), clip=clip, learning_rate=lr,
                    inner_steps=inner_steps, groups=groups, seed=seed, beta=beta)
    return SimulationResult(trajectory, final, predicted, distance, tail_mean, tail_distance,
                            done, settings)


def _softmax(theta):
    e = np.exp(theta - theta.max())
    return e / e.sum()


def _gradient(theta, pi_old, adv_pos, adv_neg, freq, ref, log_ref, beta, penalty, iw, clip):
    """d/dtheta of sum_o [adv_pos(o) m+(rho_o) + adv_neg(o) m-(rho_o)]
    - beta sum_o freq(o) w_o D_o, analytically.

    With dpi_o/dtheta_k = pi_o (delta_ok - pi_k), each term's gradient is u_k - pi_k sum u
    where u_o = pi_o times its derivative in pi_o.
    """
    pi = _softmax(theta)
    rho = pi / pi_old
    if clip is None:
        c = rho * (adv_pos + adv_neg)
    else:
        # the derivative of min(rho, clip(rho)) is 0 above 1 + clip (A > 0), that of
        # max(rho, clip(rho)) is 0 below 1 - clip (A < 0)
        c = rho * (adv_pos * (rho <= 1 + clip) + adv_neg * (rho >= 1 - clip))
    log_ratio = np.log(pi) - log_ref                      # log(pi/pi_ref)
    if penalty == "grpo":
        if iw:   # d/dpi [rho (r/pi - log(r/pi) - 1)] = log(pi/r)/pi_old
            u = freq * rho * log_ratio
        else:    # d/dpi [r/pi - log(r/pi) - 1] = (1 - r/pi)/pi
            u = freq * (1 - np.exp(-log_ratio))
    else:
        if iw:   # d/dpi [rho log(pi/r)] = (log(pi/r) + 1)/pi_old
            u = freq * rho * (log_ratio + 1)
        else:    # d/dpi log(pi/r) = 1/pi
            u = freq.copy()
    return (c - pi * c.sum()) - beta * (u - pi * u.sum())


class _Sampler:
    """Sampled groups: outputs and rewards drawn jointly from pi_old and the laws."""

    def __init__(self, laws, G, std, eps, model):
        self.pairs_o = np.array([o for o, law in enumerate(laws) for _ in law])
        self.pairs_v = np.array([float(v) for law in laws for v, _ in law])
        self.pairs_p = np.array([float(p) for law in laws for _, p in law])
        self.pairs_vidx = np.searchsorted(model.values, self.pairs_v)   # index of each value
        totals = np.zeros(len(laws))
        np.add.at(totals, self.pairs_o, self.pairs_p)
        self.pairs_p = self.pairs_p / totals[self.pairs_o]
        self.K = len(laws)
        self.G, self.std, self.eps, self.model = G, std, eps, model

    def draw(self, rng, pi_old, n_groups):
        joint = pi_old[self.pairs_o] * self.pairs_p
        joint /= joint.sum()
        size = 1 if self.G == math.inf else self.G
        idx = rng.choice(len(joint), size=(n_groups, size), p=joint)
        outs, r = self.pairs_o[idx], self.pairs_v[idx]
        if self.G == math.inf:
            # the large-group advantage A(v) = (v - mu_old)/(sigma_old + eps), exact mu and
            # sigma (a sampled value has q(v) > 0, so A(v) is finite)
            A = self.model._advantages_np(pi_old, parts=False)[self.pairs_vidx[idx]]
        else:
            mean = r.mean(axis=1, keepdims=True)
            dev = r - mean
            div = self.G if self.std == "population" else self.G - 1
            den = np.sqrt((dev ** 2).sum(axis=1, keepdims=True) / div) + self.eps
            tie = np.all(r == r[:, :1], axis=1, keepdims=True)   # A = 0/0 := 0
            with np.errstate(divide="ignore", invalid="ignore"):
                A = np.where(tie | (den == 0), 0.0, dev / den)
        n = A.size
        adv_pos = np.bincount(outs.ravel(), np.maximum(A, 0).ravel(), self.K) / n
        adv_neg = np.bincount(outs.ravel(), np.minimum(A, 0).ravel(), self.K) / n
        freq = np.bincount(outs.ravel(), minlength=self.K) / n
        return adv_pos, adv_neg, freq


def simulate_from_starts(pi_ref: Sequence, rewards: Sequence, beta: float, *,
                         starts: Sequence[Sequence] | None = None,
                         **options) -> TrajectoryBundle:
    """Trajectories of :func:`simulate` from several initial policies, for a figure.

    Options
    -------
    starts : a list of initial policies (each positive exactly where pi_ref is); default:
        pi_ref, the uniform policy on pi_ref's support, and for each output in the support
        the policy with 0.8 on it and 0.2 spread evenly over the others
    **options : passed to :func:`simulate` (group_size, penalty, learning_rate, ...)

    >>> b = simulate_from_starts([0.2, 0.3, 0.5], [1, 0.5, 0], 0.5, iterations=50)
    >>> len(b.starts), b.trajectories[0].shape
    (5, (51, 3))
    """
    pr = [float(x) for x in validate.distribution("pi_ref", pi_ref, min_len=2)]
    support = [o for o, p in enumerate(pr) if p > 0]
    if starts is None:
        k = len(support)
        starts = [list(pr), [1 / k if o in support else 0.0 for o in range(len(pr))]]
        if k >= 2:
            for o in support:
                starts.append([0.8 if j == o else (0.2 / (k - 1) if j in support else 0.0)
                               for j in range(len(pr))])
    results = []
    for i, s in enumerate(starts):
        results.append(simulate(pi_ref, rewards, beta, init=s, predict=(i == 0), **options))
    return TrajectoryBundle(pr, [list(s) for s in starts], [r.trajectory for r in results],
                            results[0].predicted, results)


def simulate_trainer(pi_ref, settings, *, learning_rate: float = 0.5, iterations: int = 1000,
                     groups: int | None = None, seed: int = 0, init=None,
                     tol: float | None = None, predict: bool = True) -> SimulationResult:
    """Run a trainer's GRPO update on a binary question (rewards 1 and 0) and compare with
    :func:`grpo_sym.numeric.trainers.stationary_trainer` (see the module docstring).

    Options
    -------
    pi_ref : pi_ref(a) of the better answer, in (0, 1)
    settings : a :class:`grpo_sym.numeric.trainers.TrainerSettings` (finite group size)
    learning_rate : step size on the logit z = log(pi(a)/pi(b)), > 0
    iterations : on-policy updates (>= 1)
    groups : None for the exact expectation over the G + 1 group compositions, or the
        number of groups sampled per update
    seed : the seed of ``numpy.random.default_rng`` (sampled groups only)
    init : the initial pi(a) (default pi_ref), in (0, 1)
    tol : stop once an update changes pi(a) by less than tol
    predict : compute the predicted stationary policy

    The result's policies are (pi(a), pi(b)); ``settings["stopped"]`` says why a run ended
    early (an estimator's value overflowing float64 on the way to a limit), else None.

    >>> from grpo_sym.numeric.trainers import TrainerSettings
    >>> s = TrainerSettings(beta=1, group_size=8, estimator="k2", placement="loss_ratio",
    ...                     std="bessel", eps=1e-4)                    # E[k2], not a KL
    >>> r = simulate_trainer(0.1, s, learning_rate=1.0, iterations=3000, tol=1e-15)
    >>> r.distance < 1e-12, round(r.final[0], 8)
    (True, 0.29061157)
    >>> simulate_trainer(0.3, TrainerSettings(group_size="inf"))
    Traceback (most recent call last):
    ...
    ValueError: group_size must be finite to simulate groups, got inf
    """
    from grpo_sym.numeric.trainers import TrainerSettings, stationary_trainer

    if not isinstance(settings, TrainerSettings):
        raise ValueError(f"settings must be a TrainerSettings, got {type(settings).__name__}")
    f = float(validate.probability("pi_ref", pi_ref))
    if not 0 < f < 1:
        raise ValueError(f"pi_ref must be strictly between 0 and 1, got {pi_ref!r}")
    G = settings.group_size
    if G == math.inf:
        raise ValueError("group_size must be finite to simulate groups, got inf")
    lr = float(validate.positive("learning_rate", learning_rate))
    iterations = _positive_int("iterations", iterations)
    if groups is not None:
        groups = _positive_int("groups", groups)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    p0 = f if init is None else float(validate.probability("init", init))
    if not 0 < p0 < 1:
        raise ValueError(f"init must be strictly between 0 and 1, got {init!r}")
    if tol is not None:
        tol = float(validate.positive("tol", tol))
    rng = np.random.default_rng(seed) if groups is not None else None
    z = math.log(p0) - math.log1p(-p0)
    traj = [[p0, 1 - p0]]
    done = 0
    stopped = None
    for _ in range(iterations):
        with np.errstate(all="ignore"):
            step = lr * _trainer_gradient(z, f, settings, G, rng, groups)
        if not math.isfinite(step):
            # an unclamped estimator overflows float64 once pi(o) < e^-709 pi_ref(o) (torch
            # in float32 much earlier): the run stops there, at its limit
            stopped = "the penalty overflowed float64"
            break
        z += step
        p, q, _, _ = _binary(z)
        traj.append([p, q])
        done += 1
        if tol is not None and abs(traj[-1][0] - traj[-2][0]) < tol:
            break
    trajectory = np.array(traj)
    tail = trajectory[len(trajectory) // 2:].mean(axis=0)
    predicted = distance = tail_distance = None
    if predict:
        res = stationary_trainer(f, settings)
        predicted = [res.a, res.b]
        distance = float(np.max(np.abs(trajectory[-1] - predicted)))
        tail_distance = float(np.max(np.abs(tail - predicted)))
    run = dict(vars(settings), learning_rate=lr, groups=groups, seed=seed, pi_ref=f,
               stopped=stopped)
    return SimulationResult(trajectory, [float(x) for x in trajectory[-1]], predicted, distance,
                            [float(x) for x in tail], tail_distance, done, run)


def _binary(z):
    """(p, 1 - p, log p, log(1 - p)) for the logit z, without overflow."""
    t = math.log1p(math.exp(-abs(z)))            # log(1 + e^-|z|)
    lo, hi = -abs(z) - t, -t                     # the logs of the smaller and larger one
    log_p, log_q = (hi, lo) if z >= 0 else (lo, hi)
    return math.exp(log_p), math.exp(log_q), log_p, log_q


def _trainer_gradient(z, f, s, G, rng, n_groups):
    """The mean over the kept samples of d(surrogate - penalty)/dz at pi_old = pi_theta."""
    from grpo_sym.numeric.trainers import penalty_slope, penalty_value

    p, q, log_p, log_q = _binary(z)
    log_pi = np.array([log_p, log_q])
    l = log_pi - np.array([math.log(f), math.log1p(-f)])
    v = penalty_value(l, s)
    slope = penalty_slope(l, s)
    dlog = np.array([q, -p])                     # d log pi(o)/dz
    j = np.arange(G + 1)                         # a's in the group
    if n_groups is None:
        weight = np.array([math.comb(G, k) for k in j], dtype=float) * p ** j * q ** (G - j)
    else:
        weight = np.bincount(rng.binomial(G, p, size=n_groups), minlength=G + 1) / n_groups
    # each group's rewards take two values: r(a) on j samples, r(b) on G - j
    r = np.array([1.0, 0.0])
    if s.placement == "reward":
        r = r - float(s.beta) * v
    mean = (j * r[0] + (G - j) * r[1]) / G
    dev = np.stack([r[0] - mean, r[1] - mean])                  # (2, G + 1)
    if s.scaling == "group":
        div = G if s.std == "population" else G - 1
        den = np.sqrt((j * dev[0] ** 2 + (G - j) * dev[1] ** 2) / div) + float(s.eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            A = np.where(den > 0, dev / den, 0.0)             # equal rewards: 0
    elif s.scaling == "batch":
        A = dev / (float(s.batch_std) + float(s.eps))
    else:
        A = dev
    if s.placement == "advantage":
        A = A - float(s.beta) * v[:, None]
    pen = {"loss": slope, "loss_ratio": v + slope}.get(s.placement, 0.0 * v)
    per_sample = (A - float(s.beta) * np.asarray(pen)[:, None]) * dlog[:, None]
    counts = np.stack([j, G - j])
    keep = np.ones(G + 1, dtype=bool)
    if s.dynamic_sampling:
        keep[[0, G]] = False                     # all b or all a: equal rewards, dropped
    w = weight * keep
    total = w.sum() * G                          # kept samples
    if total == 0:
        return 0.0
    return float((w * (counts * per_sample).sum(axis=0)).sum() / total)
