"""The simulated GRPO update (grpo_sym/simulate.py) lands where the theory says.

The gradient is checked against finite differences of the surrogate objective written out
independently here (clip to [1 - eps, 1 + eps], the four penalty variants); the landing
points against ``stationary_policy``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from grpo_sym.numeric import direct_kl_threshold
from grpo_sym.numeric.groups import group_preference_parts
from grpo_sym.numeric.policy import stationary_policy
from grpo_sym.simulate import (SimulationResult, _gradient, predicted_penalty, simulate,
                               simulate_from_starts)

BINARY = ([0.3, 0.7], [1, 0])
THREE = ([0.2, 0.3, 0.5], [1, {1: 0.5, 0: 0.5}, 0])      # a coin-flip middle output

# (pi_ref, rewards, beta, G, learning_rate)
EXACT_CASES = [
    (*BINARY, 0.5, 2, 1.0),
    (*BINARY, 0.5, 8, 1.0),
    (*BINARY, 0.5, math.inf, 1.0),
    (*THREE, 0.3, 2, 1.0),
    (*THREE, 0.3, 4, 1.0),
    (*THREE, 0.3, math.inf, 1.0),
]


@pytest.mark.parametrize("pi_ref, rewards, beta, G, lr", EXACT_CASES)
def test_exact_expectation_lands_on_the_stationary_policy(pi_ref, rewards, beta, G, lr):
    r = simulate(pi_ref, rewards, beta, group_size=G, learning_rate=lr, iterations=5000,
                 tol=1e-12)
    assert r.predicted == stationary_policy(pi_ref, rewards, beta, group_size=G)
    assert r.distance < 1e-6, r.distance
    # it really moved: the start is far from the answer
    assert max(abs(a - b) for a, b in zip(r.trajectory[0], r.predicted)) > 0.05


@pytest.mark.parametrize("pi_ref, rewards, beta, G, lr", EXACT_CASES[1::2])
def test_clipping_with_small_steps_lands_on_the_same_policy(pi_ref, rewards, beta, G, lr):
    r = simulate(pi_ref, rewards, beta, group_size=G, clip=0.2, inner_steps=4,
                 learning_rate=0.2, iterations=5000, tol=1e-12)
    assert r.distance < 1e-6, r.distance


def test_clipping_with_large_steps_can_stall_at_a_policy_that_is_not_stationary():
    """Documented in simulate.py: with mu = 4 inner steps and learning rate 1, steps leave
    the clip range, the advantage's gradient is cut and the penalty pulls back."""
    stall = simulate(*BINARY, 0.5, group_size=8, clip=0.2, inner_steps=4, learning_rate=1.0,
                     iterations=200, tol=1e-14)
    assert abs(stall.final[0] - 0.61559) < 1e-5 and stall.distance > 0.2
    assert stall.iterations < 200                     # a true fixed point of the update
    # unclipped, the same steps land on the stationary policy
    free = simulate(*BINARY, 0.5, group_size=8, inner_steps=4, learning_rate=0.25,
                    iterations=3000, tol=1e-13)
    assert free.distance < 1e-6


@pytest.mark.parametrize("penalty", ["grpo", "kl"])
@pytest.mark.parametrize("pi_ref, rewards, beta, G", [
    (*BINARY, 0.5, 2),
    (*THREE, 0.5, 4),
    (*BINARY, 2 * direct_kl_threshold(0.3), math.inf),   # an interior solution exists
    (*THREE, 3.0, math.inf),
])
def test_importance_weighted_penalty_lands_on_the_direct_kl_policy(pi_ref, rewards, beta, G,
                                                                   penalty):
    r = simulate(pi_ref, rewards, beta, group_size=G, penalty=penalty, importance_weight=True,
                 learning_rate=1.0, iterations=5000, tol=1e-12)
    kl = stationary_policy(pi_ref, rewards, beta, group_size=G, penalty="kl")
    grpo = stationary_policy(pi_ref, rewards, beta, group_size=G, penalty="grpo")
    assert r.predicted == kl and r.distance < 1e-6, r.distance
    assert max(abs(a - b) for a, b in zip(r.final, grpo)) > 1e-3    # a different answer


