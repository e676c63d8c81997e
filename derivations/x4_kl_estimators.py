"""Beyond the paper -- the KL penalty as trainers compute it: which divergence each estimator
and placement really penalises, and where it leaves a question.

The objects are those of :mod:`grpo_sym.grpo.estimators` (k1 = log(pi/pi_ref), k2 = log(pi/
pi_ref)^2/2, k3 = pi_ref/pi - log(pi_ref/pi) - 1, verl's clamped k3 ``low_var_kl``, the
straight-through "+" variants; with the trainers' files and versions).  Everything is on
policy (pi_old = pi_theta after differentiating), for K outputs with K symbolic (sums over an
abstract output index), at every output o; "gradient" is the coordinate gradient
d/d pi_theta(o) of the paper's (8)-(10), the coordinates treated as independent.  On the simplex
a gradient matters only up to a constant added to every coordinate (the direction of
sum_o pi(o)), so "the gradient of D" means "equal to dD/d pi(o) up to such a constant".
"Direct KL" is KL(pi_theta || pi_ref), "reverse KL" is KL(pi_ref || pi_theta), as in the paper.

* **In the loss, no importance ratio** (TRL's default, verl ``use_kl_loss``, OpenRLHF
  ``use_loss``): the expected gradient at o is pi(o) dS_k/d pi(o):
  k1 -> 1 (``x4.loss.k1.gradient``): the gradient of sum_o pi(o), constant on the simplex --
  *no* divergence; in the logits its expectation is exactly 0 (``x4.loss.k1.logits``).
  k2 -> log(pi/pi_ref), the direct-KL gradient minus 1 (``x4.loss.k2.*``).
  k3 -> 1 - pi_ref/pi, the reverse-KL gradient plus 1 (``x4.loss.k3.*``; the paper's (10)).
  k1+, k3+, low_var_kl+ -> log(pi/pi_ref): the straight-through variants follow the direct KL,
  whatever their value (``x4.loss.k1plus.*``, ``x4.loss.k3plus.*``).
* **In the loss, with the ratio** (TRL ``use_bias_correction_kl``; the paper's Sec. 3): the
  expected gradient is d/d pi(o) of sum_o pi(o) k(pi(o)): k1 -> log(pi/pi_ref) + 1 = (9), the
  direct KL; k3 -> log(pi/pi_ref), the direct KL; k2 -> log^2/2 + log, the gradient of
  E_pi[log(pi/pi_ref)^2]/2, neither KL (``x4.ratio.*``).  (No trainer combines a "+" estimator
  with the ratio: verl, the only one with "+", has no ratio in its KL loss.)
* **Common beliefs, refuted** (each with a witness at two outputs, and its correction):
  "the k3 term's gradient is an unbiased estimate of the KL gradient"
  (``x4.belief.k3-gradient-is-kl-gradient``; its *value* is unbiased for KL(pi || pi_ref),
  ``s2.2.kl0-unbiased-on-policy.corrected``, its gradient is that of the other KL);
  "k1 in the loss penalises KL" (``x4.belief.k1-loss-penalises-kl``: its expected gradient is
  zero); "k2 is an unbiased estimate of KL" (``x4.belief.k2-value-unbiased``: its value is
  biased, its gradient is the direct KL's); "k3 in the reward penalises KL"
  (``x4.belief.k3-reward-penalises-kl``).
* **In the reward** (verl ``use_kl_in_reward``: before the group normalisation; OpenRLHF's
  default: *after* it, unscaled, no baseline): only the detached value enters, r(o) - beta
  k(pi(o)), and the expected update at o is (the advantage of) that penalised reward.  Its
  coordinate gradient is that of sum_o F_k(pi(o)) with dF_k/dt = k (``x4.reward.antiderivative-*``):
  k1 -> KL(pi || pi_ref) - sum pi, the direct KL (``x4.reward.k1.divergence``);
  k2 -> E_pi[log^2]/2 - KL(pi || pi_ref) + sum pi, flat to second order at pi_ref;
  k3 -> KL(pi || pi_ref) - KL(pi_ref || pi) - 2 sum pi + const (``x4.reward.k3.divergence``):
  direct minus reverse, not a divergence at all -- it is negative at some policies
  (``x4.reward.k3.indefinite``).  With shift-only advantages (Dr. GRPO) before the
  normalisation, the update is (1 - 1/G) times that gradient, penalty included
  (``x4.reward.shift-only.gradient``): k1 gives RLHF at beta itself, no G/(G - 1).  After the
  normalisation (OpenRLHF) the penalty is -beta k(pi(o)) exactly (``x4.reward.after-norm-k1``):
  with group_norm and k1 that is the paper's Sec. 3 direct-KL form pi = pi_ref e^{P_G(o|pi)/
  beta}/Z (``s3.direct-kl.stationary-form``), with shift-only advantages RLHF at beta G/(G - 1).
* **Stationary policies, in the reward before normalisation, every scaling.**  An interior
  stationary point of E_pi[P'(o | pi)] needs P'(o | pi) = 0 at every o (P' is centred); with
  any advantage (r' - mean)/s, s > 0 (shift-only, group std, Bessel, + eps, batch std) the
  output of largest penalised reward r' has P' > 0 unless r' is constant.  So the stationary
  policies are exactly those with r(o) - beta k(pi(o)) constant over the outputs, for every
  scaling (argued here, not encoded for K outputs).  For a binary question the std-normalised
  P'_G depends on the penalised rewards only through the sign of r'(a) - r'(b) (P_G from the
  group definition holds for every reward gap, ``x1.preference.a.definition``): the same
  stationary set as shift-only, approached bang-bang.  For k1 that is the RLHF policy (4) at beta
  (``x4.reward.k1.gibbs-constant``: its penalised rewards are all beta log Z_q).  For binary
  questions (drift of p = pi(a) has the sign of gamma - beta E_k(p), gamma = r(a) - r(b),
  E_k(p) = k(p, f) - k(1 - p, 1 - f)): k3 in the reward has E_3 < 0 on (f, 1) when f >= 1/2
  (``x4.reward.k3.binary.no-restoring-force``), so p -> 1 for every beta, every G, every
  scaling; for f < 1/2, E_3 rises to its maximum log((1 - f)/f) - 2 (1 - 2f) at p = 1/2
  (``x4.reward.k3.binary.derivative``, ``...at-half``) and a stationary point above f exists
  only if beta times that reaches gamma (``...at-half.decreasing``): at beta = 0.04, gamma = 1
  only for f < 2e-12 (``x4.reward.k3.binary.beta-0.04``).  k2 in the reward behaves alike
  (E_2 = (l_a - l_b)(l_a + l_b)/2 < 0 for p > max(f, 1 - f): argued, not encoded).
* **verl's clamped k3** (``low_var_kl`` = verl's "k3").  Where the clamps are inactive it is k3
  (by inspection: the kernel does not resolve Min/Max of a bounded variable); the value clamp binds first, at u = log(pi_ref/pi) outside
  (u_-, u_+), u_+ in (2.61, 2.62), u_- in (-11, -10.9999) (``x4.low-var-kl.threshold.*``):
  an output whose probability fell below pi_ref(o) e^{-2.62} = 0.073 pi_ref(o) gets *no*
  penalty gradient.  For a binary question with groups of two, the stationary point (14) of
  k3 at beta = 0.04, f = 1/2 lies there (``x4.low-var-kl.pairs.clamped-at-eq14``), and with
  b clamped the drift of p is (1 - p)((1 - beta) p + beta f) > 0 (``x4.low-var-kl.pairs.drift``):
  nothing holds p below 1.

Stationary policies of the loss placements follow from the gradients: the direct family (k2,
"+", the ratio with k1 or k3) has the stationarity condition of Sec. 3
(``s3.direct-kl.kkt.*``, form ``s3.direct-kl.stationary-form``; binary any G:
``x4.binary.loss-k2``, ``x4.binary.ratio-k3``); k3 without the ratio is the paper's (11) (binary: ``x1.stationarity``);
k1 without the ratio is beta = 0 (binary: ``x2.beta-zero.no-interior-stationary``, p -> 1);
k2 with the ratio: P_o - beta (log^2/2 + log) = lambda (``x4.binary.ratio-k2``).

Model.  One output = one sample (a sequence-level log-ratio); trainers estimate per token and
sum, which is the sequence log-ratio for k1 but not for k2 and k3.  OpenRLHF also clamps every
estimator's value to [-10, 10]; the k1 clamp binds only where |log(pi/pi_ref)| > 10.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Rational, S, exp, log

from grpo_sym.derivations.b1_binary_pairs import root_c
from grpo_sym.grpo.estimators import (K1, K2, K3, LOW_VAR_KL, VALUE_CLAMP, Estimator,
                                      antiderivative,
                                      loss_penalty, on_policy, plus, ratio_penalty, reward_values)
from grpo_sym.grpo.penalty import (expectation, gibbs_policy, kl, log_gap, partition_function,
                                   reverse_kl)
from grpo_sym.grpo.symbols import (Family, beta, group_size as G, output as o,
                                   output_count as K, pi_ref_a as f, pi_theta_a as p, policy,
                                   policy_family, reward_family)
from grpo_sym.proof import (REGISTRY, Certificate, Claim, Eq, Gt, Le, Lt, MinimumAt, OnSimplex,
                            Witness, claim, indexed, variable)

__all__ = ["PAPER", "GRADIENTS", "DIVERGENCES", "binary_gap"]

PAPER = "Beyond the paper: KL estimators and placements"
AT_OUTPUT = [Le(o, K)]
KEEP = 1 - 1 / G

t, old, ref = policy_family("pi_theta"), policy_family("pi_old"), policy_family("pi_ref")
mass = t.total(lambda j: t[j])
lr = log(t[o] / ref[o])                      # log(pi(o)/pi_ref(o))

K1P, K3P = plus(K1), plus(K3)
PLACEMENTS = {"loss": loss_penalty, "ratio": ratio_penalty}
WHERE = {"loss": "in the loss without the importance ratio",
         "ratio": "in the loss times the importance ratio pi_theta/pi_old"}

# (placement, estimator) -> (on-policy gradient at o, the function D whose gradient it is,
# the name of D)
DIRECT_MINUS_MASS = kl(t, ref) - mass
GRADIENTS: dict[tuple[str, str], sp.Expr] = {}
DIVERGENCES: dict[tuple[str, str], tuple[sp.Expr, str]] = {}
ROWS = (
    ("loss", K1, 1, mass, "none: sum_o pi(o), constant on the simplex"),
    ("loss", K2, lr, DIRECT_MINUS_MASS, "the direct KL(pi || pi_ref) (minus sum pi)"),
    ("loss", K3, 1 - ref[o] / t[o], reverse_kl(t, ref) + mass,
     "the reverse KL(pi_ref || pi) (plus sum pi), the paper's (10)"),
    ("loss", K1P, lr, DIRECT_MINUS_MASS, "the direct KL (straight-through k2 gradient)"),
    ("loss", K3P, lr, DIRECT_MINUS_MASS, "the direct KL (straight-through k2 gradient)"),
    ("ratio", K1, lr + 1, kl(t, ref), "the direct KL(pi || pi_ref), (9)"),
    ("ratio", K2, lr ** 2 / 2 + lr, expectation(t, lambda j: log(t[j] / ref[j]) ** 2) / 2,
     "E_pi[log(pi/pi_ref)^2]/2, neither KL"),
    ("ratio", K3, lr, DIRECT_MINUS_MASS, "the direct KL (minus sum pi), the paper's Sec. 3"),
)


def _cid(placement: str, k: Estimator, what: str) -> str:
    """x4.<placement>.<estimator>.<what>, "+" spelled "plus" (ids are [a-z0-9.-])."""
    return f"x4.{placement}.{_id(k)}.{what}"


def _id(k: Estimator) -> str:
    return k.name.replace("+", "plus").replace("_", "-")


gradient_claims: dict[tuple[str, str], Claim] = {}
for placement, k, grad, D, name in ROWS:
    penalty = PLACEMENTS[placement](k, t, old, ref)
    lhs = on_policy(sp.Derivative(penalty, t[o]), t, old)
    GRADIENTS[placement, k.name] = grad
    DIVERGENCES[placement, k.name] = (D, name)
    gradient_claims[placement, k.name] = g = claim(
        _cid(placement, k, "gradient"), PAPER, Eq(lhs, grad), conditions=AT_OUTPUT,
        prose=f"For K outputs (any K) and every output o, the estimator {k.name} "
              f"{WHERE[placement]} has, on policy, the expected gradient "
              f"d/d pi_theta(o) = {sp.sstr(grad)}.")
    claim(
        _cid(placement, k, "divergence"), PAPER, Eq(lhs, sp.Derivative(D, t[o])),
        conditions=AT_OUTPUT, uses=[g],
        prose=f"For K outputs, {k.name} {WHERE[placement]} follows, on policy, exactly the "
              f"gradient of {name}.")

# k1 in the loss, no ratio: zero expected gradient in the logits (softmax policy)
z3 = tuple(variable(f"x4_z_{j}", S.Reals, latex=f"z_{{{j}}}") for j in (1, 2, 3))
y3 = tuple(variable(f"x4_y_{j}", S.Reals, latex=f"y_{{{j}}}") for j in (1, 2, 3))


def _softmax3(logits) -> tuple:
    total = sum(exp(x) for x in logits)
    return tuple(exp(x) / total for x in logits)


ref3 = policy("pi_ref", 3)
k1_logits = claim(
    "x4.loss.k1.logits.k3", PAPER,
    Eq(sp.Derivative(loss_penalty(K1, _softmax3(z3), _softmax3(y3), ref3), z3[0]).doit()
       .subs(dict(zip(y3, z3))), 0),
    instance_of="x4.loss.k1.logits",
    prose="For a softmax policy over three outputs (logits z, sampled from the same policy), "
          "the k1 term in the loss without the ratio has expected gradient exactly 0 in every "
          "logit (shown for z_1): E_pi[d log pi(o)/d z_m] = 0 -- for any K, as the general "
          "coordinate form x4.loss.k1.gradient (the constant 1) says; it penalises nothing.")

# -- common beliefs ----------------------------------------------------------------------------

t2, ref2, old2 = policy("pi_theta", 2), policy("pi_ref", 2), policy("pi_old", 2)
half, quarter = Rational(1, 2), Rational(1, 4)
W2 = {t2[0]: half, t2[1]: half, ref2[0]: quarter, ref2[1]: 3 * quarter}
SIMPLEX2 = [OnSimplex(t2), OnSimplex(ref2)]


def _grad2(placement: str, k: Estimator) -> sp.Expr:
    return on_policy(sp.Derivative(PLACEMENTS[placement](k, t2, old2, ref2), t2[0]), t2, old2)


KL_GRAD2 = log(t2[0] / ref2[0]) + 1           # (9): d KL(pi || pi_ref)/d pi(1)


def _belief(cid: str, statement, witness: dict, why: str, correction: Claim, prose: str
            ) -> Claim:
    """A common belief, refuted by a witness, paired with the claim that corrects it."""
    c = claim(cid, PAPER, statement, proof=Witness(witness, why), expected="refuted",
              conditions=SIMPLEX2, prose=prose)
    c.corrected_by, correction.corrects = correction, c
    return c


_belief("x4.belief.k3-gradient-is-kl-gradient", Eq(_grad2("loss", K3), KL_GRAD2), W2,
        "pi = (1/2, 1/2), pi_ref = (1/4, 3/4): the k3 term's expected gradient is 1/2, the KL "
        "gradient 1 + log 2", REGISTRY["x4.loss.k3.divergence"],
        "Belief: 'the k3 term (TRL's and verl's default) is an unbiased estimate of the KL "
        "gradient'.  Its value is unbiased for KL(pi || pi_ref) on policy, but its expected "
        "gradient is not that of KL(pi || pi_ref) -- it is the reverse KL's.")
_belief("x4.belief.k1-loss-penalises-kl", Eq(_grad2("loss", K1), KL_GRAD2), W2,
        "the k1 term's expected gradient is 1 in every coordinate",
        REGISTRY["x4.loss.k1.divergence"],
        "Belief: 'k1 in the loss penalises KL(pi || pi_ref)'.  Without the importance ratio its "
        "expected gradient is the constant 1 (0 in the logits): it penalises nothing.")
_belief("x4.belief.k2-value-unbiased",
        Eq(expectation(t2, [K2.value(a, b) for a, b in zip(t2, ref2)]), kl(t2, ref2)), W2,
        "E_pi[k2] = (log^2 2 + log^2(2/3))/4 = 0.161, KL = 0.144",
        REGISTRY["x4.loss.k2.divergence"],
        "Belief: 'k2 is an (approximately) unbiased estimate of KL'.  Its value is biased "
        "(E_pi[k2] != KL(pi || pi_ref)); what it gets right is the gradient: in the loss "
        "without the ratio it follows the direct KL exactly.")

# -- in the reward ----------------------------------------------------------------------------

tt, rr = variable("x4_t", Interval.open(0, 1), latex="t"), \
    variable("x4_r", Interval.open(0, 1), latex="r")
for k in (K1, K2, K3):
    claim(
        f"x4.reward.antiderivative-{k.name}", PAPER,
        Eq(sp.Derivative(antiderivative(k, tt, rr), tt), k.value(tt, rr)),
        prose=f"dF/dt = {k.name}(t, r) for F(t, r) = {sp.sstr(antiderivative(k, tt, rr))}: the "
              f"per-output term of the function whose gradient {k.name} in the reward follows.")


def _reward_sum(k: Estimator, x: Family) -> sp.Expr:
    return x.total(lambda j: antiderivative(k, x[j], ref[j]))


k1_div = claim(
    "x4.reward.k1.divergence", PAPER,
    Eq(_reward_sum(K1, t), kl(t, ref) - mass),
    prose="For K outputs: sum_o F_k1(pi(o)) = KL(pi || pi_ref) - sum_o pi(o): k1 in the reward "
          "follows the direct KL.")
k3_div = claim(
    "x4.reward.k3.divergence", PAPER,
    Eq(_reward_sum(K3, t), kl(t, ref) - reverse_kl(t, ref) - 2 * mass
       + ref.total(lambda j: ref[j] * log(ref[j]))),
    prose="For K outputs: sum_o F_k3(pi(o)) = KL(pi || pi_ref) - KL(pi_ref || pi) - 2 sum pi + "
          "sum pi_ref log pi_ref: k3 in the reward follows direct minus reverse KL, not a "
          "divergence.")
claim(
    "x4.reward.k2.divergence", PAPER,
    Eq(_reward_sum(K2, t), expectation(t, lambda j: log(t[j] / ref[j]) ** 2) / 2 - kl(t, ref)
       + mass),
    prose="For K outputs: sum_o F_k2(pi(o)) = E_pi[log(pi/pi_ref)^2]/2 - KL(pi || pi_ref) + "
          "sum pi: k2 in the reward follows neither KL (both terms are sum pi_ref e^2/2 to "
          "second order in pi = pi_ref (1 + e): no restoring force at second order).")

D3_2 = kl(t2, ref2) - reverse_kl(t2, ref2)
claim(
    "x4.reward.k3.indefinite", PAPER,
    Lt(D3_2, 0),
    proof=Witness({t2[0]: Rational(1, 10), t2[1]: Rational(9, 10), ref2[0]: half,
                   ref2[1]: half}, "pi = (1/10, 9/10), pi_ref = (1/2, 1/2): 0.368 - 0.511"),
    quantifier="exists", conditions=SIMPLEX2,
    prose="KL(pi || pi_ref) - KL(pi_ref || pi) takes negative values: the function k3 in the "
          "reward climbs is not a divergence from pi_ref.")
_belief("x4.belief.k3-reward-penalises-kl", Eq(D3_2, kl(t2, ref2)),
        {t2[0]: Rational(1, 10), t2[1]: Rational(9, 10), ref2[0]: half, ref2[1]: half},
        "the reverse KL is not zero there", k3_div,
        "Belief: 'k3 in the reward penalises KL(pi || pi_ref)' (its value is unbiased for it): "
        "the function its update climbs down is KL(pi || pi_ref) - KL(pi_ref || pi), not the "
        "KL.")

r_K = reward_family()
d_K = Family(indexed("x4_penalty_value", S.Reals, latex="d"))   # detached penalty values
shift_update = claim(
    "x4.reward.shift-only.gradient", PAPER,
    Eq(on_policy(sp.Derivative(expectation(t, lambda j: KEEP * (
        r_K[j] - beta * d_K[j] - expectation(old, lambda i: r_K[i] - beta * d_K[i]))), t[o]),
        t, old),
       KEEP * (r_K[o] - beta * d_K[o] - expectation(t, lambda j: r_K[j] - beta * d_K[j]))),
    conditions=AT_OUTPUT,
    prose="For K outputs and shift-only advantages (Dr. GRPO) of a penalised reward r - beta d, "
          "d(o) the detached estimator value at o (verl use_kl_in_reward), the on-policy "
          "coordinate gradient is (1 - 1/G)(r(o) - beta d(o) - E_pi[r - beta d]): the penalty "
          "is scaled with the reward, by 1 - 1/G.")
after_norm = claim(
    "x4.reward.after-norm-k1", PAPER,
    Eq(on_policy(sp.Derivative(-beta * expectation(t, lambda j: reward_values(K1, old, ref)[j]),
                               t[o]), t, old),
       -beta * sp.Derivative(kl(t, ref) - mass, t[o])),
    conditions=AT_OUTPUT,
    prose="For K outputs, k1 added to the reward after the group normalisation (OpenRLHF's "
          "default) contributes -beta log(pi(o)/pi_ref(o)) at output o on policy: exactly "
          "-beta times the gradient of KL(pi || pi_ref) - sum pi, unscaled by the std: with "
          "group_norm the stationary policies are those of Sec. 3, pi = pi_ref e^{P_G(o|pi)/"
          "beta}/Z (s3.direct-kl.stationary-form).")

star = gibbs_policy(ref, r_K, beta)
claim(
    "x4.reward.k1.gibbs-constant", PAPER,
    Eq(r_K[o] - beta * K1.value(star[o], ref[o]), beta * log(partition_function(ref, r_K, beta))),
    conditions=AT_OUTPUT,
    prose="For K outputs: at the RLHF policy (4), pi(o) = pi_ref(o) e^{r(o)/beta}/Z_q, the "
          "k1-penalised reward r(o) - beta log(pi(o)/pi_ref(o)) is beta log Z_q at every output: "
          "every group has equal penalised rewards and zero advantages, whatever the scaling "
          "-- (4) is stationary for k1 in the reward before normalisation, for every G and "
          "every scaling.")

# -- in the reward, binary questions: E_k(p) = k(p, f) - k(1 - p, 1 - f) ---------------------


def binary_gap(k: Estimator, x: sp.Expr = p, ref_a: sp.Expr = f) -> sp.Expr:
    """k(x, f) - k(1 - x, 1 - f): the penalty of a minus that of b; the drift of pi(a) with
    the penalty in the reward has the sign of gamma - beta times it, for every scaling."""
    return k.value(x, ref_a) - k.value(1 - x, 1 - ref_a)


E3 = binary_gap(K3)
dE3 = (p - f) * (1 / p ** 2 - 1 / (1 - p) ** 2)
e3_derivative = claim(
    "x4.reward.k3.binary.derivative", PAPER,
    Eq(sp.Derivative(E3, p), dE3),
    prose="For a binary question, E_3(p) = k3(p, f) - k3(1 - p, 1 - f) has E_3'(p) = (p - f)"
          "(1/p^2 - 1/(1 - p)^2): E_3 falls on (max(f, 1/2), 1) and rises on (f, 1/2).")
f_hi = variable("x4_f_high", Interval.Ropen(half, 1), latex=r"\pi_{ref}(a)")
s_ = variable("x4_s", Interval.open(0, 1), latex="s")
p_of_s = f_hi + (1 - f_hi) * s_                     # p in (f, 1)
claim(
    "x4.reward.k3.binary.no-restoring-force", PAPER,
    sp.Ge(-binary_gap(K3, p_of_s, f_hi), 0),
    proof=MinimumAt(s_, 0, (1 - f_hi) ** 2 * s_ ** 2 * (2 * p_of_s - 1)
                    / (p_of_s ** 2 * (1 - p_of_s) ** 2),
                    "-E_3 vanishes at p = f and -E_3'(p) (p - f) = (p - f)^2 (2p - 1)/(p^2 "
                    "(1 - p)^2) >= 0 for p >= f >= 1/2"),
    prose="For a binary question with pi_ref(a) = f >= 1/2 and every p = f + (1 - f) s in "
          "(f, 1): k3(p, f) <= k3(1 - p, 1 - f).  With k3 in the reward the drift of p has the "
          "sign of gamma - beta E_3(p) > 0: nothing holds p below 1, for every beta, every G and "
          "every scaling.")
claim(
    "x4.reward.k3.binary.at-half", PAPER,
    Eq(E3.subs(p, half), log((1 - f) / f) - 2 * (1 - 2 * f)),
    prose="E_3(1/2) = log((1 - f)/f) - 2 (1 - 2f) = 2 (artanh(1 - 2f) - (1 - 2f)), the maximum of E_3 on (f, 1) when f < 1/2: "
          "a stationary point above f exists only if beta E_3(1/2) >= gamma.")

E3_half = log((1 - f) / f) - 2 * (1 - 2 * f)
claim(
    "x4.reward.k3.binary.at-half.decreasing", PAPER,
    Le(sp.Derivative(E3_half, f), 0),
    proof=Certificate((1 - 2 * f) ** 2 / (f * (1 - f)),
                      "-dE_3(1/2)/df = 1/(f (1 - f)) - 4 = (1 - 2f)^2/(f (1 - f))"),
    prose="E_3(1/2) decreases in pi_ref(a) = f: the smaller f, the larger beta E_3(1/2), so the "
          "condition beta E_3(1/2) >= gamma for a stationary point above f holds only below a "
          "threshold on f.")
F_TINY = Rational(2, 10 ** 12)
claim(
    "x4.reward.k3.binary.beta-0.04", PAPER,
    Lt(E3_half.subs(f, F_TINY) / 25, 1),
    proof=Certificate(1 - E3_half.subs(f, F_TINY) / 25, "an exact number, evaluated"),
    prose="At beta = 0.04 and gamma = 1, beta E_3(1/2) < gamma already at pi_ref(a) = 2e-12 (and "
          "so for every larger pi_ref(a)): with k3 in the reward no binary question with "
          "pi_ref(a) >= 2e-12 has a stationary point above pi_ref(a); p -> 1.")

# -- the loss placements, binary questions: the penalty's pull on p = pi(a) -------------------

la, lb = log(p / f), log((1 - p) / (1 - f))
BINARY_ROWS = (
    ("loss", K1, 0, "nothing: the condition of beta = 0 (x2.beta-zero), p -> 1"),
    ("loss", K3, p - f, "beta (p - f) = B_G[phi](p), the paper's (17) for G = 2 (x1.stationarity)"),
    ("loss", K2, p * (1 - p) * (la - lb), "beta p (1 - p)(logit p - logit f) = B_G[phi](p), the "
                                          "direct KL (Sec. 3; G = 2: b2.pairs.log-odds)"),
    ("loss", K3P, p * (1 - p) * (la - lb), "the direct-KL condition, as k2"),
    ("ratio", K3, p * (1 - p) * (la - lb), "the direct-KL condition (Sec. 3)"),
    ("ratio", K2, p * (1 - p) * ((la ** 2 - lb ** 2) / 2 + la - lb),
     "beta p (1 - p)((l_a^2 - l_b^2)/2 + l_a - l_b) = B_G[phi](p), neither KL"),
)


def _at(e: sp.Expr, x: sp.Expr, ref_x: sp.Expr) -> sp.Expr:
    """A per-output gradient at an output with pi(o) = x, pi_ref(o) = ref_x."""
    return sp.sympify(e).xreplace({t[o]: x, ref[o]: ref_x})


for placement, k, pull, condition in BINARY_ROWS:
    g = GRADIENTS[placement, k.name]
    claim(
        f"x4.binary.{placement}-{_id(k)}", PAPER,
        Eq(p * (1 - p) * (_at(g, p, f) - _at(g, 1 - p, 1 - f)), pull),
        uses=[gradient_claims[placement, k.name]],
        prose=f"For a binary question (p = pi(a), f = pi_ref(a)), {k.name} {WHERE[placement]} "
              f"pulls p, on policy, with p (1 - p)(g(a) - g(b)) = {sp.sstr(pull)}, g its "
              f"gradient at an output (d/dp along the simplex is d/d pi(a) - d/d pi(b)); as the "
              f"reward pulls with p (1 - p)(P_G(a|p) - P_G(b|p)) = B_G[phi](p) "
              f"(x1.preference.gap-bernstein), the stationary condition for every G is {condition}.")

# -- verl's clamped k3 (low_var_kl, also verl's "k3") ------------------------------------------

U_PLUS, U_MINUS = (Rational(261, 100), Rational(262, 100)), (-Rational(11), -Rational(109999, 10000))
for name, (lo, hi) in (("upper", U_PLUS), ("lower", U_MINUS)):
    below, above = (lo, hi) if name == "upper" else (hi, lo)
    claim(
        f"x4.low-var-kl.threshold.{name}", PAPER,
        Gt(log_gap(exp(above)) - VALUE_CLAMP, 0),
        proof=Certificate(log_gap(exp(above)) - VALUE_CLAMP, "an exact number, evaluated"),
        prose=f"k3 = e^u - u - 1 exceeds the value clamp 10 at u = {above} (and, as "
              f"x4.low-var-kl.threshold.{name}.below shows, not at u = {below}): the clamp "
              f"binds from u_{'+' if name == 'upper' else '-'} in ({min(lo, hi)}, "
              f"{max(lo, hi)}) on, where the estimator is the constant 10 and its gradient 0.")
    claim(
        f"x4.low-var-kl.threshold.{name}.below", PAPER,
        Lt(log_gap(exp(below)) - VALUE_CLAMP, 0),
        proof=Certificate(VALUE_CLAMP - log_gap(exp(below)), "an exact number, evaluated"),
        prose=f"k3 = e^u - u - 1 is below the value clamp 10 at u = {below}.")

B004 = Rational(1, 25)
p14 = root_c(B004, half)                     # (14) at beta = 0.04, gamma = 1, pi_ref(a) = 1/2
claim(
    "x4.low-var-kl.pairs.clamped-at-eq14", PAPER,
    Gt(log((1 - half) / (1 - p14)) - U_PLUS[1], 0),
    proof=Certificate(log((1 - half) / (1 - p14)) - U_PLUS[1], "an exact number, evaluated"),
    prose="For a binary question with groups of two, beta = 0.04, gamma = 1 and pi_ref(a) = 1/2, "
          "the k3 stationary point (14) p* = 0.9804 has log(pi_ref(b)/pi(b)) = 3.24 > 2.62: "
          "there verl's low_var_kl is clamped at b and gives b no penalty gradient, so (14) is "
          "not its stationary point.")
beta_small = Interval.Lopen(0, 1)
claim(
    "x4.low-var-kl.pairs.drift", PAPER,
    Gt(p * (1 - p) - beta * (1 - p) * (p - f), 0),
    proof=Certificate((1 - p) * ((1 - beta) * p + beta * f),
                      "(1 - p)((1 - beta) p + beta f), each factor positive for beta <= 1"),
    domains={beta: beta_small},
    prose="Groups of two, deterministic rewards: where b's low_var_kl is clamped, the on-policy "
          "logit drift of p is p (1 - p) - beta (1 - p)(p - f) (reward minus a's penalty) = "
          "(1 - p)((1 - beta) p + beta f) > 0 for every beta <= 1: no stationary point there, "
          "p -> 1.")

LVK_POINT = {tt: Rational(1, 100), rr: half}       # u = log 50 = 3.91 > u_+
claim(
    "x4.low-var-kl.clamped-example", PAPER,
    Eq(sp.Subs(sp.Derivative(LOW_VAR_KL.value(tt, rr), tt), (tt, rr),
               tuple(LVK_POINT.values())), 0),
    prose="At pi(o) = 1/100, pi_ref(o) = 1/2 (u = log 50 > u_+), verl's low_var_kl is the "
          "constant 10 near pi(o) and its gradient is 0, while k3's is 1 - pi_ref/pi = -49.")
