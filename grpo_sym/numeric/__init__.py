"""Numerically stable closed forms and solvers (stationary policies).

==============================================  =====================================
function                                        returns
==============================================  =====================================
``stationary_binary(pi_ref, beta, ...)``        pi_theta(a|q) for the better answer a
``stationary_binary_pair(pi_ref, beta, ...)``   both answers, each to full accuracy
``direct_kl_threshold(pi_ref)``                 beta* above which the large-group
                                                direct-KL objective has interior
                                                stationary points
==============================================  =====================================
"""
from .binary import BinaryPolicy, stationary_binary, stationary_binary_pair
from .direct_kl import direct_kl_threshold

__all__ = ["stationary_binary", "stationary_binary_pair", "BinaryPolicy", "direct_kl_threshold"]
