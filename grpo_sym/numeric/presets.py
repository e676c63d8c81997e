"""Trainer presets: the GRPO settings of common trainers, and where they drive a binary question.

Each :class:`TrainerPreset` records the settings that decide the stationary policy
of a binary question with rewards 1 (better answer a) and 0 (answer b): the KL
coefficient ``beta`` of the paper's penalty (the k3 estimator
``pi_ref/pi - log(pi_ref/pi) - 1``, D_i in the paper), the group size G, the std
in the advantage (``"bessel"``: torch's ``.std()``, unbiased; ``"population"``:
the paper's), and the ``eps`` added to it.  ``source`` says where each value was
read (repository, file, commit of the stored copy) and what could not be confirmed.

==================  =====  ====  ==========  =====  =====================================
preset              beta   G     std         eps    note
==================  =====  ====  ==========  =====  =====================================
``trl``             0.0    8     bessel      1e-4   TRL GRPOTrainer defaults (no penalty)
``trl-0.04``        0.04   8     bessel      1e-4   TRL's earlier default beta
``verl``            0.001  5     bessel      1e-6   verl GRPO: kl_loss_coef, rollout.n
``openrlhf``        0.01   8     bessel      1e-9   OpenRLHF group_norm
``deepseekmath``    0.04   64    population  0      the DeepSeekMath paper, as written
==================  =====  ====  ==========  =====  =====================================

>>> preset("verl").group_size
5
>>> [row.pi_theta_a for row in preset_table((0.1,)) if row.preset == "trl"]     # beta = 0
[1.0]
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import mpmath

from .binary import BinaryPolicy
from .stationary import stationary_binary_pair

__all__ = ["TrainerPreset", "PRESETS", "preset", "PresetRow", "preset_table"]


@dataclass(frozen=True)
class TrainerPreset:
    """The settings of a trainer that decide the stationary policy of a binary question.

    Options
    -------
    name : the key in :data:`PRESETS`
    beta : KL coefficient of the k3 penalty (0: off)
    group_size : G, completions per prompt
    std : ``"bessel"`` or ``"population"``
    eps : added to the std in the advantage
    source : where the values come from (and what is unconfirmed)

    >>> p = preset("trl-0.04")
    >>> (p.beta, p.group_size, p.std, p.eps)
    (0.04, 8, 'bessel', 0.0001)
    """

    name: str
    beta: float
    group_size: int
    std: str
    eps: float
    source: str

    def stationary(self, pi_ref, *, penalty: str = "grpo", dps: int | None = None) -> BinaryPolicy:
        """(pi_theta(a), pi_theta(b)) under this preset (``stationary_binary_pair``).

        Options
        -------
        pi_ref : pi_ref(a) of the better answer, in [0, 1]
        penalty : ``"grpo"`` (the trainers' k3 estimator, the paper's) or ``"kl"``
        dps : None for floats, or the number of significant digits

        >>> preset("deepseekmath").stationary(0.5)
        BinaryPolicy(a=0.9973689747069959, b=0.0026310252930040667)
        """
        return stationary_binary_pair(pi_ref, self.beta, group_size=self.group_size,
                                      std=self.std, eps=self.eps, penalty=penalty, dps=dps)


_TRL = ("huggingface/trl: trl/trainer/grpo_config.py (stored copy at commit 006d32c) "
        "documents beta 'defaults to 0.0' and num_generations 'defaults to 8'; "
        "trl/trainer/grpo_trainer.py divides by (std_rewards + 1e-4) with the group std "
        "from nanstd, which applies Bessel's correction (count/(count - 1)); older "
        "versions use rewards.view(-1, G).std(dim=1), torch's unbiased std (commit "
        "000bb3d).  scale_rewards='group' is the default.  With beta = 0 the k3 term is "
        "off and the reference model is not loaded.")

PRESETS = MappingProxyType({
    "trl": TrainerPreset(
        "trl", 0.0, 8, "bessel", 1e-4, _TRL),
    "trl-0.04": TrainerPreset(
        "trl-0.04", 0.04, 8, "bessel", 1e-4,
        "TRL before its default became 0.0: grpo_config.py documented 'beta (float, "
        "optional, defaults to 0.04)' (several stored copies of huggingface/trl and its "
        "forks; the paper's footnote 1 cites this value).  The per-token KL is k3, "
        "exp(ref - logp) - (ref - logp) - 1, unclamped.  Other settings as 'trl'.  The "
        "exact release that changed the default was not confirmed here."),
    "verl": TrainerPreset(
        "verl", 0.001, 5, "bessel", 1e-6,
        "volcengine/verl: verl/trainer/config/actor/actor.yaml has kl_loss_coef 0.001 "
        "and kl_loss_type low_var_kl (k3; the GRPO scripts set use_kl_loss=True); "
        "verl/trainer/ppo/core_algos.py compute_grpo_outcome_advantage (commit 012be9d) "
        "divides by (torch.std(scores) + epsilon), epsilon=1e-6, torch.std unbiased "
        "(Bessel).  G: the config default rollout.n is 1 (no group); the GRPO example "
        "examples/grpo_trainer/run_qwen2-7b.sh (and the other GRPO scripts) set "
        "actor_rollout_ref.rollout.n=5.  Caveat: low_var_kl is clamped to [-10, 10]; "
        "once pi_theta(b) < pi_ref(b)/13.6 (k3 > 10) the b samples get no penalty "
        "gradient, which the paper's penalty (used here) does not model."),
    "openrlhf": TrainerPreset(
        "openrlhf", 0.01, 8, "bessel", 1e-9,
        "OpenRLHF/OpenRLHF: openrlhf/cli/train_ppo_ray.py (commit 021d1b0) has "
        "--init_kl_coef default 0.01 and --n_samples_per_prompt default 1, which "
        "group_norm rejects (it asserts > 1); G = 8 from "
        "examples/scripts/train_grpo_ray_hybrid_engine.sh (commit dda5a14), which also "
        "sets --init_kl_coef 1e-3, --use_kl_loss and --kl_estimator k3 (the CLI default "
        "k1 is not the paper's penalty; k3 is assumed here).  group_norm: (r - mean)/"
        "(r.std(-1) + 1e-9), torch's unbiased std (Bessel)."),
    "deepseekmath": TrainerPreset(
        "deepseekmath", 0.04, 64, "population", 0.0,
        "Shao et al. 2024, DeepSeekMath (arXiv:2402.03300), Sec. 4.2: KL coefficient "
        "0.04 and 64 sampled outputs per question; the advantage as the paper writes it "
        "(population std, no eps).  Recalled from the paper's text, not re-read from a "
        "stored copy (the search tools here found none)."),
})


def preset(name: str) -> TrainerPreset:
    """The preset called ``name`` (see :data:`PRESETS`).

    Options
    -------
    name : one of ``"trl"``, ``"trl-0.04"``, ``"verl"``, ``"openrlhf"``, ``"deepseekmath"``

    >>> preset("openrlhf").eps
    1e-09
    >>> preset("sglang")                        # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: name must be one of 'trl', 'trl-0.04', 'verl', ..., got 'sglang'
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


def preset_table(pi_refs=(0.01, 0.1, 0.5, 0.9), *, penalty: str = "grpo",
                 dps: int | None = None) -> list[PresetRow]:
    """pi_theta(a) for every preset and every pi_ref(a): rows (preset, pi_ref, pi_theta(a)),
    presets in the order of :data:`PRESETS`, then pi_ref in the given order.

    Options
    -------
    pi_refs : reference probabilities of the better answer
    penalty : ``"grpo"`` (the trainers' k3 penalty) or ``"kl"``
    dps : None for floats, or the number of significant digits

    >>> for row in preset_table((0.1, 0.9))[2:4]:
    ...     print(row.preset, row.pi_ref, round(row.pi_theta_a, 6))
    trl-0.04 0.1 0.98517
    trl-0.04 0.9 0.998403
    """
    return [PresetRow(name, pi_ref, p.stationary(pi_ref, penalty=penalty, dps=dps).a)
            for name, p in PRESETS.items() for pi_ref in pi_refs]
