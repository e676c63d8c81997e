"""Beyond the paper -- reward scaling: std per group (population or Bessel, with an epsilon), per
batch, none (Dr. GRPO), and DAPO's dynamic sampling, for every estimator and placement of the
KL penalty (:mod:`x4_kl_estimators`).

Conventions read from the trainers (files and versions in :mod:`grpo_sym.grpo.estimators`):
TRL ``scale_rewards`` "group" (default; Bessel std ``nanstd``, + 1e-4), "batch" (the group mean,
one std over the whole batch, + 1e-4) or "none"; verl ``norm_adv_by_std_in_grpo`` (False = Dr.
GRPO; ``torch.std`` is Bessel, + 1e-6); OpenRLHF ``group_norm`` (Bessel, + 1e-9) or ``dr_grpo``.

* **Std per group, Bessel** (``x5.bessel.kkt``).  The Bessel advantages are sqrt((G - 1)/G) times
  the population ones for every group (``x2.bessel.advantage``), so for any K, any penalty in
  the loss with on-policy gradient g(o), the stationarity condition P_bessel(o) - beta g(o) =
  lambda is the population one at beta sqrt(G/(G - 1)).  The epsilon (binary: ``x2.eps.*``)
  moves the stationary policy towards pi_ref.
* **Std per batch** (TRL "batch"; model: the batch std is a fixed s > 0, e.g. in the limit of
  a large batch of many questions).  The advantage is the shift-only one divided by s, so every
  penalty in the loss acts as if beta were beta s.  With the direct family (k2, "+", the ratio
  with k1/k3) the objective is (1 - 1/G)/s times the RLHF objective at beta s G/(G - 1) plus a
  constant (``x5.batch.direct-kl.objective``), maximised by RLHF's (4) at that beta
  (``x5.batch.direct-kl.maximiser``); with k3 without the ratio (11) reads (13) with beta sigma
  replaced by beta s G/(G - 1) (``x5.batch.eq11``).
* **None** (Dr. GRPO, shift-only; Sec. 3 for the paper's penalty).  s = 1 above: direct family
  -> RLHF at beta G/(G - 1) (``s3.shift-only.direct-kl.*``), k3 without ratio -> the g-form at
  beta G/(G - 1) (``s3.shift-only.eq11``), k1 without ratio -> no penalty at all.  In the reward
  before normalisation (verl) the penalty is scaled with the reward (``x4.reward.shift-only
  .gradient``), so k1 gives RLHF at beta itself (``x5.none.reward-k1``); after it (OpenRLHF
  ``dr_grpo``) RLHF at beta G/(G - 1) (``x5.none.after-norm-k1``).
* **In the reward before normalisation, every scaling** has the same stationary policies --
  those whose penalised rewards are equal across outputs (argued in :mod:`x4_kl_estimators`):
  such a group has zero advantages under every scaling (``x5.equal-rewards.*``).
* **Dynamic sampling** (DAPO: groups whose rewards are all equal are dropped and refilled).
  With distinct rewards a group is dropped exactly when it repeats one output.  Dropped groups
  have zero advantage, so the reward part is only divided by P(kept); but the penalty is
  computed on the kept groups only: its expectation is sum_o pi_old(o)(1 - pi_old(o)^(G-1))
  d(o) instead of sum_o pi_old(o) d(o) (``x5.dynamic.kept-average.kK.gG``, written out), and its
  on-policy gradient at o is multiplied by 1 - pi(o)^(G-1) (``x5.dynamic.gradient.*``, any K
  and G).  So k1 in the loss, inert without it, becomes an active penalty that *sharpens* the
  policy towards its majority answer whatever pi_ref (binary: ``x5.dynamic.binary.loss-k1``,
  pull p (1 - p)((1 - p)^(G-1) - p^(G-1))); and k3 without the ratio pulls a binary question
  with (p - f) m_G(p), m_G(p) = 1 - p^(G-1)(1 - p) - p (1 - p)^(G-1) < 1
  (``x5.dynamic.binary.loss-k3``, ``x5.dynamic.binary.weaker``): the stationary condition
  becomes beta m_G(p)(p - f) = B_G[phi](p), a weaker penalty than without dynamic sampling.

Model.  One output per sample, deterministic rewards (distinct per output where dynamic
sampling is concerned); a batch std is a constant; the aggregation of the loss over tokens and
groups (TRL's loss_type) is a positive factor common to reward and penalty and is ignored.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, S, log, oo

import grpo_sym.derivations.s2_2_penalty as s2_2
from grpo_sym.derivations.s3_shift_only_and_pooling import shift_preference_K
from grpo_sym.derivations.x2_trainer_conventions import BESSEL, bessel_advantage
from grpo_sym.derivations.x4_kl_estimators import GRADIENTS, PLACEMENTS, gradient_claims
from grpo_sym.grpo.advantage import group_mean
from grpo_sym.grpo.estimators import (K1, K2, K3, kept_group_average, loss_penalty, on_policy)
from grpo_sym.grpo.penalty import (GroupAverage, expectation, gibbs_policy, kl,
                                   partition_function, rlhf_objective)
from grpo_sym.grpo.symbols import (Family, beta, group_size as G, output as o, output_count as K,
                                   pi_ref_a as f, pi_theta_a as p, policy, policy_family,
                                   reward_family, weights_family)
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, Le, OnSimplex, chain, claim,
                            indexed, lemma_instance, variable)

__all__ = ["PAPER", "kept_weight"]

PAPER = "Beyond the paper: reward scaling and dynamic sampling"
AT_OUTPUT = [Le(o, K)]
POSITIVE = Interval.open(0, oo)
KEEP = 1 - 1 / G

t, old, ref = policy_family("pi_theta"), policy_family("pi_old"), policy_family("pi_ref")
r_K = reward_family()
g_K = Family(indexed("x5_penalty_gradient", S.Reals, latex="g"))    # any penalty gradient
P_K = Family(indexed("x5_preference", S.Reals, latex="P"))          # P_G(o | pi), population
lam = variable("x5_lambda", S.Reals, latex=r"\lambda")
s_batch = variable("x5_batch_std", POSITIVE, latex="s")

# -- std per group, Bessel ------------------------------------------------------------------

claim(
    "x5.bessel.kkt", PAPER,
    Eq(BESSEL * P_K[o] - beta * g_K[o] - lam,
       BESSEL * (P_K[o] - beta / BESSEL * g_K[o] - lam / BESSEL)),
    conditions=AT_OUTPUT, uses=[bessel_advantage],
    prose="For K outputs, any G and any penalty in the loss with on-policy gradient g(o): with "
          "the Bessel std, P = sqrt((G - 1)/G) P_pop (x2.bessel.advantage), so the stationarity "
          "condition P(o) - beta g(o) = lambda is the population condition at beta "
          "sqrt(G/(G - 1)) (and lambda rescaled), for every estimator and placement in the loss.")

# -- std per batch: a fixed s > 0 -----------------------------------------------------------

pi_w = weights_family("w_theta", "w").normalised()
BETA_BATCH = beta * s_batch * G / (G - 1)


def _batch_direct(x) -> sp.Expr:
    """E_{o ~ x}[P(o | pi_old)/s] - beta KL(x || pi_ref): shift-only advantages over s."""
    P_old = shift_preference_K(old)
    return expectation(x, lambda j: P_old[j] / s_batch) - beta * kl(x, ref)


claim(
    "x5.batch.direct-kl.objective", PAPER,
    Eq(_batch_direct(pi_w), KEEP / s_batch * rlhf_objective(pi_w, r_K, BETA_BATCH, ref)
       - KEEP / s_batch * expectation(old, lambda j: r_K[j])),
    prose="For K outputs and a batch std s (TRL scale_rewards='batch', s fixed), the direct-KL "
          "objective (k2 or a '+' estimator in the loss, k1/k3 with the ratio) is (1 - 1/G)/s "
          "times the RLHF objective at beta s G/(G - 1), plus a constant.")

_n = variable("x5_n", sp.Range(1, oo), latex="n")                   # G = n + 1
BETA_BATCH_N = beta * s_batch * (_n + 1) / _n
claim(
    "x5.batch.direct-kl.maximiser", PAPER,
    Ge(_batch_direct(gibbs_policy(ref, r_K, BETA_BATCH_N)).subs(G, _n + 1),
       _batch_direct(pi_w).subs(G, _n + 1)),
    proof=Certificate(KEEP.subs(G, _n + 1) / s_batch
                      * lemma_instance(REGISTRY["eq4"], {beta: BETA_BATCH_N}),
                      "(1 - 1/G)/s times J_RLHF(pi*) - J_RLHF(pi) >= 0 at beta s G/(G - 1) (eq4)",
                      lemmas={REGISTRY["eq4"]: [{beta: BETA_BATCH_N}]}),
    prose="For K outputs and every pi_old, the direct-KL objective with a batch std s is "
          "maximised by the RLHF policy (4) at beta s G/(G - 1) (written with G = n + 1): a "
          "batch std rescales beta by s.")

P_batch = Family(None, K, lambda x: shift_preference_K(pi_w)[x] / s_batch)
EP_batch = expectation(pi_w, lambda j: P_batch[j])
claim(
    "x5.batch.eq11", PAPER,
    Eq((1 - (P_batch[o] - EP_batch) / beta) * pi_w[o],
       (1 - (r_K[o] - expectation(pi_w, lambda j: r_K[j])) / BETA_BATCH) * pi_w[o]),
    conditions=AT_OUTPUT,
    prose="For K outputs, with k3 in the loss without the ratio (the paper's penalty) and a "
          "batch std s, (11) reads (1 - (r(o) - E_pi[r])/(beta s G/(G - 1))) pi(o) = pi_ref(o): "
          "(13) with beta sigma(pi) replaced by beta s G/(G - 1).")

# -- none (shift-only): the penalty in the reward ---------------------------------------------

star = gibbs_policy(ref, r_K, beta)
star_w = Family(None, K, lambda j: star[j])
claim(
    "x5.none.reward-k1", PAPER,
    Eq(KEEP * (r_K[o] - beta * K1.value(star[o], ref[o])
               - expectation(star_w, lambda j: r_K[j] - beta * K1.value(star[j], ref[j]))), 0),
    conditions=AT_OUTPUT, uses=[REGISTRY["x4.reward.shift-only.gradient"],
                                REGISTRY["x4.reward.k1.gibbs-constant"]],
    prose="For K outputs, shift-only advantages (Dr. GRPO) and k1 in the reward before "
          "normalisation (verl use_kl_in_reward), the on-policy update (x4.reward.shift-only"
          ".gradient) vanishes at the RLHF policy (4) at beta itself: the penalty is scaled by "
          "1 - 1/G with the reward, so no G/(G - 1) appears.")

BETA_EFF = beta * G / (G - 1)
star_eff = gibbs_policy(ref, r_K, BETA_EFF)
claim(
    "x5.none.after-norm-k1", PAPER,
    Eq(KEEP * r_K[o] - beta * K1.value(star_eff[o], ref[o]),
       beta * log(partition_function(ref, r_K, BETA_EFF))),
    conditions=AT_OUTPUT, uses=[REGISTRY["x4.reward.after-norm-k1"]],
    prose="For K outputs, shift-only advantages and k1 added after the normalisation (OpenRLHF "
          "dr_grpo): at the RLHF policy (4) at beta G/(G - 1), (1 - 1/G) r(o) - beta "
          "log(pi(o)/pi_ref(o)) is the same at every output, so the on-policy update "
          "(1 - 1/G)(r(o) - E_pi r) - beta k1(o) is constant: it is stationary.")

# -- equal penalised rewards: zero advantage under every scaling ------------------------------

c_r = variable("x5_common_reward", S.Reals, latex="c")
eps = variable("x5_epsilon", POSITIVE, latex=r"\varepsilon")
group = Family(None, G, lambda i: c_r)               # a group of G equal rewards
claim(
    "x5.equal-rewards.shift-only", PAPER,
    Eq(group[1] - group_mean(group), 0),
    prose="A group of G equal (penalised) rewards has shift-only advantage 0, for every G; so "
          "have its std-scaled advantages 0/(0 + eps) and batch-scaled ones 0/s: the policies "
          "whose penalised rewards are equal across outputs are stationary under every scaling.")

# -- dynamic sampling -------------------------------------------------------------------------


def kept_weight(x: sp.Expr, size=G) -> sp.Expr:
    """pi(o)(1 - pi(o)^(G-1)): the weight of output o in the penalty over kept groups."""
    return x * (1 - x ** (size - 1))


for k_out, sizes in ((2, range(2, 7)), (3, range(2, 5))):
    old_k = policy("pi_old", k_out)
    d = tuple(variable(f"dval_{j}", S.Reals, latex=f"d_{{{j}}}") for j in range(1, k_out + 1))
    for g in sizes:
        claim(
            f"x5.dynamic.kept-average.k{k_out}.g{g}", PAPER,
            Eq(kept_group_average(g, d, old_k),
               sp.Add(*[kept_weight(x, g) * v for x, v in zip(old_k, d)])),
            conditions=[OnSimplex(old_k)],
            prose=f"With {k_out} outputs of distinct rewards and groups of {g}, the expected "
                  f"group average of any per-output values d over the groups dynamic sampling "
                  f"keeps (not one output repeated) is sum_o pi_old(o)(1 - pi_old(o)^(G-1)) d(o).")

x_out = s2_2.x_out
old_n = weights_family("u_old", "u").normalised()          # pi_old = u/sum u
d_lambda = sp.Lambda(x_out, s2_2.d_K[x_out])
old_lambda = sp.Lambda(x_out, old_n[x_out])
pure = old_n.total(lambda j: old_n[j] ** G * s2_2.d_K[j])   # groups repeating one output
claim(
    "x5.dynamic.kept-average", PAPER,
    Eq(GroupAverage(G, d_lambda, old_lambda, K) - pure,
       old_n.total(lambda j: kept_weight(old_n[j]) * s2_2.d_K[j])),
    proof=chain(GroupAverage(G, d_lambda, old_lambda, K) - pure)
    .substitute(s2_2.group_average_axiom, "linearity over the i.i.d. group",
                instance={s2_2.d_K.base: d_lambda, s2_2.pi_any.base: old_lambda,
                          s2_2.draws: G})
    .rewrite(old_n.total(lambda j: kept_weight(old_n[j]) * s2_2.d_K[j]),
             "pi_old sums to one; collect the two sums"),
    prose="For K outputs with distinct rewards and groups of G (both symbolic): the groups "
          "dynamic sampling drops are those repeating one output o (probability pi_old(o)^G, "
          "average d(o)), so the expected group average over the kept groups is "
          "sum_o pi_old(o)(1 - pi_old(o)^(G-1)) d(o) (resting on the named axiom "
          "s2.2.group-average).")

DS_ROWS = (("loss", K1), ("loss", K2), ("loss", K3), ("ratio", K3))
for placement, k in DS_ROWS:
    base = PLACEMENTS[placement]

    def kept_penalty(k=k, base=base):
        """The penalty over kept groups: each output's term weighted by 1 - pi_old^(G-1)."""
        per = Family(None, K, lambda j: 1 - old[j] ** (G - 1))
        if base is loss_penalty:
            return expectation(old, lambda j: per[j] * k.surrogate(t[j], old[j], ref[j]))
        return expectation(old, lambda j: per[j] * t[j] / old[j]
                           * k.surrogate(t[j], old[j], ref[j]))

    claim(
        f"x5.dynamic.gradient.{placement}-{k.name}", PAPER,
        Eq(on_policy(sp.Derivative(kept_penalty(), t[o]), t, old),
           (1 - t[o] ** (G - 1)) * GRADIENTS[placement, k.name]),
        conditions=AT_OUTPUT, uses=[gradient_claims[placement, k.name]],
        prose=f"For K outputs and groups of G (both symbolic), with dynamic sampling the "
              f"expected gradient of {k.name} {'in the loss' if base is loss_penalty else 'with the ratio'}"
              f" at output o is 1 - pi(o)^(G-1) times its gradient without dynamic sampling.")


