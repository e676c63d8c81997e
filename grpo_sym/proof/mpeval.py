"""Evaluate SymPy expressions with mpmath directly, without code generation.

``lambdify`` compiles Python source for every expression, which dominates the
cost of checking many small expressions at a few points each.  This walks the
expression tree once per point (shared subexpressions are evaluated once) at
the current mpmath precision.  Exact rationals are converted at that precision,
so raising ``mpmath.mp.dps`` raises the accuracy of the whole evaluation.

>>> import mpmath, sympy as sp
>>> x = sp.Symbol("x")
>>> with mpmath.workdps(30):
...     print(mp_eval(sp.sqrt(x) + sp.Rational(1, 3), {x: 2}))
1.74754689570642838213502205754
>>> write_out(sp.Sum(sp.IndexedBase("r")[sp.Symbol("j")], (sp.Symbol("j"), 1, 3)))
r[1] + r[2] + r[3]
"""
from __future__ import annotations

from typing import Mapping

import mpmath
import sympy as sp

__all__ = ["mp_eval", "mp_number", "write_out", "Undefined"]


class Undefined(ArithmeticError):
    """The expression has no real value at the point (division by zero, ...)."""


def write_out(expr: sp.Basic, evaluate: bool = True) -> sp.Basic:
    """Replace sums over concrete integer ranges by explicit additions.

    Shared subexpressions are visited once (a sum nested in a sum over the
    same size is not rebuilt for every term).  With ``evaluate=False`` sums,
    products and powers are built unevaluated unless their arguments are all
    rationals (SymPy's automatic simplification of a long sum is what costs):
    the result is then for numeric evaluation, not for symbolic work."""
    return _write_out(sp.sympify(expr), {}, evaluate)


def _write_out(expr: sp.Basic, memo: dict, evaluate: bool = True) -> sp.Basic:
    out = memo.get(expr)
    if out is not None:
        return out
    if not expr.args:
        out = expr
    elif isinstance(expr, sp.Sum):
        body = _write_out(expr.function, memo, evaluate)
        limits = list(expr.limits)
        while limits:
            idx, lo, hi = limits[0]
            if not (lo.is_Integer and hi.is_Integer):
                break
            dep: dict = {}
            _depends(body, idx, dep)      # which subexpressions mention the index (once)
            body = sp.Add(*[_replace(body, idx, sp.Integer(v), {}, dep, evaluate)
                            for v in range(int(lo), int(hi) + 1)], evaluate=evaluate)
            limits.pop(0)
        out = expr.func(body, *limits) if limits else body
    else:
        args = [_write_out(a, memo, evaluate) for a in expr.args]
        out = expr if all(a is b for a, b in zip(args, expr.args)) else \
            _rebuild(expr, args, evaluate)
    memo[expr] = out
    return out


def _depends(e: sp.Basic, old: sp.Symbol, dep: dict) -> bool:
    """Does ``e`` mention ``old`` (free)?  Recorded in ``dep`` for every subexpression."""
    if not e.args:
        return e is old or (isinstance(e, sp.Symbol) and e == old)
    r = dep.get(e)
    if r is None:
        if (isinstance(e, (sp.Sum, sp.Product)) and any(lim[0] == old for lim in e.limits)) or \
                (isinstance(e, sp.Lambda) and old in e.variables):
            r = False
        else:
            r = False
            for a in e.args:          # every argument is visited (all are recorded)
                r = _depends(a, old, dep) or r
        dep[e] = r
    return r


def _replace(e: sp.Basic, old: sp.Symbol, new: sp.Basic, memo: dict, dep: dict,
             evaluate: bool = True) -> sp.Basic:
    """``e.xreplace({old: new})``, visiting shared subexpressions once and only
    those that mention ``old`` (``dep``, from :func:`_depends`); a sum or lambda
    that binds ``old`` itself is left alone."""
    if not e.args:
        return new if (e is old or (isinstance(e, sp.Symbol) and e == old)) else e
    if not dep.get(e, False):
        return e
    r = memo.get(e)
    if r is not None:
        return r
    args = [_replace(a, old, new, memo, dep, evaluate) for a in e.args]
    r = e if all(a is b for a, b in zip(args, e.args)) else _rebuild(e, args, evaluate)
    memo[e] = r
    return r


