"""Section 1.1 -- the RLHF baseline: the policy (4) maximises the objective (3).

Per question q, (3) is J(pi) = E_{o ~ pi}[r(o)] - beta KL(pi || pi_ref) over the
distributions pi of K outputs, and (4) is pi*(o) = pi_ref(o) e^{r(o)/beta} / Z_q.
The paper says (4) "follows directly by choosing pi that maximises (3)".  Here,
for any number K of outputs (the claims without a size suffix: families over 1..K, pi =
w/sum w any interior distribution), written out for K = 2, 3, 4 (``.kK``), any real rewards
r(o) and any beta > 0:

* **Gibbs' inequality.**  log y <= y - 1 for y > 0 (``s1.1.gibbs.scalar``: the
  minimum of y - log y - 1 is 0, at y = 1).  Hence, for positive vectors mu, nu,
  sum mu log(mu/nu) + sum nu - sum mu = sum mu (nu/mu - 1 - log(nu/mu)) >= 0
  (``s1.1.gibbs.kK``, a certificate built from K instances of the scalar
  inequality), and at mu = pi, nu = pi* with both summing to one
  (``s1.1.gibbs-policy.normalised.kK``), KL(pi || pi*) >= 0
  (``s1.1.kl-to-gibbs-nonnegative.kK``), so beta KL(pi || pi*) >= 0
  (``s1.1.penalty-to-gibbs-nonnegative.kK``).  The same scalar inequality gives
  the non-negativity of GRPO's penalty in ``s2_2_penalty``.
* **The suboptimality gap** (``s1.1.rlhf.gap.kK``): beta KL(pi || pi*) =
  J(pi*) - J(pi) for every pi on the simplex.  The chain expands
  log(pi/pi*) = log(pi/pi_ref) + log Z_q - r/beta, which gives
  beta KL(pi || pi*) = beta log Z_q sum pi - J(pi) and J(pi*) = beta log Z_q sum pi*,
  then uses sum pi* = 1 and sum pi = 1.  So the optimal value is beta log Z_q.
* **(4)** (``eq4`` for K = 3, ``eq4.k2``, ``eq4.k4``): J(pi*) >= J(pi) for every pi
  on the simplex: substitute the gap into beta KL(pi || pi*) >= 0.  The maximiser is unique: KL(pi || pi*) = 0
  only at pi = pi* (log y = y - 1 only at y = 1), so J(pi) = J(pi*) forces
  pi = pi*.  Uniqueness is argued here, not encoded as a claim.
* **KKT** (``s1.1.kkt-gradient`` and ``s1.1.kkt-stationarity``, every K and every output o;
  ``s1.1.kkt-stationarity.k3`` written out): with the multiplier
  lambda = beta (log Z_q - 1), the policy (4) satisfies the stationarity
  condition d/d pi(o) [J(pi) - lambda (sum pi - 1)] = 0, i.e.
  r(o) - beta (log(pi(o)/pi_ref(o)) + 1) - lambda = 0.  This *checks* (4) against
  the KKT conditions rather than deriving it: "solve the stationarity condition
  for pi(o), then normalise" needs a step that exponentiates both sides of an
  equation, which the engine does not offer, so that derivation is not encoded.
  The gap identity proves more (global optimality and uniqueness) without it.

Restrictions.  pi ranges over the *open* simplex (interior policies); at the
boundary KL(pi || pi*) is defined with 0 log 0 = 0 and the gap identity extends
by continuity, but only interior pi are checked.  pi_ref needs no normalisation
anywhere here (only pi_ref(o) > 0), so it is left unconstrained.  The claims
are per question; the outer E_{q ~ mu} of (3) is linear and left implicit.
The KKT condition is shown for the output o = 1: J is a sum of one term per
output, symmetric under relabelling the outputs, so that is no loss of
generality.
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, oo

from grpo_sym.grpo.penalty import (gibbs_policy, kl, log_gap, partition_function,
                                   rlhf_objective)
from grpo_sym.grpo.symbols import (OUTPUT_INDEX, PI_THETA_K, beta, output, output_count, policy,
                                   policy_family, reward_family, reward_values, weights_family)
from grpo_sym.proof import (Certificate, Claim, Eq, Ge, Le, MinimumAt, OnSimplex, chain, claim,
                            lemma_instance, variable)

OUTPUT_COUNTS = (2, 3, 4)
MAIN_K = 3          # eqN is stated for three outputs, eqN.k2 and eqN.k4 for two and four
POSITIVE = Interval.open(0, oo)


def eq_id(n: int, K: int) -> str:
    """The id of the paper's equation (n) at K outputs, ``eqn.kK``: an instance of
    ``eqn``, the equation for any number of outputs."""
    return f"eq{n}.k{K}"

# -- Gibbs' inequality ------------------------------------------------------------------

y = variable("y_gibbs", POSITIVE, latex="y")

gibbs_scalar = claim(
    "s1.1.gibbs.scalar", "Sec. 1.1, behind (4) (Gibbs' inequality)",
    Ge(log_gap(y), 0),
    proof=MinimumAt(y, 1, (y - 1) ** 2 / y,
                    "d/dy (y - log y - 1) = 1 - 1/y, so (y - 1) times it is (y - 1)^2/y"),
    prose="log y <= y - 1 for every y > 0: y - log y - 1 falls to its minimum 0 at y = 1 "
          "and rises after it.")


def positive_vector(name: str, K: int, tex: str) -> tuple[sp.Symbol, ...]:
    """K positive reals ``name_1 .. name_K`` (not normalised)."""
    return tuple(variable(f"{name}_{o}", POSITIVE, latex=f"{tex}_{{{o}}}")
                 for o in range(1, K + 1))


gibbs: dict[int, Claim] = {}
normalised: dict[int, Claim] = {}
kl_to_gibbs: dict[int, Claim] = {}
penalty_to_gibbs: dict[int, Claim] = {}
gap: dict[int, Claim] = {}
eq4: dict[int, Claim] = {}
kkt: dict[int, Claim] = {}

lam = variable("lambda_kkt", sp.S.Reals, latex=r"\lambda")

for K in OUTPUT_COUNTS:
    mu = positive_vector("gibbs_mu", K, r"\mu")
    nu = positive_vector("gibbs_nu", K, r"\nu")
    pi, pi_ref, r = policy("pi_theta", K), policy("pi_ref", K), reward_values(K)
    star = gibbs_policy(pi_ref, r, beta)
    Z = partition_function(pi_ref, r, beta)
    mass, mass_star = sp.Add(*pi), sp.Add(*star)

    def J(p, r=r, pi_ref=pi_ref):
        return rlhf_objective(p, r, beta, pi_ref)

    ratios = [{y: n / m} for m, n in zip(mu, nu)]
    gibbs[K] = claim(
        f"s1.1.gibbs.k{K}", "Sec. 1.1, behind (4) (Gibbs' inequality)",
        Ge(kl(mu, nu) + sp.Add(*nu) - sp.Add(*mu), 0),
        proof=Certificate(sp.Add(*[m * lemma_instance(gibbs_scalar, s)
                                   for m, s in zip(mu, ratios)]),
                          "the sum of mu(o) (y_o - 1 - log y_o) at y_o = nu(o)/mu(o)",
                          lemmas={gibbs_scalar: ratios}),
        prose=f"For positive mu, nu in R^{K}: sum mu log(mu/nu) + sum nu - sum mu "
              "= sum mu (nu/mu - 1 - log(nu/mu)) >= 0, term by term.")

    normalised[K] = claim(
        f"s1.1.gibbs-policy.normalised.k{K}", "Sec. 1.1, (4)",
        Eq(mass_star, 1),
        proof=chain(mass_star).together(
            "over the common denominator Z_q the numerator is Z_q itself", result=1),
        prose="The policy (4) is a distribution: its probabilities sum to one.")

    kl_to_gibbs[K] = claim(
        f"s1.1.kl-to-gibbs-nonnegative.k{K}", "Sec. 1.1, (4)",
        Ge(kl(pi, star), 0),
        proof=chain(gibbs[K])
        .substitute({**dict(zip(mu, pi)), **dict(zip(nu, star))},
                    "Gibbs' inequality at mu = pi, nu = pi* (both positive)")
        .substitute(normalised[K], "pi* sums to one")
        .rewrite(Ge(kl(pi, star), 0), "pi sums to one"),
        conditions=[OnSimplex(pi)],
        prose="KL(pi || pi*) >= 0 for the policy pi* of (4) and every distribution pi.")

    penalty_to_gibbs[K] = claim(
        f"s1.1.penalty-to-gibbs-nonnegative.k{K}", "Sec. 1.1, (4)",
        Ge(beta * kl(pi, star), 0),
        proof=Certificate(beta * lemma_instance(kl_to_gibbs[K], {}),
                          "beta > 0 times KL(pi || pi*) >= 0",
                          lemmas={kl_to_gibbs[K]: [{}]}),
        conditions=[OnSimplex(pi)],
        prose="So the penalty beta KL(pi || pi*) is non-negative as well (beta > 0).")

    gap[K] = claim(
        f"s1.1.rlhf.gap.k{K}", "Sec. 1.1, (3) and (4)",
        Eq(beta * kl(pi, star), J(star) - J(pi)),
        proof=chain(beta * kl(pi, star))
        .rewrite(J(star) - J(pi) + beta * sp.log(Z) * (mass - mass_star),
                 "log(pi/pi*) = log(pi/pi_ref) + log Z_q - r/beta gives beta KL(pi || pi*) = "
                 "beta log Z_q sum pi - J(pi), and likewise J(pi*) = beta log Z_q sum pi*")
        .substitute(normalised[K], "pi* sums to one")
        .rewrite(J(star) - J(pi), "pi sums to one"),
        conditions=[OnSimplex(pi)],
        prose="The suboptimality of any policy pi in (3) is beta KL(pi || pi*), where pi* is "
              "the policy (4); on the way, J(pi*) = beta log Z_q.")

    eq4[K] = claim(
        eq_id(4, K), "Sec. 1.1, (4)",
        Ge(J(star), J(pi)),
        proof=chain(penalty_to_gibbs[K])
        .substitute(gap[K], "beta KL(pi || pi*) is the suboptimality J(pi*) - J(pi)")
        .rearrange(Ge(J(star), J(pi)), "move J(pi) across"),
        conditions=[OnSimplex(pi)],
        prose=f"With {K} outputs, pi*(o) = pi_ref(o) e^(r(o)/beta)/Z_q maximises the RLHF "
              "objective (3) over the simplex: J(pi*) - J(pi) = beta KL(pi || pi*) >= 0, "
              "with equality only at pi = pi*.")

    if K != MAIN_K:
        continue
    lagrangian = J(pi) - lam * (mass - 1)
    at_gibbs = {**dict(zip(pi, star)), lam: beta * (sp.log(Z) - 1)}
    kkt[K] = claim(
        f"s1.1.kkt-stationarity.k{K}", "Sec. 1.1, (4)",
        Eq(sp.Derivative(lagrangian, pi[0]).subs(at_gibbs), 0),
        proof=chain(lagrangian)
        .differentiate(pi[0], "only the o = 1 terms depend on pi(1)",
                       result=r[0] - beta * (1 - sp.log(pi_ref[0] / pi[0])) - lam)
        .substitute(at_gibbs, "at pi = pi* of (4) and lambda = beta (log Z_q - 1)")
        .expand("log(pi_ref(1)/pi*(1)) = log Z_q - r(1)/beta", result=0),
        prose="The policy (4) with lambda = beta (log Z_q - 1) satisfies the KKT "
              "stationarity condition r(o) - beta (log(pi(o)/pi_ref(o)) + 1) - lambda = 0 "
              "of the Lagrangian J(pi) - lambda (sum pi - 1) (shown for o = 1; the outputs "
              "are interchangeable).")

# -- any number of outputs K --------------------------------------------------------------
# pi(o) = w(o)/sum w is any interior distribution; pi_ref(o) > 0 and the rewards r(o) are
# families over 1..K with K symbolic.

mu_K = weights_family("gibbs_mu", r"\mu")
nu_K = weights_family("gibbs_nu", r"\nu")
pi_K, ref_K, r_K = PI_THETA_K, policy_family("pi_ref"), \
    reward_family()
star_K = gibbs_policy(ref_K, r_K, beta)
Z_K = partition_function(ref_K, r_K, beta)
j_ = OUTPUT_INDEX


def J_K(p) -> sp.Expr:
    return rlhf_objective(p, r_K, beta, ref_K)


def _gibbs_terms(p, q) -> sp.Expr:
    """sum_o p(o) (y_o - 1 - log y_o) at y_o = q(o)/p(o): a sum of non-negative terms."""
    return p.total(lambda j: p[j] * lemma_instance(gibbs_scalar, {y: q[j] / p[j]}))


def _gibbs_lemmas(p, q) -> dict:
    return {gibbs_scalar: [{y: q[j_] / p[j_]}]}


claim(
    "s1.1.gibbs", "Sec. 1.1, behind (4) (Gibbs' inequality)",
    Ge(kl(mu_K, nu_K) + nu_K.total(lambda j: nu_K[j]) - mu_K.total(lambda j: mu_K[j]), 0),
    proof=Certificate(_gibbs_terms(mu_K, nu_K), "the sum of mu(o) (y_o - 1 - log y_o) at "
                      "y_o = nu(o)/mu(o)", lemmas=_gibbs_lemmas(mu_K, nu_K)),
    prose="For positive mu, nu on K outputs (any K): sum mu log(mu/nu) + sum nu - sum mu "
          "= sum mu (nu/mu - 1 - log(nu/mu)) >= 0, term by term.")

normalised_K = claim(
    "s1.1.gibbs-policy.normalised", "Sec. 1.1, (4)",
    Eq(star_K.total(lambda j: star_K[j]), 1),
    prose="For K outputs (any K), the policy (4) is a distribution: its probabilities sum to "
          "one.")

kl_to_gibbs_K = claim(
    "s1.1.kl-to-gibbs-nonnegative", "Sec. 1.1, (4)",
    Ge(kl(pi_K, star_K), 0),
    proof=Certificate(_gibbs_terms(pi_K, star_K), "Gibbs' inequality at mu = pi, nu = pi*; "
                      "pi and pi* both sum to one", lemmas=_gibbs_lemmas(pi_K, star_K)),
    uses=[normalised_K],
    prose="For K outputs (any K), KL(pi || pi*) >= 0 for the policy pi* of (4) and every "
          "distribution pi (w/sum w).")

penalty_to_gibbs_K = claim(
    "s1.1.penalty-to-gibbs-nonnegative", "Sec. 1.1, (4)",
    Ge(beta * kl(pi_K, star_K), 0),
    proof=Certificate(beta * _gibbs_terms(pi_K, star_K),
                      "beta > 0 times KL(pi || pi*) = sum_o pi(o) (y_o - 1 - log y_o) >= 0",
                      lemmas=_gibbs_lemmas(pi_K, star_K)),
    uses=[kl_to_gibbs_K],
    prose="For K outputs, the penalty beta KL(pi || pi*) is non-negative as well (beta > 0).")

gap_K = claim(
    "s1.1.rlhf.gap", "Sec. 1.1, (3) and (4)",
    Eq(beta * kl(pi_K, star_K), J_K(star_K) - J_K(pi_K)),
    prose="For K outputs (any K), the suboptimality of any policy pi in (3) is "
          "beta KL(pi || pi*), where pi* is the policy (4).")

claim(
    "eq4", "Sec. 1.1, (4)",
    Ge(J_K(star_K), J_K(pi_K)),
    proof=chain(penalty_to_gibbs_K)
    .substitute(gap_K, "beta KL(pi || pi*) is the suboptimality J(pi*) - J(pi)")
    .rearrange(Ge(J_K(star_K), J_K(pi_K)), "move J(pi) across"),
    prose="For K outputs (any K), pi*(o) = pi_ref(o) e^(r(o)/beta)/Z_q maximises the RLHF "
          "objective (3) over the (open) simplex: J(pi*) - J(pi) = beta KL(pi || pi*) >= 0.")

t_K, o_K = policy_family("pi_theta"), output
lagrangian_K = J_K(t_K) - lam * (t_K.total(lambda j: t_K[j]) - 1)
kkt_gradient_K = claim(
    "s1.1.kkt-gradient", "Sec. 1.1, (4)",
    Eq(sp.Derivative(lagrangian_K, t_K[o_K]),
       r_K[o_K] - beta * (1 - sp.log(ref_K[o_K] / t_K[o_K])) - lam),
    conditions=[Le(o_K, output_count)],
    prose="For K outputs (any K) and every output o, the Lagrangian J(pi) - lambda (sum pi - 1) "
          "of (3) has d/d pi(o) = r(o) - beta (1 - log(pi_ref(o)/pi(o))) - lambda.")

claim(
    "s1.1.kkt-stationarity", "Sec. 1.1, (4)",
    Eq(kkt_gradient_K.rhs.xreplace({t_K[o_K]: star_K[o_K], lam: beta * (sp.log(Z_K) - 1)}), 0),
    conditions=[Le(o_K, output_count)], uses=[kkt_gradient_K],
    prose="For K outputs (any K): at pi = pi* of (4) and lambda = beta (log Z_q - 1) that "
          "gradient vanishes at every output o: the policy (4) satisfies the KKT stationarity "
          "condition r(o) - beta (log(pi(o)/pi_ref(o)) + 1) - lambda = 0.")
