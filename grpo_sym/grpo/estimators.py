"""The KL penalty as trainers compute it: the estimators k1, k2, k3, verl's clamped k3, the
straight-through "+" variants, and the three places a trainer puts the penalty.

A trainer never computes KL(pi_theta || pi_ref); it computes, for each sampled output o, a
per-sample *estimator* of it from the two log-probabilities, and either adds beta times it to
the loss (the gradient flows through pi_theta) or subtracts beta times its value from the reward
(a number: no gradient flows).  For one output, t = pi_theta(o) and r = pi_ref(o):

=======================  =====================================================================
estimator                value at (t, r), and where its convention is read
=======================  =====================================================================
``k1``                   log(t/r).  verl ``kl_penalty_forward`` "kl"/"k1"; OpenRLHF
                         ``compute_approx_kl`` "k1" (the default)
``k2``                   log(t/r)^2/2.  verl "mse"/"k2"; OpenRLHF "k2"
``k3``                   r/t - log(r/t) - 1, the paper's D_i (``penalty.per_sample_penalty``).
                         TRL ``GRPOTrainer._compute_loss`` (the only one TRL has); OpenRLHF "k3"
``low_var_kl``           k3 with the log-ratio u = log(r/t) clamped to [-20, 20] and the value
                         to [-10, 10]: verl "low_var_kl" *and* "k3" (the same branch)
``plus(k)``              verl "k1+", "k3+", "low_var_kl+": the value of k, the gradient of k2
                         (``backward - backward.detach() + forward.detach()``, backward = k2)
=======================  =====================================================================

Sources (read with the ``search`` tool's mirrors, 2026):

* verl 0.8.0.dev (commit b178a3cd, 2026-01-29), ``verl/trainer/ppo/core_algos.py``:
  ``kl_penalty`` and ``kl_penalty_forward``; ``verl/workers/actor/dp_actor.py`` adds
  ``kl_loss_coef * kl_penalty(log_prob, ref_log_prob, kl_loss_type)`` to the policy loss, no
  importance ratio (``use_kl_loss``; ``actor.yaml``: ``kl_loss_coef: 0.001``,
  ``kl_loss_type: low_var_kl``); ``verl/trainer/ppo/ray_trainer.py`` ``apply_kl_penalty``:
  ``token_level_rewards = token_level_scores - beta * kld`` *before* the group advantage
  (``use_kl_in_reward``, ``algorithm.kl_penalty: kl``).
* TRL 1.10.0.dev0 (commit f2cd5771, 2026-07-24), ``trl/trainer/grpo_trainer.py``:
  ``per_token_kl = exp(ref - logp) - (ref - logp) - 1``, times ``coef_1 = exp(logp - old_logp)``
  only if ``use_bias_correction_kl``; ``per_token_loss + beta * per_token_kl``.
* OpenRLHF 0.11.0 (commit 3c3be623, 2026-08-13), ``openrlhf/models/utils.py``
  ``compute_approx_kl`` (every estimator's value clamped to [-10, 10]) and ``compute_reward``
  (``-kl_coef * kl`` added per token); ``openrlhf/trainer/ppo_utils/experience_maker.py``
  normalises the outcome rewards per group ("group_norm": ``(r - mean)/(std + 1e-9)``) and
  *then* adds the KL reward: the penalty enters the advantage *after* the group
  normalisation, unscaled and without a baseline (``--algo.kl.use_loss`` moves it to the loss,
  ``ppo_actor.py``, no ratio).

Placements, for one question, on a policy ``theta`` (the coordinates pi_theta(o), treated as
independent, as the paper's (8)-(10) do), samples drawn from ``old`` (pi_old) and a
*detached* quantity evaluated at ``old`` (on policy, pi_theta = pi_old numerically, and a
detached value carries no gradient):

===============================  ==============================================================
function                         the penalty (its expectation over one sampled output)
===============================  ==============================================================
``loss_penalty(k, t, o, r)``     E_{o ~ old}[S_k(theta(o))]: in the loss, no ratio (TRL default,
                                 verl ``use_kl_loss``, OpenRLHF ``use_loss``)
``ratio_penalty(k, t, o, r)``    E_{o ~ old}[(theta/old)(o) S_k(theta(o))]: in the loss with the
                                 importance ratio (TRL ``use_bias_correction_kl``; Sec. 3)
``reward_values(k, o, r)``       the detached value k(old(o), r(o)) that a trainer subtracts,
                                 times beta, from the reward of o (verl ``use_kl_in_reward``,
                                 before the group normalisation; OpenRLHF, after it)
``on_policy(e, t, o)``           e at pi_old = pi_theta, after every derivative in it is taken
``antiderivative(k, t, r)``      F_k with dF_k/dt = k: the function whose coordinate gradient
                                 an in-reward penalty follows
``penalised_divergence(k, pl)``  the divergence the on-policy update follows, by name (proved
                                 in ``derivations/x4_kl_estimators.py``)
===============================  ==============================================================

S_k(theta) is the surrogate whose gradient the trainer follows: k itself, or for ``plus(k)``
k2(theta) - k2(old) + k(old) (value k, gradient of k2).

>>> t, r = sp.symbols("t r", positive=True)
>>> K1.value(t, r), K2.value(t, r)
(log(t/r), log(t/r)**2/2)
>>> K3.value(t, r)
r/t - log(r/t) - 1
>>> sp.diff(plus(K3).surrogate(t, sp.Symbol("d", positive=True), r), t)
log(t/r)/t
>>> LOW_VAR_KL.value(t, t)
0
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import sympy as sp

from .penalty import Distribution, compositions, expectation, log_gap, per_sample_penalty
from .symbols import Family

__all__ = ["Estimator", "K1", "K2", "K3", "LOW_VAR_KL", "ESTIMATORS", "plus", "clamp",
           "LOG_RATIO_CLAMP", "VALUE_CLAMP", "loss_penalty", "ratio_penalty", "reward_values",
           "on_policy", "antiderivative", "kept_group_average", "PLACEMENTS",
           "penalised_divergence"]

LOG_RATIO_CLAMP = 20      # verl: kl = clamp(ref_logprob - logprob, -20, 20)
VALUE_CLAMP = 10          # verl: clamp(kld, -10, 10); OpenRLHF: every estimator's value


def clamp(x: sp.Expr, lo, hi) -> sp.Expr:
    """torch.clamp(x, lo, hi) = min(max(x, lo), hi).

    >>> clamp(sp.Integer(30), -20, 20), clamp(sp.Integer(-3), -20, 20)
    (20, -3)
    """
    return sp.Min(sp.Max(x, lo), hi)


@dataclass(frozen=True)
class Estimator:
    """A per-sample KL estimator: its value at (t, r) = (pi_theta(o), pi_ref(o)) and the
    surrogate S(t, d, r) whose t-derivative the trainer follows, d the detached pi_theta(o)
    (equal to t in value; a straight-through estimator uses it)."""

    name: str
    value: Callable[[sp.Expr, sp.Expr], sp.Expr]
    surrogate: Callable[[sp.Expr, sp.Expr, sp.Expr], sp.Expr]
    latex: str

    def __str__(self) -> str:
        return self.name


def _plain(name: str, value, latex: str) -> Estimator:
    return Estimator(name, value, lambda t, d, r: value(t, r), latex)


def _k1(t, r):
    return sp.log(t / r)


def _k2(t, r):
    return sp.log(t / r) ** 2 / 2


def _low_var_kl(t, r):
    u = clamp(sp.log(sp.sympify(r) / t), -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP)
    return clamp(log_gap(sp.exp(u)), -VALUE_CLAMP, VALUE_CLAMP)


K1 = _plain("k1", _k1, "k_1")
K2 = _plain("k2", _k2, "k_2")
K3 = _plain("k3", per_sample_penalty, "k_3")
LOW_VAR_KL = _plain("low_var_kl", _low_var_kl, r"k_3^{\mathrm{clamp}}")


def plus(k: Estimator) -> Estimator:
    """verl's straight-through "k+": the value of k, the gradient of k2.

    >>> t, d, r = sp.symbols("t d r", positive=True)
    >>> sp.simplify(plus(K1).surrogate(t, t, r) - K1.value(t, r))
    0
    """
    def surrogate(t, d, r):
        return _k2(t, r) - _k2(d, r) + k.value(d, r)

    return Estimator(f"{k.name}+", k.value, surrogate, k.latex + "^{+}")


ESTIMATORS = {e.name: e for e in (K1, K2, K3, LOW_VAR_KL, plus(K1), plus(K3),
                                  plus(LOW_VAR_KL))}


def _per_output(pi: Distribution, f: Callable) -> Family | tuple:
    if isinstance(pi, Family):
        return Family(None, pi.count, f)
    return tuple(f(o) for o in range(len(pi)))


def loss_penalty(k: Estimator, theta: Distribution, old: Distribution, ref: Distribution
                 ) -> sp.Expr:
    """E_{o ~ old}[S_k(theta(o))]: the estimator in the loss, no importance ratio.

    >>> t, o, r = sp.symbols("t1 t2", positive=True), sp.symbols("o1 o2", positive=True), \\
    ...     sp.symbols("r1 r2", positive=True)
    >>> loss_penalty(K1, t, o, r)
    o1*log(t1/r1) + o2*log(t2/r2)
    """
    return expectation(old, lambda j: k.surrogate(theta[j], old[j], ref[j]))


def ratio_penalty(k: Estimator, theta: Distribution, old: Distribution, ref: Distribution
                  ) -> sp.Expr:
    """E_{o ~ old}[(theta(o)/old(o)) S_k(theta(o))]: in the loss, times the importance ratio
    (old cancels: k1 with the ratio is KL(theta || ref) itself).

    >>> h = sp.Rational(1, 2)
    >>> ratio_penalty(K1, (h, h), (sp.Rational(1, 3), sp.Rational(2, 3)), (h, h))
    0
    """
    return expectation(old, lambda j: theta[j] / old[j] * k.surrogate(theta[j], old[j], ref[j]))


def reward_values(k: Estimator, old: Distribution, ref: Distribution):
    """k(old(o), ref(o)) per output: the detached penalty a trainer puts in the reward (on
    policy, old = pi_theta in value).

    >>> reward_values(K1, (sp.Rational(1, 2), sp.Rational(1, 2)), (sp.Rational(1, 4), \\
    ...     sp.Rational(3, 4)))
    (log(2), log(2/3))
    """
    return _per_output(old, lambda j: k.value(old[j], ref[j]))


def on_policy(e: sp.Expr, theta: Distribution, old: Distribution) -> sp.Expr:
    """``e`` at pi_old = pi_theta, after every derivative in it is taken (differentiate
    first, then substitute, as the paper's (10)).

    >>> t, o = sp.symbols("t o", positive=True)
    >>> on_policy(sp.Derivative(o * sp.log(t), t), (t,), (o,))
    Subs(Derivative(o*log(t), t), o, t)
    """
    if isinstance(theta, Family):
        return sp.Subs(e, old.base, theta.base)
    return sp.Subs(e, tuple(old), tuple(theta))


def antiderivative(k: Estimator, t: sp.Expr, r: sp.Expr) -> sp.Expr:
    """F_k(t, r) with dF_k/dt = k(t, r), F_k the per-output term of the function whose
    coordinate gradient a penalty *in the reward* follows (k1, k2, k3 only: the value is all
    that enters the reward, so a "+" variant is its base estimator).

    >>> t, r = sp.symbols("t r", positive=True)
    >>> [sp.simplify(sp.diff(antiderivative(e, t, r), t) - e.value(t, r)) for e in (K1, K2, K3)]
    [0, 0, 0]
    """
    l = sp.log(t / r)
    forms = {"k1": t * l - t,
             "k2": t * (l ** 2 / 2 - l + 1),
             "k3": r * sp.log(t) + t * l - 2 * t}
    if k.name not in forms:
        raise ValueError(f"estimator must be one of k1, k2, k3, got {k.name}")
    return forms[k.name]


def kept_group_average(G: int, values, pi) -> sp.Expr:
    """E[(1/G) sum_i values[o_i] ; the group is kept] for G i.i.d. draws from ``pi``, a group
    being dropped (DAPO's dynamic sampling) when all its outputs are the same output (for
    distinct rewards: all its rewards equal).  Written out over count vectors, as
    :func:`~grpo_sym.grpo.penalty.group_average`, without the K pure groups.

    >>> p = sp.symbols("p1 p2")
    >>> sp.factor(kept_group_average(2, (1, 0), p))
    p1*p2
    """
    if len(pi) != len(values):
        raise ValueError(f"{len(pi)} probabilities but {len(values)} values")
    terms = []
    for ns in compositions(G, len(pi)):
        if max(ns) == G:
            continue                  # one output G times: equal rewards, dropped
        coef = math.factorial(G)
        for n in ns:
            coef //= math.factorial(n)
        weight = sp.Mul(*[x ** n for x, n in zip(pi, ns)])
        terms.append(coef * weight * sp.Add(*[sp.Rational(n, G) * v
                                              for n, v in zip(ns, values) if n]))
    return sp.Add(*terms)


PLACEMENTS = ("loss", "ratio", "reward", "reward-after-norm")
DIRECT, REVERSE = "KL(pi || pi_ref)", "KL(pi_ref || pi)"
_FOLLOWED = {
    ("loss", "k1"): "none (the gradient of sum_o pi(o), constant on the simplex)",
    ("loss", "k2"): DIRECT,
    ("loss", "k3"): REVERSE,
    ("loss", "low_var_kl"): REVERSE + ", none at outputs with pi(o) < 0.073 pi_ref(o) (clamped)",
    ("ratio", "k1"): DIRECT,
    ("ratio", "k2"): "E_pi[log(pi/pi_ref)^2]/2 (neither KL)",
    ("ratio", "k3"): DIRECT,
    ("reward", "k1"): DIRECT,
    ("reward", "k2"): "E_pi[log(pi/pi_ref)^2]/2 - " + DIRECT + " (neither KL)",
    ("reward", "k3"): DIRECT + " - " + REVERSE + " (not a divergence)",
}


def penalised_divergence(estimator: str, placement: str) -> str:
    """The function whose gradient the on-policy update follows, for an estimator name (a key
    of ``ESTIMATORS``) and a placement: "loss" (no ratio), "ratio" (times the importance
    ratio), "reward" (its value in the reward, before the group normalisation) or
    "reward-after-norm" (after it, as OpenRLHF).  A "+" estimator follows k2's gradient in the
    loss and is its base estimator in the reward (only the value enters there).

    >>> penalised_divergence("k3", "loss")
    'KL(pi_ref || pi)'
    >>> penalised_divergence("k3+", "loss"), penalised_divergence("k1", "reward-after-norm")
    ('KL(pi || pi_ref)', 'KL(pi || pi_ref)')
    >>> penalised_divergence("k4", "loss")
    Traceback (most recent call last):
    ...
    ValueError: estimator must be one of k1, k2, k3, low_var_kl, k1+, k3+, low_var_kl+, got 'k4'
    """
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {', '.join(ESTIMATORS)}, got {estimator!r}")
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {', '.join(PLACEMENTS)}, got {placement!r}")
    base = estimator.rstrip("+")
    if placement.startswith("reward"):
        if base == "low_var_kl":
            return _FOLLOWED["reward", "k3"] + " where unclamped"
        return _FOLLOWED["reward", base]
    if estimator.endswith("+"):
        if placement == "ratio":
            raise ValueError(f"placement 'ratio' with a straight-through estimator ({estimator}) "
                             "is no trainer's combination")
        return DIRECT
    if (placement, base) not in _FOLLOWED:
        raise ValueError(f"placement {placement!r} with {estimator} is not modelled")
    return _FOLLOWED[placement, base]
