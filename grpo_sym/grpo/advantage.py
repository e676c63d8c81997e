"""Group advantages (2), their pairwise form, and variants.

All functions take the rewards ``rs`` of one group -- a tuple (a concrete size
G), or a :class:`~grpo_sym.grpo.symbols.Family` with ``count=G`` (a symbolic
size; the sums are SymPy sums) -- and return SymPy expressions.  ``std="population"`` is the paper's std (1/G);
``std="bessel"`` divides by G - 1 as TRL, verl and OpenRLHF do; ``eps`` is added to the std
(A = (r - mean)/(std + eps), as trainers do).  :func:`advantage` applies the convention
0/0 := 0 at either size (with eps != 0 no 0/0 arises), and :func:`two_level_group` is the group of ``c`` rewards
``u`` followed by ``d`` rewards ``v`` for symbolic ``c``, ``d`` (a binary question's group,
sorted by kind).

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

from grpo_sym.proof.binomial import AtMost

from .symbols import OUTPUT_INDEX, SECOND_INDEX, Family

__all__ = ["group_mean", "group_variance", "group_std", "advantage_raw", "advantage",
           "pairwise_numerator", "pairwise_variance", "advantage_pairwise", "shift_only_advantage",
           "two_level_group"]


def _size(rs) -> sp.Expr:
    return rs.count if isinstance(rs, Family) else len(rs)


def _total(rs, f, index=None) -> sp.Expr:
    """sum_j f(j) over the positions of the group (a SymPy Sum for a symbolic size)."""
    if isinstance(rs, Family):
        return rs.total(f, index) if index is not None else rs.total(f)
    return sp.Add(*[f(j) for j in range(len(rs))])


def group_mean(rs) -> sp.Expr:
    """mean(r_1, ..., r_G) = (1/G) sum r_j."""
    return _total(rs, lambda k: rs[k], SECOND_INDEX) / _size(rs)


def group_variance(rs, std: str = "population") -> sp.Expr:
    """(1/G) sum (r_j - mean)^2, or 1/(G - 1) with ``std="bessel"``."""
    G = _size(rs)
    m = group_mean(rs)
    denom = {"population": G, "bessel": G - 1}[std]
    return _total(rs, lambda j: (rs[j] - m) ** 2, OUTPUT_INDEX) / denom


def group_std(rs, std: str = "population") -> sp.Expr:
    return sp.sqrt(group_variance(rs, std))


def advantage_raw(rs, i, std: str = "population", eps=0) -> sp.Expr:
    """(r_i - mean)/(std + eps) exactly as printed in (2) (eps = 0), without the 0/0
    convention."""
    return (rs[i] - group_mean(rs)) / (group_std(rs, std) + eps)


def advantage(rs, i, std: str = "population", eps=0) -> sp.Expr:
    """A_i of (2) with the paper's convention A_i = 0/0 := 0 when all rewards are equal;
    with ``eps`` != 0 (an epsilon added to the std, eps > 0) it is (r_i - mean)/(std + eps),
    which needs no convention (a group of equal rewards gives 0/eps = 0).

    For a :class:`~grpo_sym.grpo.symbols.Family` (a symbolic size) "all equal" is "the
    population variance is 0", whatever ``std``: a Piecewise on ``group_variance(rs) = 0``
    (the Bessel variance of a single reward is 0/0, its population variance 0).

    >>> from sympy import Symbol
    >>> c = Symbol("c", integer=True, positive=True)
    >>> advantage(two_level_group(c, 0, 1, 0), 1).subs(c, 3).doit()
    0
    >>> advantage(two_level_group(1, 3, 1, 0), 1).doit()
    sqrt(3)
    >>> advantage(two_level_group(1, 1, 1, 0), 1, eps=1).doit(), advantage((1, 0), 0, eps=1)
    (1/3, 1/3)
    """
    if eps != 0:
        raw = advantage_raw(rs, i, std, eps)
        return raw if isinstance(rs, Family) or not all(sp.sympify(r).is_number for r in rs) \
            else sp.simplify(raw)
    if isinstance(rs, Family):
        return sp.Piecewise((0, sp.Eq(group_variance(rs), 0)),
                            (advantage_raw(rs, i, std), True))
    all_equal = sp.And(*[sp.Eq(r, rs[0]) for r in rs[1:]])
    if all_equal is sp.true:
        return sp.S.Zero
    if all_equal is sp.false:
        return sp.simplify(advantage_raw(rs, i, std)) if all(
            sp.sympify(r).is_number for r in rs) else advantage_raw(rs, i, std)
    return sp.Piecewise((0, all_equal), (advantage_raw(rs, i, std), True))


def pairwise_numerator(rs, i) -> sp.Expr:
    """(1/G) sum_j (r_i - r_j)."""
    return _total(rs, lambda j: rs[i] - rs[j], OUTPUT_INDEX) / _size(rs)


def pairwise_variance(rs) -> sp.Expr:
    """(1/(2 G^2)) sum_j sum_k (r_j - r_k)^2 -- the square of the printed denominator."""
    return _total(rs, lambda j: _total(rs, lambda k: (rs[j] - rs[k]) ** 2, SECOND_INDEX),
                  OUTPUT_INDEX) / (2 * _size(rs) ** 2)


def advantage_pairwise(rs, i) -> sp.Expr:
    """The paper's equivalent pairwise form of (2)."""
    return pairwise_numerator(rs, i) / sp.sqrt(pairwise_variance(rs))


def shift_only_advantage(rs: Sequence[sp.Expr], i: int) -> sp.Expr:
    """A_i = r_i - mean (Section 3, shift-only normalisation)."""
    return rs[i] - group_mean(rs)


def two_level_group(c, d, u, v) -> Family:
    """A group of ``c + d`` rewards: ``u`` at positions 1..c and ``v`` at c+1..c+d (sizes may
    be symbols).  With deterministic rewards, a group of a binary question with its outputs
    sorted by kind (the order of positions does not change A_1 when position 1 stays put:
    ``s2.1.advantage.equivariance``).

    >>> g = two_level_group(2, 1, 5, 2)
    >>> group_mean(g).doit(), group_variance(g).doit()
    (4, 2)
    """
    return Family(None, c + d, lambda i: v + (u - v) * AtMost(i, c))