def test_two_attractors_and_the_convention_for_which_one_is_predicted():
    """Direct KL, large groups, K = 3: an interior stationary policy and the vertex of the
    best output both attract.  The prediction is where GRPO goes from pi_ref."""
    pi_ref, rewards, beta = [0.44, 0.39, 0.17], [0.53, 0.65, 0.56], 1.327
    kw = dict(group_size=math.inf, penalty="kl", importance_weight=True, learning_rate=0.5)
    r = simulate(pi_ref, rewards, beta, iterations=3000, tol=1e-12, **kw)
    assert r.distance < 1e-6 and min(r.predicted) > 0.05
    near_vertex = simulate(pi_ref, rewards, beta, iterations=3000, init=[0.002, 0.996, 0.002],
                           **kw)
    assert near_vertex.final[1] > 1 - 1e-6


def test_k1_penalty_without_importance_weight_does_not_pull_towards_pi_ref():
    """E_old[log pi_theta/pi_ref] has zero on-policy gradient: with equal rewards nothing
    moves the policy, while the paper's penalty brings it back to pi_ref."""
    pi_ref, init = [0.5, 0.5], [0.9, 0.1]
    r = simulate(pi_ref, [1, 1], 0.5, penalty="kl", init=init, iterations=200)
    assert r.predicted is None and r.distance is None
    assert np.max(np.abs(r.trajectory - init)) < 1e-15
    back = simulate(pi_ref, [1, 1], 0.5, penalty="grpo", init=init, iterations=2000,
                    learning_rate=1.0)
    assert back.distance < 1e-9 and back.predicted == [0.5, 0.5]


def test_predicted_penalty_table():
    assert [predicted_penalty(p, w) for p in ("grpo", "kl") for w in (False, True)] == \
        ["grpo", "kl", None, "kl"]


# -- the analytic gradient -----------------------------------------------------------------

def surrogate(theta, pi_old, pos, neg, ref, beta, penalty, iw, clip):
    """The exact surrogate sum_o pi_old(o) [E[A^+|o] m+(rho) + E[A^-|o] m-(rho)] - beta
    sum_o pi_old(o) w_o D_o, with m+ = min(rho, clip(rho)), m- = max(rho, clip(rho))."""
    pi = np.exp(theta - theta.max())
    pi /= pi.sum()
    rho = pi / pi_old
    if clip is None:
        mp = mm = rho
    else:
        c = np.clip(rho, 1 - clip, 1 + clip)
        mp, mm = np.minimum(rho, c), np.maximum(rho, c)
    adv = np.sum(pi_old * (pos * mp + neg * mm))
    if penalty == "grpo":
        D = ref / pi - np.log(ref / pi) - 1
    else:
        D = np.log(pi / ref)
    w = rho if iw else 1.0
    return adv - beta * np.sum(pi_old * w * D)


@pytest.mark.parametrize("penalty", ["grpo", "kl"])
@pytest.mark.parametrize("iw", [False, True])
@pytest.mark.parametrize("clip", [None, 0.2])
def test_analytic_gradient_matches_finite_differences(penalty, iw, clip):
    pi_ref, rewards = THREE
    ref = np.array(pi_ref)
    pi_old = np.array([0.3, 0.45, 0.25])
    pos, neg = (np.array(x) for x in group_preference_parts(list(pi_old), rewards,
                                                            group_size=4))
    # rho = (1.3, 1.1, 0.65) relative to pi_old: some outputs clipped, some not
    theta = np.log(pi_old * np.array([1.3, 1.1, 0.65]))
    grad = _gradient(theta, pi_old, pi_old * pos, pi_old * neg, pi_old, ref, np.log(ref),
                     0.7, penalty, iw, clip)
    h = 1e-6
    fd = np.array([(surrogate(theta + h * e, pi_old, pos, neg, ref, 0.7, penalty, iw, clip)
                    - surrogate(theta - h * e, pi_old, pos, neg, ref, 0.7, penalty, iw, clip))
                   / (2 * h) for e in np.eye(3)])
    assert np.max(np.abs(grad - fd)) < 1e-8, (grad, fd)
    assert np.max(np.abs(grad)) > 1e-2


# -- sampled groups --------------------------------------------------------------------------

@pytest.mark.parametrize("pi_ref, rewards, beta, G", [
    (*BINARY, 0.5, 4),
    (*THREE, 0.5, 2),
    (*THREE, 0.5, math.inf),
])
def test_sampled_groups_land_within_tolerance(pi_ref, rewards, beta, G):
    """64 groups per iteration, learning rate 0.05: the policy fluctuates around the
    stationary one; the mean over the second half is within 0.005 of it."""
    r = simulate(pi_ref, rewards, beta, group_size=G, groups=64, learning_rate=0.05,
                 iterations=3000, seed=1)
    assert r.tail_distance < 0.005, r.tail_distance
    assert r.distance < 0.02, r.distance


