"""Input validation for the numeric API: clear one-line errors that name the parameter.

One contract for every entry point (and the command line, which passes the text the
user typed): a number may be an int, float, ``Fraction``, ``Decimal``, mpmath ``mpf``,
a numpy scalar or a decimal string (parsed as a decimal, never evaluated); it is kept
as given (exact) and converted once -- to float, or to mpf at the working precision
(:func:`to_mpf`).  Arrays (numpy arrays, nested lists) are validated elementwise by
:func:`floats`.  Errors quote the value in the user's own words (``inf``, ``0.81``).

>>> probability("pi_ref", 0.25), probability("pi_ref", "0.81"), positive("beta", Fraction(1, 3))
(0.25, Decimal('0.81'), Fraction(1, 3))
>>> positive("beta", -1.0)
Traceback (most recent call last):
...
ValueError: beta must be a positive number, got -1.0
>>> probability("pi_ref", float("nan"))
Traceback (most recent call last):
...
ValueError: pi_ref must be a probability in [0, 1], got nan
>>> group_size_value("inf"), group_size_value(8.0)
(inf, 8)
>>> floats("pi_ref", [[0.1, 0.2]], "probability")
array([[0.1, 0.2]])
>>> floats("beta", [0.1, -2], "nonnegative")
Traceback (most recent call last):
...
ValueError: beta must be a non-negative number, got -2.0 (at index 1)
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import mpmath
import numpy as np

__all__ = ["real", "probability", "positive", "nonnegative", "margin_value",
           "group_size_value", "group_sizes", "digits", "choice", "floats", "shown",
           "to_mpf", "distribution", "SUM_TOL"]

#: How far from 1 a sum of probabilities may be before ValueError.
SUM_TOL = 1e-9

# what each kind of number must satisfy, and how the error says it
_RULES = {
    "probability": (lambda x: (x >= 0) & (x <= 1), "must be a probability in [0, 1]"),
    "positive": (lambda x: x > 0, "must be a positive number"),
    "nonnegative": (lambda x: x >= 0, "must be a non-negative number"),
    "margin": (lambda x: (x > 0) & (x <= 1),
               "must be in (0, 1] (gamma = P(a>b) - P(b>a) with a the better answer)"),
}


def shown(value) -> str:
    """The value as the user wrote it: ``inf`` (not ``math.inf``), ``81/100``, ``0.81``."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, (Fraction, Decimal)):
        return str(value)
    if isinstance(value, mpmath.mpf):
        return mpmath.nstr(value, 17)
    return repr(value)


def _parse(name: str, text: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{name} must be a number, got {text.strip()!r}") from None


def real(name: str, value):
    """A finite real number, as given: int, float, Fraction, Decimal, mpf; a numpy
    scalar becomes its Python number, a decimal string a ``Decimal`` (not bool)."""
    if isinstance(value, str):
        value = _parse(name, value)
    elif isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal, mpmath.mpf)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    finite = (value.is_finite() if isinstance(value, Decimal) else
              mpmath.isfinite(value) if isinstance(value, mpmath.mpf) else
              math.isfinite(value) if isinstance(value, float) else True)
    if not finite:
        raise ValueError(f"{name} must be a finite number, got {shown(value)}")
    return value


def _check(kind: str, name: str, value):
    ok, text = _RULES[kind]
    try:
        x = real(name, value)
    except ValueError as exc:        # a non-finite number is out of range: say which range
        if "finite" in str(exc):
            raise ValueError(f"{name} {text}, got {shown(value)}") from None
        raise
    if not ok(x):
        raise ValueError(f"{name} {text}, got {shown(value)}")
    return x


def probability(name: str, value):
    """A probability in [0, 1], as given."""
    return _check("probability", name, value)


def positive(name: str, value):
    """A finite number > 0, as given."""
    return _check("positive", name, value)


def nonnegative(name: str, value):
    """A finite number >= 0, as given (a KL coefficient that may be switched off, an eps)."""
    return _check("nonnegative", name, value)


def margin_value(value):
    """The confidence margin gamma_{a,b} = P(a > b) - P(b > a), in (0, 1], as given."""
    return _check("margin", "margin", value)


