"""Numerically stable closed forms and solvers (stationary policies).

Filled in by the stationary-policy issue; nothing here yet.
"""
