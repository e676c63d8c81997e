"""Trainer presets: the GRPO settings of common trainers, read from their current sources,
and where they drive a binary question.

Each :class:`TrainerPreset` holds the :class:`.trainers.TrainerSettings` that decide the
stationary policy of a binary question with rewards 1 (better answer a) and 0 (answer b),
a one-line ``setting`` for tables, and ``source``: repository, file, version, commit and
date of the stored copy each value was read from (and what could not be confirmed).

==============================  =====  ===  ==========================================
preset                          beta   G    penalty, scaling
==============================  =====  ===  ==========================================
``trl``                         0      8    none (TRL's default beta = 0)
``trl-0.04``                    0.04   8    k3 in the loss, group std (Bessel, 1e-4)
``trl-0.04-bias-correction``    0.04   8    k3 x ratio (``use_bias_correction_kl``)
``trl-0.04-batch``              0.04   8    ``scale_rewards="batch"`` (std 1/2)
``trl-0.04-dr-grpo``            0.04   8    ``scale_rewards="none"``, dr_grpo loss
``verl``                        0.001  5    low_var_kl (clamped k3) in the loss
``verl-dr-grpo``                0      5    no std, no KL loss
``openrlhf``                    0.01   8    k1 added after group_norm (clamp 10)
``dapo``                        0      16   dynamic sampling, clip-higher
``deepseekmath``                0.04   64   k3 in the loss, population std
==============================  =====  ===  ==========================================

>>> preset("verl").group_size
5
>>> [row.pi_theta_a for row in preset_table((0.1,)) if row.preset == "trl"]     # beta = 0
[1.0]
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

import mpmath

from .binary import BinaryPolicy
from .trainers import TrainerSettings, divergence_penalised, stationary_trainer

__all__ = ["TrainerPreset", "PRESETS", "preset", "PresetRow", "preset_table"]


@dataclass(frozen=True)
class TrainerPreset:
    """A trainer's settings that decide the stationary policy of a binary question.

    Options
    -------
    name : the key in :data:`PRESETS`
    settings : the :class:`.trainers.TrainerSettings`
    setting : a one-line description for tables
    source : where the values come from (and what is unconfirmed)

    >>> p = preset("trl-0.04")
    >>> (p.beta, p.group_size, p.std, p.eps)
    (0.04, 8, 'bessel', 0.0001)
    """

    name: str
    settings: TrainerSettings
    setting: str
    source: str

    @property
    def beta(self):
        return self.settings.beta

    @property
    def group_size(self):
        return self.settings.group_size

    @property
    def std(self) -> str:
        return self.settings.std

    @property
    def eps(self):
        return self.settings.eps

    @property
    def divergence(self) -> str:
        """What the penalty's expected gradient follows (``divergence_penalised``)."""
        return divergence_penalised(self.settings)

    def stationary(self, pi_ref, *, dps: int | None = None) -> BinaryPolicy:
        """(pi_theta(a), pi_theta(b)) under this preset (``stationary_trainer``).

        Options
        -------
        pi_ref : pi_ref(a) of the better answer, in [0, 1]
        dps : None for floats, or the number of significant digits

        >>> preset("deepseekmath").stationary(0.5)
        BinaryPolicy(a=0.9973689747069959, b=0.0026310252930040667)
        """
        return stationary_trainer(pi_ref, self.settings, dps=dps)


_TRL_AT = ("huggingface/trl 1.10.0.dev0, stored copy at commit f2cd577 (2026-07-24): "
           "trl/trainer/grpo_config.py documents beta 'defaults to 0.0', num_generations "
           "'defaults to 8', scale_rewards 'defaults to \"group\"' (True/False map to "
           "group/none), loss_type 'defaults to \"dapo\"', use_bias_correction_kl 'defaults "
           "to False'; trl/trainer/grpo_trainer.py _compute_loss adds beta * per_token_kl "
           "with per_token_kl = exp(ref - logp) - (ref - logp) - 1 (k3, unclamped), "
           "multiplied by coef_1 = exp(logp - old_logp) (not detached) only when "
           "use_bias_correction_kl; advantages (r - group mean)/(std + 1e-4) with "
           "trl.trainer.utils.nanstd (Bessel: count/(count - 1)).")
