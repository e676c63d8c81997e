"""The paper's symbols, each declared once with its domain.

Names follow the paper: ``beta`` (the KL coefficient), ``margin`` (gamma_{a,b}),
``group_size`` (G), ``pi_theta``/``pi_old``/``pi_ref`` for the three policies.

>>> beta.is_positive, str(domain_of(margin))
(True, 'Interval.Lopen(0, 1)')
>>> [str(s) for s in rewards(3)]
['r_1', 'r_2', 'r_3']
>>> [str(s) for s in policy("pi_ref", 2)]
['pi_ref_1', 'pi_ref_2']
>>> reward_levels(3)
(y_1, delta_1 + y_1, delta_1 + delta_2 + y_1)
>>> level_probabilities(2, 3)
(w_2_1, w_2_2, w_2_3)
>>> pi = policy_family("pi_ref"); pi[output]
pi_ref[o]
>>> pi.total(lambda j: pi[j])
Sum(pi_ref[j], (j, 1, K))
"""
from __future__ import annotations

import sympy as sp
from sympy import Interval, Range, S, oo

from dataclasses import dataclass
from typing import Callable

from grpo_sym.proof import domain_of, indexed, variable

__all__ = [
    "beta", "margin", "group_size", "pi_theta_a", "pi_old_a", "pi_ref_a", "scale", "shift",
    "rewards", "policy", "reward_values", "UNIT", "PROB", "POSITIVE", "domain_of",
    "sigma_old", "reward_levels", "level_probabilities", "preference_matrix",
    "output_count", "output", "OUTPUT_INDEX", "SECOND_INDEX", "OUTPUT_VARIABLE", "Family",
    "policy_family", "reward_family", "weights_family", "PI_THETA_K", "PI_OLD_K", "PI_REF_K",
    "PREFERENCE_K",
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


sigma_old = variable("sigma_old", POSITIVE, latex=r"\sigma(\pi_{\theta_{old}})")


def reward_levels(m: int) -> tuple[sp.Expr, ...]:
    """m ordered reward levels y_1 < y_2 < ... < y_m, written y_1 + delta_1 + ...

    With gaps ``delta_l > 0`` every comparison between levels is decided by
    SymPy (``sign(delta_1 + delta_2) = 1``), so finite-support rewards can be
    handled symbolically: any finite reward distributions of finitely many
    outputs live on the sorted union of their supports.
    """
    base = variable("y_1", S.Reals, latex="y_1")
    levels = [base]
    for l in range(1, m):
        gap = variable(f"delta_{l}", POSITIVE, latex=f"\\delta_{{{l}}}")
        levels.append(levels[-1] + gap)
    return tuple(levels)


def level_probabilities(o: int, m: int) -> tuple[sp.Symbol, ...]:
    """P[r = y_l | output o] for l = 1..m (outputs and levels numbered from 1)."""
    return tuple(variable(f"w_{o}_{l}", PROB, latex=f"w_{{{o},{l}}}") for l in range(1, m + 1))


def preference_matrix(K: int) -> list[list[sp.Expr]]:
    """Pairwise preferences P(o > o') of K outputs that satisfy the asymmetry
    P(o > o') + P(o' > o) = 1: free symbols above the diagonal, ``1 - P`` below
    it, and 1/2 on it (the asymmetry for o' = o forces P(o > o) = 1/2).

    >>> preference_matrix(2)
    [[1/2, P_1>2], [1 - P_1>2, 1/2]]
    """
    m: list[list[sp.Expr]] = [[sp.S.Half] * K for _ in range(K)]
    for a in range(K):
        for b in range(a + 1, K):
            x = variable(f"P_{a + 1}>{b + 1}", PROB,
                         latex=f"\\mathcal{{P}}({a + 1} \\succ {b + 1})")
            m[a][b], m[b][a] = x, 1 - x
    return m


# -- any finite number of outputs: K symbolic ------------------------------------------

output_count = variable("K", Range(1, oo), latex="K")     # the number of outputs
output = variable("o", Range(1, oo), latex="o")           # one output, 1 <= o <= K
OUTPUT_INDEX = sp.Symbol("j", integer=True, positive=True)  # the index of a sum over outputs
SECOND_INDEX = sp.Symbol("k", integer=True, positive=True)  # ... and of a sum inside it
OUTPUT_VARIABLE = sp.Symbol("x", integer=True, positive=True)  # of a per-output Lambda


@dataclass(frozen=True)
class Family:
    """Per-output values x(1), ..., x(K) for a symbolic number of outputs K (or the
    rewards r_1, ..., r_G of a group of symbolic size G: ``count=G``).

    ``x[o]`` is the value at output ``o``: an element ``base[o]`` of an indexed
    family, or ``rule(o)`` for a family computed from others (a normalised
    policy, the policy (4)); ``x.total(f)`` is sum_{j=1}^{K} f(j).  The functions
    of :mod:`grpo_sym.grpo.penalty` take a Family wherever they take a tuple, so
    each object has one definition for a concrete and for a symbolic K.
    """

    base: sp.IndexedBase | None = None
    count: sp.Symbol = output_count
    rule: Callable[[sp.Expr], sp.Expr] | None = None

    def __getitem__(self, o) -> sp.Expr:
        return self.rule(o) if self.rule is not None else self.base[o]

    def total(self, f: Callable[[sp.Symbol], sp.Expr], index: sp.Symbol = OUTPUT_INDEX
              ) -> sp.Expr:
        """sum_{index=1}^{count} f(index) (a second index for a nested sum)."""
        return sp.Sum(f(index), (index, 1, self.count))

    def normalised(self) -> "Family":
        """x(o) / sum_j x(j): a distribution when the x(o) are positive.  Every
        interior distribution is one (of itself), so a claim over normalised
        positive weights is a claim over the open simplex."""
        mass = self.total(lambda j: self[j])
        return Family(None, self.count, lambda o: self[o] / mass)


def policy_family(name: str, domain: sp.Set = UNIT) -> Family:
    """``name(o)`` for o = 1..K, K symbolic: an interior distribution by default
    (its normalisation is a condition of the claim, or comes from a parametrisation)."""
    return Family(indexed(name, domain, latex=_POLICY_TEX.get(name, name)))


def weights_family(name: str, latex: str) -> Family:
    """Positive weights w(1), ..., w(K); ``weights_family(...).normalised()`` is
    any interior distribution over K outputs."""
    return Family(indexed(name, POSITIVE, latex=latex))


# Any interior distributions over K outputs (K symbolic): positive weights, normalised.
# Claims over these hold on the whole open simplex (every interior distribution is one).
PI_THETA_K = weights_family("w_theta", "w").normalised()
PI_OLD_K = weights_family("u_old", "u").normalised()
PI_REF_K = weights_family("v_ref", "v").normalised()
# P(a > b) for outputs a, b of K (K symbolic): any values in [0, 1], no asymmetry assumed
PREFERENCE_K = indexed("pref_M", PROB, latex=r"\mathcal{P}")


def reward_family(name: str = "rbar") -> Family:
    """Expected rewards r(o | q) of outputs o = 1..K, K symbolic."""
    return Family(indexed(name, S.Reals, latex="r"))
