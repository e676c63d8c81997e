"""Beyond the paper -- beta = 0: how fast on-policy GRPO drives the better answer to 1.

With no penalty the only stationary policy of a binary question is the vertex p = 1
(``x2.beta-zero.no-interior-stationary``).  How fast it is reached depends on two things:
the reward scaling, through the margin gamma(p) = P(a | p) - P(b | p) (the on-policy
derivative of the surrogate in p), and the update rule, through a metric m(p):
dp/dt = eta m(p) gamma(p), u = p (1 - p) (:mod:`grpo_sym.grpo.dynamics`).  Every rule is a
gradient flow of the same potential Phi (Phi' = gamma; for large groups Phi = 2 asin sqrt p,
``b2.large.potential`` at beta = 0), so all go to 1 along the same path; only the clock
differs.  The clock tau (tau' = 1/(m gamma)) gives the time from p0 to p1 as
(tau(p1) - tau(p0))/eta.

* **The update rules** (``x6.softmax.*``, ``x6.natural.fisher``).  A softmax over two
  logits, theta <- theta + eta grad (the simulator, ``grpo_sym.simulate``), moves theta_a by
  eta u gamma and theta_b by -eta u gamma, so the logit gap z = logit p by 2 eta u gamma:
  m = 2 u^2 (``"logits"``).  The natural gradient divides by the Fisher information u of
  p = sigma(z) in z: m = u (``"natural"``, the replicator dynamics, the flow the arcsin
  picture assumes).  Ascent in p itself, App. B.2's "p <- p + eta beta h(p)": m = 1
  (``"probability"``).
* **Std per group, G -> oo** (gamma = 1/sqrt(u), ``x6.large.margin``).  Natural rule: asin sqrt p
  moves at rate eta/2 (``x6.large.natural.clock``; "at rate eta" is refuted,
  ``x6.large.natural.clock.wrong-constant``), p(t) = sin^2(asin sqrt p0 + eta t/2), and p
  reaches 1 at the finite time (pi - 2 asin sqrt p0)/eta (``x6.large.natural.finite-time``),
  1 - delta about 2 sqrt(delta)/eta earlier (``x6.large.natural.near-one``).  Softmax rule:
  Psi(p) = (2p - 1)/sqrt(u) = 2 sinh(z/2) moves at rate eta (``x6.large.logits.clock``,
  ``x6.large.logits.in-logits``), so p(t) = sigma(2 asinh((Psi(p0) + eta t)/2)): p never
  reaches 1 (``x6.large.logits.never``; the finite time of the natural rule is refuted for it,
  ``x6.large.logits.finite-time``), and the time to 1 - delta is ~ 1/(eta sqrt(delta))
  (``x6.large.logits.rate``).  Discrete steps of the simulator: from p0 >= 1/2 each step raises
  Psi by at least eta (``x6.large.logits.step``, via ``x6.large.logits.coordinate.*`` and the
  lemma ``x6.sinh-above-identity``) and by at most eta e^(eta/2)
  (``x6.large.logits.step.at-most``), so it reaches 1 - delta after between
  (Psi(1 - delta) - Psi(p0))/(eta e^(eta/2)) and ceil((Psi(1 - delta) - Psi(p0))/eta) steps.
  Probability rule: the clock is ((2p - 1) sqrt(u) + asin sqrt p)/4
  (``x6.large.probability.clock``), finite at 1
  (``x6.large.probability.finite-time``: pi/8), but each discrete step moves p by at least
  2 eta (``x6.large.probability.step``): it leaves (0, 1) after at most ceil((1 - p0)/(2 eta))
  steps and needs a projection.
* **Shift-only (Dr. GRPO) and a fixed batch std** (gamma = (G - 1)/G, ``x6.shift-only.margin``;
  (G - 1)/(G s) for a fixed batch std s, the same up to the constant).  Natural rule: logistic,
  p(t) = sigma(logit p0 + eta c t) (``x6.shift-only.natural.clock``); "p reaches 1 in finite
  time" is refuted (``x6.shift-only.natural.finite-time``), the clock diverges at 1
  (``x6.shift-only.natural.infinite-time``) and the time to 1 - delta is
  (logit(1 - delta) - logit p0)/(eta c) ~ log(1/delta)/(eta c).  Softmax rule: the clock is
  (logit p + (2p - 1)/(2u))/c (``x6.shift-only.logits.clock``), time ~ 1/(2 eta c delta)
  (``x6.shift-only.logits.rate``).  Probability rule: p(t) = p0 + eta c t
  (``x6.shift-only.probability.clock``).
* **Std per group, finite G** (gamma_G = B_G[phi]/u, ``x1.preference.effective-margin``;
  G = 2..8).  The natural velocity is B_G[phi](p) itself, and 2(G - 1)/G u <= B_G[phi](p) <=
  sqrt(G - 1) u (``x6.finite.velocity.lower``, ``x6.finite.velocity.upper``): every finite-G
  flow lies between the shift-only-type flows with c = 2(G - 1)/G and c = sqrt(G - 1), so at
  finite G the natural rule needs a time of order log(1/delta) and the softmax rule one of
  order 1/delta -- the finite time of G -> oo is an artefact of the limit, which is not
  uniform near 1.  Exactly: B_G[phi](1) = 0 (``x1.bernstein.at-one``) and B_G[phi]'(1) =
  -sqrt(G - 1) (``x6.finite.slope-at-one``), so B_G[phi](p) ~ sqrt(G - 1)(1 - p): groups of G
  a's have advantage 0, a group with one b gives each a the advantage 1/sqrt(G - 1) and
  appears with probability ~ G (1 - p).  Time to 1 - delta: log(1/delta)/(eta sqrt(G - 1))
  (natural), 1/(2 eta sqrt(G - 1) delta) (softmax), up to O(1).  G = 2 is shift-only with
  c = 1 and G = 3 with c = sqrt 2 (``x1.bernstein.u-polynomial.g2``, ``.g3``).  With an eps
  the velocity is B_G^eps[phi] of ``x2_trainer_conventions`` and its slope at 1 is
  -(G - 1)/(sqrt(G - 1) + G eps) (``x6.finite.eps.slope-at-one``); Bessel's std multiplies
  the velocity by sqrt((G - 1)/G) (``x2.bessel.preference.*``).  At G -> oo an eps > 0 turns
  the velocity u/(sqrt(u) + eps) linear at 1 as well: logarithmic again, with c1 = 1/eps.

Numbers (``grpo_sym.numeric.dynamics``, cross-checked against these clocks and against the
simulator, step for step): from p0 = 1/2 with eta = 1 the softmax rule needs 99.98 time units
to reach 1 - 10^-4 for G -> oo, 1896 for G = 8 (~ 1/(2 sqrt 7 delta) = 1890), 5009 for G = 2
and 10017 for shift-only at G = 2; the natural rule needs pi/2 to reach 1 itself for G -> oo,
and 5.53 to reach 1 - 10^-6 for G = 8 (log(10^6)/sqrt 7 = 5.22).

Engine limits: the finite-G bounds are proved for G = 2..8 by exhaustion (the positivity of a
Bernstein sum over a symbolic G is beyond the checker, as in ``x1_finite_groups``); the
integral of a clock density is not evaluated by the engine (SymPy's antiderivative of
1/sqrt(p (1 - p)) is not visibly real), so each clock is proved by its derivative
(tau' velocity = 1) and the fundamental theorem of calculus is the prose step.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Rational, S, asin, exp, log, oo, pi, sqrt

from grpo_sym.derivations import x1_finite_groups as x1
from grpo_sym.derivations import x2_trainer_conventions as x2
from grpo_sym.derivations.s3_shift_only_and_pooling import shift_preference_values
from grpo_sym.grpo.dynamics import clock, velocity
from grpo_sym.grpo.preference import large_group_preference, reward_std
from grpo_sym.grpo.symbols import group_size as G, pi_theta_a as p
from grpo_sym.proof import (Certificate, Eq, Ge, Le, LimitProof, MinimumAt, Witness, chain,
                            claim, lemma_instance, variable)

__all__ = ["PAPER", "margin_large", "margin_shift", "clock_claim"]

PAPER = "Beyond the paper: beta = 0 dynamics (binary)"
POSITIVE = Interval.open(0, oo)
Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)

eta = variable("x6_eta", POSITIVE, latex=r"\eta")                       # the step size
p0 = variable("x6_p0", Interval.open(0, 1), latex="p_0")                # the starting p
delta = variable("x6_delta", Interval.open(0, 1), latex=r"\delta")      # the distance to 1
theta_a = variable("x6_theta_a", S.Reals, latex=r"\theta_a")            # the two logits
theta_b = variable("x6_theta_b", S.Reals, latex=r"\theta_b")
P_a = variable("x6_P_a", S.Reals, latex=r"P(a \mid \pi_{\theta_{old}})")   # any scaling's
P_b = variable("x6_P_b", S.Reals, latex=r"P(b \mid \pi_{\theta_{old}})")   # preferences
U = p * (1 - p)


def logit(y):
    return log(y / (1 - y))


# ======================================================================================
# The update rules: the metric of each
# ======================================================================================

softmax_a = exp(theta_a) / (exp(theta_a) + exp(theta_b))      # p = sigma(theta_a - theta_b)
surrogate = softmax_a * P_a + (1 - softmax_a) * P_b           # J(p; q) with pi_old frozen
U_SOFT = softmax_a * (1 - softmax_a)

claim(
    "x6.softmax.gradient.a", PAPER + ", the update rules",
    Eq(sp.Derivative(surrogate, theta_a), U_SOFT * (P_a - P_b)),
    proof=chain(surrogate).differentiate(theta_a, "d sigma/d theta_a = sigma (1 - sigma)",
                                         result=U_SOFT * (P_a - P_b)),
    prose="For a softmax over the two logits, d J/d theta_a = p (1 - p)(P(a | pi_old) - "
          "P(b | pi_old)) for any reward scaling (P(a), P(b) are free of theta); on policy "
          "P(a | p) - P(b | p) is the margin gamma(p).")

claim(
    "x6.softmax.gradient.b", PAPER + ", the update rules",
    Eq(sp.Derivative(surrogate, theta_b), -U_SOFT * (P_a - P_b)),
    proof=chain(surrogate).differentiate(theta_b, "d sigma/d theta_b = -sigma (1 - sigma)",
                                         result=-U_SOFT * (P_a - P_b)),
    prose="And d J/d theta_b = -p (1 - p)(P(a) - P(b)): one gradient step of size eta on both "
          "logits (the simulator) moves z = theta_a - theta_b by 2 eta p (1 - p) gamma(p), so p "
          "by 2 eta (p (1 - p))^2 gamma(p) to first order: the metric m = 2 u^2 of the "
          "\"logits\" rule.")

claim(
    "x6.natural.fisher", PAPER + ", the update rules",
    Eq(p * (sp.Derivative(log(p), p) * U)**2 + (1 - p) * (sp.Derivative(log(1 - p), p) * U)**2,
       U),
    prose="The Fisher information of p = sigma(z) in the logit z, E[(d log pi(o)/dz)^2] with "
          "dp/dz = p (1 - p), is p (1 - p): the natural gradient, the gradient u gamma divided "
          "by it, moves z by eta gamma and p by eta u gamma -- the metric m = u of the "
          "\"natural\" rule (the replicator dynamics).")

# ======================================================================================
# The margins of the scalings
# ======================================================================================

_pol, _rewards = (p, 1 - p), (1, 0)
_sigma = reward_std(_pol, _rewards)
margin_large = (large_group_preference(0, _rewards, _pol, _sigma)
                - large_group_preference(1, _rewards, _pol, _sigma))
large_margin = claim(
    "x6.large.margin", PAPER + ", std per group, G -> oo",
    Eq(margin_large, 1 / sqrt(U)),
    prose="For the std-normalised advantage in the limit of large groups, P_inf(a | p) - "
          "P_inf(b | p) = sqrt((1 - p)/p) + sqrt(p/(1 - p)) = 1/sqrt(p (1 - p)).")

M_LARGE = large_margin.statement.rhs            # 1/sqrt(p (1 - p))
claim(
    "x6.large.potential", PAPER + ", std per group, G -> oo",
    Eq(sp.Derivative(2 * asin(sqrt(p)), p), margin_large),
    uses=[large_margin],
    prose="The margin is the derivative of Phi(p) = 2 asin sqrt p, the potential of "
          "b2.large.potential at beta = 0: every rule climbs Phi to p = 1.")

_shift = shift_preference_values(_rewards, _pol)
margin_shift = _shift[0] - _shift[1]
C_SHIFT = (G - 1) / G
shift_margin = claim(
    "x6.shift-only.margin", PAPER + ", shift-only",
    Eq(margin_shift, C_SHIFT),
    prose="With shift-only advantages r - mean (Dr. GRPO) and rewards 1, 0 the margin is the "
          "constant (G - 1)/G for every G (1 as G -> oo); with a fixed batch std s, "
          "(r - mean)/s, it is (G - 1)/(G s).")

# ======================================================================================
# Std per group, G -> oo: the three clocks
# ======================================================================================

def clock_claim(cid: str, flow: str, kind: str, prose: str, **options):
    """Declare ``tau' velocity = 1`` for the clock of ``flow`` with the margin ``kind``
    (``"large"``: 1/sqrt(u); ``"constant"``: the shift-only (G - 1)/G); returns (tau, claim)."""
    c, g, where, uses = ((1, M_LARGE, "std per group, G -> oo", large_margin) if kind == "large"
                         else (C_SHIFT, margin_shift, "shift-only", shift_margin))
    tau = clock(flow, kind, p, c, m=sp)
    return tau, claim(cid, f"{PAPER}, {where}",
                      Eq(sp.Derivative(tau, p) * velocity(flow, g, p), 1),
                      prose=prose, uses=[uses, *options.pop("uses", [])], **options)


NAT_LARGE = clock("natural", "large", p, m=sp)        # 2 asin sqrt p = 2 atan sqrt(p/(1 - p))
V_NAT_LARGE = velocity("natural", M_LARGE, p)
wrong_arcsin = claim(
    "x6.large.natural.clock.wrong-constant", PAPER + ", std per group, G -> oo",
    Eq(sp.Derivative(NAT_LARGE / 2, p) * eta * V_NAT_LARGE, eta),
    proof=Witness({p: Rational(1, 2), eta: 1}, "at p = 1/2, eta = 1: d/dt asin sqrt p = 1/2"),
    expected="refuted",
    prose="With a wrong constant, \"asin sqrt p moves at rate eta\" (p(t) = sin^2(asin sqrt p0 "
          "+ eta t)) is refuted: the rate is eta/2.")
_, nat_large = clock_claim(
    "x6.large.natural.clock", "natural", "large", corrects=wrong_arcsin,
    prose="Natural rule, dp/dt = eta sqrt(p (1 - p)): 2 asin sqrt p is its clock, i.e. "
          "asin sqrt p moves at the constant rate eta/2 and p(t) = sin^2(asin sqrt p0 + "
          "eta t/2).")

claim(
    "x6.large.natural.finite-time", PAPER + ", std per group, G -> oo",
    Eq(Limit_(NAT_LARGE, p, 1, "-"), pi),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    uses=[nat_large],
    prose="The clock is finite at 1 (2 asin 1 = pi), so the natural rule reaches p = 1 at the "
          "finite time (pi - 2 asin sqrt p0)/eta (= 2 acos(sqrt p0)/eta; pi/(2 eta) from "
          "p0 = 1/2).")

claim(
    "x6.large.natural.near-one", PAPER + ", std per group, G -> oo",
    Eq(Limit_((pi - NAT_LARGE.subs(p, 1 - delta)) / sqrt(delta), delta, 0, "+"), 2),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="It passes 1 - delta at about 2 sqrt(delta)/eta before that time: tau(1) - "
          "tau(1 - delta) ~ 2 sqrt(delta).")

PSI, log_large = clock_claim(                               # (2p - 1)/sqrt(p (1 - p))
    "x6.large.logits.clock", "logits", "large",
    prose="Softmax rule (the simulator), dp/dt = 2 eta (p (1 - p))^(3/2): Psi(p) = "
          "(2p - 1)/sqrt(p (1 - p)) is its clock, Psi(p(t)) = Psi(p0) + eta t.")

z = variable("x6_z", S.Reals, latex="z")
claim(
    "x6.large.logits.in-logits", PAPER + ", std per group, G -> oo",
    Eq(PSI.subs(p, 1 / (1 + exp(-z))), 2 * sp.sinh(z / 2)),
    prose="In the logit z = log(p/(1 - p)), Psi = 2 sinh(z/2): the solution is "
          "z(t) = 2 asinh((Psi(p0) + eta t)/2), p(t) = sigma(z(t)).")

logits_finite = claim(
    "x6.large.logits.finite-time", PAPER + ", std per group, G -> oo",
    Le(PSI - PSI.subs(p, p0), pi - NAT_LARGE.subs(p, p0)),
    proof=Witness({p0: Rational(1, 2), p: Rational(999, 1000)},
                  "p0 = 1/2: Psi(0.999) = 31.6 > pi/2"),
    expected="refuted",
    prose="\"The simulator's update reaches 1 by the natural rule's finite time\" is refuted: "
          "from p0 = 1/2 it needs eta t = Psi(0.999) = 31.6 > pi/2 just to reach 0.999.")

never = claim(
    "x6.large.logits.never", PAPER + ", std per group, G -> oo",
    Eq(Limit_(1 / PSI, p, 1, "-"), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    corrects=logits_finite,
    prose="Corrected: Psi(p) -> oo as p -> 1-: under the softmax rule p < 1 at every finite "
          "time (the logits stay finite).")

claim(
    "x6.large.logits.rate", PAPER + ", std per group, G -> oo",
    Eq(Limit_(sqrt(delta) * PSI.subs(p, 1 - delta), delta, 0, "+"), 1),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="The softmax rule reaches 1 - delta at time (Psi(1 - delta) - Psi(p0))/eta ~ "
          "1/(eta sqrt(delta)).")

# the discrete softmax steps, in the coordinate W = e^(z/2) = sqrt(p/(1 - p)) >= 1 (p >= 1/2)
W = variable("x6_W", Interval(1, oo), latex="W")
half_step = variable("x6_h", POSITIVE, latex="h")
P_OF_W = W**2 / (1 + W**2)
psi_w = claim(
    "x6.large.logits.coordinate.clock", PAPER + ", discrete steps",
    Eq(PSI.subs(p, P_OF_W), W - 1 / W),
    prose="At p = W^2/(1 + W^2) (W = e^(z/2)), Psi = W - 1/W.")
speed_w = claim(
    "x6.large.logits.coordinate.step", PAPER + ", discrete steps",
    Eq(sqrt(U).subs(p, P_OF_W), 1 / (W + 1 / W)),
    prose="And sqrt(p (1 - p)) = 1/(W + 1/W): a simulator step z <- z + 2 eta sqrt(p (1 - p)) "
          "multiplies W by e^h, h = eta/(W + 1/W).")

sinh_lemma = claim(
    "x6.sinh-above-identity", PAPER + ", discrete steps",
    Ge((exp(half_step) - exp(-half_step)) / 2 - half_step, 0),
    proof=MinimumAt(half_step, 0, (exp(half_step / 2) - exp(-half_step / 2))**2 / 2 * half_step,
                    "d/dh (sinh h - h) = cosh h - 1 = 2 sinh(h/2)^2"),
    prose="sinh h >= h for h > 0.")

H_STEP = eta / (W + 1 / W)
claim(
    "x6.large.logits.step", PAPER + ", discrete steps",
    Ge((W * exp(H_STEP) - 1 / (W * exp(H_STEP))) - (W - 1 / W), eta),
    proof=Certificate((W - 1) * (W + 1) / W * (exp(H_STEP / 2) - exp(-H_STEP / 2))**2 / 2
                      + (W + 1 / W) * lemma_instance(sinh_lemma, {half_step: H_STEP}),
                      "2 sinh(w + h) - 2 sinh(w) = 2 sinh w (cosh h - 1) + 2 cosh w sinh h, "
                      "w = z/2 >= 0", lemmas={sinh_lemma: [{half_step: H_STEP}]}),
    uses=[psi_w, speed_w],
    prose="From p >= 1/2 each simulator step (large groups, exact expectation, step size eta) "
          "raises Psi by at least eta: the run reaches 1 - delta within "
          "ceil((Psi(1 - delta) - Psi(p0))/eta) steps, never later than the flow.")

tangent_gap = claim(
    "x6.exp-tangent-gap", PAPER + ", discrete steps",
    Ge(half_step * exp(half_step) - exp(half_step) + 1, 0),
    proof=MinimumAt(half_step, 0, half_step**2 * exp(half_step), "d/dh (h e^h - e^h) = h e^h"),
    prose="h e^h - e^h + 1 >= 0 for h > 0 (e^0 lies above the tangent line of e^h at h).")

rise = variable("x6_x", Interval(0, oo), latex="x")
exp_above_one = claim(
    "x6.exp-above-one", PAPER + ", discrete steps",
    Ge(exp(rise) - 1, 0),
    proof=MinimumAt(rise, 0, rise * exp(rise), "d/dx (e^x - 1) = e^x"),
    prose="e^x >= 1 for x >= 0.")

_slack = eta * (W - 1)**2 / (2 * (W**2 + 1))          # eta/2 - h >= 0, as W + 1/W >= 2
claim(
    "x6.large.logits.step.at-most", PAPER + ", discrete steps",
    Le((W * exp(H_STEP) - 1 / (W * exp(H_STEP))) - (W - 1 / W), eta * exp(eta / 2)),
    proof=Certificate((W + 1 / W) * lemma_instance(tangent_gap, {half_step: H_STEP})
                      + (exp(H_STEP / 2) - exp(-H_STEP / 2))**2 / W
                      + eta * exp(H_STEP) * lemma_instance(exp_above_one, {rise: _slack}),
                      "eta e^h - (Psi(W e^h) - Psi(W)) = (W + 1/W)(h e^h - e^h + 1) + "
                      "(e^(h/2) - e^(-h/2))^2/W, and e^(eta/2) = e^h e^(eta/2 - h)",
                      lemmas={tangent_gap: [{half_step: H_STEP}],
                              exp_above_one: [{rise: _slack}]}),
    uses=[psi_w, speed_w],
    prose="And each simulator step raises Psi by at most eta e^(eta/2): from p0 >= 1/2 the run "
          "needs at least (Psi(1 - delta) - Psi(p0))/(eta e^(eta/2)) steps -- with the previous "
          "claim, the step count is the flow's time over eta up to the factor e^(eta/2).")

F_LARGE, _ = clock_claim(
    "x6.large.probability.clock", "probability", "large",
    prose="Probability rule (App. B.2's p <- p + eta gamma), dp/dt = eta/sqrt(p (1 - p)): "
          "its clock is ((2p - 1) sqrt(p (1 - p)) + asin sqrt p)/4.")

claim(
    "x6.large.probability.finite-time", PAPER + ", std per group, G -> oo",
    Eq(Limit_(F_LARGE, p, 1, "-"), pi / 8),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="It is finite at 1: the probability rule reaches p = 1 at time (pi/8 - tau(p0))/eta "
          "(pi/(16 eta) from p0 = 1/2).")

_v_prob = velocity("probability", M_LARGE, p)
claim(
    "x6.large.probability.step", PAPER + ", std per group, G -> oo",
    Ge(_v_prob, 2),
    proof=Certificate((2 * p - 1)**2 / (sqrt(U) * (1 + 2 * sqrt(U))),
                      "1/sqrt(u) - 2 = (1 - 4u)/(sqrt(u)(1 + 2 sqrt(u))), 1 - 4u = (2p - 1)^2"),
    uses=[large_margin],
    prose="Each discrete probability step moves p by eta/sqrt(p (1 - p)) >= 2 eta, faster and "
          "faster near 1: the iteration leaves (0, 1) after at most ceil((1 - p0)/(2 eta)) steps "
          "(it overshoots 1 and needs a projection).")

# ======================================================================================
# Shift-only (and a fixed batch std): a constant margin c
# ======================================================================================

NAT_SHIFT, nat_shift = clock_claim(
    "x6.shift-only.natural.clock", "natural", "constant",
    prose="Natural rule with shift-only advantages, dp/dt = eta c p (1 - p), c = (G - 1)/G: "
          "logistic, logit p(t) = logit p0 + eta c t.")
# eta c t = logit p - logit p0 (cancelled: the engine's limit wants G out of the exponent)
SHIFT_TIME = sp.cancel(C_SHIFT * (NAT_SHIFT - NAT_SHIFT.subs(p, p0)))

shift_finite = claim(
    "x6.shift-only.natural.finite-time", PAPER + ", shift-only",
    Le(SHIFT_TIME, pi - NAT_LARGE.subs(p, p0)),
    proof=Witness({p0: Rational(1, 2), p: Rational(999, 1000)},
                  "p0 = 1/2, any G: c (tau(0.999) - tau(1/2)) = logit(0.999) = 6.9 > pi/2"),
    expected="refuted",
    prose="\"Under shift-only scaling p reaches 1 in finite time\" (by the large-group std "
          "rule's time, c eta t <= pi - 2 asin sqrt p0) is refuted: from 1/2 it needs "
          "c eta t = logit(0.999) = 6.9 > pi/2 just to reach 0.999.")

claim(
    "x6.shift-only.natural.infinite-time", PAPER + ", shift-only",
    Eq(Limit_(exp(-SHIFT_TIME), p, 1, "-"), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    corrects=shift_finite, uses=[nat_shift],
    prose="Corrected: the clock diverges at 1, so p < 1 at every finite time; the time to "
          "1 - delta is (logit(1 - delta) - logit p0)/(eta c) ~ log(1/delta)/(eta c).")

LOG_SHIFT, _ = clock_claim(
    "x6.shift-only.logits.clock", "logits", "constant",
    prose="Softmax rule with shift-only advantages, dp/dt = 2 eta c (p (1 - p))^2: its clock is "
          "(logit p + (2p - 1)/(2 p (1 - p)))/c (in z: (z + sinh z)/c).")

claim(
    "x6.shift-only.logits.rate", PAPER + ", shift-only",
    Eq(Limit_(delta * C_SHIFT * LOG_SHIFT.subs(p, 1 - delta), delta, 0, "+"), S.Half),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="It reaches 1 - delta at a time ~ 1/(2 eta c delta): 1/delta, slower than the "
          "1/sqrt(delta) of the large-group std.")

clock_claim(
    "x6.shift-only.probability.clock", "probability", "constant",
    prose="Probability rule with shift-only advantages: p(t) = p0 + eta c t, at 1 at time "
          "(1 - p0)/(eta c).")

# ======================================================================================
# Std per group, finite G (G = 2..8): between two constant margins, linear at 1
# ======================================================================================

_basis, _phi, _j = x1.bernstein_basis, x1.phi, x1.j
C_LOW, C_HIGH = 2 * (G - 1) / G, sqrt(G - 1)
claim(
    "x6.finite.velocity.lower", PAPER + ", std per group, finite G",
    Ge(x1.B_p - C_LOW * U, 0),
    proof=Certificate(sp.Sum(_basis(G, _j) * _phi(_j / G) * (1 - 2 * _phi(_j / G)), (_j, 0, G)),
                      "u = sum_j C(G, j) p^j (1-p)^(G-j) phi(j/G)^2 G/(G - 1) (the Bernstein "
                      "form of x (1 - x)), and phi (1 - 2 phi) >= 0 as phi <= 1/2"),
    domains={G: x1.FINITE}, uses=[x1.effective_margin],
    prose="B_G[phi](p) >= 2 (G - 1)/G p (1 - p): the finite-G margin is at least 2(G - 1)/G "
          "(G = 2..8), the natural time to 1 - delta at most G (logit(1 - delta) - logit p0)/"
          "(2 (G - 1) eta).")

claim(
    "x6.finite.velocity.upper", PAPER + ", std per group, finite G",
    Ge(C_HIGH * U - x1.B_p, 0),
    proof=Certificate(sp.Sum(_basis(G, _j) * _phi(_j / G)
                             * (G * _phi(_j / G) / sqrt(G - 1) - 1), (_j, 0, G)),
                      "phi(j/G) >= sqrt(G - 1)/G for 1 <= j <= G - 1 ((j - 1)(G - 1 - j) >= 0)"),
    domains={G: x1.FINITE}, uses=[x1.effective_margin],
    prose="B_G[phi](p) <= sqrt(G - 1) p (1 - p): the finite-G margin is at most sqrt(G - 1) "
          "(G = 2..8), so the natural time to 1 - delta is at least (logit(1 - delta) - "
          "logit p0)/(sqrt(G - 1) eta) -> oo: at finite G p never reaches 1 in finite time.")

claim(
    "x6.finite.slope-at-one", PAPER + ", std per group, finite G",
    Eq(sp.Derivative(x1.B_p, p).subs(p, 1), -sqrt(G - 1)),
    domains={G: x1.FINITE}, uses=[x1.at_one],
    prose="B_G[phi]'(1) = -G phi((G - 1)/G) = -sqrt(G - 1) (G = 2..8): near 1 the natural "
          "velocity is sqrt(G - 1)(1 - p) -- a group with one b gives each a the advantage "
          "1/sqrt(G - 1) and occurs with probability ~ G (1 - p) -- so the time to 1 - delta is "
          "log(1/delta)/(eta sqrt(G - 1)) (natural) or 1/(2 eta sqrt(G - 1) delta) (softmax) up "
          "to O(1).")

SLOPE_EPS = (G - 1) / (sqrt(G - 1) + G * x2.eps)      # -B_G^eps'(1)
claim(
    "x6.finite.eps.slope-at-one", PAPER + ", std per group, finite G",
    Eq(sp.Derivative(x2.B_eps, p).subs(p, 1), -SLOPE_EPS),
    domains={G: x1.FINITE}, uses=[x2.eps_gap],
    prose="With an eps in the denominator (rewards 1 and 0) the natural velocity is B_G^eps[phi] "
          "(x2.eps.preference.gap-bernstein), still 0 at 1, with slope -(G - 1)/(sqrt(G - 1) + "
          "G eps) there (G = 2..8): the time to 1 - delta is log(1/delta)(sqrt(G - 1) + G eps)/"
          "(eta (G - 1)) (natural) -- eps slows the approach, as it shrinks every advantage.  "
          "(Bessel's std multiplies the velocity by sqrt((G - 1)/G), x2.bessel.preference.*: "
          "slope -(G - 1)/sqrt(G).)")
