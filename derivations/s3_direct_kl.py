"""Section 3 "Using the direct KL divergence penalty" and Appendix B.2 "Groups of size two".

Per question q, the importance-weighted penalty of Sec. 3 is
D_i = (pi_theta(o_i)/pi_old(o_i)) (pi_ref(o_i)/pi_theta(o_i) - log(pi_ref(o_i)/pi_theta(o_i))
- 1), and the objective becomes J(pi_theta) = sum_o pi_theta(o) P_o - beta D(theta | q).

* **The expected penalty is KL** (``s3.direct-kl.expected-penalty.kK``, ``s3.direct-kl.penalty.kK``
  for K = 2, 3, 4 outputs and groups of G = 2, 3, 4).  pi_old(o) cancels from each term, which
  is pi_ref(o) - pi_theta(o) + pi_theta(o) log(pi_theta(o)/pi_ref(o)), so E_{pi_old}[D] =
  KL(pi_theta || pi_ref) + sum pi_ref - sum pi_theta: KL for interior pi_theta, pi_ref on the
  simplex and any positive weights pi_old; the group average reduces to it by the multinomial
  theorem (``s2.2.group-average.kK``, pi_old on the simplex).  Exactly, with supp pi_theta
  within supp pi_old, the expectation is KL + pi_ref(supp pi_old) - 1: the printed
  "D(theta | q) = KL" fails when pi_theta and pi_old vanish where pi_ref does not, which the
  paper's support assumption allows -- even on policy (``s3.direct-kl.penalty.printed``,
  refuted: pi_old = pi_theta = (1, 0), pi_ref = (1/2, 1/2) gives log 2 - 1/2, not log 2).  It
  also needs the importance-sampling condition pi_old > 0 wherever pi_theta > 0
  (``s3.direct-kl.penalty.needs-old-support``, a witness).  Corrected: supp pi_theta =
  supp pi_old = supp pi_ref, e.g. interior policies (``s3.direct-kl.expected-penalty``, for
  any K, carries ``corrects=``; ``s3.direct-kl.penalty`` is the group average for any K and
  G, resting on the named axiom ``s2.2.group-average``).
* **The stationary form** (every K, at every output o; written out for K = 2, 3), the KKT
  chain as for (11): the Lagrangian gradient
  P_o - beta (log(pi(o)/pi_ref(o)) + 1) - lambda + mu_o
  (``s3.direct-kl.kkt.lagrangian-gradient.kK``), stationarity (``...stationarity.kK``), the
  interior form with mu_o = 0 (``...interior.kK``, by ``a.kkt.slackness``), solved for the
  logarithm log(pi(o)/pi_ref(o)) = (P_o - lambda)/beta - 1 (``...log-form.kK``).
  Exponentiating is not a rule of the engine, so the exponential form is *checked*: with
  lambda = beta (log Z_q - 1), pi_ref(o) e^{(P_o - lambda)/beta - 1} is the printed
  e^{P_o/beta} pi_ref(o)/Z_q (``s3.direct-kl.kkt.exp-form.kK``), it satisfies the
  stationarity condition (``s3.direct-kl.stationary-form.kK``), and it is normalised
  (``s3.direct-kl.normalised.kK``).  P_o = P_G(o | pi_old) is held fixed (opaque reals); the
  penalty does not involve pi_old, so setting pi_old = pi_theta after differentiating only
  turns P_o into P_G(o | pi_theta).
* **Groups of two, binary questions** (App. B.2), p = pi_theta(a), f = pi_ref(a).  J_full =
  gamma (p - pi_old(a)) - beta E_{pi_old}[D] (by (16)) minus the printed gamma p - beta
  KL(p || f) is -gamma pi_old(a), a constant in p (``b2.pairs.objective-constant``); the
  penalty does not depend on pi_old at all (``b2.pairs.penalty-independent-of-old``), so the
  objective depends on pi_old only through that constant and its p-gradient not at all
  (``b2.pairs.gradient-independent-of-old``).  The derivative (``b2.pairs.derivative``),
  stationarity (``b2.pairs.stationarity``), the log-odds form logit p = logit f + gamma/beta
  (``b2.pairs.log-odds``).  The printed closed form p* = e^{gamma/(2 beta)} f / Z_q, Z_q =
  e^{gamma/(2 beta)} f + e^{-gamma/(2 beta)} (1 - f), is RIGHT: Z_q normalises the pair
  (``b2.pairs.closed-form.complement``), its odds are (f/(1 - f)) e^{gamma/beta}
  (``b2.pairs.closed-form.odds``), it makes the derivative vanish (``b2.pairs.closed-form``),
  and it equals e^{gamma/beta} f/(e^{gamma/beta} f + 1 - f)
  (``b2.pairs.closed-form.full-exponent``).  J'' = -beta/(p (1 - p)) < 0
  (``b2.pairs.second-derivative``, ``b2.pairs.strictly-concave``): the stationary point is
  unique, and globally J(p*) - J(p) = beta KL(p || p*) >= 0 (``b2.pairs.global-maximiser``, a
  certificate from Gibbs' inequality ``s1.1.gibbs.k2``), whatever pi_old.  No discontinuity
  at pi_ref(a) = 0 (Figure 3): p* -> 0 as f -> 0+ (``b2.pairs.limit-at-zero``).
* **Stable forms** (``b2.pairs.stable-form``, ``b2.pairs.stable-form.logistic``): p* =
  f/(f + (1 - f) e^{-gamma/beta}) = 1/(1 + ((1 - f)/f) e^{-gamma/beta}).

Restrictions.  gamma is the package's margin, in (0, 1] (the paper's WLOG P(a > b) > P(b > a));
the B.2 identities do not use its sign.  Uniqueness from strict concavity is argued, not
encoded (the global-maximiser certificate is the stronger statement).  KKT claims are for the
output o = 1 (outputs interchangeable) and interior policies.  The binary KL is written out
for the pair (x, 1 - x) (``kl_binary``), and J(p*) in the global-maximiser claim is J at the
pair (p*, Z_q-term for b), equal to (p*, 1 - p*) by ``b2.pairs.closed-form.complement``.

Engine notes.  The 50-digit backup evaluates 1 - p* literally and loses it to cancellation at
beta = 1e-30 (it "refuted" J'(p*) = 0), so ``b2.pairs.closed-form`` carries its own backup
with 1 - p* in closed form.  The limit estimator samples f down to 1e-256 only, while p* falls
once f << e^{-gamma/beta}; for small beta it reports a counterexample and then never consults
a claim's own backup, so the limit is stated in the variable u = f e^{gamma/beta} (f -> 0+ iff
u -> 0+ at fixed beta, gamma).  A ``Derivative(J, p, q)`` chain may differentiate in q first.
"""
from __future__ import annotations

