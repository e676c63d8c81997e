"""Numerically stable closed forms and solvers (stationary policies).

==================================================  =====================================
function                                            returns
==================================================  =====================================
``stationary_binary(pi_ref, beta, ...)``            pi_theta(a|q) for the better answer a
``stationary_binary_pair(pi_ref, beta, ...)``       both answers, each to full accuracy
``stationary_binary_finite(pi_ref, beta, G, ...)``  the same for any group size G (solver)
``group_advantage_sum(q, G, ...)``                  g(q) = q P_G(a|q), a Bernstein
                                                    polynomial of sqrt(x (1 - x))
``direct_kl_threshold(pi_ref)``                     beta* above which the large-group
                                                    direct-KL objective has interior
                                                    stationary points
``preset(name)``, ``PRESETS``, ``preset_table()``   trainer settings (TRL, verl, OpenRLHF,
                                                    DeepSeekMath) and their answers
``stationary_policy(pi_ref, rewards, beta, ...)``   any number of outputs, stochastic
                                                    rewards: the policy GRPO reaches
``group_preference(pi_old, rewards, ...)``          P_G(o | pi_old) for every output (exact
                                                    enumeration of groups)
``TrainerSettings(...)``, ``stationary_trainer``    every KL estimator, placement, reward
                                                    scaling and dynamic sampling
``divergence_penalised(settings)``                  what the penalty's gradient follows
``from_config(path_or_mapping)``                    a TRL / verl / OpenRLHF config, read
                                                    into TrainerSettings
==================================================  =====================================
"""
from .binary import BinaryPolicy
from .config import ConfigError, ConfigReading, from_config
from .groups import group_preference
from .policy import stationary_policy
from .presets import PRESETS, PresetRow, TrainerPreset, preset, preset_table
from .stationary import (direct_kl_threshold, group_advantage_sum, stationary_binary,
                         stationary_binary_finite, stationary_binary_pair)
from .trainers import TrainerSettings, divergence_penalised, stationary_trainer

__all__ = ["stationary_binary", "stationary_binary_pair", "BinaryPolicy", "direct_kl_threshold",
           "stationary_binary_finite", "group_advantage_sum", "PRESETS", "TrainerPreset",
           "PresetRow", "preset", "preset_table", "stationary_policy", "group_preference", "TrainerSettings",
           "stationary_trainer", "divergence_penalised", "from_config", "ConfigReading",
           "ConfigError"]
