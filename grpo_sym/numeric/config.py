"""A trainer's own configuration, read into :class:`.trainers.TrainerSettings`.

Three formats, recognised from their keys:

* TRL: a ``GRPOConfig`` as a JSON or YAML mapping with TRL's key names (flat), read with
  the defaults of ``trl/trainer/grpo_config.py`` (1.10.0.dev0, commit f2cd577 of
  2026-07-24): ``beta`` 0.0, ``num_generations`` 8, ``scale_rewards`` "group"
  (True/False are "group"/"none"), ``use_bias_correction_kl`` False; the penalty is k3,
  unclamped, in the loss (times the ratio with ``use_bias_correction_kl``); advantages
  (r - mean)/(std + 1e-4) with the Bessel std (``nanstd``; grpo_trainer.py).
* verl: a trainer YAML (or JSON) fragment with top-level ``algorithm`` and/or
  ``actor_rollout_ref`` (verl 0.8.0.dev, commit b178a3c of 2026-01-29; defaults from
  verl/trainer/config/ppo_trainer.yaml, actor/actor.yaml, rollout/rollout.yaml):
  ``actor.use_kl_loss`` False, ``kl_loss_coef`` 0.001, ``kl_loss_type`` low_var_kl;
  ``algorithm.use_kl_in_reward`` False, ``kl_penalty`` kl, ``kl_ctrl.kl_coef`` 0.001,
  ``norm_adv_by_std_in_grpo`` True, ``rollout.n`` 1, ``adv_estimator`` gae.  core_algos.py:
  k3 and low_var_kl are the same clamped estimator (log-ratio to [-20, 20], value to
  [-10, 10]); the KL loss is not importance-weighted; the in-reward KL enters the scores
  before ``compute_grpo_outcome_advantage`` divides by (torch.std + 1e-6).
* OpenRLHF: a text file of ``train_ppo_ray`` command-line flags (a shell script works:
  tokens before the first ``--`` flag are skipped), in the dotted names of 0.11
  (``--algo.kl.init_coef``, ``--algo.kl.estimator``, ``--algo.kl.use_loss``,
  ``--algo.advantage.estimator``, ``--rollout.n_samples_per_prompt``,
  ``--algo.dynamic_filtering_enable``; commit 3c3be62 of 2026-08-13) or the flat names
  before them (``--init_kl_coef``, ``--kl_estimator``, ``--use_kl_loss``,
  ``--advantage_estimator``, ``--n_samples_per_prompt``, ``--dynamic_filtering``).
  Defaults: init_coef 0.01, estimator k1, KL in the reward unless use_loss, every
  estimator's value clamped to [-10, 10] (models/utils.py ``compute_approx_kl``);
  experience_maker.py adds the KL to the reward *after* ``group_norm``'s
  (r - mean)/(r.std() + 1e-9) (``dr_grpo``: r - mean), so it is the ``"advantage"``
  placement, not the ``"reward"`` one.

Every key is mapped to the model, ignored with a reason (it does not move the stationary
point of a one-token binary question), or refused: an unknown key or an unsupported value
raises :class:`ConfigError` whose message starts with the key.

=========================================  =================================================
function                                   returns
=========================================  =================================================
``from_config(path_or_mapping)``           a :class:`ConfigReading`: trainer, settings,
                                           keys mapped and keys ignored (with reasons)
``ConfigReading.stationary(pi_ref)``       (pi_theta(a), pi_theta(b))
``ConfigReading.divergence``               what the penalty follows (``divergence_penalised``)
=========================================  =================================================

>>> r = from_config({"beta": 0.04, "num_generations": 8, "learning_rate": 1e-6})
>>> r.trainer, r.settings.beta, r.settings.estimator, r.settings.placement
('trl', 0.04, 'k3', 'loss')
>>> r.ignored[0]
('learning_rate', 'optimiser step size: scales the step, not where the drift is zero')
>>> round(r.stationary(0.2).a, 6)
0.98687
>>> from_config({"beta": 0.04, "use_liger": True})
Traceback (most recent call last):
...
grpo_sym.numeric.config.ConfigError: use_liger: unknown TRL GRPOConfig key (not modelled)
"""
from __future__ import annotations

import json
import math
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .binary import BinaryPolicy
from .trainers import TrainerSettings, divergence_penalised, stationary_trainer

