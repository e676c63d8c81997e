"""The SymPy backend of the closed forms in :mod:`grpo_sym.numeric.binary`.

``derivations/`` evaluates the very functions the float code runs (``eq14_a_large_c``
and the others) on this backend and proves them equal to the paper's (14) and (15).
Only the claims import it: ``import grpo_sym.numeric`` loads no SymPy.

>>> from grpo_sym.numeric.binary import eq14_a_small_c
>>> eq14_a_small_c(sp.Rational(1, 4), sp.Integer(1), SymbolicBackend)
1/2
"""
from __future__ import annotations

import sympy as sp

__all__ = ["SymbolicBackend"]


class SymbolicBackend:
    """The closed forms as SymPy expressions (branches taken in Python, as for mpmath)."""

    sqrt = staticmethod(sp.sqrt)
    minimum = staticmethod(sp.Min)

    @staticmethod
    def hypot(x, y):
        return sp.sqrt(x**2 + y**2)

    @staticmethod
    def num(x):
        return sp.sympify(x)
