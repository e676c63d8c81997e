"""The paper, claim by claim.  Installed as ``grpo_sym.derivations``.

Modules are imported in paper order; each declares its claims into the global
registry when imported.  ``load()`` imports them all and returns the registry.

=====================================  ==========================================
module                                 paper
=====================================  ==========================================
``s1_advantage``                       Sec. 1, the advantage (2), its pairwise
                                       form, invariance; groups of two
``s1_1_rlhf``                          Sec. 1.1, RLHF: (4) maximises (3)
``s2_1_reward_preference``             Sec. 2.1, P_G, (6), R_2, R_infinity
``s2_2_penalty``                       Sec. 2.2, KL0 (7), gradients (8)-(10),
                                       reverse KL
``s2_3_stationarity``                  Sec. 2.3 and App. A: the KKT condition (11),
                                       its consequences, (12) and (13)
``b1_binary_pairs``                    Sec. 2.3.1 and App. B.1, groups of two:
                                       (16), (17), (14) and its properties
``b1_binary_large``                    Sec. 2.3.1 and App. B.1, large groups:
                                       (18), (19), (15) and its properties
``s3_direct_kl``                       Sec. 3 and App. B.2, direct-KL penalty:
                                       its expectation, stationary form, pairs
``b2_direct_kl_large``                 App. B.2, large groups: h, x*, the exact
                                       threshold, maxima, on-policy dynamics
``s3_shift_only_and_pooling``          Sec. 3, shift-only normalisation (= RLHF
                                       with beta G/(G-1) under direct KL), NLHF
                                       (5), not logarithmic pooling, beta = 0.04
``x1_finite_groups``                   beyond the paper: every finite group size,
                                       binary questions (Bernstein form, G = 3
                                       closed form, uniqueness, monotone in G)
``x2_trainer_conventions``             beyond the paper: Bessel std, eps, beta = 0
``x3_stochastic_rewards``              beyond the paper: the binary statements
                                       with stochastic rewards (what fails, what
                                       replaces it)
``x4_kl_estimators``                   beyond the paper: k1/k2/k3/clamped/"+" in
                                       the loss, with the ratio, in the reward:
                                       the divergence each follows, stationarity
``x5_reward_scaling``                  beyond the paper: std per group, per batch,
                                       none; dynamic sampling (DAPO)
``x6_zero_beta_dynamics``              beyond the paper: beta = 0, how fast p
                                       goes to 1 under each reward scaling and
                                       update rule (finite time, log, power)
=====================================  ==========================================
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

MODULES = (
    "s1_advantage",
    "s1_1_rlhf",
    "s2_1_reward_preference",
    "s2_2_penalty",
    "s2_3_stationarity",
    "b1_binary_pairs",
    "b1_binary_large",
    "s3_direct_kl",
    "b2_direct_kl_large",
    "s3_shift_only_and_pooling",
    "x1_finite_groups",
    "x2_trainer_conventions",
    "x3_stochastic_rewards",
    "x4_kl_estimators",
    "x5_reward_scaling",
    "x6_zero_beta_dynamics",
)


@dataclass(frozen=True)
class Part:
    """A group of modules rendered together: a section of the appendix, a notebook.

    ``key`` names the notebook file and the LaTeX label; ``paper`` says where
    the part stands in the paper ("" for what the package adds beyond it).
    """

    key: str
    title: str
    paper: str
    modules: tuple[str, ...]


# The appendix: one section per section of the paper (the appendices of the
# paper are folded into the section they support), then the package's additions.
SECTIONS = (
    Part("sec1", "GRPO, its advantage, and the RLHF baseline", "Section 1",
         ("s1_advantage", "s1_1_rlhf")),
    Part("sec2", "The alignment objective of GRPO", "Section 2, Appendices A and B.1",
         ("s2_1_reward_preference", "s2_2_penalty", "s2_3_stationarity", "b1_binary_pairs",
          "b1_binary_large")),
    Part("sec3", "Extensions", "Section 3, Appendix B.2",
         ("s3_direct_kl", "b2_direct_kl_large", "s3_shift_only_and_pooling")),
    Part("beyond", "Beyond the paper", "", ("x1_finite_groups", "x2_trainer_conventions",
                                           "x3_stochastic_rewards", "x4_kl_estimators",
                                           "x5_reward_scaling", "x6_zero_beta_dynamics")),
)

# The notebooks: one walkthrough per part of the paper, then the package's additions.
PARTS = (
    Part("01_advantage_and_preference", "The advantage and the reward preference",
         "Sections 1, 1.1 and 2.1", ("s1_advantage", "s1_1_rlhf", "s2_1_reward_preference")),
    Part("02_penalty_and_gradients", "The penalty and its gradients", "Section 2.2",
         ("s2_2_penalty",)),
    Part("03_stationarity", "Stationary policies: the KKT condition", "Section 2.3, Appendix A",
         ("s2_3_stationarity",)),
    Part("04_binary_questions", "Binary questions", "Section 2.3.1, Appendix B.1",
         ("b1_binary_pairs", "b1_binary_large")),
    Part("05_extensions", "Extensions: direct KL, shift-only normalisation", "Section 3, "
         "Appendix B.2", ("s3_direct_kl", "b2_direct_kl_large", "s3_shift_only_and_pooling")),
    Part("06_beyond_the_paper", "Beyond the paper: every group size, trainers' conventions, "
         "stochastic rewards", "", ("x1_finite_groups", "x2_trainer_conventions",
                                    "x3_stochastic_rewards")),
    Part("07_trainers_penalty_and_scaling", "Beyond the paper: the KL penalty as trainers "
         "compute it, reward scaling, and how fast beta = 0 ends", "",
         ("x4_kl_estimators", "x5_reward_scaling", "x6_zero_beta_dynamics")),
)


def module(name: str):
    """The derivations module ``name`` (imported, so its claims are registered)."""
    return importlib.import_module(f"{__name__}.{name}")


def load():
    """Import every derivations module; return the registry of claims."""
    from grpo_sym.proof import REGISTRY

    for name in MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return REGISTRY