def test_sampled_groups_with_trainer_conventions():
    """Bessel's std and eps = 0.5 (large, so that it matters) in the sampled advantages."""
    kw = dict(group_size=3, std="bessel", eps=0.5)
    r = simulate(*THREE, 0.2, groups=64, learning_rate=0.05, iterations=3000, seed=2, **kw)
    assert r.predicted == stationary_policy(*THREE, 0.2, **kw)
    assert r.tail_distance < 0.005, r.tail_distance
    assert max(abs(a - b) for a, b in zip(r.predicted, stationary_policy(*THREE, 0.2,
                                                                         group_size=3))) > 0.03


def test_sampled_groups_are_deterministic_for_a_seed():
    a = simulate(*THREE, 0.5, group_size=4, groups=8, iterations=50, seed=7, predict=False)
    b = simulate(*THREE, 0.5, group_size=4, groups=8, iterations=50, seed=7, predict=False)
    c = simulate(*THREE, 0.5, group_size=4, groups=8, iterations=50, seed=8, predict=False)
    assert np.array_equal(a.trajectory, b.trajectory)
    assert not np.array_equal(a.trajectory, c.trajectory)


def test_sampled_ties_have_zero_advantage():
    """All rewards equal in every group (one output has all the mass of pi_ref's support):
    nothing to learn, and the float mean of 0.1's must not create advantages."""
    # beta tiny: the penalty's own sampling noise cannot move the policy either
    r = simulate([0.5, 0.5], [0.1, 0.1], 1e-12, group_size=3, groups=16, iterations=20,
                 init=[0.7, 0.3], predict=False)
    assert np.max(np.abs(r.trajectory - [0.7, 0.3])) < 1e-11
    # distinct rewards do move it (so the check above can fail)
    r = simulate([0.5, 0.5], [0.1, 0.2], 1e-12, group_size=3, groups=16, iterations=20,
                 init=[0.7, 0.3], predict=False)
    assert r.final[1] > 0.35


# -- bookkeeping ---------------------------------------------------------------------------

def test_result_fields_and_early_stop():
    r = simulate(*BINARY, 0.5, iterations=1000, tol=1e-10, learning_rate=1.0)
    assert isinstance(r, SimulationResult)
    assert r.trajectory.shape == (r.iterations + 1, 2) and r.iterations < 1000
    assert list(r.trajectory[0]) == [0.3, 0.7] and list(r.trajectory[-1]) == r.final
    assert r.settings["group_size"] == 2 and r.settings["learning_rate"] == 1.0


def test_outputs_outside_the_reference_support_stay_at_zero():
    r = simulate([0.5, 0.0, 0.5], [0, 1, 0.5], 0.3, group_size=4, learning_rate=1.0,
                 iterations=3000, tol=1e-12)
    assert np.all(r.trajectory[:, 1] == 0) and r.distance < 1e-6


def test_trajectories_from_several_starts_meet_at_the_stationary_policy():
    b = simulate_from_starts(*THREE, 0.3, group_size=4, learning_rate=1.0, iterations=4000,
                             tol=1e-12)
    assert len(b.starts) == 5 and b.starts[0] == THREE[0]
    assert b.starts[2] == [0.8, 0.1, 0.1]
    assert b.predicted == stationary_policy(*THREE, 0.3, group_size=4)
    for s, t in zip(b.starts, b.trajectories):
        assert np.allclose(t[0], s) and max(abs(t[-1] - b.predicted)) < 1e-6


