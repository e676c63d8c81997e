"""Section 3 and Appendix B.2 -- the direct KL penalty, binary question, the limit of large groups.

A question with two answers a and b, r(a) > r(b); p = pi_theta(a), q = pi_old(a),
f = pi_ref(a), logit(y) = log(y/(1 - y)).  The penalty of Section 3,
D_i = (pi_theta/pi_old)(pi_ref/pi_theta - log(pi_ref/pi_theta) - 1), has expectation
KL(pi_theta || pi_ref) under pi_old, whatever pi_old is.

* **The objective** (``b2.large.objective``): R_infinity (the corrected (18) of
  ``eq18.corrected``, coefficient 1/sqrt(q (1 - q))) - beta E_{pi_old}[D] is the printed
  p/sqrt(q (1 - q)) - beta KL(p || f) plus -sqrt(q/(1 - q)), free of p.  Its derivative is as
  printed (``b2.large.objective.derivative``) and on-policy it is beta h(p) with the printed
  h(x) = 1/(beta sqrt(x (1 - x))) - logit(x) + logit(f)
  (``b2.large.objective.derivative.on-policy``).
* **The shape of h.**  h'(x) = (2x - 1)/(2 beta (x (1 - x))^(3/2)) - 1/(x (1 - x))
  (``b2.large.h.derivative``), zero iff 2x - 1 = 2 beta sqrt(x (1 - x)).  In the coordinate
  u = sqrt(x/(1 - x)), x = X(u) = u^2/(1 + u^2), an increasing bijection of (0, oo) onto (0, 1)
  (``b2.large.coordinate.*``), h(X(u)) = (u + 1/u)/beta - 2 log u + logit(f)
  (``b2.large.h.in-u``) and d h(X(u))/du = (u - u*)(u + 1/u*)/(beta u^2) with
  u* = beta + sqrt(1 + beta^2), X(u*) = x* as printed (``b2.large.coordinate.at-u-star``;
  x* = (1 + beta/sqrt(1 + beta^2))/2).  So h decreases on (0, x*] and increases on [x*, 1)
  (``b2.large.h.monotone``, ``b2.large.h.minimum``, ``b2.large.h.derivative.in-u``), as printed.
  The limits are +oo at both ends (``b2.large.h.limit.zero``, ``b2.large.h.limit.one``, stated
  as exp(-h) -> 0 because the numeric backup cannot estimate a limit equal to oo); the paper's
  arrows "x up-arrow 0", "x down-arrow 1" are backwards (they approach from outside (0, 1)):
  the limits are x -> 0+ and x -> 1-.
* **"beta small enough / sufficiently large", exactly.**  h(x*) = logit(f) - T(beta) with
  T(beta) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta (``b2.large.h.minimum-value``).  Interior
  stationary points are the zeros of h: two if logit(f) < T(beta), one (tangent, at x*) if
  equal, none if greater (then h > 0 and on-policy GRPO drives p to 1).  T is strictly
  increasing (``b2.large.threshold.increasing``, T' = 2 sqrt(1 + beta^2)/beta^2) from -oo at 0+
  to +oo (``b2.large.threshold.limit.*``), so for each pi_ref(a) there is exactly one
  beta*(f), the root of 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta = logit(f)
  (``b2.large.threshold.equation``): two stationary points iff beta > beta*(f), none iff
  beta < beta*(f) -- the paper's direction is right.  As one claim (``b2.large.regime``):
  sign(h(x*)) = sign(logit(f) - T(beta)) = sign(beta*(f) - beta), by ``MonotoneComparison``
  on the increasing T (two zeros, one double zero at x*, none).  Examples (witnesses, exact): beta = 1,
  f = 1/10 has h(x*) < 0 (two zeros, numerically x1 = 0.4531, x2 = 0.9665); beta = 1, f = 1/2 has
  h(x*) > 0 (none).
* **Which are maxima.**  With pi_old frozen, J(.; q) is strictly concave
  (``b2.large.frozen.concave``), and at a zero q of h, J(q; q) - J(p; q) = beta KL(p || q) >= 0
  (``b2.large.stationary.maximiser``): BOTH zeros maximise J(.; pi_old = x_i) -- the paper's
  "two values that maximise the objective" holds in its own sense of stationarity (Sec. 1.3).
  But on-policy GRPO, p <- p + eta beta h(p), is gradient ascent on the potential
  Phi(p) = 2 asin(sqrt(p)) - beta KL(p || f) (``b2.large.potential``): h > 0 on (0, x1),
  < 0 on (x1, x2), > 0 on (x2, 1), so x1 is a local maximum of Phi and a stable fixed point,
  x2 (> x*) a local minimum of Phi and unstable, and p = 1 the other attractor
  (``b2.large.zeros.smaller-stable``; "both zeros are stable maxima of Phi", i.e. h' < 0 at
  every zero, is refuted by ``b2.large.zeros.both-stable`` at beta = 1, x2 = 9/10).  Started at
  pi_ref: h(f) = 1/(beta sqrt(f (1 - f))) > 0 (``b2.large.h.at-reference``) and, in the two-zero
  regime, f < x* (``b2.large.h.logit-x-star``: logit(x*) = 2 asinh(beta) > T(beta) > logit(f)),
  hence f < x1: on-policy GRPO from pi_ref stops at x1; without zeros it goes to 1.
  (The numeric values x1, x2 above are numerical only, located by bisection.)
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Rational, S, asin, exp, log, oo, sqrt

import grpo_sym.derivations.b1_binary_large  # noqa: F401  (registers eq18.corrected)
import grpo_sym.derivations.s1_1_rlhf  # noqa: F401  (registers Gibbs' inequality)
from grpo_sym.grpo.penalty import per_sample_penalty
from grpo_sym.grpo.symbols import beta, pi_old_a as q, pi_ref_a as f, pi_theta_a as p
from grpo_sym.proof import (REGISTRY, Certificate, Eq, Ge, Gt, LimitProof, Lt, MinimumAt,
                            MonotoneComparison, Witness, chain, claim, lemma_instance, variable)

Limit_ = sp.Limit  # unevaluated: the engine computes it (limit and gruntz)
PAPER = "App. B.2, large groups"

x = variable("b2l_x", Interval.open(0, 1), latex="x")


def logit(y):
    return log(y / (1 - y))


def KL(a, b):
    """KL(Ber(a) || Ber(b))."""
    return a * log(a / b) + (1 - a) * log((1 - a) / (1 - b))


def h(y):
    """The printed h(x) = (1/beta) 1/sqrt(x (1 - x)) - log(x/(1 - x)) + log(f/(1 - f))."""
    return 1 / (beta * sqrt(y * (1 - y))) - logit(y) + logit(f)


# ======================================================================================
# The objective, its derivative, the on-policy derivative
# ======================================================================================

R_inf = p / sqrt(q * (1 - q)) - sqrt(q / (1 - q))          # corrected (18), r(a) > r(b)
E_D = (q * (p / q) * per_sample_penalty(p, f)
       + (1 - q) * ((1 - p) / (1 - q)) * per_sample_penalty(1 - p, 1 - f))   # E_{pi_old}[D_i]
J_full = R_inf - beta * E_D


def J(pp, qq):
    """The printed objective J(p; pi_old = q) = p/sqrt(q (1 - q)) - beta KL(p || f)."""
    return pp / sqrt(qq * (1 - qq)) - beta * KL(pp, f)


objective = claim(
    "b2.large.objective", PAPER + ", the objective",
    Eq(J_full - J(p, q), -sqrt(q / (1 - q))),
    uses=[REGISTRY["eq18.corrected"]],
    prose="With r(a) > r(b), R_infinity (corrected (18)) - beta E_{pi_old}[D_i] for the direct-KL "
          "penalty of Sec. 3 is the printed p/sqrt(q (1 - q)) - beta KL(p || f) plus "
          "-sqrt(q/(1 - q)), a constant free of p (the importance weight makes E_{pi_old}[D_i] = "
          "KL(pi_theta || pi_ref)).")

dJ = 1 / sqrt(q * (1 - q)) - beta * (logit(p) - logit(f))
derivative = claim(
    "b2.large.objective.derivative", PAPER + ", the derivative",
    Eq(sp.Derivative(J(p, q), p), dJ),
    proof=chain(J(p, q)).differentiate(p, "d KL(p || f)/dp = logit(p) - logit(f)", result=dJ),
    uses=[objective],
    prose="dJ/dp = 1/sqrt(q (1 - q)) - beta (log(p/(1 - p)) - log(f/(1 - f))), as printed "
          "(with the sign tilde-gamma = 1).")

D_ON = sp.Derivative(J(p, q), p).subs(q, p)
on_policy = claim(
    "b2.large.objective.derivative.on-policy", PAPER + ", the on-policy derivative",
    Eq(D_ON, beta * h(p)),
    proof=chain(derivative).substitute({q: p}, "differentiate first, then set pi_old = pi_theta")
    .rewrite(Eq(D_ON, beta * h(p)), "factor beta"),
    prose="At pi_old = pi_theta the derivative is beta h(p), h(x) = 1/(beta sqrt(x (1 - x))) - "
          "log(x/(1 - x)) + log(f/(1 - f)), as printed.")

# ======================================================================================
# The shape of h: derivative, the coordinate X(t), monotonicity, limits
# ======================================================================================

h_prime = (2 * x - 1) / (2 * beta * (x * (1 - x))**Rational(3, 2)) - 1 / (x * (1 - x))
claim(
    "b2.large.h.derivative", PAPER + ", h decreases then increases",
    Eq(sp.Derivative(h(x), x), h_prime),
    proof=chain(h(x)).differentiate(x, result=h_prime),
    prose="h'(x) = (2x - 1)/(2 beta (x (1 - x))^(3/2)) - 1/(x (1 - x)); h'(x) = 0 iff "
          "2x - 1 = 2 beta sqrt(x (1 - x)).")

u = variable("b2l_u", Interval.open(0, oo), latex="u")
X = u**2 / (1 + u**2)                        # x = X(u), u = sqrt(x/(1 - x))
x_star = (1 + sqrt(1 - 1 / (1 + beta**2))) / 2
u_star = beta + sqrt(1 + beta**2)

claim(
    "b2.large.coordinate.increasing", PAPER + ", h decreases then increases",
    Gt(sp.Derivative(X, u), 0),
    proof=Certificate(2 * u / (1 + u**2)**2, "dX/du = 2u/(1 + u^2)^2"),
    prose="X(u) = u^2/(1 + u^2) is strictly increasing on (0, oo).")

claim(
    "b2.large.coordinate.inverse", PAPER + ", h decreases then increases",
    Eq(X.subs(u, sqrt(x / (1 - x))), x),
    prose="X(sqrt(x/(1 - x))) = x: X is an increasing bijection of (0, oo) onto (0, 1).")

x_star_u = claim(
    "b2.large.coordinate.at-u-star", PAPER + ", x*",
    Eq(X.subs(u, u_star), x_star),
    prose="X(beta + sqrt(1 + beta^2)) = (1 + sqrt(1 - 1/(1 + beta^2)))/2 = x*, the printed point "
          "(= (1 + beta/sqrt(1 + beta^2))/2).")

H_u = (u + 1 / u) / beta - 2 * log(u) + logit(f)
h_in_u = claim(
    "b2.large.h.in-u", PAPER + ", h decreases then increases",
    Eq(h(X), H_u),
    prose="h(X(u)) = (u + 1/u)/beta - 2 log u + logit(f): X(1 - X) = u^2/(1 + u^2)^2 and "
          "X/(1 - X) = u^2.")

dH = (u**2 - 2 * beta * u - 1) / (beta * u**2)
claim(
    "b2.large.h.derivative.in-u", PAPER + ", h decreases then increases",
    Eq(h_prime.subs(x, X), dH * (1 + u**2)**2 / (2 * u)),
    prose="h'(X(u)) = (u^2 - 2 beta u - 1)(1 + u^2)^2/(2 beta u^3), zero only at u* = beta + "
          "sqrt(1 + beta^2) (the positive root), i.e. at x = x*.")

MONO_CERT = (u - u_star)**2 * (u + 1 / u_star) / (beta * u**2)
monotone = claim(
    "b2.large.h.monotone", PAPER + ", h decreases on (0, x*] and increases on [x*, 1)",
    Ge(sp.Derivative(h(X), u) * (u - u_star), 0),
    proof=Certificate(MONO_CERT, "d h(X(u))/du = (u - u*)(u - u_-)/(beta u^2) with "
                      "-u_- = sqrt(1 + beta^2) - beta = 1/u*"),
    prose="(d/du) h(X(u)) has the sign of u - u*: h decreases on (0, x*] and increases on "
          "[x*, 1), as printed.")

claim(
    "b2.large.h.minimum", PAPER + ", h decreases on (0, x*] and increases on [x*, 1)",
    Ge(H_u - H_u.subs(u, u_star), 0),
    proof=MinimumAt(u, u_star, MONO_CERT, "h(X(u)) falls to u = u* (x = x*) and rises after it"),
    uses=[h_in_u],
    prose="h(x) >= h(x*) for every x in (0, 1): x* is the unique minimum of h.")

claim(
    "b2.large.h.limit.zero", PAPER + ", lim h at 0 (printed 'x up-arrow 0')",
    Eq(Limit_(exp(-h(x)), x, 0, "+"), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="h(x) -> +oo as x -> 0+ (stated as exp(-h(x)) -> 0, which is equivalent; the paper's "
          "'x up-arrow 0' is this one-sided limit from inside (0, 1)).")

claim(
    "b2.large.h.limit.one", PAPER + ", lim h at 1 (printed 'x down-arrow 1')",
    Eq(Limit_(exp(-h(1 - x)), x, 0, "+"), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="h(x) -> +oo as x -> 1- (stated as exp(-h(1 - y)) -> 0 as y -> 0+; the paper's "
          "'x down-arrow 1' is this one-sided limit from inside (0, 1)).")

# ======================================================================================
# The threshold: h(x*) = logit(f) - T(beta)
# ======================================================================================

ASINH = log(beta + sqrt(1 + beta**2))            # asinh(beta)
T = 2 * ASINH - 2 * sqrt(1 + beta**2) / beta     # 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta
logit_x_star = claim(
    "b2.large.h.logit-x-star", PAPER + ", where on-policy GRPO ends",
    Eq(logit(x_star), 2 * ASINH),
    prose="logit(x*) = 2 asinh(beta) = T(beta) + 2 sqrt(1 + beta^2)/beta > T(beta): when two "
          "zeros exist, logit(f) < T(beta) < logit(x*), so pi_ref(a) < x*.")

spread = claim(
    "b2.large.x-star.variance", PAPER + ", x*",
    Eq(1 / sqrt(x_star * (1 - x_star)), 2 * sqrt(1 + beta**2)),
    prose="x*(1 - x*) = 1/(4 (1 + beta^2)), so 1/sqrt(x*(1 - x*)) = 2 sqrt(1 + beta^2).")

h_min = claim(
    "b2.large.h.minimum-value", PAPER + ", 'beta small enough' / 'sufficiently large'",
    Eq(h(x_star), log(f / (1 - f)) - T),
    proof=chain(h(x_star))
    .substitute(logit_x_star, "logit(x*) = 2 asinh(beta)")
    .substitute(spread, "1/sqrt(x*(1 - x*)) = 2 sqrt(1 + beta^2)")
    .rewrite(log(f / (1 - f)) - T, "collect: T(beta) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta"),
    prose="h(x*) = 2 sqrt(1 + beta^2)/beta - 2 asinh(beta) + logit(f) (asinh(beta) = "
          "log(beta + sqrt(1 + beta^2))): two zeros of h (interior stationary points) iff "
          "logit(f) < T(beta) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta, one (tangent) iff "
          "equal, none iff greater.")

claim(
    "b2.large.h.at-reference", PAPER + ", where on-policy GRPO ends",
    Gt(h(f), 0),
    proof=Certificate(1 / (beta * sqrt(f * (1 - f))), "h(f) = 1/(beta sqrt(f (1 - f)))"),
    prose="h(pi_ref(a)) = 1/(beta sqrt(f (1 - f))) > 0: on-policy GRPO started at pi_ref "
          "increases p; since f < x* < x2 when two zeros exist, f < x1 and it stops at x1, "
          "otherwise it goes to 1.")

claim(
    "b2.large.threshold.increasing", PAPER + ", 'beta small enough' / 'sufficiently large'",
    Gt(sp.Derivative(T, beta), 0),
    proof=Certificate(2 * sqrt(1 + beta**2) / beta**2, "T'(beta) = 2 sqrt(1 + beta^2)/beta^2"),
    prose="T(beta) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta is strictly increasing: two "
          "stationary points exist exactly for beta above a threshold beta*(pi_ref(a)).")

claim(
    "b2.large.threshold.limit.zero", PAPER + ", 'beta small enough'",
    Eq(Limit_(exp(T), beta, 0, "+"), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="T(beta) -> -oo as beta -> 0+ (stated as exp(T) -> 0): for small beta, h > 0 on "
          "(0, 1) whatever pi_ref(a).")

claim(
    "b2.large.threshold.limit.infinity", PAPER + ", 'beta sufficiently large'",
    Eq(Limit_(exp(-T), beta, oo), 0),
    proof=LimitProof("computed by limit and by gruntz, which agree"),
    prose="T(beta) -> +oo as beta -> oo (stated as exp(-T) -> 0): for every pi_ref(a) in "
          "(0, 1), large beta gives two zeros; with the monotonicity, exactly one threshold "
          "beta*(pi_ref(a)).")

threshold_eq = Eq(log(f / (1 - f)), T)
claim(
    "b2.large.threshold.equation", PAPER + ", the threshold",
    threshold_eq, given=Eq(h(x_star), 0),
    proof=chain(h(x_star)).set_to_zero("tangency: the minimum of h is 0")
    .substitute(h_min, "h(x*) = logit(f) - T(beta)")
    .rearrange(threshold_eq, "move T(beta) across"),
    prose="The threshold beta*(f) solves log(f/(1 - f)) = 2 asinh(beta) - 2 sqrt(1 + beta^2)/beta "
          "(one root, T increasing from -oo to oo); two interior stationary points iff "
          "beta > beta*(f), one iff equal, none iff beta < beta*(f).")

beta_c = variable("b2l_beta_c", Interval.open(0, oo), latex=r"\beta_c")
threshold_def = Eq(T.subs(beta, beta_c), logit(f))      # beta_c = beta*(pi_ref(a))
claim(
    "b2.large.regime", PAPER + ", 'beta small enough' / 'sufficiently large'",
    Eq(sp.sign(logit(f) - T), sp.sign(beta_c - beta)), given=threshold_def,
    proof=MonotoneComparison(REGISTRY["b2.large.threshold.increasing"], 0,
                             "T strictly increases: T(beta_c) - T(beta) has the sign of "
                             "beta_c - beta", premises={threshold_def: -1}),
    uses=[h_min, monotone, REGISTRY["b2.large.h.limit.zero"], REGISTRY["b2.large.h.limit.one"]],
    prose="The regime of App. B.2 in one statement: with beta_c = beta*(pi_ref(a)) the root of "
          "T(beta_c) = logit(pi_ref(a)), h(x*) = logit(f) - T(beta) has the sign of beta_c - "
          "beta; as h decreases on (0, x*], increases on [x*, 1) and tends to +oo at both ends, "
          "h has two interior zeros iff beta > beta_c, one double zero (at x*) iff beta = beta_c, "
          "none iff beta < beta_c.")

E_crit = (sqrt(1 + beta**2) + beta)**2 * exp(-2 * sqrt(1 + beta**2) / beta)
claim(
    "b2.large.threshold.pi-ref", PAPER + ", the threshold",
    Eq(exp(T), E_crit),
    prose="Equivalently, for given beta the critical pi_ref(a) is f_c(beta) = E/(1 + E), "
          "E = exp(T(beta)) = (sqrt(1 + beta^2) + beta)^2 exp(-2 sqrt(1 + beta^2)/beta).")

claim(
    "b2.large.two-zeros.example", PAPER + ", 'beta sufficiently large'",
    Lt(h(x_star), 0),
    proof=Witness({beta: 1, f: Rational(1, 10)},
                  "beta = 1, pi_ref(a) = 1/10: h(x*) = 2 sqrt 2 - 2 asinh 1 + log(1/9) = -1.13"),
    quantifier="exists",
    prose="Two stationary points occur: at beta = 1, pi_ref(a) = 1/10, h(x*) < 0 (numerically "
          "the zeros are x1 = 0.4531, x2 = 0.9665).")

claim(
    "b2.large.no-zeros.example", PAPER + ", 'beta small enough'",
    Gt(h(x_star), 0),
    proof=Witness({beta: 1, f: S.Half}, "beta = 1, pi_ref(a) = 1/2: h(x*) = 2 sqrt 2 - "
                  "2 asinh 1 = 1.07"),
    quantifier="exists",
    prose="No stationary point occurs: at beta = 1, pi_ref(a) = 1/2, h(x*) > 0 (beta below "
          "beta*(1/2) = 1.5088...).")

# ======================================================================================
# Which zeros maximise: the frozen objective, and the on-policy potential
# ======================================================================================

claim(
    "b2.large.frozen.concave", PAPER + ", 'two values that maximise the objective'",
    Lt(sp.Derivative(J(p, q), (p, 2)), 0),
    proof=Certificate(beta / (p * (1 - p)), "J''(p; q) = -beta/(p (1 - p))"),
    prose="With pi_old frozen, J(.; q) is strictly concave in p.")

gibbs = REGISTRY["s1.1.gibbs.scalar"]
_y = next(iter(gibbs.free_symbols))
_ratios = [{_y: q / p}, {_y: (1 - q) / (1 - p)}]
claim(
    "b2.large.stationary.maximiser", PAPER + ", 'two values that maximise the objective'",
    Ge(J(q, q) - J(p, q), 0), given=Eq(h(q), 0),
    proof=Certificate(beta * (p * lemma_instance(gibbs, _ratios[0])
                              + (1 - p) * lemma_instance(gibbs, _ratios[1])),
                      "with 1/sqrt(q (1 - q)) = beta (logit q - logit f) at a zero q of h, "
                      "J(q; q) - J(p; q) = beta KL(p || q), two Gibbs terms",
                      lemmas={gibbs: _ratios}, premise_multiple=beta * (q - p)),
    prose="Every zero q of h (both, when two exist) is the global maximiser of J(.; pi_old = q): "
          "J(q; q) - J(p; q) = beta KL(p || q) >= 0, so the printed 'two values that maximise "
          "the objective' holds in the paper's sense of stationarity.")

Phi = 2 * asin(sqrt(p)) - beta * KL(p, f)
claim(
    "b2.large.potential", PAPER + ", on-policy dynamics",
    Eq(sp.Derivative(Phi, p), beta * h(p)),
    prose="On-policy GRPO, p <- p + eta beta h(p), is gradient ascent on Phi(p) = "
          "2 asin(sqrt(p)) - beta KL(p || f): the smaller zero x1 (< x*, h falls through 0) is "
          "a local maximum of Phi and stable, the larger x2 (> x*, h rises through 0) a local "
          "minimum and unstable.")

F_AT_X2 = 9 * exp(-Rational(10, 3)) / (1 + 9 * exp(-Rational(10, 3)))   # logit f = log 9 - 10/3
both_stable = claim(
    "b2.large.zeros.both-stable", PAPER + "; Sec. 3, 'two values ... that maximise'",
    Lt(h_prime, 0), given=Eq(h(x), 0),
    proof=Witness({beta: 1, x: Rational(9, 10), f: F_AT_X2},
                  "beta = 1, x = 9/10 > x* = 0.854, pi_ref(a) = 9 e^(-10/3)/(1 + 9 e^(-10/3)) "
                  "= 0.2430 (chosen so that h(9/10) = 0): h'(9/10) = +3.70 > 0"),
    expected="refuted",
    prose="Read for on-policy GRPO (gradient ascent on Phi, Phi'' = beta h'), the two zeros are "
          "not both maxima: the larger zero x2 > x* has h'(x2) > 0, a local minimum of Phi and "
          "an unstable fixed point (beta = 1, pi_ref(a) = 0.2430, x2 = 9/10).")

s_frac = variable("b2l_s", Interval.open(0, 1), latex="s")     # u = s u*, below u*
claim(
    "b2.large.zeros.smaller-stable", PAPER + "; Sec. 3, 'two values ... that maximise'",
    Lt(dH.subs(u, s_frac * u_star), 0),
    proof=Certificate(u_star * (1 - s_frac) * (s_frac * u_star + 1 / u_star)
                      / (beta * (s_frac * u_star)**2),
                      "u^2 - 2 beta u - 1 = (u - u*)(u + 1/u*) at u = s u*, 0 < s < 1"),
    corrects=both_stable, uses=[h_in_u],
    prose="Corrected: h strictly decreases on (0, x*) (d h(X(u))/du < 0 for u = s u* < u*), so "
          "the smaller zero x1 < x* is a strict local maximum of Phi, a stable fixed point of "
          "on-policy GRPO, and the one it reaches from pi_ref(a); x2 > x* is a local minimum, "
          "unstable.  Both still maximise J(.; pi_old = x_i) (b2.large.stationary.maximiser).")
