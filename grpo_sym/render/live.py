"""What the notebooks call: check a claim live, show a figure.

>>> check("eq17")                                   # doctest: +NORMALIZE_WHITESPACE
eq17 [App. B.1, (17)]: proved (expected: holds); numeric backup agrees
  1. set to zero: checked
  2. substitute b1.pairs.objective.derivative.on-policy: checked (expand)
  3. multiply both sides -1: checked (expand)
  4. rearrange: checked (expand)
"""
from __future__ import annotations

__all__ = ["check", "figure_png", "ClaimCheckFailed"]


class ClaimCheckFailed(AssertionError):
    """The engine's outcome for a claim is not the expected one."""


def check(claim_id: str) -> None:
    """Run the engine on one claim (its proof step by step, then the 50-digit
    numeric backup; a result of unchanged code comes from the cache that
    ``grpo-sym verify`` fills) and print the verdicts; raise :class:`ClaimCheckFailed`
    when the outcome is not the expected one, so a notebook stops there."""
    from grpo_sym import load_registry
    from grpo_sym.proof import ResultCache
    from grpo_sym.proof.verify import cached_result

    c = load_registry()[claim_id]
    r = cached_result(c, ResultCache.default())
    print(f"{c.id} [{c.paper}]: {r.symbolic} (expected: {r.expected}); "
          f"numeric backup {r.numeric}")
    for k, step in enumerate(r.steps, 1):
        how = f" ({step['method']})" if step.get("method") else ""
        print(f"  {k}. {step['rule']}: {'checked' if step['ok'] else 'NOT CHECKED'}{how}")
    if r.counterexample:
        point = ", ".join(f"{k} = {v}" for k, v in sorted(r.counterexample.get("point", {}).items()))
        print(f"  counterexample: {point}")
    if not r.ok:
        raise ClaimCheckFailed(f"{c.id}: {r.detail} [numeric: {r.numeric_detail}]")


def figure_png(name: str):
    """The figure ``name`` of :mod:`grpo_sym.render.figures` as an IPython image."""
    import io

    from IPython.display import Image

    from .figures import figure

    buf = io.BytesIO()
    figure(name).savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return Image(data=buf.getvalue(), format="png")