_TRL_004 = (" beta = 0.04 was the default until PR #3516 (commit 7359ddc, 2025-05-30, "
            "first released in v0.19.0) made it 0.0; the paper's footnote 1 cites 0.04.")
_VERL_AT = ("volcengine/verl 0.8.0.dev (verl/version/version), stored copy at commit b178a3c "
            "(2026-01-29): verl/trainer/config/actor/actor.yaml use_kl_loss false, "
            "kl_loss_coef 0.001, kl_loss_type low_var_kl; ppo_trainer.yaml "
            "norm_adv_by_std_in_grpo True, use_kl_in_reward False, adv_estimator gae; "
            "rollout/rollout.yaml n 1; verl/trainer/ppo/core_algos.py (last changed 5689fd7, "
            "2026-01-18) kl_penalty_forward: 'low_var_kl' and 'k3' clamp ref - logp to "
            "[-20, 20] and the value to [-10, 10]; compute_grpo_outcome_advantage divides by "
            "(torch.std + epsilon), epsilon 1e-6 (Bessel); dp_actor.py adds "
            "kl_loss * kl_loss_coef with no importance ratio.")
_ORL_AT = ("OpenRLHF/OpenRLHF 0.11.0 (version.txt), stored copy at commit 3c3be62 "
           "(2026-08-13): openrlhf/cli/train_ppo_ray.py --algo.kl.init_coef 0.01, "
           "--algo.kl.estimator k1, --algo.kl.use_loss off, --rollout.n_samples_per_prompt 1 "
           "(group_norm asserts > 1); openrlhf/models/utils.py compute_approx_kl clamps every "
           "estimator to [-10, 10]; openrlhf/trainer/ppo_utils/experience_maker.py: "
           "group_norm is (r - mean)/(r.std() + 1e-9) (torch, Bessel), and compute_reward "
           "adds -kl_coef * kl to the *normalised* reward (so the KL is not divided by the "
           "group std), advantages = returns with gamma 1.")