@pytest.mark.parametrize("kwargs, name", [
    (dict(beta=-0.1), "beta"),
    (dict(pi_ref=[0.5, 0.6]), "pi_ref"),
    (dict(rewards=[1]), "rewards"),
    (dict(group_size=1), "group_size"),
    (dict(std="sample"), "std"),
    (dict(eps=-1.0), "eps"),
    (dict(penalty="l2"), "penalty"),
    (dict(importance_weight="yes"), "importance_weight"),
    (dict(clip=0), "clip"),
    (dict(learning_rate=-1), "learning_rate"),
    (dict(inner_steps=0), "inner_steps"),
    (dict(iterations=1.5), "iterations"),
    (dict(groups=0), "groups"),
    (dict(seed="a"), "seed"),
    (dict(init=[1.0, 0.0]), "init"),
    (dict(init=[0.2, 0.3, 0.5]), "init"),
    (dict(tol=-1), "tol"),
])
def test_bad_input_names_the_parameter(kwargs, name):
    args = dict(pi_ref=[0.5, 0.5], rewards=[1, 0], beta=0.5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        simulate(args.pop("pi_ref"), args.pop("rewards"), args.pop("beta"), **args)


def test_beta_0_is_no_penalty_and_predicts_the_vertex_where_rewards_fix_it():
    """No penalty: the update drives the mass to the best output(s)."""
    r = simulate([0.2, 0.3, 0.5], [1, 0.5, 0], 0, group_size=4, learning_rate=2.0,
                 iterations=3000)
    assert r.predicted == [1.0, 0.0, 0.0] and r.distance < 1e-2
    # tied best outputs: the face is reached, but where on it depends on the update
    # (plain softmax gradient here; stationary_policy's beta -> 0 limit keeps pi_ref's ratio)
    r = simulate([0.2, 0.3, 0.5], [1, 1, 0], 0, group_size=4, learning_rate=2.0,
                 iterations=3000)
    assert r.predicted is None and r.final[2] < 1e-2
    # stochastic rewards, G = 4: not fixed by the rewards -- the simulation still runs
    r = simulate([0.5, 0.5], [{1: 0.5, 0: 0.5}, 0.5], 0, group_size=4, iterations=5)
    assert r.predicted is None and r.distance is None


# -- trainers' settings: every estimator, placement, scaling and dynamic sampling ----------

from grpo_sym.numeric.trainers import TrainerSettings, stationary_trainer  # noqa: E402
from grpo_sym.simulate import simulate_trainer  # noqa: E402

_T = dict(group_size=8, std="bessel", eps=1e-4)


@pytest.mark.parametrize("kw,f", [
    (dict(beta=1.0, estimator="k3"), 0.3),                               # reverse KL
    (dict(beta=1.0, estimator="k2"), 0.3),                               # direct KL
    (dict(beta=1.0, estimator="k3", placement="loss_ratio"), 0.3),       # TRL bias correction
    (dict(beta=1.0, estimator="k1", placement="advantage"), 0.3),        # OpenRLHF, no clamp
    (dict(beta=1.0, estimator="k2", placement="loss_ratio"), 0.1),       # E[k2]
    (dict(beta=1.0, estimator="k1", placement="reward", scaling="none"), 0.3),
    (dict(beta=1.0, estimator="k3", dynamic_sampling=True), 0.3),
    (dict(beta=1.0, estimator="k2", dynamic_sampling=True, group_size=4), 0.6),
    (dict(beta=1.0, estimator="k3", scaling="none"), 0.3),               # Dr. GRPO
    (dict(beta=1.0, estimator="k3", scaling="batch"), 0.3),              # TRL "batch"
    (dict(beta=1.0, estimator="k1", straight_through=True, placement="loss_ratio"), 0.3),
])
def test_trainer_update_lands_on_the_predicted_stationary_policy(kw, f):
    s = TrainerSettings(**{**_T, **kw})
    r = simulate_trainer(f, s, learning_rate=1.0, iterations=6000, tol=1e-15)
    assert 0 < r.predicted[0] < 1 and r.distance < 1e-12


def test_trainer_update_with_the_reward_placement_and_the_group_std_chatters_around_it():
    # the std makes the advantage sign(Delta) x (that of rewards 1, 0): steps do not shrink
    # near Delta = 0, so the iterates oscillate around the prediction; their mean lands on it
    s = TrainerSettings(beta=1.0, estimator="k1", placement="reward", **_T)
    r = simulate_trainer(0.3, s, learning_rate=0.01, iterations=4000)
    assert r.tail_distance < 1e-5 and abs(math.log(r.predicted[0] / r.predicted[1])
                                          - math.log(0.3 / 0.7) - 1) < 1e-12


def test_verl_clamp_frees_the_worse_answer_in_the_simulated_update():
    s = TrainerSettings(beta=0.05, group_size=5, std="bessel", eps=1e-6, log_ratio_clamp=20,
                        value_clamp=10)
    plain = stationary_trainer(0.5, TrainerSettings(beta=0.05, group_size=5, std="bessel",
                                                    eps=1e-6))
    assert 0.5 / plain.b > 13.7 and stationary_trainer(0.5, s) == (1.0, 0.0)
    r = simulate_trainer(0.5, s, learning_rate=1.0, iterations=3000)
    # past the unclamped stationary point and still climbing
    assert r.final[1] < plain.b / 50 and np.all(np.diff(r.trajectory[:, 0]) > 0)
    unclamped = simulate_trainer(0.5, TrainerSettings(beta=0.05, group_size=5, std="bessel",
                                                      eps=1e-6), learning_rate=1.0,
                                 iterations=3000, tol=1e-15)
    assert unclamped.distance < 1e-12


def test_trainer_sampled_groups_fluctuate_around_the_prediction_and_repeat_for_a_seed():
    s = TrainerSettings(beta=1.0, estimator="k3", dynamic_sampling=True, **_T)
    r = simulate_trainer(0.3, s, learning_rate=0.2, iterations=2000, groups=64, seed=3)
    assert r.tail_distance < 0.01 and r.distance < 0.05
    again = simulate_trainer(0.3, s, learning_rate=0.2, iterations=2000, groups=64, seed=3)
    assert np.array_equal(r.trajectory, again.trajectory)
    other = simulate_trainer(0.3, s, learning_rate=0.2, iterations=2000, groups=64, seed=4)
    assert not np.array_equal(r.trajectory, other.trajectory)


def test_a_wrong_reduction_would_be_caught():
    # the simulator does not use the drift F: a prediction with the placement changed
    # (k3 x ratio = direct KL vs k3 = reverse KL) is far from where the update lands
    s = TrainerSettings(beta=1.0, estimator="k3", placement="loss_ratio", **_T)
    r = simulate_trainer(0.3, s, learning_rate=1.0, iterations=6000, tol=1e-15)
    wrong = stationary_trainer(0.3, TrainerSettings(beta=1.0, estimator="k3", **_T))
    assert abs(r.final[0] - wrong.a) > 0.01


@pytest.mark.parametrize("kwargs,name", [
    (dict(pi_ref=0.0), "pi_ref"), (dict(pi_ref=0.3, learning_rate=0), "learning_rate"),
    (dict(pi_ref=0.3, groups=0), "groups"), (dict(pi_ref=0.3, init=1.0), "init"),
    (dict(pi_ref=0.3, settings="trl"), "settings"),
])
def test_simulate_trainer_bad_input_names_the_parameter(kwargs, name):
    kwargs.setdefault("settings", TrainerSettings(beta=0.1))
    with pytest.raises(ValueError) as err:
        simulate_trainer(kwargs.pop("pi_ref"), kwargs.pop("settings"), **kwargs)
    assert str(err.value).startswith(name)


def _all_trainer_combinations():
    import itertools
    from grpo_sym.numeric.trainers import ESTIMATORS, PLACEMENTS, SCALINGS
    return list(itertools.product(ESTIMATORS, (False, True), PLACEMENTS, SCALINGS, (False, True)))


@pytest.mark.parametrize("est,st,place,scaling,ds", _all_trainer_combinations())
def test_every_trainer_combination_is_cross_checked_by_simulation(est, st, place, scaling, ds):
    """Each estimator x straight-through x placement x scaling x dynamic sampling: the exact
    expected update lands on stationary_trainer (interior answers to 1e-9; the group std with
    the reward placement chatters, so its tail mean to 1e-5), or heads for its limit."""
    s = TrainerSettings(beta=1.0, group_size=4, estimator=est, straight_through=st,
                        placement=place, scaling=scaling, std="bessel", eps=1e-4,
                        dynamic_sampling=ds)
    chatter = place == "reward" and scaling == "group"
    r = simulate_trainer(0.3, s, learning_rate=0.01 if chatter else 1.0,
                         iterations=4000 if chatter else 3000, tol=None if chatter else 1e-14)
    a = r.predicted[0]
    if 0 < a < 1:
        assert (r.tail_distance < 1e-5) if chatter else (r.distance < 1e-9)
    else:
        assert abs(r.final[0] - a) < 0.05


@pytest.mark.parametrize("name", ["trl-0.04", "trl-0.04-bias-correction", "trl-0.04-batch",
                                  "trl-0.04-dr-grpo", "verl", "openrlhf", "dapo",
                                  "deepseekmath"])
def test_every_preset_is_cross_checked_by_simulation(name):
    """The README table: interior answers are landed on; answers of 1 (beta = 0, clamps that
    switch the penalty off, a direct KL whose root is within 1e-25 of 1) are climbed to."""
    from grpo_sym.numeric.presets import PRESETS
    p = PRESETS[name]
    r = simulate_trainer(0.5, p.settings, learning_rate=2.0, iterations=3000, tol=1e-15)
    if r.predicted[0] < 0.99999:
        assert r.distance < 1e-9
    else:
        assert r.final[1] < 2e-3 and np.all(np.diff(r.trajectory[:, 0]) >= 0)