import mpmath
import sympy as sp
from sympy import FiniteSet, Interval, S, exp, log, oo

import grpo_sym.derivations.s2_1_reward_preference  # noqa: F401 - s2_3 needs it first
import grpo_sym.derivations.s2_3_stationarity as s2_3
from grpo_sym.derivations.s2_3_stationarity import multipliers, pref_values  # P_o, mu_o of App. A
import grpo_sym.derivations.b1_binary_pairs  # noqa: F401 - registers eq16
from grpo_sym.derivations.s1_1_rlhf import gibbs as rlhf_gibbs
import grpo_sym.derivations.s2_2_penalty as s2_2
from grpo_sym.derivations.s2_2_penalty import group_average_claims, with_written_out_backup
from grpo_sym.grpo.penalty import (GroupAverage, expectation, gibbs_policy, kl,
                                   partition_function, per_sample_penalty)
from grpo_sym.grpo.symbols import (PI_REF_K, PI_THETA_K, PROB, beta, group_size, margin as gamma,
                                   output, output_count, pi_old_a as q, pi_ref_a as f,
                                   pi_theta_a as p, policy, policy_family, weights_family)
from grpo_sym.proof import (REGISTRY, Certificate, Claim, Eq, Le, Lt, Ne, OnSimplex, Witness,
                            chain, claim, lemma_instance, sample_points, variable)
from grpo_sym.proof.mpeval import Undefined, mp_eval

OUTPUT_COUNTS = (2, 3, 4)
KKT_COUNTS = (2, 3)
GROUP_SIZES = FiniteSet(2, 3, 4)
G = group_size
NONNEGATIVE = Interval(0, oo)
half, quarter = sp.Rational(1, 2), sp.Rational(1, 4)
slackness = REGISTRY["a.kkt.slackness"]
gibbs_k2 = rlhf_gibbs[2]
POS = Interval.open(0, oo)


def direct_penalty(t, r, o) -> sp.Expr:
    """D_i of Sec. 3: (pi_theta/pi_old)(pi_ref/pi_theta - log(pi_ref/pi_theta) - 1)."""
    return t / o * per_sample_penalty(t, r)


def dot(a, b) -> sp.Expr:
    return sp.Add(*[x * y for x, y in zip(a, b)])


# -- 1. the expected penalty ------------------------------------------------------------------

t2c, o2c, r2 = policy("pi_theta", 2, PROB), policy("pi_old", 2, PROB), policy("pi_ref", 2)
D2c = tuple(direct_penalty(t, r, o) for t, r, o in zip(t2c, r2, o2c))