def floats(name: str, value, kind: str) -> np.ndarray:
    """An array of float64 (each element converted once) satisfying ``kind``
    (``"probability"``, ``"positive"``, ``"nonnegative"``, ``"margin"``); a scalar gives
    a 0-d array.  The error names the parameter, the value and its index."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
        arr = value.astype(np.float64)
    elif isinstance(value, np.ndarray) and value.dtype.kind not in "OUS":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {value.dtype}")
    elif isinstance(value, (list, tuple, np.ndarray)):
        try:
            raw = np.asarray(value, dtype=object)
        except ValueError:
            raise ValueError(f"{name} must be a number or a rectangular array of numbers"
                             ) from None
        arr = np.empty(raw.shape, dtype=np.float64)
        for idx in np.ndindex(raw.shape):
            v = raw[idx]
            try:
                arr[idx] = float(real(name, v)) if not isinstance(v, float) else v
            except (ValueError, TypeError) as exc:
                where = f" (at index {idx[0] if len(idx) == 1 else idx})"
                raise type(exc)(str(exc) + where) from None
    else:
        return np.asarray(float(_check(kind, name, value)))
    ok, text = _RULES[kind]
    with np.errstate(invalid="ignore"):
        bad = ~(ok(arr) & np.isfinite(arr))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" (at index {idx[0] if len(idx) == 1 else idx})" if idx else ""
        raise ValueError(f"{name} {text}, got {float(arr[idx])!r}{where}")
    return arr


def _group_size(value):
    if isinstance(value, str):
        value = _parse("group_size", value)
    elif isinstance(value, (np.floating, np.integer)):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal, mpmath.mpf)):
        return None
    if value == math.inf:
        return math.inf
    try:
        finite_integer = value == value and value == int(value)
    except (OverflowError, ValueError, InvalidOperation):
        return None
    return int(value) if finite_integer and value >= 2 else None


_GROUP_SIZE_TEXT = "group_size must be an integer >= 2 or inf, got {}"


def group_size_value(value) -> int | float:
    """An integer >= 2 (2.0, ``Decimal(8)`` and ``"8"`` too), or inf (``math.inf``,
    ``"inf"``) for the large-group limit."""
    G = _group_size(value)
    if G is None:
        raise ValueError(_GROUP_SIZE_TEXT.format(shown(value)))
    return G


def group_sizes(value) -> np.ndarray:
    """Group sizes as a float64 array of integers >= 2 or inf (a scalar: 0-d)."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
        bad = value < 2
        arr = value.astype(np.float64)
    elif isinstance(value, (list, tuple, np.ndarray)):
        raw = np.asarray(value, dtype=object)
        arr = np.empty(raw.shape, dtype=np.float64)
        bad = np.zeros(raw.shape, dtype=bool)
        for idx in np.ndindex(raw.shape):
            G = _group_size(raw[idx])
            bad[idx] = G is None
            arr[idx] = G if G is not None else np.nan
    else:
        return np.asarray(float(group_size_value(value)))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(_GROUP_SIZE_TEXT.format(shown(np.asarray(value, dtype=object)[idx]))
                         + f" (at index {idx[0] if len(idx) == 1 else idx})")
    return arr


def digits(value) -> int | None:
    """``dps``: None (float arithmetic) or a number of significant digits from 1 to 100000
    (an integer, or its decimal text)."""
    if value is None:
        return None
    n = value
    if isinstance(value, str):
        n = int(value.strip()) if value.strip().isdigit() else None
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 100000:
        raise ValueError(f"dps must be a whole number of digits from 1 to 100000 (leave it "
                         f"out for floats), got {shown(value)}")
    return int(n)


def choice(name: str, value, allowed: tuple[str, ...]) -> str:
    """One of the allowed strings."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def to_mpf(x) -> mpmath.mpf:
    """Exact conversion to mpf at the working precision (Fractions divide there, Decimals
    and decimal strings are read digit by digit; nothing goes through float).

    >>> with mpmath.workdps(30):
    ...     print(to_mpf(Fraction(1, 3)), to_mpf("0.1"))
    0.333333333333333333333333333333 0.1
    """
    if isinstance(x, str):
        x = _parse("value", x)
    if isinstance(x, mpmath.mpf):
        return +x
    if isinstance(x, (np.floating, np.integer)):
        x = x.item()
    if isinstance(x, numbers.Integral):
        return mpmath.mpf(int(x))
    if isinstance(x, numbers.Rational):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, Decimal):
        return mpmath.mpf(str(x))
    return mpmath.mpf(float(x))


def distribution(name: str, probs, min_len: int = 1) -> list:
    """Validated probabilities summing to 1 within ``SUM_TOL`` (returned as given)."""
    if isinstance(probs, (str, bytes, Mapping)) or not hasattr(probs, "__iter__"):
        raise ValueError(f"{name} must be a sequence of probabilities, got "
                         f"{type(probs).__name__}")
    probs = list(probs)                      # a numpy array is iterable, not a Sequence
    if len(probs) < min_len:
        raise ValueError(f"{name} must have at least {min_len} outputs, got {len(probs)}")
    ps = [probability(f"{name}[{i}]", p) for i, p in enumerate(probs)]
    total = math.fsum(float(p) for p in ps)
    if abs(total - 1) > SUM_TOL:
        raise ValueError(f"{name} must sum to 1 (within {SUM_TOL}), got {total!r}")
    return ps
