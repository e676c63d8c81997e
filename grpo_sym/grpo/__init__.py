"""The paper's objects as SymPy expressions.

===========================  =================================================
module                       objects
===========================  =================================================
``grpo_sym.grpo.symbols``    beta, margin (gamma), group_size (G), policies
``grpo_sym.grpo.advantage``  A_i of (2), its pairwise form, variants
``grpo_sym.grpo.preference`` P_G, R_G and R_2 for finite outputs
``grpo_sym.grpo.penalty``    KL, KL0, reverse KL, the penalty D of (7)
``grpo_sym.grpo.estimators`` the trainers' KL estimators k1/k2/k3/clamped/"+"
                             and their placements (loss, ratio, reward)
``grpo_sym.grpo.dynamics``   beta = 0 on-policy flows: metric, velocity, clocks
===========================  =================================================
"""