printed_penalty = claim(
    "s3.direct-kl.penalty.printed", "Sec. 3, direct KL",
    Eq(expectation(o2c, D2c), kl(t2c, r2)),
    proof=Witness({o2c[0]: 1, o2c[1]: 0, t2c[0]: 1, t2c[1]: 0, r2[0]: half, r2[1]: half},
                  "pi_old = pi_theta = (1, 0), pi_ref = (1/2, 1/2): E_{pi_old}[D] = "
                  "log 2 - 1/2 but KL = log 2"),
    expected="refuted",
    conditions=[OnSimplex(t2c), OnSimplex(o2c), OnSimplex(r2)],
    prose="As printed -- 'D(theta | q) = KL(pi_theta || pi_ref)' -- the claim fails when "
          "pi_theta vanishes where pi_ref does not (allowed by the paper's support "
          "assumption), even on policy: the expectation is KL + pi_ref(supp pi_old) - 1.")

claim(
    "s3.direct-kl.penalty.needs-old-support", "Sec. 3, direct KL",
    Ne(expectation(o2c, D2c), kl(t2c, r2)),
    proof=Witness({o2c[0]: 1, o2c[1]: 0, t2c[0]: half, t2c[1]: half, r2[0]: quarter,
                   r2[1]: 3 * quarter},
                  "pi_old = (1, 0) never samples output 2, where pi_theta = 1/2: E = "
                  "log(2)/2 - 1/4, KL = log(4/3)/2"),
    quantifier="exists",
    conditions=[OnSimplex(t2c), OnSimplex(o2c), OnSimplex(r2)],
    prose="Importance weighting needs pi_old > 0 wherever pi_theta > 0: otherwise the "
          "expected penalty misses the outputs pi_old never samples and differs from KL.")

expected_penalty: dict[int, Claim] = {}
penalty: dict[int, Claim] = {}
for K in OUTPUT_COUNTS:
    t, r, o = policy("pi_theta", K), policy("pi_ref", K), policy("pi_old", K)
    D = tuple(direct_penalty(*x) for x in zip(t, r, o))
    d = tuple(variable(f"dval_{j}", S.Reals, latex=f"d_{{{j}}}") for j in range(1, K + 1))
    expected_penalty[K] = claim(
        f"s3.direct-kl.expected-penalty.k{K}", "Sec. 3, direct KL",
        Eq(expectation(o, D), kl(t, r)),
        conditions=[OnSimplex(t), OnSimplex(r)],
        prose=f"With {K} outputs and interior policies (supp pi_theta = supp pi_old = supp "
              "pi_ref), the importance-weighted penalty averages, over one output from pi_old, "
              "to KL(pi_theta || pi_ref) exactly: pi_old(o) cancels from each term, which is "
              "pi_ref(o) - pi_theta(o) + pi_theta(o) log(pi_theta(o)/pi_ref(o)), and the "
              "masses of pi_ref and pi_theta cancel (any positive weights pi_old will do).")
    penalty[K] = with_written_out_backup(claim(
        f"s3.direct-kl.penalty.k{K}", "Sec. 3, direct KL",
        Eq(GroupAverage(G, D, o), kl(t, r)),
        proof=chain(GroupAverage(G, d, o))
        .substitute(group_average_claims[K], "the multinomial theorem (s2.2.group-average)")
        .rewrite(expectation(o, d), "pi_old sums to one")
        .substitute(dict(zip(d, D)), "d(o) is the direct penalty D_i of a sample o_i = o")
        .substitute(expected_penalty[K], "the expected per-sample penalty is KL"),
        conditions=[OnSimplex(t), OnSimplex(o), OnSimplex(r)],
        domains={G: GROUP_SIZES},
        prose=f"With {K} outputs and groups of G = 2, 3, 4 drawn i.i.d. from pi_old, the expected "
              "group average D(theta | q) of the direct penalty is KL(pi_theta || pi_ref)."),
        limit=64)

# -- 2. the stationary form, by the KKT conditions ------------------------------------------

lam = variable("s3k_lambda", S.Reals, latex=r"\lambda")


kkt: dict[str, dict[int, Claim]] = {}


def _register(name: str, K: int, c: Claim) -> Claim:
    kkt.setdefault(name, {})[K] = c
    return c