__all__ = ["ConfigError", "ConfigReading", "from_config", "read_config_text"]


class ConfigError(ValueError):
    """An unknown key or an unsupported value; the message starts with the key."""


@dataclass(frozen=True)
class ConfigReading:
    """A trainer configuration read into the model.

    trainer : ``"trl"``, ``"verl"`` or ``"openrlhf"``
    settings : the :class:`.trainers.TrainerSettings`
    mapped : ((key, what it set), ...) in the order read
    ignored : ((key, why it does not move the stationary point), ...)
    """

    trainer: str
    settings: TrainerSettings
    mapped: tuple
    ignored: tuple

    def stationary(self, pi_ref, *, dps: int | None = None) -> BinaryPolicy:
        """(pi_theta(a), pi_theta(b)) for pi_ref(a) (:func:`.trainers.stationary_trainer`)."""
        return stationary_trainer(pi_ref, self.settings, dps=dps)

    @property
    def divergence(self) -> str:
        return divergence_penalised(self.settings)


# -- why keys do not matter -------------------------------------------------------------

_LR = "optimiser step size: scales the step, not where the drift is zero"
_OPT = "optimiser setting: changes the path, not where the expected gradient is zero"
_CLIP = ("clip range: on policy every ratio is 1, inside the range, so the clipped "
         "gradient is the unclipped one")
_AGG = ("loss aggregation: for one-token completions every per-sample term (reward and "
        "penalty) is scaled by the same constant")
_ITER = "updates per batch: at a stationary policy the first update is zero, so are the rest"
_BATCH = "batch size: averages more samples of the same expected gradient"
_GEN = "generation setting: the policy is the one sampled; one token is never truncated"
_RUN = "run bookkeeping (logging, saving, devices, data): no effect on the update"
_MODEL = "model / engine setting: no effect on the expected update of a tabular policy"
_SEED = "random seed: the expected update does not depend on it"


def _error(key: str, text: str) -> ConfigError:
    return ConfigError(f"{key}: {text}")