PRESETS = MappingProxyType({
    "trl": TrainerPreset(
        "trl", TrainerSettings(beta=0.0, group_size=8, std="bessel", eps=1e-4),
        "TRL GRPOConfig defaults (beta 0)", _TRL_AT + " With beta = 0 the KL term is off "
        "and the reference model is not loaded."),
    "trl-0.04": TrainerPreset(
        "trl-0.04", TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4),
        "TRL, beta 0.04: k3 in the loss", _TRL_AT + _TRL_004),
    "trl-0.04-bias-correction": TrainerPreset(
        "trl-0.04-bias-correction",
        TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4,
                        placement="loss_ratio"),
        "TRL, beta 0.04, use_bias_correction_kl", _TRL_AT + " use_bias_correction_kl was "
        "added in commit f7d4985 (2025-12-08, 'DeepSeek unbiased KL estimator'); beta = 0.04 "
        "as in 'trl-0.04' (at the default 0 the flag does nothing)."),
    "trl-0.04-batch": TrainerPreset(
        "trl-0.04-batch",
        TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4, scaling="batch",
                        batch_std=Fraction(1, 2)),
        "TRL, beta 0.04, scale_rewards=\"batch\" (batch std 1/2)", _TRL_AT + " scale_rewards="
        "'batch' (commit fe44806, 2025-08-21) divides (r - group mean) by nanstd over the "
        "whole batch; modelled as a constant std 1/2 (a batch of many questions at accuracy "
        "1/2, the largest std of 0/1 rewards), which this question does not move."),
    "trl-0.04-dr-grpo": TrainerPreset(
        "trl-0.04-dr-grpo",
        TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4, scaling="none"),
        "TRL, beta 0.04, Dr. GRPO (scale_rewards=\"none\", loss_type=\"dr_grpo\")",
        _TRL_AT + " Dr. GRPO in TRL: scale_rewards='none' (no std) and loss_type='dr_grpo' "
        "(a constant normaliser: it does not move the stationary point)."),
    "verl": TrainerPreset(
        "verl", TrainerSettings(beta=0.001, group_size=5, std="bessel", eps=1e-6,
                                log_ratio_clamp=20, value_clamp=10),
        "verl GRPO recipe: low_var_kl in the loss, coef 0.001", _VERL_AT + " The GRPO "
        "example examples/grpo_trainer/run_qwen2-7b.sh (last changed cd1926c, 2026-01-21) "
        "sets adv_estimator=grpo, use_kl_loss=True, kl_loss_coef=0.001, "
        "kl_loss_type=low_var_kl, rollout.n=5, use_kl_in_reward=False."),
    "verl-dr-grpo": TrainerPreset(
        "verl-dr-grpo", TrainerSettings(beta=0.0, group_size=5, std="bessel", eps=1e-6,
                                        scaling="none"),
        "verl Dr. GRPO: no std, no KL loss", _VERL_AT + " docs/algo/grpo.md 'DrGRPO': "
        "loss_agg_mode seq-mean-token-sum-norm, 'use_kl_loss: Please set it to False for "
        "DrGRPO', norm_adv_by_std_in_grpo False; G = 5 as in the GRPO example."),
    "openrlhf": TrainerPreset(
        "openrlhf", TrainerSettings(beta=0.01, group_size=8, std="bessel", eps=1e-9,
                                    estimator="k1", value_clamp=10, placement="advantage"),
        "OpenRLHF group_norm, CLI KL defaults (k1 in the reward)", _ORL_AT + " G = 8 from "
        "examples/scripts/train_dapo_ray_hybrid_engine.sh (--rollout.n_samples_per_prompt 8), "
        "which itself uses --algo.kl.use_loss with k3 and 1e-3; the preset keeps the CLI's "
        "KL defaults."),
    "dapo": TrainerPreset(
        "dapo", TrainerSettings(beta=0.0, group_size=16, std="bessel", eps=1e-6,
                                dynamic_sampling=True),
        "DAPO (verl): no KL, dynamic sampling, clip 0.2/0.28", "volcengine/verl at commit "
        "b178a3c (2026-01-29): docs/algo/dapo.md (clip_ratio_low 0.2, clip_ratio_high 0.28, "
        "filter_groups.enable drops groups whose metric is all equal, loss_agg_mode "
        "token-mean) and verl/experimental/fully_async_policy/shell/dapo_7b_math_fsdp2_8_8.sh "
        "(commit 2bb42ba, 2026-01-06: use_kl_in_reward=False, kl_coef=0.0, "
        "use_kl_loss=False, n_resp_per_prompt=16); std and eps as verl's GRPO."),
    "deepseekmath": TrainerPreset(
        "deepseekmath", TrainerSettings(beta=0.04, group_size=64, std="population", eps=0.0),
        "DeepSeekMath: beta 0.04, G 64", "Shao et al. 2024, DeepSeekMath (arXiv:2402.03300), "
        "Sec. 4.2: KL coefficient 0.04 and 64 sampled outputs per question, one policy update "
        "per exploration stage (on policy); the advantage as the paper writes it (population "
        "std, no eps), the k3 penalty in the loss.  Recalled from the paper's text, not "
        "re-read from a stored copy (the search tools here found none)."),
})


def preset(name: str) -> TrainerPreset:
    """The preset called ``name`` (see :data:`PRESETS`).

    Options
    -------
    name : one of the keys of :data:`PRESETS` (``"trl"``, ``"verl"``, ...)

    >>> preset("openrlhf").eps
    1e-09
    >>> preset("sglang")                        # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: name must be one of 'trl', 'trl-0.04', ..., got 'sglang'
    """
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"name must be one of {', '.join(map(repr, PRESETS))}, "
                         f"got {name!r}") from None


class PresetRow(NamedTuple):
    """One row of :func:`preset_table`."""

    preset: str
    pi_ref: float
    pi_theta_a: float | mpmath.mpf


def preset_table(pi_refs=(0.01, 0.1, 0.5, 0.9), *, dps: int | None = None) -> list[PresetRow]:
    """pi_theta(a) for every preset and every pi_ref(a): rows (preset, pi_ref, pi_theta(a)),
    presets in the order of :data:`PRESETS`, then pi_ref in the given order.

    Options
    -------
    pi_refs : reference probabilities of the better answer
    dps : None for floats, or the number of significant digits

    >>> for row in preset_table((0.1, 0.9))[2:4]:
    ...     print(row.preset, row.pi_ref, round(row.pi_theta_a, 6))
    trl-0.04 0.1 0.98517
    trl-0.04 0.9 0.998403
    """
    return [PresetRow(name, pi_ref, p.stationary(pi_ref, dps=dps).a)
            for name, p in PRESETS.items() for pi_ref in pi_refs]