_ELEMENTS: dict = {}   # one object per indexed element r[3]: lookups by identity are fast


def _rebuild(e: sp.Basic, args: list, evaluate: bool = True) -> sp.Basic:
    """``e.func(*args)``; without ``evaluate``, sums, products and powers
    unevaluated unless all their arguments are rationals (exact arithmetic, so
    ``1 - 3*(1/3)`` is the exact 0, not a cancellation); other nodes (a
    function that evaluates at integer arguments, an index) evaluated."""
    if not evaluate and isinstance(e, (sp.Add, sp.Mul, sp.Pow)):
        if all(a.is_Rational for a in args):
            return e.func(*args)
        return e.func(*args, evaluate=False)
    out = e.func(*args)
    if isinstance(out, sp.Indexed):
        if len(_ELEMENTS) > 100_000:
            _ELEMENTS.clear()
        out = _ELEMENTS.setdefault(out, out)
    return out


def mp_number(e: sp.Basic):
    """The exact SymPy number ``e`` (``3/7``, ``sqrt(2)/2``, ``log(3)``) as an
    mpmath number at the current working precision.

    >>> import mpmath, sympy as sp
    >>> with mpmath.workdps(20):
    ...     print(mp_number(sp.sqrt(2) / 2))
    0.7071067811865475244
    """
    e = sp.sympify(e)
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e._mpf_)
    if e is sp.pi:
        return +mpmath.pi
    if e is sp.E:
        return mpmath.e()
    if e is sp.I:
        return mpmath.mpc(0, 1)
    if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise Undefined(str(e))
    if e.is_Atom:
        return mpmath.mpf(sp.N(e, mpmath.mp.dps + 10)._mpf_)
    return _eval(e, {}, {})   # an exact constant such as sqrt(2): evaluate it here



_FUNCS = {
    sp.exp: mpmath.exp, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
    sp.atan: mpmath.atan, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh,
    sp.Abs: abs, sp.sign: mpmath.sign, sp.gamma: mpmath.gamma, sp.binomial: mpmath.binomial,
    sp.factorial: mpmath.factorial,
}


def _log(args):
    (x,) = args
    if x == 0:
        raise Undefined("log(0)")
    return mpmath.log(x)


_LOG10_2 = 0.30102999566398120


def _digits_between(big, small) -> float:
    """About log10(|big| / |small|) (to within a digit), from the binary exponents."""
    if small == 0:
        return mpmath.inf
    return (mpmath.mag(big) - mpmath.mag(small)) * _LOG10_2 + 1


def _note_loss(lost: list, digits) -> None:
    if digits > lost[0]:
        lost[0] = digits


def _truth(cond: sp.Basic, env, memo, lost=None) -> bool:
    if cond is sp.true:
        return True
    if cond is sp.false:
        return False
    if isinstance(cond, sp.And):
        return all(_truth(a, env, memo, lost) for a in cond.args)
    if isinstance(cond, sp.Or):
        return any(_truth(a, env, memo, lost) for a in cond.args)
    if isinstance(cond, sp.Not):
        return not _truth(cond.args[0], env, memo, lost)
    if isinstance(cond, sp.core.relational.Relational):
        a, b = _eval(cond.lhs, env, memo, lost), _eval(cond.rhs, env, memo, lost)
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b,
                ">": a > b, ">=": a >= b}[cond.rel_op]
    raise TypeError(f"cannot decide the condition {cond}")


