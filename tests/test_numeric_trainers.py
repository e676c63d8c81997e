"""grpo_sym.numeric.trainers: every estimator x placement x scaling, and the routes to the
existing solvers cross-checked by the independent scan of the drift F."""
from __future__ import annotations

import itertools
import math

import mpmath
import pytest

from grpo_sym.numeric import stationary_binary_pair
from grpo_sym.numeric import trainers as T
from grpo_sym.numeric.trainers import TrainerSettings, divergence_penalised, stationary_trainer


def scanned(f, s, dps=None):
    return T._scan(f, s, dps)


ROUTED = [
    dict(estimator="k3"),                                   # reverse KL
    dict(estimator="k2"),                                   # direct KL
    dict(estimator="k3", straight_through=True),            # verl k3+: direct KL
    dict(estimator="k1", placement="loss_ratio"),           # direct KL
    dict(estimator="k3", placement="loss_ratio"),           # TRL use_bias_correction_kl
    dict(estimator="k1", placement="advantage"),            # OpenRLHF k1, no clamp
]


@pytest.mark.parametrize("kw", ROUTED)
@pytest.mark.parametrize("G,std,eps,scaling", [(2, "population", 0, "group"),
                                               (8, "bessel", 1e-4, "group"),
                                               (5, "bessel", 1e-6, "none"),
                                               (8, "bessel", 1e-4, "batch")])
def test_routed_solvers_agree_with_the_scan_of_the_drift(kw, G, std, eps, scaling):
    s = TrainerSettings(beta=0.3, group_size=G, std=std, eps=eps, scaling=scaling, **kw)
    for f in (0.1, 0.6):
        routed, scan = stationary_trainer(f, s), scanned(f, s)
        assert routed is not None
        assert abs(routed.a - scan.a) <= 1e-12 and abs(routed.b / scan.b - 1) <= 1e-9


def test_the_routes_are_the_papers_equations():
    # k3 in the loss with the group std is the paper's (11); k2 is the direct KL of Sec. 3
    s = TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4)
    assert stationary_trainer(0.2, s) == stationary_binary_pair(0.2, 0.04, group_size=8,
                                                                std="bessel", eps=1e-4)
    kl = TrainerSettings(beta=2.0, group_size=8, estimator="k2")
    assert stationary_trainer(0.3, kl) == stationary_binary_pair(0.3, 2.0, group_size=8,
                                                                 penalty="kl")
    # no std: p (1 - p) (G - 1)/G = beta (p - f), a quadratic
    s = TrainerSettings(beta=0.2, group_size=5, scaling="none")
    p = stationary_trainer(0.3, s).a
    assert abs(p * (1 - p) * 4 / 5 - 0.2 * (p - 0.3)) < 1e-15
    # the reward placement with k1: beta (logit p - logit f) = 1 for any scaling and G
    s = TrainerSettings(beta=0.25, group_size=16, estimator="k1", placement="reward",
                        std="bessel", eps=1e-6)
    p = stationary_trainer(0.3, s).a
    assert abs(math.log(p / (1 - p)) - math.log(0.3 / 0.7) - 4) < 1e-12


def test_k1_in_the_loss_does_not_pull_back_but_with_dynamic_sampling_it_does():
    s = TrainerSettings(beta=8.0, group_size=4, estimator="k1")
    assert stationary_trainer(0.3, s) == (1.0, 0.0)
    # kept groups over-represent the rarer answer (1/G of the samples as p -> 0), so the
    # k1 term pushes it down: w(a) - w(b) = (1 - p)^3 - p^3; with beta = 8 the better
    # answer is driven to 0 (F(f) < 0 and F -> K - beta < 0 as p -> 0)
    ds = TrainerSettings(beta=8.0, group_size=4, estimator="k1", dynamic_sampling=True)
    assert T.drift(0.3, 0.3, ds) < 0 and stationary_trainer(0.3, ds) == (0.0, 1.0)
    assert stationary_trainer(0.3, TrainerSettings(beta=5.0, group_size=4, estimator="k1",
                                                   dynamic_sampling=True)) == (1.0, 0.0)


