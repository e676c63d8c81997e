"""Strategies: which trusted rewrite to try on an obligation, and in what order.

Nothing here decides a verdict.  :func:`prove_zero` proposes rewrites of the
kernel (:data:`grpo_sym.proof.kernel.REWRITES`), cheap ones first, and reports
the name of the one the kernel accepted; the sign questions are the kernel's
own (:func:`~grpo_sym.proof.kernel.is_nonnegative`).  Budgets are
deterministic: a finite domain with too many cases, or an expression too large
for an expensive rewrite, leaves the obligation unproved with the reason
"budget exhausted" (:class:`~grpo_sym.proof.kernel.BudgetExhausted`).

>>> from sympy import Interval, sqrt
>>> from grpo_sym.proof.domains import variable
>>> p = variable("p_checks_demo", Interval.open(0, 1))
>>> ctx = Context()
>>> prove_zero((p + 1)**2 - p**2 - 2*p - 1, ctx)
'expand'
>>> is_nonnegative((1 - p) * sqrt(p) + (p - 1/2)**2, ctx)
True
>>> is_nonnegative(p - 1/2, ctx)
False
"""
from __future__ import annotations

import sympy as sp

from .kernel import (REWRITES, BudgetExhausted, Context, carry_out, is_nonnegative, is_nonzero,
                     is_positive, power_sums, reduces_to_zero)

__all__ = ["Context", "power_sums", "prove_zero", "is_nonnegative", "is_positive", "is_nonzero",
           "BudgetExhausted"]

# cheap rewrites first; "positive parametrisation" needs the context (bounded symbols)
_LADDER = ("expand", "power sums", "cancel", "radicals", "expand_log", "simplify",
           "positive parametrisation", "radsimp", "sign", "piecewise")
assert set(_LADDER) - {"positive parametrisation"} == set(REWRITES)


def _worth_trying(name: str, case: sp.Basic) -> bool:
    if name == "power sums":
        return case.has(sp.Sum)
    if name in ("radicals", "radsimp"):
        return any(not a.exp.is_Integer for a in case.atoms(sp.Pow))
    if name == "expand_log":
        return case.has(sp.log)
    if name == "positive parametrisation":
        return case.has(sp.log, sp.Pow)
    return True


def prove_zero(expr: sp.Basic, ctx: Context) -> str | None:
    """Name of the rewrite that reduces ``expr`` to 0 under ``ctx``, else None.

    Finite-domain symbols are expanded case by case (every case must reduce).
    Raises :class:`BudgetExhausted` when a deterministic budget runs out
    before any rewrite succeeded."""
    expr = ctx.eliminate(sp.sympify(expr))
    methods: list[str] = []
    for _, case in ctx.instances(expr):
        case = carry_out(ctx.eliminate(case))
        ladder = list(_LADDER)
        if case.has(sp.Sum):   # sums over a symbolic range: the power-sum rewrite first
            ladder.sort(key=lambda name: name != "power sums")
        found, exhausted = None, None
        for name in ladder:
            if not _worth_trying(name, case):
                continue
            try:
                if reduces_to_zero(case, name, ctx):
                    found = name
                    break
            except BudgetExhausted as exc:
                exhausted = exc
            except (TypeError, ValueError, NotImplementedError, RecursionError,
                    sp.PolynomialError, AttributeError, ZeroDivisionError):
                continue
        if found is None:
            if exhausted is not None:
                raise exhausted
            return None
        if found not in methods:
            methods.append(found)
    return "+".join(methods)
