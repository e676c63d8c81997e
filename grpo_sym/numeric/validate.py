"""Input validation for the numeric API: clear errors that name the parameter.

>>> probability("pi_ref", 0.25)
0.25
>>> positive("beta", -1.0)
Traceback (most recent call last):
...
ValueError: beta must be a positive number, got -1.0
>>> probability("pi_ref", float("nan"))
Traceback (most recent call last):
...
ValueError: pi_ref must be a probability in [0, 1], got nan
"""
from __future__ import annotations

import math
import numbers

import mpmath

__all__ = ["real", "probability", "positive", "nonnegative", "margin_value",
           "group_size_value", "digits", "choice"]


def real(name: str, value) -> float | mpmath.mpf:
    """A finite real number (int, float, Fraction, Decimal, mpmath mpf; not bool, not str)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, mpmath.mpf)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}")
        return value
    x = float(value) if not isinstance(value, float) else value
    if math.isnan(x) or math.isinf(x):
        return x
    return value if isinstance(value, (int, float)) else x


def _is_nan(x) -> bool:
    return (isinstance(x, float) and math.isnan(x)) or (isinstance(x, mpmath.mpf) and mpmath.isnan(x))


def probability(name: str, value):
    """A probability in [0, 1]."""
    x = real(name, value)
    if _is_nan(x) or not (0 <= x <= 1):
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return x


def positive(name: str, value):
    """A finite number > 0."""
    x = real(name, value)
    if _is_nan(x) or not (x > 0) or (isinstance(x, float) and math.isinf(x)):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return x


def nonnegative(name: str, value):
    """A finite number >= 0 (a KL coefficient that may be switched off, an eps).

    >>> nonnegative("beta", 0.0)
    0.0
    >>> nonnegative("eps", -1e-4)
    Traceback (most recent call last):
    ...
    ValueError: eps must be a non-negative number, got -0.0001
    """
    x = real(name, value)
    if _is_nan(x) or not (x >= 0) or (isinstance(x, float) and math.isinf(x)):
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return x


def margin_value(value):
    """The confidence margin gamma_{a,b} = P(a > b) - P(b > a), in (0, 1]."""
    x = real("margin", value)
    if _is_nan(x) or not (0 < x <= 1):
        raise ValueError(f"margin must be in (0, 1] (gamma = P(a>b) - P(b>a) with a the "
                         f"better answer), got {value!r}")
    return x


def group_size_value(value) -> int | float:
    """An integer >= 2, or math.inf for the large-group limit."""
    if isinstance(value, float) and math.isinf(value) and value > 0:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer() and value >= 2:
            return int(value)
        raise ValueError(f"group_size must be an integer >= 2 or math.inf, got {value!r}")
    if value < 2:
        raise ValueError(f"group_size must be an integer >= 2 or math.inf, got {value!r}")
    return int(value)


def digits(value) -> int | None:
    """``dps``: None (float arithmetic) or a number of significant digits >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= value <= 100000:
        raise ValueError(f"dps must be None or a whole number of digits from 1 to 100000, "
                         f"got {value!r}")
    return int(value)


def choice(name: str, value, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value