for K in KKT_COUNTS:
    t, r = policy("pi_theta", K), policy("pi_ref", K)
    P, mu = pref_values(K), multipliers(K)
    interior = {m: FiniteSet(0) for m in mu}
    J = dot(t, P) - beta * kl(t, r)
    L = J - lam * (sp.Add(*t) - 1) + dot(mu, t)
    D = sp.Derivative(L, t[0])
    grad = P[0] - beta * (log(t[0] / r[0]) + 1) - lam + mu[0]
    interior_grad = P[0] - beta * (log(t[0] / r[0]) + 1) - lam

    gradient = _register("lagrangian-gradient", K, claim(
        f"s3.direct-kl.kkt.lagrangian-gradient.k{K}", "Sec. 3, direct KL (KKT, as App. A)",
        Eq(D, grad),
        proof=chain(L).differentiate(
            t[0], "P_o is held fixed; d KL / d pi_theta(1) = log(pi_theta(1)/pi_ref(1)) + 1 "
            "(9); the constraints give -lambda + mu_1", result=grad),
        uses=[expected_penalty[K], REGISTRY[f"eq9.k{K}" if K != 3 else "eq9"]],
        prose=f"With {K} outputs, the Lagrangian of J = sum pi_theta(o) P_o - beta KL(pi_theta "
              "|| pi_ref) has d L / d pi_theta(o) = P_o - beta (log(pi_theta(o)/pi_ref(o)) + 1) "
              "- lambda + mu_o (at o = 1)."))

    stationarity = _register("stationarity", K, claim(
        f"s3.direct-kl.kkt.stationarity.k{K}", "Sec. 3, direct KL (KKT, as App. A)",
        Eq(grad, 0),
        proof=chain(D).set_to_zero("KKT stationarity: d L / d pi_theta(1) = 0")
        .substitute(gradient, "the gradient of the Lagrangian"),
        given=Eq(D, 0),
        prose="KKT stationarity for the direct-KL objective: P_o - beta (log(pi_theta(o)/"
              "pi_ref(o)) + 1) - lambda + mu_o = 0."))

    interior_claim = _register("interior", K, claim(
        f"s3.direct-kl.kkt.interior.k{K}", "Sec. 3, direct KL (KKT, as App. A)",
        Eq(interior_grad, 0),
        proof=chain(stationarity).rewrite(
            Eq(interior_grad, 0), "mu_1 = 0: pi_theta(1) > 0 and complementary slackness"),
        given=Eq(D, 0), domains=interior, uses=[slackness],
        prose="At an interior policy (mu_o = 0) stationarity reads P_o - beta "
              "(log(pi_theta(o)/pi_ref(o)) + 1) - lambda = 0."))

    log_target = Eq(log(t[0] / r[0]), (P[0] - lam) / beta - 1)
    _register("log-form", K, claim(
        f"s3.direct-kl.kkt.log-form.k{K}", "Sec. 3, direct KL (KKT, as App. A)",
        log_target,
        proof=chain(interior_claim)
        .divide_both_sides(beta, "beta > 0",
                           result=Eq(interior_grad / beta, 0))
        .rearrange(log_target, "move log(pi_theta(1)/pi_ref(1)) across"),
        given=Eq(D, 0), domains=interior, uses=[slackness],
        prose="Solved for the logarithm: log(pi_theta(o)/pi_ref(o)) = (P_o - lambda)/beta - 1 "
              "at an interior stationary point."))

    star = gibbs_policy(r, P, beta)
    Z = partition_function(r, P, beta)
    lam_star = beta * (log(Z) - 1)
    _register("exp-form", K, claim(
        f"s3.direct-kl.kkt.exp-form.k{K}", "Sec. 3, direct KL",
        Eq((r[0] * exp((P[0] - lam) / beta - 1)).subs(lam, lam_star), star[0]),
        proof=chain(r[0] * exp((P[0] - lam_star) / beta - 1))
        .expand("e^{(P_1 - beta log Z_q + beta)/beta - 1} = e^{P_1/beta}/Z_q", result=star[0]),
        prose="Exponentiating the log form with the multiplier lambda = beta (log Z_q - 1) "
              "gives the printed pi_theta(o) = e^{P_o/beta} pi_ref(o)/Z_q."))

    L0 = J - lam * (sp.Add(*t) - 1)
    at_star = {**dict(zip(t, star)), lam: lam_star}
    _register("stationary-form", K, claim(
        f"s3.direct-kl.stationary-form.k{K}", "Sec. 3, direct KL",
        Eq(sp.Derivative(L0, t[0]).subs(at_star), 0),
        proof=chain(L0)
        .differentiate(t[0], "as s3.direct-kl.kkt.lagrangian-gradient with mu = 0",
                       result=interior_grad)
        .substitute(at_star, "at pi_theta(o) = e^{P_o/beta} pi_ref(o)/Z_q, lambda = beta "
                    "(log Z_q - 1)")
        .expand("log(pi_theta(1)/pi_ref(1)) = P_1/beta - log Z_q", result=0),
        uses=[gradient],
        prose=f"With {K} outputs, the printed form pi_theta(o) = e^{{P_G(o)/beta}} pi_ref(o)/Z_q "
              "with lambda = beta (log Z_q - 1) satisfies the interior KKT stationarity "
              "condition (shown at o = 1)."))

    _register("normalised", K, claim(
        f"s3.direct-kl.normalised.k{K}", "Sec. 3, direct KL",
        Eq(sp.Add(*star), 1),
        proof=chain(sp.Add(*star)).together(
            "over the common denominator Z_q the numerator is Z_q", result=1),
        prose="With Z_q = sum_o e^{P_o/beta} pi_ref(o), the stationary form is a distribution."))

# -- the same for any number of outputs K ---------------------------------------------------

