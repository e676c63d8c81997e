"""Group advantages (2), their pairwise form, and variants.

All functions take a tuple of reward expressions ``rs`` (one group) and return
SymPy expressions.  ``std="population"`` is the paper's std (1/G);
``std="bessel"`` divides by G - 1 as TRL, verl and OpenRLHF do.

>>> from sympy import Symbol
>>> r1, r2 = Symbol("r1", real=True), Symbol("r2", real=True)
>>> group_mean((r1, r2))
r1/2 + r2/2
>>> advantage((3, 1), 0), advantage((3, 1), 1), advantage((2, 2), 0)
(1, -1, 0)
"""
from __future__ import annotations

from typing import Sequence

import sympy as sp

__all__ = ["group_mean", "group_variance", "group_std", "advantage_raw", "advantage",
           "pairwise_numerator", "pairwise_variance", "advantage_pairwise", "shift_only_advantage"]


def group_mean(rs: Sequence[sp.Expr]) -> sp.Expr:
    """mean(r_1, ..., r_G) = (1/G) sum r_j."""
    return sp.Add(*rs) / len(rs)


def group_variance(rs: Sequence[sp.Expr], std: str = "population") -> sp.Expr:
    """(1/G) sum (r_j - mean)^2, or 1/(G - 1) with ``std="bessel"``."""
    G = len(rs)
    m = group_mean(rs)
    denom = {"population": G, "bessel": G - 1}[std]
    return sp.Add(*[(r - m) ** 2 for r in rs]) / denom


def group_std(rs: Sequence[sp.Expr], std: str = "population") -> sp.Expr:
    return sp.sqrt(group_variance(rs, std))


def advantage_raw(rs: Sequence[sp.Expr], i: int, std: str = "population") -> sp.Expr:
    """(r_i - mean)/std exactly as printed in (2), without the 0/0 convention."""
    return (rs[i] - group_mean(rs)) / group_std(rs, std)


def advantage(rs: Sequence[sp.Expr], i: int, std: str = "population") -> sp.Expr:
    """A_i of (2) with the paper's convention A_i = 0/0 := 0 when all rewards are equal."""
    all_equal = sp.And(*[sp.Eq(r, rs[0]) for r in rs[1:]])
    if all_equal is sp.true:
        return sp.S.Zero
    if all_equal is sp.false:
        return sp.simplify(advantage_raw(rs, i, std)) if all(
            sp.sympify(r).is_number for r in rs) else advantage_raw(rs, i, std)
    return sp.Piecewise((0, all_equal), (advantage_raw(rs, i, std), True))


def pairwise_numerator(rs: Sequence[sp.Expr], i: int) -> sp.Expr:
    """(1/G) sum_j (r_i - r_j)."""
    G = len(rs)
    return sp.Add(*[rs[i] - r for r in rs]) / G


def pairwise_variance(rs: Sequence[sp.Expr]) -> sp.Expr:
    """(1/(2 G^2)) sum_j sum_k (r_j - r_k)^2 -- the square of the printed denominator."""
    G = len(rs)
    return sp.Add(*[(a - b) ** 2 for a in rs for b in rs]) / (2 * G**2)


def advantage_pairwise(rs: Sequence[sp.Expr], i: int) -> sp.Expr:
    """The paper's equivalent pairwise form of (2)."""
    return pairwise_numerator(rs, i) / sp.sqrt(pairwise_variance(rs))


def shift_only_advantage(rs: Sequence[sp.Expr], i: int) -> sp.Expr:
    """A_i = r_i - mean (Section 3, shift-only normalisation)."""
    return rs[i] - group_mean(rs)