def _ds_pull(grad: sp.Expr) -> sp.Expr:
    """p (1 - p)(g_DS(a) - g_DS(b)) for a per-output gradient written at t[o], ref[o]."""
    def at(x, y):
        return ((1 - t[o] ** (G - 1)) * grad).xreplace({t[o]: x, ref[o]: y})
    return p * (1 - p) * (at(p, f) - at(1 - p, 1 - f))


m_G = 1 - p ** (G - 1) * (1 - p) - p * (1 - p) ** (G - 1)
claim(
    "x5.dynamic.binary.loss-k1", PAPER,
    Eq(_ds_pull(GRADIENTS["loss", "k1"]), p * (1 - p) * ((1 - p) ** (G - 1) - p ** (G - 1))),
    uses=[REGISTRY["x5.dynamic.gradient.loss-k1"]],
    prose="Binary question, dynamic sampling, k1 in the loss: the penalty's pull on p is "
          "p (1 - p)((1 - p)^(G-1) - p^(G-1)), non-zero for p != 1/2 and independent of pi_ref: "
          "minimising it raises whichever answer is already the majority.")
claim(
    "x5.dynamic.binary.loss-k3", PAPER,
    Eq(_ds_pull(GRADIENTS["loss", "k3"]), (p - f) * m_G),
    uses=[REGISTRY["x5.dynamic.gradient.loss-k3"]],
    prose="Binary question, dynamic sampling, k3 in the loss (the paper's penalty): the pull is "
          "(p - f) m_G(p), m_G(p) = 1 - p^(G-1)(1 - p) - p (1 - p)^(G-1); the stationary "
          "condition is beta m_G(p)(p - f) = B_G[phi](p) for every G.")
claim(
    "x5.dynamic.binary.weaker", PAPER,
    Gt(1 - m_G, 0),
    proof=Certificate(p ** (G - 1) * (1 - p) + p * (1 - p) ** (G - 1),
                      "p^(G-1)(1 - p) + p (1 - p)^(G-1), a sum of positive terms"),
    prose="m_G(p) < 1 on (0, 1) for every G: dynamic sampling weakens the pull of the k3 "
          "penalty towards pi_ref (an effective beta m_G(p) < beta), so the stationary policy "
          "moves further from pi_ref.")