t_K, ref_K, o_K = policy_family("pi_theta"), policy_family("pi_ref"), output
old_u = weights_family("u_old", "u")                   # any positive weights pi_old
t_w = PI_THETA_K      # pi_theta and pi_ref: distributions
ref_v = PI_REF_K
AT_OUTPUT = [Le(o_K, output_count)]
claim(
    "s3.direct-kl.expected-penalty", "Sec. 3, direct KL",
    Eq(expectation(old_u, lambda j: direct_penalty(t_w[j], ref_v[j], old_u[j])),
       kl(t_w, ref_v)),
    corrects=printed_penalty,
    prose="For K outputs (any K) and interior policies, the importance-weighted penalty "
          "averages, over one output from pi_old (any positive weights), to KL(pi_theta || "
          "pi_ref) exactly.")

old_n = old_u.normalised()                              # pi_old a distribution, u/sum u
D_K = sp.Lambda(s2_2.x_out, direct_penalty(t_w[s2_2.x_out], ref_v[s2_2.x_out],
                                           old_n[s2_2.x_out]))
old_lambda = sp.Lambda(s2_2.x_out, old_n[s2_2.x_out])
claim(
    "s3.direct-kl.penalty", "Sec. 3, direct KL",
    Eq(GroupAverage(G, D_K, old_lambda, output_count), kl(t_w, ref_v)),
    proof=chain(GroupAverage(G, D_K, old_lambda, output_count))
    .substitute(s2_2.group_average_axiom, "linearity over the i.i.d. group",
                instance={s2_2.d_K.base: D_K, s2_2.pi_any.base: old_lambda, s2_2.draws: G})
    .rewrite(kl(t_w, ref_v), "pi_old sums to one, and the expected per-sample penalty is KL "
             "(s3.direct-kl.expected-penalty)"),
    prose="For K outputs and groups of G (both symbolic) drawn i.i.d. from pi_old, the expected "
          "group average D(theta | q) of the direct penalty is KL(pi_theta || pi_ref) (resting "
          "on the named axiom s2.2.group-average).")

P_K, mu_K = s2_3.P_K, s2_3.mu_K                  # P_G(o | pi_old) and the multipliers, as App. A
J_K = expectation(t_K, lambda j: P_K[j]) - beta * kl(t_K, ref_K)
L0_K = J_K - lam * (t_K.total(lambda j: t_K[j]) - 1)
L_K = L0_K + expectation(t_K, lambda j: mu_K[j])
grad_K = P_K[o_K] - beta * (log(t_K[o_K] / ref_K[o_K]) + 1) - lam + mu_K[o_K]
interior_grad_K = P_K[o_K] - beta * (log(t_K[o_K] / ref_K[o_K]) + 1) - lam

gradient_K = claim(
    "s3.direct-kl.kkt.lagrangian-gradient", "Sec. 3, direct KL (KKT, as App. A)",
    Eq(sp.Derivative(L_K, t_K[o_K]), grad_K),
    conditions=AT_OUTPUT, uses=[REGISTRY["eq9"]],
    prose="For K outputs and every output o, the Lagrangian of J = sum pi_theta(o) P_o - beta "
          "KL(pi_theta || pi_ref) has d L / d pi_theta(o) = P_o - beta (log(pi_theta(o)/"
          "pi_ref(o)) + 1) - lambda + mu_o.")

claim(
    "s3.direct-kl.kkt.stationarity", "Sec. 3, direct KL (KKT, as App. A)",
    Eq(grad_K, 0),
    proof=chain(sp.Derivative(L_K, t_K[o_K])).set_to_zero("KKT stationarity")
    .substitute(gradient_K, "the gradient of the Lagrangian"),
    given=Eq(sp.Derivative(L_K, t_K[o_K]), 0), conditions=AT_OUTPUT,
    prose="For K outputs, KKT stationarity for the direct-KL objective at every output o: "
          "P_o - beta (log(pi_theta(o)/pi_ref(o)) + 1) - lambda + mu_o = 0.")

log_target_K = Eq(log(t_K[o_K] / ref_K[o_K]), (P_K[o_K] - lam) / beta - 1)
claim(
    "s3.direct-kl.kkt.interior", "Sec. 3, direct KL (KKT, as App. A)",
    Eq(interior_grad_K, 0),
    proof=chain(sp.Derivative(L0_K, t_K[o_K])).set_to_zero("interior KKT stationarity (mu = 0)")
    .rewrite(Eq(interior_grad_K, 0), "the gradient of the Lagrangian, by (9)"),
    given=Eq(sp.Derivative(L0_K, t_K[o_K]), 0), conditions=AT_OUTPUT, uses=[slackness],
    prose="For K outputs, at an interior policy (mu_o = 0) stationarity reads P_o - beta "
          "(log(pi_theta(o)/pi_ref(o)) + 1) - lambda = 0 at every output o.")