def test_verl_clamped_k3_frees_the_worse_answer():
    base = dict(beta=0.001, group_size=5, std="bessel", eps=1e-6)
    plain = stationary_trainer(0.1, TrainerSettings(**base))
    assert plain.a < 1 and (1 - 0.1) / plain.b > 13.6      # k3(b) > 10 at the plain root
    clamped = TrainerSettings(**base, log_ratio_clamp=20, value_clamp=10)
    assert stationary_trainer(0.1, clamped) == (1.0, 0.0)
    # a large beta keeps the root where the clamp does not bind: the plain answer
    big = dict(beta=0.5, group_size=5, std="bessel", eps=1e-6)
    assert stationary_trainer(0.1, TrainerSettings(**big, log_ratio_clamp=20, value_clamp=10)) \
        == stationary_trainer(0.1, TrainerSettings(**big))


@pytest.mark.parametrize("est,st,place", list(itertools.product(
    T.ESTIMATORS, (False, True), T.PLACEMENTS)))
def test_every_combination_has_a_stationary_policy_where_the_drift_changes_sign(est, st, place):
    for scaling, ds in (("group", False), ("none", True)):
        s = TrainerSettings(beta=0.5, group_size=6, estimator=est, straight_through=st,
                            placement=place, scaling=scaling, std="bessel", eps=1e-4,
                            dynamic_sampling=ds)
        res = stationary_trainer(0.3, s)
        assert 0 <= res.a <= 1 and abs(res.a + res.b - 1) < 1e-15
        assert divergence_penalised(s)
        if 0 < res.a < 1:               # an interior answer: F changes sign there
            t = math.log(res.a / res.b)
            lo = T.drift(1 / (1 + math.exp(-(t - 1e-6))), 0.3, s)
            hi = T.drift(1 / (1 + math.exp(-(t + 1e-6))), 0.3, s)
            assert lo * hi <= 0
        else:                           # 1 (or 0): F keeps the sign it has at pi_ref
            F0 = T.drift(0.3, 0.3, s)
            assert (F0 > 0) == (res.a == 1)


def test_divergence_names():
    D = lambda **kw: divergence_penalised(TrainerSettings(beta=0.1, **kw))  # noqa: E731
    assert D(estimator="k1") == "none: the expected gradient is zero on policy"
    assert D(estimator="k2").startswith("KL(pi_theta || pi_ref) (direct KL)")
    assert D(estimator="k3") == "KL(pi_ref || pi_theta) (reverse KL)"
    assert D(estimator="k2", placement="loss_ratio").endswith("(not a KL)")
    assert D(estimator="k1", placement="loss_ratio", straight_through=True) == \
        "2 KL(pi_theta || pi_ref) (a sum of divergences)"
    assert D(estimator="k3", placement="loss_ratio", straight_through=True).startswith(
        "2 KL(pi_theta || pi_ref) - KL(pi_ref || pi_theta)")
    assert D(estimator="k2", placement="advantage").startswith(
        "-KL(pi_theta || pi_ref) + E_pi_theta")


def test_exact_inputs_stay_exact():
    s = TrainerSettings(beta="0.04", group_size=8, scaling="batch", batch_std="0.5")
    a = stationary_trainer("0.2", s, dps=40).a
    with mpmath.workdps(60):     # p (1 - p) = beta (s) (G / (G - 1)) (p - f), from decimals
        c = mpmath.mpf("0.04") * mpmath.mpf("0.5") * 8 / 7
        ref = (1 - c + mpmath.sqrt((1 - c) ** 2 + 4 * c * mpmath.mpf("0.2"))) / 2
    assert abs(a - ref) < mpmath.mpf(10) ** -38
    b = stationary_trainer("0.2", TrainerSettings(beta="0.04", group_size=8,
                                                  dynamic_sampling=True), dps=30).b
    assert isinstance(b, mpmath.mpf)


@pytest.mark.parametrize("kw,name", [(dict(beta=-1), "beta"), (dict(group_size=1), "group_size"),
                                     (dict(estimator="k4"), "estimator"),
                                     (dict(placement="x"), "placement"),
                                     (dict(scaling="std"), "scaling"),
                                     (dict(batch_std=0), "batch_std"),
                                     (dict(value_clamp=-1), "value_clamp"),
                                     (dict(dynamic_sampling=1), "dynamic_sampling")])
def test_bad_settings_name_the_parameter(kw, name):
    with pytest.raises(ValueError) as err:
        TrainerSettings(**kw)
    assert str(err.value).startswith(name)