def _number(key, value, *, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _error(key, f"must be a number, got {value!r}")
    try:
        x = int(value) if integer and not isinstance(value, float) else float(value)
    except ValueError:
        raise _error(key, f"must be a number, got {value!r}") from None
    if integer and (isinstance(value, float) or x != float(value)):
        raise _error(key, f"must be an integer, got {value!r}")
    if not math.isfinite(x):
        raise _error(key, f"must be finite, got {value!r}")
    return x


def _boolean(key, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _error(key, f"must be true or false, got {value!r}")


def _group(key, value) -> int:
    n = _number(key, value, integer=True)
    if n < 2:
        raise _error(key, f"GRPO needs groups of at least 2 completions, got {value!r}")
    return int(n)


def _settings(fields: dict, key_of: dict) -> TrainerSettings:
    """TrainerSettings(**fields), a ValueError renamed to the config key behind the field."""
    try:
        return TrainerSettings(**fields)
    except ValueError as exc:
        field = str(exc).split(" ", 1)[0]
        raise _error(key_of.get(field, field), str(exc)) from None


# -- TRL ----------------------------------------------------------------------------------

_TRL_IGNORED = {
    "learning_rate": _LR, "lr_scheduler_type": _OPT, "warmup_ratio": _OPT,
    "warmup_steps": _OPT, "weight_decay": _OPT, "adam_beta1": _OPT, "adam_beta2": _OPT,
    "adam_epsilon": _OPT, "max_grad_norm": _OPT, "optim": _OPT,
    "epsilon": _CLIP, "epsilon_high": _CLIP, "delta": _CLIP,
    "num_iterations": _ITER, "steps_per_generation": _ITER,
    "per_device_train_batch_size": _BATCH, "gradient_accumulation_steps": _BATCH,
    "generation_batch_size": _BATCH, "num_train_epochs": _BATCH, "max_steps": _BATCH,
    "importance_sampling_level": "token vs sequence ratio: the same for one token",
    "mask_truncated_completions": _GEN, "max_completion_length": _GEN,
    "max_prompt_length": _GEN, "temperature": _GEN, "top_p": _GEN, "top_k": _GEN,
    "min_p": _GEN, "repetition_penalty": _GEN, "generation_kwargs": _GEN,
    "use_vllm": _MODEL, "vllm_mode": _MODEL, "vllm_gpu_memory_utilization": _MODEL,
    "vllm_importance_sampling_correction": "on policy the sampler's and the trainer's "
                                           "log-probabilities agree: the weight is 1",
    "gradient_checkpointing": _MODEL, "bf16": _MODEL, "fp16": _MODEL,
    "model_init_kwargs": _MODEL, "use_liger_loss": _MODEL,
    "output_dir": _RUN, "logging_steps": _RUN, "save_steps": _RUN, "save_strategy": _RUN,
    "report_to": _RUN, "run_name": _RUN, "log_completions": _RUN, "push_to_hub": _RUN,
    "num_completions_to_print": _RUN, "seed": _SEED,
    "reward_weights": "one reward function: its weight scales the reward and the advantage "
                      "is scale-free (group/batch std) or the weight rescales beta",
    "off_policy_mask_threshold": "masks sequences by KL(pi_old || pi_theta), 0 on policy",
}
_TRL_LOSS_TYPES = ("grpo", "dapo", "dr_grpo", "bnpo", "cispo", "sapo")


def _from_trl(cfg: Mapping) -> ConfigReading:
    fields = dict(beta=0.0, group_size=8, estimator="k3", placement="loss", scaling="group",
                  std="bessel", eps=1e-4)
    key_of = {"beta": "beta", "group_size": "num_generations", "scaling": "scale_rewards"}
    mapped, ignored = [], []
    for key, value in cfg.items():
        if key == "beta":
            fields["beta"] = _number(key, value)
            if fields["beta"] < 0:
                raise _error(key, f"must be >= 0, got {value!r}")
            mapped.append((key, f"beta = {value}"))
        elif key == "num_generations":
            fields["group_size"] = _group(key, value)
            mapped.append((key, f"G = {value}"))
        elif key == "scale_rewards":
            scale = {True: "group", False: "none"}.get(value, value)
            if scale not in ("group", "batch", "none"):
                raise _error(key, f"must be 'group', 'batch', 'none', true or false, got "
                                  f"{value!r}")
            fields["scaling"] = scale
            mapped.append((key, f"scaling = {scale}"))
        elif key == "use_bias_correction_kl":
            if _boolean(key, value):
                fields["placement"] = "loss_ratio"
            mapped.append((key, f"placement = {fields['placement']}"))
        elif key == "loss_type":
            if value not in _TRL_LOSS_TYPES:
                raise _error(key, f"{value!r} is not modelled (supported: "
                                  f"{', '.join(_TRL_LOSS_TYPES)})")
            ignored.append((key, _AGG + (" (cispo/sapo: weight 1, slope 1 at ratio 1)"
                                         if value in ("cispo", "sapo") else "")))
        elif key in ("entropy_coef", "top_entropy_quantile"):
            neutral = 0.0 if key == "entropy_coef" else 1.0
            if _number(key, value) != neutral:
                raise _error(key, f"only {neutral:g} is modelled (an entropy term moves the "
                                  f"stationary point), got {value!r}")
            ignored.append((key, f"{neutral:g}: no entropy term"))
        elif key == "sync_ref_model":
            if _boolean(key, value):
                raise _error(key, "a moving reference policy is not modelled")
            ignored.append((key, "false: pi_ref stays fixed"))
        elif key == "multi_objective_aggregation":
            if value != "sum_then_normalize":
                raise _error(key, f"only 'sum_then_normalize' is modelled, got {value!r}")
            ignored.append((key, "one reward: summing first is the reward itself"))
        elif key in _TRL_IGNORED:
            ignored.append((key, _TRL_IGNORED[key]))
        else:
            raise _error(key, "unknown TRL GRPOConfig key (not modelled)")
    return ConfigReading("trl", _settings(fields, key_of), tuple(mapped), tuple(ignored))


# -- verl ---------------------------------------------------------------------------------

# verl's kl_loss_type / kl_penalty names: (estimator, straight_through, clamped)
_VERL_ESTIMATORS = {"kl": ("k1", False), "k1": ("k1", False), "mse": ("k2", False),
                    "k2": ("k2", False), "low_var_kl": ("k3", False), "k3": ("k3", False),
                    "k1+": ("k1", True), "kl+": ("k1", True), "k3+": ("k3", True),
                    "low_var_kl+": ("k3", True)}

_VERL_IGNORED_TREES = {
    "data": _RUN, "trainer": _RUN, "critic": "no critic in GRPO", "reward_model": _RUN,
    "custom_reward_function": _RUN, "ray_init": _RUN, "ray_kwargs": _RUN,
    "actor_rollout_ref.model": _MODEL, "actor_rollout_ref.ref": _MODEL,
    "actor_rollout_ref.hybrid_engine": _MODEL, "actor_rollout_ref.actor.optim": _OPT,
    "actor_rollout_ref.actor.fsdp_config": _MODEL, "actor_rollout_ref.actor.checkpoint": _RUN,
    "actor_rollout_ref.actor.megatron": _MODEL, "actor_rollout_ref.nccl_timeout": _MODEL,
}
_VERL_IGNORED = {
    "actor_rollout_ref.actor.clip_ratio": _CLIP, "actor_rollout_ref.actor.clip_ratio_low": _CLIP,
    "actor_rollout_ref.actor.clip_ratio_high": _CLIP, "actor_rollout_ref.actor.clip_ratio_c": _CLIP,
    "actor_rollout_ref.actor.loss_agg_mode": _AGG, "actor_rollout_ref.actor.loss_scale_factor": _AGG,
    "actor_rollout_ref.actor.ppo_epochs": _ITER, "actor_rollout_ref.actor.shuffle": _ITER,
    "actor_rollout_ref.actor.ppo_mini_batch_size": _BATCH,
    "actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu": _BATCH,
    "actor_rollout_ref.actor.ppo_micro_batch_size": _BATCH,
    "actor_rollout_ref.actor.use_dynamic_bsz": _BATCH,
    "actor_rollout_ref.actor.ppo_max_token_len_per_gpu": _BATCH,
    "actor_rollout_ref.actor.grad_clip": _OPT, "actor_rollout_ref.actor.strategy": _MODEL,
    "actor_rollout_ref.actor.use_torch_compile": _MODEL,
    "actor_rollout_ref.actor.ulysses_sequence_parallel_size": _MODEL,
    "actor_rollout_ref.actor.use_remove_padding": _MODEL,
    "actor_rollout_ref.actor.use_fused_kernels": _MODEL,
    "algorithm.gamma": "discount: one token, nothing to discount",
    "algorithm.lam": "GAE lambda: GRPO does not use GAE",
    "algorithm._target_": _RUN, "algorithm.kl_ctrl._target_": _RUN,
    "algorithm.kl_ctrl.horizon": "adaptive controller only (type fixed)",
    "algorithm.kl_ctrl.target_kl": "adaptive controller only (type fixed)",
    "algorithm.filter_groups.metric": "acc / score / seq_reward: all equal exactly when the "
                                      "0/1 rewards are",
    "algorithm.filter_groups.max_num_gen_batches": "refill budget: the kept groups are the same",
    "algorithm.filter_groups._target_": _RUN,
}


def _flatten(cfg: Mapping, prefix: str = "") -> list:
    out = []
    for key, value in cfg.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out += _flatten(value, path + ".")
        else:
            out.append((path, value))
    return out


def _from_verl(cfg: Mapping) -> ConfigReading:
    A, ALG = "actor_rollout_ref.actor.", "algorithm."
    seen = {"use_kl_loss": False, "kl_loss_coef": 0.001, "kl_loss_type": "low_var_kl",
            "use_kl_in_reward": False, "kl_penalty": "kl", "kl_coef": 0.001, "norm": True,
            "n": 1, "adv": "gae", "filter": False}
    mapped, ignored = [], []
    names = {A + "use_kl_loss": "use_kl_loss", A + "kl_loss_coef": "kl_loss_coef",
             A + "kl_loss_type": "kl_loss_type", ALG + "use_kl_in_reward": "use_kl_in_reward",
             ALG + "kl_penalty": "kl_penalty", ALG + "kl_ctrl.kl_coef": "kl_coef",
             ALG + "norm_adv_by_std_in_grpo": "norm", "actor_rollout_ref.rollout.n": "n",
             ALG + "adv_estimator": "adv", ALG + "filter_groups.enable": "filter"}
    for key, value in _flatten(cfg):
        if key in names:
            slot = names[key]
            if slot in ("use_kl_loss", "use_kl_in_reward", "norm", "filter"):
                value = _boolean(key, value)
            elif slot in ("kl_loss_coef", "kl_coef"):
                value = _number(key, value)
                if value < 0:
                    raise _error(key, f"must be >= 0, got {value!r}")
            elif slot == "n":
                value = _group(key, value)
            elif slot in ("kl_loss_type", "kl_penalty") and value not in _VERL_ESTIMATORS:
                raise _error(key, f"{value!r} is not modelled (supported: "
                                  f"{', '.join(_VERL_ESTIMATORS)})")
            elif slot == "adv" and value not in ("grpo", "grpo_vectorized"):
                raise _error(key, f"only grpo is modelled, got {value!r}")
            seen[slot] = value
            caveat = ""
            if slot in ("kl_loss_type", "kl_penalty") and value.endswith("+"):
                # docs/algo/grpo.md documents the "+" names, but core_algos.py at b178a3c
                # passes them unchanged to kl_penalty_forward, which raises for them
                caveat = (" (straight-through k2 gradient as documented; the stored "
                          "kl_penalty_forward raises NotImplementedError for this name)")
            mapped.append((key, f"{slot} = {value}{caveat}"))
        elif key == ALG + "kl_ctrl.type":
            if value != "fixed":
                raise _error(key, f"only the fixed controller is modelled, got {value!r}")
            ignored.append((key, "fixed: beta is constant"))
        elif key == A + "entropy_coeff":
            if _number(key, value) != 0:
                raise _error(key, f"only 0 is modelled (an entropy term moves the stationary "
                                  f"point), got {value!r}")
            ignored.append((key, "0: no entropy term"))
        elif key in (ALG + "use_pf_ppo", A + "policy_loss.loss_mode"):
            if value not in (False, "vanilla"):
                raise _error(key, f"{value!r} is not modelled")
            ignored.append((key, "the vanilla PPO/GRPO surrogate"))
        elif key in _VERL_IGNORED:
            ignored.append((key, _VERL_IGNORED[key]))
        elif key.startswith("actor_rollout_ref.rollout."):
            ignored.append((key, _GEN))
        else:
            tree = next((t for t in _VERL_IGNORED_TREES if key.startswith(t + ".")), None)
            if tree is None:
                raise _error(key, "unknown verl config key (not modelled)")
            ignored.append((key, _VERL_IGNORED_TREES[tree]))
    if seen["adv"] not in ("grpo", "grpo_vectorized"):
        raise _error(ALG + "adv_estimator", "verl's default 'gae' is not GRPO: set it to grpo")
    if seen["use_kl_loss"] and seen["use_kl_in_reward"]:
        raise _error(ALG + "use_kl_in_reward", "a KL loss and a KL reward together are not "
                                                "modelled")
    fields = dict(group_size=seen["n"], scaling="group" if seen["norm"] else "none",
                  std="bessel", eps=1e-6, dynamic_sampling=seen["filter"], beta=0.0)
    key_of = {"group_size": "actor_rollout_ref.rollout.n"}
    name = None
    if seen["use_kl_loss"]:
        fields.update(beta=seen["kl_loss_coef"], placement="loss")
        name, key_of["beta"] = seen["kl_loss_type"], A + "kl_loss_coef"
    elif seen["use_kl_in_reward"]:
        fields.update(beta=seen["kl_coef"], placement="reward")
        name, key_of["beta"] = seen["kl_penalty"], ALG + "kl_ctrl.kl_coef"
    if name is not None:
        est, st = _VERL_ESTIMATORS[name]
        fields.update(estimator=est, straight_through=st)
        if est == "k3":
            fields.update(log_ratio_clamp=20, value_clamp=10)
    return ConfigReading("verl", _settings(fields, key_of), tuple(mapped), tuple(ignored))


# -- OpenRLHF -----------------------------------------------------------------------------

# the flat names before 0.11 -> the dotted names of 0.11 (train_ppo_ray.py at 76351db1)
_ORL_OLD = {"init_kl_coef": "algo.kl.init_coef", "kl_estimator": "algo.kl.estimator",
            "use_kl_loss": "algo.kl.use_loss", "advantage_estimator": "algo.advantage.estimator",
            "n_samples_per_prompt": "rollout.n_samples_per_prompt",
            "no_advantage_std_norm": "algo.advantage.no_std_norm",
            "dynamic_filtering": "algo.dynamic_filtering_enable",
            "dynamic_filtering_reward_range": "algo.dynamic_filtering_range",
            "eps_clip": "actor.eps_clip", "eps_clip_low_high": "actor.eps_clip_low_high",
            "actor_learning_rate": "actor.adam.lr", "kl_target": "algo.kl.target"}
_ORL_FLAGS = ("algo.kl.use_loss", "algo.advantage.no_std_norm", "algo.dynamic_filtering_enable")
_ORL_IGNORED_PREFIXES = {
    "actor.adam.": _OPT, "actor.muon.": _OPT, "actor.lr_": _OPT, "actor.min_lr": _OPT,
    "actor.max_norm": _OPT, "actor.optim": _OPT, "actor.eps_clip": _CLIP,
    "critic.": "no critic in GRPO", "ref.": _MODEL, "vllm.": _MODEL, "ds.": _MODEL,
    "model.": _MODEL, "data.": _RUN, "logger.": _RUN, "ckpt.": _RUN, "eval.": _RUN,
    "train.": _BATCH, "rollout.": _GEN, "reward.": _RUN, "actor.": _MODEL,
}
_ORL_IGNORED = {"actor.policy_loss_type": "ppo: the vanilla surrogate",
                "algo.advantage.gamma": "gamma is set to 1 for group_norm; one token",
                "algo.kl.horizon": "adaptive controller only (no --algo.kl.target)",
                "seed": _SEED, "pretrain": _MODEL, "save_path": _RUN,
                "reward_pretrain": _RUN, "remote_rm_url": _RUN, "prompt_data": _RUN}


def read_config_text(text: str) -> dict:
    """OpenRLHF flags from a text (one command, a shell script, or a list of flags):
    ``{name: value}`` with ``True`` for a bare flag and a list for several values.

    >>> read_config_text("python -m openrlhf.cli.train_ppo_ray --algo.kl.use_loss \\\\\\n"
    ...                  "  --algo.kl.init_coef 1e-3 --rollout.n_samples_per_prompt=8")
    {'algo.kl.use_loss': True, 'algo.kl.init_coef': '1e-3', 'rollout.n_samples_per_prompt': '8'}
    """
    tokens = shlex.split(text.replace("\\\n", " "), comments=True)
    out: dict = {}
    current = None
    for tok in tokens:
        if tok.startswith("--"):
            name, eq, value = tok[2:].partition("=")
            if not name:
                raise ConfigError(f"{tok}: a flag without a name")
            name = _ORL_OLD.get(name, name)
            if name in out:
                raise ConfigError(f"--{name}: given twice")
            out[name] = value if eq else True
            current = None if eq else name
        elif current is not None:
            prev = out[current]
            out[current] = tok if prev is True else (prev if isinstance(prev, list)
                                                     else [prev]) + [tok]
    return out


def _from_openrlhf(flags: Mapping) -> ConfigReading:
    s = {"algo.kl.init_coef": 0.01, "algo.kl.estimator": "k1", "algo.kl.use_loss": False,
         "algo.advantage.estimator": "gae", "rollout.n_samples_per_prompt": 1,
         "algo.dynamic_filtering_enable": False}
    mapped, ignored = [], []
    for name, value in flags.items():
        key = f"--{name}"
        if name in _ORL_FLAGS:
            if value is not True:
                raise _error(key, f"is a flag (no value), got {value!r}")
            if name == "algo.advantage.no_std_norm":
                ignored.append((key, "applies to gae/reinforce/reinforce_baseline only, not "
                                     "to group_norm or dr_grpo"))
                continue
            s[name] = True
        elif name == "algo.kl.init_coef":
            s[name] = _number(key, value)
            if s[name] < 0:
                raise _error(key, f"must be >= 0, got {value!r}")
        elif name == "algo.kl.estimator":
            if value not in ("k1", "k2", "k3"):
                raise _error(key, f"must be k1, k2 or k3, got {value!r}")
            s[name] = value
        elif name == "algo.advantage.estimator":
            if value not in ("group_norm", "dr_grpo"):
                raise _error(key, f"only group_norm and dr_grpo are modelled, got {value!r}")
            s[name] = value
        elif name == "rollout.n_samples_per_prompt":
            s[name] = _group(key, value)
        elif name == "algo.dynamic_filtering_range":
            if not isinstance(value, list) or [float(v) for v in value] != [0.0, 1.0]:
                raise _error(key, f"only 0 1 (drop all-0 and all-1 groups) is modelled, got "
                                  f"{value!r}")
            ignored.append((key, "0 1: the groups of equal 0/1 rewards"))
            continue
        elif name == "algo.kl.target":
            raise _error(key, "the adaptive KL controller is not modelled")
        elif name in _ORL_IGNORED:
            ignored.append((key, _ORL_IGNORED[name]))
            continue
        else:
            prefix = next((p for p in _ORL_IGNORED_PREFIXES if name.startswith(p)), None)
            if prefix is None:
                raise _error(key, "unknown OpenRLHF flag (not modelled)")
            ignored.append((key, _ORL_IGNORED_PREFIXES[prefix]))
            continue
        mapped.append((key, f"{name} = {s[name]}"))
    if s["algo.advantage.estimator"] not in ("group_norm", "dr_grpo"):
        raise _error("--algo.advantage.estimator", "the default 'gae' is not GRPO: use "
                                                   "group_norm or dr_grpo")
    G = s["rollout.n_samples_per_prompt"]
    if G == 1:
        raise _error("--rollout.n_samples_per_prompt", "group_norm needs groups of at least 2 "
                                                       "(the default is 1)")
    norm = s["algo.advantage.estimator"] == "group_norm"
    if norm and G > 101:
        # the normalised reward is clamped to [-10, 10] (reward.clip_range) before the KL is
        # added: a lone success in a group of G gets (G - 1)/sqrt(G) > 10 beyond G = 101
        raise _error("--rollout.n_samples_per_prompt", f"above 101 the reward clip [-10, 10] "
                                                       f"binds, not modelled (got {G})")
    fields = dict(beta=s["algo.kl.init_coef"], group_size=G, estimator=s["algo.kl.estimator"],
                  value_clamp=10, placement="loss" if s["algo.kl.use_loss"] else "advantage",
                  scaling="group" if norm else "none", std="bessel", eps=1e-9,
                  dynamic_sampling=s["algo.dynamic_filtering_enable"])
    key_of = {"beta": "--algo.kl.init_coef", "group_size": "--rollout.n_samples_per_prompt"}
    return ConfigReading("openrlhf", _settings(fields, key_of), tuple(mapped), tuple(ignored))


# -- entry point --------------------------------------------------------------------------

_VERL_TOP = ("actor_rollout_ref", "algorithm")


def from_config(source, *, trainer: str | None = None) -> ConfigReading:
    """Read a trainer configuration (see the module docstring for the formats).

    Options
    -------
    source : a mapping (TRL keys, or verl's nested keys), or the path of a ``.json``,
        ``.yaml``/``.yml`` file (TRL or verl) or of any other text file (OpenRLHF flags)
    trainer : ``"trl"``, ``"verl"`` or ``"openrlhf"`` to skip the recognition

    Raises :class:`ConfigError` (a ValueError) whose message starts with the key.

    >>> from_config({"algorithm": {"adv_estimator": "grpo"},
    ...              "actor_rollout_ref": {"rollout": {"n": 5}}}).settings.group_size
    5
    >>> from_config({"actor_rollout_ref": {"rollout": {"n": 5}}})
    Traceback (most recent call last):
    ...
    grpo_sym.numeric.config.ConfigError: algorithm.adv_estimator: verl's default 'gae' is not GRPO: set it to grpo
    """
    if trainer not in (None, "trl", "verl", "openrlhf"):
        raise ConfigError(f"trainer: must be 'trl', 'verl' or 'openrlhf', got {trainer!r}")
    if isinstance(source, Mapping):
        data = source
    elif isinstance(source, (str, Path)):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{source}: cannot read ({exc.strerror})") from None
        suffix = path.suffix.lower()
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{source}: not JSON ({exc.msg}, line {exc.lineno})") from None
        elif suffix in (".yaml", ".yml"):
            import yaml
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise ConfigError(f"{source}: not YAML ({str(exc).splitlines()[0]})") from None
        else:
            return _from_openrlhf(read_config_text(text))
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: the file must hold a mapping of keys")
    else:
        raise ConfigError(f"source: a mapping or a path, got {type(source).__name__}")
    if trainer == "openrlhf":
        return _from_openrlhf({k.lstrip("-"): v for k, v in data.items()})
    if trainer == "verl" or (trainer is None and any(k in data for k in _VERL_TOP)):
        return _from_verl(data)
    return _from_trl(data)
