"""The paper's symbols, each declared once with its domain.

Names follow the paper: ``beta`` (the KL coefficient), ``margin`` (gamma_{a,b}),
``group_size`` (G), ``pi_theta``/``pi_old``/``pi_ref`` for the three policies.

>>> beta.is_positive, str(domain_of(margin))
(True, 'Interval.Lopen(0, 1)')
>>> [str(s) for s in rewards(3)]
['r_1', 'r_2', 'r_3']
>>> [str(s) for s in policy("pi_ref", 2)]
['pi_ref_1', 'pi_ref_2']
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Range, S, oo

from grpo_sym.proof import domain_of, variable

__all__ = [
    "beta", "margin", "group_size", "pi_theta_a", "pi_old_a", "pi_ref_a", "scale", "shift",
    "rewards", "policy", "reward_values", "UNIT", "PROB", "POSITIVE", "domain_of",
]

UNIT = Interval.open(0, 1)          # an interior probability
PROB = Interval(0, 1)               # any probability
POSITIVE = Interval.open(0, oo)

beta = variable("beta", POSITIVE, latex=r"\beta")
margin = variable("gamma", Interval.Lopen(0, 1), latex=r"\gamma_{a,b}")
group_size = variable("G", Range(2, oo), latex="G")
pi_theta_a = variable("pi_theta_a", UNIT, latex=r"\pi_\theta(a\mid q)")
pi_old_a = variable("pi_old_a", UNIT, latex=r"\pi_{\theta_{old}}(a\mid q)")
pi_ref_a = variable("pi_ref_a", UNIT, latex=r"\pi_{ref}(a\mid q)")
scale = variable("c_scale", S.Reals, latex="c")          # a reward transformation r -> c r + d
shift = variable("d_shift", S.Reals, latex="d")

_POLICY_TEX = {"pi_theta": r"\pi_\theta", "pi_old": r"\pi_{\theta_{old}}", "pi_ref": r"\pi_{ref}"}


def rewards(G: int, name: str = "r") -> tuple[sp.Symbol, ...]:
    """Real reward symbols ``r_1 .. r_G`` of one group."""
    return tuple(variable(f"{name}_{i}", S.Reals, latex=f"{name}_{{{i}}}") for i in range(1, G + 1))


def reward_values(K: int) -> tuple[sp.Symbol, ...]:
    """Expected (or deterministic) rewards ``r(o|q)`` of outputs ``o = 1..K``."""
    return tuple(variable(f"rbar_{o}", S.Reals, latex=f"r({o}\\mid q)") for o in range(1, K + 1))


def policy(name: str, K: int, domain: sp.Set = UNIT) -> tuple[sp.Symbol, ...]:
    """Probabilities ``name_1 .. name_K`` of one distribution over K outputs.

    ``name`` is ``pi_theta``, ``pi_old`` or ``pi_ref``; the default domain is
    the open unit interval (interior policies).
    """
    tex = _POLICY_TEX.get(name, name)
    suffix = "" if domain == UNIT else "_closed"
    return tuple(variable(f"{name}_{o}{suffix}", domain, latex=f"{tex}({o}\\mid q)")
                 for o in range(1, K + 1))