def _eval(e: sp.Basic, env: Mapping, memo: dict, lost: list | None = None):
    if e in memo:
        return memo[e]
    if e in env:
        v = env[e]
    elif e.is_Number or e.is_NumberSymbol or e is sp.I:
        v = mp_number(e)
    elif isinstance(e, sp.Add):
        terms = [_eval(a, env, memo, lost) for a in e.args]
        v = mpmath.fsum(terms)
        if lost is not None:  # digits lost to cancellation in this sum
            big = max(abs(t) for t in terms)
            if big != 0:
                cancelled = _digits_between(big, v)
                if cancelled > lost[0]:
                    lost[0] = cancelled
    elif isinstance(e, sp.Mul):
        v = mpmath.mpf(1)
        for a in e.args:
            v *= _eval(a, env, memo, lost)
    elif isinstance(e, sp.Pow):
        base, ex = _eval(e.base, env, memo, lost), e.exp
        if ex.is_Integer:
            if base == 0 and ex < 0:
                raise Undefined("division by zero")
            v = base ** int(ex)
        elif ex == sp.S.Half:
            v = mpmath.sqrt(base)
        else:
            x = _eval(ex, env, memo, lost)
            if base == 0 and mpmath.re(x) < 0:
                raise Undefined("division by zero")
            v = mpmath.power(base, x)
            if lost is not None and base != 0:
                # b^x = exp(x log b): the same amplification as exp
                arg = abs(x * mpmath.log(abs(base)))
                _note_loss(lost, _digits_between(arg, 1) if arg > 1 else 0)
    elif isinstance(e, sp.log):
        args = [_eval(a, env, memo, lost) for a in e.args]
        v = _log(args)
        if lost is not None and v != 0 and abs(v) < 1:
            # log x near x = 1: the relative error of x becomes an absolute error of log x
            _note_loss(lost, _digits_between(1, v))
    elif isinstance(e, sp.Piecewise):
        for val, cond in e.args:
            if _truth(cond, env, memo, lost):
                v = _eval(val, env, memo, lost)
                break
        else:
            raise Undefined("no Piecewise branch applies")
    elif isinstance(e, sp.Heaviside):
        x = _eval(e.args[0], env, memo, lost)
        if x == 0:
            if len(e.args) < 2 or e.args[1] is sp.nan:
                raise Undefined("Heaviside(0) without a value at 0")
            v = _eval(e.args[1], env, memo, lost)
        else:
            v = mpmath.mpf(1) if x > 0 else mpmath.mpf(0)
    elif isinstance(e, (sp.floor, sp.ceiling)):
        x = _eval(e.args[0], env, memo, lost)
        v = mpmath.floor(x) if isinstance(e, sp.floor) else mpmath.ceil(x)
    elif isinstance(e, (sp.Max, sp.Min)):
        vals = [_eval(a, env, memo, lost) for a in e.args]
        v = max(vals) if isinstance(e, sp.Max) else min(vals)
    elif e.func in _FUNCS:
        args = [_eval(a, env, memo, lost) for a in e.args]
        v = _FUNCS[e.func](*args)
        if lost is not None and e.func in (sp.exp, sp.sinh, sp.cosh):
            # exp(x) turns the absolute error of x (|x| times the working precision)
            # into relative error: about log10|x| digits are lost
            _note_loss(lost, _digits_between(args[0], 1) if abs(args[0]) > 1 else 0)
        elif lost is not None and e.func in (sp.sin, sp.cos, sp.tan):
            # near a zero of sin/cos/tan the absolute error of x (|x| times the working
            # precision) is a large relative error of the value: log10(|x|/|f(x)|) digits
            x = abs(args[0])
            if x > abs(v):
                _note_loss(lost, _digits_between(x, v))
    elif isinstance(e, sp.Sum):
        w = write_out(e, evaluate=False)
        if w.has(sp.Sum):
            raise TypeError(f"a sum over a range that is not concrete: {e}")
        v = _eval(w, env, memo, lost)
    elif isinstance(e, (sp.Subs, sp.Derivative)):
        v = _eval(e.doit(), env, memo, lost)
    elif isinstance(e, (sp.Symbol, sp.Indexed)):
        raise KeyError(f"no value for {e}")
    else:
        raise TypeError(f"mp_eval cannot evaluate {type(e).__name__}")
    memo[e] = v
    return v


def mp_eval(expr: sp.Basic, env: Mapping, lost: list | None = None):
    """Value of ``expr`` with symbols from ``env`` (mpmath numbers or exact SymPy numbers).

    Raises :class:`Undefined` where the expression has no value (x/0, log 0).
    With ``lost=[0]``, ``lost[0]`` becomes the most digits any one operation
    lost: a sum to cancellation (``inf`` where non-zero terms summed to exactly
    0), an exponential or power to amplification of its argument's error.  A
    value is trustworthy only if that is well below the working digits.
    """
    env = {k: (mp_number(sp.sympify(v)) if not isinstance(v, (mpmath.mpf, mpmath.mpc)) else v)
           for k, v in env.items()}
    return _eval(sp.sympify(expr), env, {}, lost)
