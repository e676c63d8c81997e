"""grpo_sym: "What is the Alignment Objective of GRPO?" as verified mathematics.

=========================  ====================================================
subpackage                 what it holds
=========================  ====================================================
``grpo_sym.proof``         a general verification engine (claims, chains,
                           certificates, witnesses, 50-digit numeric backup)
``grpo_sym.grpo``          the paper's objects as SymPy expressions
                           (advantages, P_G, KL, KL0, reverse KL, objectives)
``grpo_sym.derivations``   the paper, claim by claim (source: ``derivations/``)
``grpo_sym.numeric``       stable closed forms and solvers
``grpo_sym.cli``           the ``grpo-sym`` command
=========================  ====================================================

>>> from grpo_sym import load_registry
>>> reg = load_registry()
>>> "eq2" in reg
True
"""
from __future__ import annotations

import os as _os

__version__ = "0.1.0"

# Installed, derivations/ ships as grpo_sym/derivations (see pyproject.toml).
# In a source checkout it sits beside grpo_sym/; let the package find it there.
_here = _os.path.dirname(__file__)
_beside = _os.path.join(_os.path.dirname(_here), "derivations")
if not _os.path.isdir(_os.path.join(_here, "derivations")) and \
        _os.path.isfile(_os.path.join(_beside, "__init__.py")):
    __path__.append(_os.path.dirname(_here))  # noqa: F821 - package attribute


def load_registry():
    """The registry of the paper's claims (imports every derivations module)."""
    from .derivations import load

    return load()
