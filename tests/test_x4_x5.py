"""The claims of x4_kl_estimators and x5_reward_scaling: each paired with a false variant that
the engine must reject, and its true twin, which the engine must prove (so a rejection is not
an engine that proves nothing).  The statements are rebuilt from the package's own objects
(``grpo_sym.grpo.estimators``) in private registries; the registered claims themselves are
verified by ``test_derivations``.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Callable

import pytest
import sympy as sp
from sympy import Interval, Rational, exp, log

import grpo_sym
from grpo_sym.grpo.estimators import (K1, K2, K3, LOW_VAR_KL, antiderivative, clamp,
                                      kept_group_average, loss_penalty, on_policy, plus,
                                      ratio_penalty)
from grpo_sym.grpo.penalty import kl, log_gap, reverse_kl
from grpo_sym.grpo.symbols import (beta, output as o, output_count as K, pi_ref_a as f,
                                   pi_theta_a as p, policy, policy_family)
from grpo_sym.proof import (Certificate, Eq, Ge, Gt, Le, Lt, MinimumAt, OnSimplex, Registry, claim,
                            variable, verify_claim)
from grpo_sym.proof.proofs import Outcome

grpo_sym.load_registry()      # the derivations' symbols and claims exist once

t, old, ref = policy_family("pi_theta"), policy_family("pi_old"), policy_family("pi_ref")
lr = log(t[o] / ref[o])
AT = [Le(o, K)]
G = sp.Symbol("t_x45_G", integer=True, positive=True)
tt = variable("t_x45_t", Interval.open(0, 1))
rr = variable("t_x45_r", Interval.open(0, 1))
half = Rational(1, 2)


def mk(cid: str, statement, **kw):
    return claim(cid, "test", statement, prose="test", registry=Registry(), **kw)


def grad(placement, k):
    return on_policy(sp.Derivative(placement(k, t, old, ref), t[o]), t, old)


def no_restoring_force(f_domain: Interval, cid: str):
    fh = variable(f"t_x45_f_{cid}", f_domain)
    s = variable("t_x45_s", Interval.open(0, 1))
    x = fh + (1 - fh) * s
    gap = K3.value(x, fh) - K3.value(1 - x, 1 - fh)
    return mk(cid, Ge(-gap, 0),
              proof=MinimumAt(s, 0, (1 - fh) ** 2 * s ** 2 * (2 * x - 1) / (x ** 2 * (1 - x) ** 2)))


def drift(beta_domain: Interval, cid: str):
    return mk(cid, Gt(p * (1 - p) - beta * (1 - p) * (p - f), 0),
              proof=Certificate((1 - p) * ((1 - beta) * p + beta * f)),
              domains={beta: beta_domain})


def kept(weight_exponent, cid: str):
    pi = policy("pi_old", 2)
    d = sp.symbols("t_x45_d1 t_x45_d2", real=True)
    return mk(cid, Eq(kept_group_average(3, d, pi),
                      sum(x * (1 - x ** weight_exponent) * v for x, v in zip(pi, d))),
              conditions=[OnSimplex(pi)])


def threshold(u, cid: str):
    return mk(cid, Gt(log_gap(exp(u)) - 10, 0), proof=Certificate(log_gap(exp(u)) - 10))


E3_HALF = log((1 - f) / f) - 2 * (1 - 2 * f)        # E_3(1/2)
M_G3 = 1 - p ** 2 * (1 - p) - p * (1 - p) ** 2     # m_G(p) at G = 3


def ds_binary_k3(m, cid: str):
    def g(x, y):
        return (1 - x ** 2) * (1 - y / x)
    return mk(cid, Eq(p * (1 - p) * (g(p, f) - g(1 - p, 1 - f)), (p - f) * m))


@dataclass
class Pair:
    id: str
    wrong: Callable[[], object]
    right: Callable[[], object]


PAIRS = [
    # x4: on-policy gradients of each placement
    Pair("k3-with-ratio-gradient-has-no-plus-one",
         lambda: mk("w", Eq(grad(ratio_penalty, K3), lr + 1), conditions=AT),
         lambda: mk("r", Eq(grad(ratio_penalty, K3), lr), conditions=AT)),
    Pair("k1-in-the-loss-has-constant-gradient-not-zero",
         lambda: mk("w", Eq(grad(loss_penalty, K1), 0), conditions=AT),
         lambda: mk("r", Eq(grad(loss_penalty, K1), 1), conditions=AT)),
    Pair("k3-in-the-loss-is-the-reverse-kl-not-the-direct",
         lambda: mk("w", Eq(grad(loss_penalty, K3), sp.Derivative(kl(t, ref), t[o])),
                    conditions=AT),
         lambda: mk("r", Eq(grad(loss_penalty, K3),
                            sp.Derivative(reverse_kl(t, ref) + t.total(lambda j: t[j]), t[o])),
                    conditions=AT)),
    Pair("straight-through-follows-k2-not-k3",
         lambda: mk("w", Eq(grad(loss_penalty, plus(K3)), 1 - ref[o] / t[o]), conditions=AT),
         lambda: mk("r", Eq(grad(loss_penalty, plus(K3)), lr), conditions=AT)),
    Pair("k2-with-ratio-is-not-the-direct-kl",
         lambda: mk("w", Eq(grad(ratio_penalty, K2), lr + 1), conditions=AT),
         lambda: mk("r", Eq(grad(ratio_penalty, K2), lr ** 2 / 2 + lr), conditions=AT)),
    # x4: in the reward
    Pair("k2-antiderivative-needs-the-plus-one",
         lambda: mk("w", Eq(sp.Derivative(tt * (log(tt / rr) ** 2 / 2 - log(tt / rr)), tt),
                            K2.value(tt, rr))),
         lambda: mk("r", Eq(sp.Derivative(antiderivative(K2, tt, rr), tt), K2.value(tt, rr)))),
    Pair("k3-in-the-reward-is-direct-minus-reverse",
         lambda: mk("w", Eq(t.total(lambda j: antiderivative(K3, t[j], ref[j])),
                            kl(t, ref) + reverse_kl(t, ref) - 2 * t.total(lambda j: t[j])
                            + ref.total(lambda j: ref[j] * log(ref[j])))),
         lambda: mk("r", Eq(t.total(lambda j: antiderivative(K3, t[j], ref[j])),
                            kl(t, ref) - reverse_kl(t, ref) - 2 * t.total(lambda j: t[j])
                            + ref.total(lambda j: ref[j] * log(ref[j]))))),
    Pair("no-restoring-force-needs-f-at-least-a-half",
         lambda: no_restoring_force(Interval.open(0, 1), "w"),
         lambda: no_restoring_force(Interval.Ropen(half, 1), "r")),
    # x4: verl's clamped k3
    Pair("clamped-k3-has-no-gradient-where-clamped",
         lambda: mk("w", Eq(sp.Subs(sp.Derivative(LOW_VAR_KL.value(tt, rr), tt), (tt, rr),
                                    (Rational(1, 100), half)), -49)),
         lambda: mk("r", Eq(sp.Subs(sp.Derivative(LOW_VAR_KL.value(tt, rr), tt), (tt, rr),
                                    (Rational(1, 100), half)), 0))),
    Pair("value-clamp-binds-above-2.61-not-at-it",
         lambda: threshold(Rational(261, 100), "w"), lambda: threshold(Rational(262, 100), "r")),
    Pair("clamped-drift-positive-only-for-beta-at-most-one",
         lambda: drift(Interval.open(0, 2), "w"), lambda: drift(Interval.Lopen(0, 1), "r")),
    Pair("k3-reward-threshold-at-beta-0.04-is-below-2e-12",
         lambda: mk("w", Lt(E3_HALF.subs(f, Rational(1, 10 ** 12)) / 25, 1),
                    proof=Certificate(1 - E3_HALF.subs(f, Rational(1, 10 ** 12)) / 25)),
         lambda: mk("r", Lt(E3_HALF.subs(f, Rational(2, 10 ** 12)) / 25, 1),
                    proof=Certificate(1 - E3_HALF.subs(f, Rational(2, 10 ** 12)) / 25))),
    # x5: dynamic sampling
    Pair("kept-groups-weight-is-one-minus-pi-to-the-g-minus-1",
         lambda: kept(3, "w"), lambda: kept(2, "r")),
    Pair("dynamic-sampling-k3-pull-factor",
         lambda: ds_binary_k3(1 - p ** 3 * (1 - p) - p * (1 - p) ** 3, "w"),
         lambda: ds_binary_k3(M_G3, "r")),
    # x5: Bessel rescales beta up, not down
    Pair("bessel-rescales-beta-by-sqrt-g-over-g-minus-1",
         lambda: mk("w", Eq(sp.sqrt(Rational(3, 4)) * (p - f) - beta * (p - f),
                            sp.sqrt(Rational(3, 4)) * ((p - f) - beta * sp.sqrt(Rational(3, 4))
                                                       * (p - f)))),
         lambda: mk("r", Eq(sp.sqrt(Rational(3, 4)) * (p - f) - beta * (p - f),
                            sp.sqrt(Rational(3, 4)) * ((p - f) - beta / sp.sqrt(Rational(3, 4))
                                                       * (p - f))))),
]


@pytest.mark.parametrize("pair", PAIRS, ids=[x.id for x in PAIRS])
def test_wrong_variant_is_rejected(pair):
    r = verify_claim(pair.wrong())
    assert r.symbolic != Outcome.PROVED, r.detail
    assert not r.ok


@pytest.mark.parametrize("pair", PAIRS, ids=[x.id for x in PAIRS])
def test_true_twin_is_proved(pair):
    r = verify_claim(pair.right())
    assert (r.symbolic, r.numeric) == (Outcome.PROVED, "agrees"), (r.detail, r.numeric_detail)


def test_estimators_match_the_trainers_formulas():
    """The values at a point, against the trainers' code paths written with floats: verl's
    low_var_kl = clamp(exp(clamp(ref - logp)) - clamp(ref - logp) - 1, -10, 10)."""
    import math
    logp, ref_lp = math.log(0.01), math.log(0.5)
    u = max(-20, min(20, ref_lp - logp))
    verl = max(-10, min(10, math.exp(u) - u - 1))
    assert float(LOW_VAR_KL.value(Rational(1, 100), half)) == pytest.approx(verl)
    assert float(K3.value(Rational(1, 100), half)) == pytest.approx(math.exp(ref_lp - logp)
                                                                   - (ref_lp - logp) - 1)
    assert float(K1.value(Rational(1, 100), half)) == pytest.approx(logp - ref_lp)
    assert float(K2.value(Rational(1, 100), half)) == pytest.approx((logp - ref_lp) ** 2 / 2)
    assert clamp(sp.Integer(25), -20, 20) == 20


def test_antiderivative_refuses_a_plus_estimator():
    with pytest.raises(ValueError, match="estimator"):
        antiderivative(plus(K3), tt, rr)


def test_kept_group_average_checks_lengths():
    with pytest.raises(ValueError, match="probabilities"):
        kept_group_average(2, (1, 2, 3), (half, half))


def test_kept_group_average_drops_only_pure_groups():
    """G = 2, K = 2: the kept groups are (a, b) and (b, a), probability 2 p (1 - p)."""
    x = sp.Symbol("x")
    assert sp.expand(kept_group_average(2, (1, 1), (x, 1 - x)) - 2 * x * (1 - x)) == 0
    assert sp.expand(kept_group_average(3, (1, 1), (x, 1 - x))
                     - (1 - x ** 3 - (1 - x) ** 3)) == 0


def test_penalised_divergence_names_what_x4_proves():
    """The names ``penalised_divergence`` returns agree with the functions whose gradients the
    claims of x4 prove: the gradient of the proved D minus that of the named KL is constant in
    pi_theta (a constant on the simplex moves nothing)."""
    from grpo_sym.derivations.x4_kl_estimators import DIVERGENCES
    from grpo_sym.grpo.estimators import DIRECT, REVERSE, penalised_divergence
    named = {DIRECT: kl(t, ref), REVERSE: reverse_kl(t, ref)}
    checked = 0
    for (placement, name), (D, _) in DIVERGENCES.items():
        label = penalised_divergence(name, placement)
        if label not in named:
            continue
        diff = (sp.diff(D, t[o]) - sp.diff(named[label], t[o])).doit()
        diff = sp.simplify(sp.expand_log(diff.subs(sp.KroneckerDelta(o, o), 1), force=True))
        assert not diff.has(t.base), (placement, name, diff)
        checked += 1
    assert checked >= 6
    assert penalised_divergence("k1", "loss").startswith("none")


def test_penalised_divergence_rejects_bad_input():
    from grpo_sym.grpo.estimators import penalised_divergence
    with pytest.raises(ValueError, match="placement"):
        penalised_divergence("k3", "critic")
    with pytest.raises(ValueError, match="ratio"):
        penalised_divergence("k3+", "ratio")


def test_numeric_trainer_model_names_the_same_divergence():
    """Two independent derivations of what each estimator and placement follows -- the
    symbolic table checked against the x4 claims (``penalised_divergence``) and the numeric
    trainer model's gradient coefficients (``numeric.trainers.divergence_penalised``) --
    name the same function for every combination both model."""
    from grpo_sym.grpo.estimators import penalised_divergence
    from grpo_sym.numeric.trainers import TrainerSettings, divergence_penalised

    def head(text: str) -> str:
        """The named function as a sorted set of signed terms ('- KL(..)', '+ E_pi[..]/2')."""
        text = text.split(";")[0].split(" (")[0].split(",")[0]
        text = text.replace("pi_theta", "pi").replace(" where unclamped", "").strip()
        terms = re.findall(r"([+-]?)\s*((?:KL|E_pi)[^+-]*(?:-[^ ][^+-]*)?)", text)
        return " ".join(sorted(f"{sign or '+'} {term.strip()}" for sign, term in terms)) \
            if not text.startswith("none") else text

    placements = {"loss": "loss", "ratio": "loss_ratio", "reward-after-norm": "advantage"}
    compared = 0
    for estimator in ("k1", "k2", "k3", "k1+", "k3+"):
        for placement, numeric_placement in placements.items():
            try:
                symbolic = penalised_divergence(estimator, placement)
            except ValueError:
                continue
            settings = TrainerSettings(beta=0.1, estimator=estimator.rstrip("+"),
                                       straight_through=estimator.endswith("+"),
                                       placement=numeric_placement)
            numeric = divergence_penalised(settings)
            if head(symbolic).startswith("none"):
                assert head(numeric).startswith("none"), (estimator, placement, numeric)
            else:
                assert head(symbolic) == head(numeric), (estimator, placement, symbolic, numeric)
            compared += 1
    assert compared >= 10