claim(
    "s3.direct-kl.kkt.log-form", "Sec. 3, direct KL (KKT, as App. A)",
    log_target_K,
    proof=chain(sp.Derivative(L0_K, t_K[o_K])).set_to_zero("interior KKT stationarity (mu = 0)")
    .rewrite(Eq(interior_grad_K, 0), "the gradient of the Lagrangian, by (9)")
    .divide_both_sides(beta, "beta > 0", result=Eq(interior_grad_K / beta, 0))
    .rearrange(log_target_K, "move log(pi_theta(o)/pi_ref(o)) across"),
    given=Eq(sp.Derivative(L0_K, t_K[o_K]), 0), conditions=AT_OUTPUT, uses=[slackness],
    prose="For K outputs, solved for the logarithm: log(pi_theta(o)/pi_ref(o)) = (P_o - "
          "lambda)/beta - 1 at an interior stationary point.")

star_K = gibbs_policy(ref_K, P_K, beta)
lam_star_K = beta * (log(partition_function(ref_K, P_K, beta)) - 1)
claim(
    "s3.direct-kl.kkt.exp-form", "Sec. 3, direct KL",
    Eq(ref_K[o_K] * exp((P_K[o_K] - lam_star_K) / beta - 1), star_K[o_K]),
    conditions=AT_OUTPUT,
    prose="For K outputs: exponentiating the log form with the multiplier lambda = beta "
          "(log Z_q - 1) gives the printed pi_theta(o) = e^{P_o/beta} pi_ref(o)/Z_q.")

claim(
    "s3.direct-kl.stationary-form", "Sec. 3, direct KL",
    Eq(interior_grad_K.xreplace({t_K[o_K]: star_K[o_K], lam: lam_star_K}), 0),
    conditions=AT_OUTPUT, uses=[gradient_K],
    prose="For K outputs (any K), the printed form pi_theta(o) = e^{P_G(o)/beta} pi_ref(o)/Z_q "
          "with lambda = beta (log Z_q - 1) satisfies the interior KKT stationarity condition "
          "at every output o.")

claim(
    "s3.direct-kl.normalised", "Sec. 3, direct KL",
    Eq(star_K.total(lambda j: star_K[j]), 1),
    prose="For K outputs, with Z_q = sum_o e^{P_o/beta} pi_ref(o), the stationary form is a "
          "distribution.")

# -- 3. App. B.2: groups of two, binary questions ------------------------------------------

p2, f2, q2 = (p, 1 - p), (f, 1 - f), (q, 1 - q)
penalty_b = expectation(q2, tuple(direct_penalty(*x) for x in zip(p2, f2, q2)))
J_full = gamma * (p - q) - beta * penalty_b           # (16) and the direct penalty


def kl_binary(x, y) -> sp.Expr:
    """KL((x, y) || (f, 1 - f)) for a distribution (x, y) on {a, b} (y = 1 - x)."""
    return -x * log(f / x) - y * log((1 - f) / y)


def J_at(x, y) -> sp.Expr:
    """The printed objective gamma x - beta KL((x, y) || (f, 1 - f)), at the policy (x, y)."""
    return gamma * x - beta * kl_binary(x, y)


J = J_at(p, 1 - p)                                     # as printed in App. B.2
dJ = gamma - beta * (log(p / f) - log((1 - p) / (1 - f)))
eq16 = REGISTRY["eq16"]

objective_constant = claim(
    "b2.pairs.objective-constant", "App. B.2, the objective",
    Eq(J_full - J, -gamma * q),
    proof=chain(J_full - J).expand(
        "E_{pi_old}[D] = KL(p || f) (s3.direct-kl.expected-penalty.k2)", result=-gamma * q),
    uses=[eq16, expected_penalty[2]],
    prose="With groups of two, the direct-KL objective gamma (p - pi_old(a)) - beta "
          "E_{pi_old}[D] is the printed gamma p - beta KL(p || f) plus the constant "
          "-gamma pi_old(a).")

claim(
    "b2.pairs.penalty-independent-of-old", "App. B.2, the objective",
    Eq(sp.Derivative(penalty_b, q), 0),
    proof=chain(penalty_b).differentiate(q, "pi_old cancels from every term", result=0),
    prose="The importance-weighted penalty does not depend on pi_old(a) at all (interior "
          "policies).")

claim(
    "b2.pairs.gradient-independent-of-old", "App. B.2, the objective",
    Eq(sp.Derivative(J_full, p, q), 0),
    proof=chain(J_full).differentiate(q, "(16) gives -gamma; the penalty does not involve "
                                      "pi_old(a) (b2.pairs.penalty-independent-of-old)",
                                      result=-gamma)
    .differentiate(p, "a constant", result=0),
    uses=[objective_constant],
    prose="So for groups of two the objective depends on pi_old only through the additive "
          "constant -gamma pi_old(a): its gradient in pi_theta(a) does not, and no on-policy "
          "substitution is needed.")

