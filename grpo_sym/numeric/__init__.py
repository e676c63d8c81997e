"""Numerically stable closed forms and solvers (stationary policies).

==============================================  =====================================
function                                        returns
==============================================  =====================================
``stationary_binary(pi_ref, beta, ...)``        pi_theta(a|q) for the better answer a
``stationary_binary_pair(pi_ref, beta, ...)``   both answers, each to full accuracy
==============================================  =====================================
"""
from .binary import BinaryPolicy, stationary_binary, stationary_binary_pair

__all__ = ["stationary_binary", "stationary_binary_pair", "BinaryPolicy"]
