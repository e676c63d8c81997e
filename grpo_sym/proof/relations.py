"""Unevaluated relations for statements.

``sympy.Eq(x, x)`` evaluates to ``True`` and loses both sides; a claim needs
its sides.  These constructors build the same relations unevaluated.

>>> from sympy import Symbol
>>> x = Symbol("x")
>>> Eq(x, x)
Eq(x, x)
"""
import sympy as sp

__all__ = ["Eq", "Ge", "Gt", "Le", "Lt", "Ne", "exists_in"]


def Eq(lhs, rhs) -> sp.Eq:
    return sp.Eq(lhs, rhs, evaluate=False)


def Ge(lhs, rhs) -> sp.GreaterThan:
    return sp.Ge(lhs, rhs, evaluate=False)


def Gt(lhs, rhs) -> sp.StrictGreaterThan:
    return sp.Gt(lhs, rhs, evaluate=False)


def Le(lhs, rhs) -> sp.LessThan:
    return sp.Le(lhs, rhs, evaluate=False)


def Lt(lhs, rhs) -> sp.StrictLessThan:
    return sp.Lt(lhs, rhs, evaluate=False)


def Ne(lhs, rhs) -> sp.Ne:
    return sp.Ne(lhs, rhs, evaluate=False)


def exists_in(x: sp.Symbol, interval: sp.Interval, condition: sp.Basic) -> sp.Ne:
    """"Some ``x`` in ``interval`` satisfies ``condition``": the set of those ``x`` is not empty.

    >>> from sympy import Interval, Symbol
    >>> x = Symbol("x", positive=True)
    >>> exists_in(x, Interval.open(0, 1), Eq(x**2, sp.Rational(1, 4)))
    Ne(ConditionSet(x, Eq(x**2, 1/4), Interval.open(0, 1)), EmptySet)
    """
    return sp.Ne(sp.ConditionSet(x, condition, interval), sp.S.EmptySet, evaluate=False)