derivative = claim(
    "b2.pairs.derivative", "App. B.2, dJ/dpi_theta(a)",
    Eq(sp.Derivative(J, p), dJ),
    proof=chain(J).differentiate(
        p, "d/dp [p log(p/f) + (1 - p) log((1 - p)/(1 - f))] = log(p/f) - log((1 - p)/(1 - f))",
        result=dJ),
    prose="dJ/dp = gamma - beta (log(p/f) - log((1 - p)/(1 - f))), as printed.")

stationarity_b = claim(
    "b2.pairs.stationarity", "App. B.2, 'setting the derivative to zero'",
    Eq(dJ, 0),
    proof=chain(sp.Derivative(J, p)).set_to_zero("dJ/dp = 0")
    .substitute(derivative, "the derivative"),
    given=Eq(sp.Derivative(J, p), 0),
    prose="Setting the derivative to zero: gamma = beta (log(p/f) - log((1 - p)/(1 - f))).")

logit_target = Eq(log(p / (1 - p)), log(f / (1 - f)) + gamma / beta)
log_odds = claim(
    "b2.pairs.log-odds", "App. B.2, 'setting the derivative to zero'",
    logit_target,
    proof=chain(stationarity_b)
    .divide_both_sides(-beta, "beta > 0", result=Eq(-dJ / beta, 0))
    .rearrange(logit_target, "collect the logarithms: log(p/f) - log((1 - p)/(1 - f)) = "
               "log(p/(1 - p)) - log(f/(1 - f))"),
    given=Eq(sp.Derivative(J, p), 0),
    prose="Equivalently logit p = logit f + gamma/beta: the odds of a are the reference odds "
          "times e^{gamma/beta}.")

e_half = exp(gamma / (2 * beta))
Zq = e_half * f + (1 - f) / e_half
pstar = e_half * f / Zq                                 # as printed
pstar_c = (1 - f) / (e_half * Zq)                       # 1 - p*, the Z_q term for b

complement = claim(
    "b2.pairs.closed-form.complement", "App. B.2, the closed form",
    Eq(pstar + pstar_c, 1),
    proof=chain(pstar + pstar_c).together("over Z_q", result=1),
    prose="p* + e^{-gamma/(2 beta)} (1 - pi_ref(a))/Z_q = 1: the printed Z_q normalises the "
          "pair, so 1 - p* = e^{-gamma/(2 beta)} (1 - pi_ref(a))/Z_q.")


def _closed_form_backup(dps: int):
    """50-digit check of b2.pairs.closed-form: J'(p) at p = p*, with 1 - p* written as
    b2.pairs.closed-form.complement (at beta = 1e-30 the literal 1 - p* cancels to 0)."""
    c = REGISTRY["b2.pairs.closed-form"]
    value = gamma - beta * (log(pstar / f) - log(pstar_c / (1 - f)))
    agreed = 0
    for pt in sample_points(c):
        with mpmath.workdps(2 * dps):
            try:
                v = mp_eval(value, pt)
            except Undefined:
                continue
            if abs(v) > mpmath.mpf(10) ** (-dps) * max(1, abs(mp_eval(gamma, pt))):
                return False, f"J'(p*) = {mpmath.nstr(v, 20)} at {pt}"
        agreed += 1
    return agreed > 0, f"J'(p*) = 0 at {agreed} points (1 - p* in closed form)"


u_scaled = variable("s3k_u", POS, latex="u")
pstar_scaled = pstar.subs(f, u_scaled * exp(-gamma / beta))


closed_odds = claim(
    "b2.pairs.closed-form.odds", "App. B.2, the closed form",
    Eq(pstar / (1 - pstar), f / (1 - f) * exp(gamma / beta)),
    proof=chain(pstar / (1 - pstar))
    .together("1 - p* = e^{-gamma/(2 beta)} (1 - f)/Z_q",
              result=e_half * f / ((1 - f) / e_half))
    .simplify("e^{gamma/(2 beta)} / e^{-gamma/(2 beta)} = e^{gamma/beta}",
              result=f / (1 - f) * exp(gamma / beta)),
    prose="The printed p* = e^{gamma/(2 beta)} f / Z_q has odds p*/(1 - p*) = "
          "(f/(1 - f)) e^{gamma/beta}, the odds the stationarity condition asks for.")

claim(
    "b2.pairs.closed-form", "App. B.2, the closed form",
    Eq(sp.Derivative(J, p).subs(p, pstar), 0),
    proof=chain(sp.Derivative(J, p)).substitute(derivative, "the derivative")
    .substitute({p: pstar}, "at the printed p*",
                result=gamma - beta * (log(pstar / f) - log((1 - pstar) / (1 - f))))
    .rewrite(gamma - beta * (log(e_half / Zq) - log(1 / (e_half * Zq))),
             "p*/f = e^{gamma/(2 beta)}/Z_q and (1 - p*)/(1 - f) = e^{-gamma/(2 beta)}/Z_q")
    .expand("the logarithms differ by gamma/beta", result=0),
    uses=[closed_odds, log_odds, complement],
    numeric=_closed_form_backup,
    prose="The printed closed form p* = e^{gamma/(2 beta)} pi_ref(a)/Z_q, Z_q = e^{gamma/(2 "
          "beta)} pi_ref(a) + e^{-gamma/(2 beta)} (1 - pi_ref(a)), makes the derivative vanish: "
          "it is right.")

claim(
    "b2.pairs.closed-form.full-exponent", "App. B.2, the closed form",
    Eq(pstar, exp(gamma / beta) * f / (exp(gamma / beta) * f + 1 - f)),
    proof=chain(pstar).rewrite(
        exp(gamma / beta) * f / (exp(gamma / beta) * f + 1 - f),
        "multiply numerator and Z_q by e^{gamma/(2 beta)}"),
    prose="Equivalently p* = e^{gamma/beta} f/(e^{gamma/beta} f + 1 - f): RLHF's (4) with "
          "rewards gamma for a and 0 for b.")

second = -beta / (p * (1 - p))
second_derivative = claim(
    "b2.pairs.second-derivative", "App. B.2, uniqueness",
    Eq(sp.Derivative(J, p, 2), second),
    proof=chain(J).differentiate(p, "the first derivative (b2.pairs.derivative)", result=dJ)
    .differentiate(p, "d/dp [log(p/f) - log((1 - p)/(1 - f))] = 1/p + 1/(1 - p)",
                   result=second),
    uses=[derivative],
    prose="J''(p) = -beta/(p (1 - p)).")

claim(
    "b2.pairs.strictly-concave", "App. B.2, uniqueness",
    Lt(second, 0),
    proof=Certificate(beta / (p * (1 - p)), "beta > 0 and 0 < p < 1"),
    uses=[second_derivative],
    prose="J''(p) < 0 on (0, 1): J is strictly concave, so its stationary point p* is its "
          "unique maximiser.")

mu_g, nu_g = ([variable(f"gibbs_{n}_{j}", POS) for j in (1, 2)] for n in ("mu", "nu"))
at_gibbs = {mu_g[0]: p, mu_g[1]: 1 - p, nu_g[0]: pstar, nu_g[1]: pstar_c}
claim(
    "b2.pairs.global-maximiser", "App. B.2, uniqueness",
    sp.Ge(J_at(pstar, pstar_c), J),
    proof=Certificate(beta * lemma_instance(gibbs_k2, at_gibbs),
                      "J(p*) - J(p) = beta KL((p, 1 - p) || (p*, 1 - p*)), Gibbs' inequality "
                      "(s1.1.gibbs.k2) at mu = (p, 1 - p), nu = (p*, 1 - p*)",
                      lemmas={gibbs_k2: [at_gibbs]}),
    uses=[complement],
    prose="J(p*) >= J(p) for every p in (0, 1) (J at the policy (p*, 1 - p*), 1 - p* as in "
          "b2.pairs.closed-form.complement), since J(p*) - J(p) = beta KL(p || p*): the "
          "printed closed form is the global maximiser of the direct-KL objective, whatever "
          "pi_old.")

claim(
    "b2.pairs.limit-at-zero", "Sec. 3, Figure 3 caption",
    Eq(sp.Limit(pstar_scaled, u_scaled, 0, "+"), 0),
    prose="p* -> 0 as pi_ref(a) -> 0+ (written f = u e^{-gamma/beta}, u -> 0+, the scale on "
          "which p* falls): no discontinuity at pi_ref(a) = 0, unlike (14).")

# -- 4. stable forms ----------------------------------------------------------------------------

claim(
    "b2.pairs.stable-form", "App. B.2, the closed form (numerics)",
    Eq(pstar, f / (f + (1 - f) * exp(-gamma / beta))),
    proof=chain(pstar).rewrite(f / (f + (1 - f) * exp(-gamma / beta)),
                               "divide numerator and Z_q by e^{gamma/(2 beta)}"),
    prose="p* = f/(f + (1 - f) e^{-gamma/beta}), which does not overflow for small beta.")

claim(
    "b2.pairs.stable-form.logistic", "App. B.2, the closed form (numerics)",
    Eq(pstar, 1 / (1 + (1 - f) / f * exp(-gamma / beta))),
    proof=chain(pstar).rewrite(1 / (1 + (1 - f) / f * exp(-gamma / beta)),
                               "divide numerator and Z_q by e^{gamma/(2 beta)} f"),
    prose="p* = 1/(1 + ((1 - f)/f) e^{-gamma/beta}), the logistic form.")
