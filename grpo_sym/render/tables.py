"""Tables computed by the numeric API, as Markdown (README, notebooks) or LaTeX.

>>> print(presets_markdown().splitlines()[0])
| preset | beta | G | std | eps | pi_ref(a) = 0.01 | 0.1 | 0.5 | 0.9 |
"""
from __future__ import annotations

from .text import latex_escape

__all__ = ["PI_REFS", "preset_rows", "presets_markdown", "presets_latex"]

PI_REFS = (0.01, 0.1, 0.5, 0.9)


def _fmt(p: float) -> str:
    # five decimals say where the policy goes; exactly 1 (beta = 0) is shown as 1
    return "1" if p == 1.0 else f"{p:.5f}"


def preset_rows(pi_refs=PI_REFS) -> list[tuple]:
    """``(name, beta, G, std, eps, [pi_theta(a) per pi_ref])`` for every trainer preset."""
    from grpo_sym.numeric.presets import PRESETS, preset_table

    table = preset_table(pi_refs)
    rows = []
    for name, p in PRESETS.items():
        values = [r.pi_theta_a for r in table if r.preset == name]
        rows.append((name, p.beta, p.group_size, p.std, p.eps, values))
    return rows


def presets_markdown(pi_refs=PI_REFS) -> str:
    """Where each trainer's defaults drive a binary question (deterministic rewards)."""
    head = ["preset", "beta", "G", "std", "eps"] + \
        [f"pi_ref(a) = {pi_refs[0]:g}"] + [f"{f:g}" for f in pi_refs[1:]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, beta, G, std, eps, values in preset_rows(pi_refs):
        cells = [f"`{name}`", f"{beta:g}", str(G), std, f"{eps:g}"] + [_fmt(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def presets_latex(pi_refs=PI_REFS) -> str:
    """The same table as a LaTeX ``tabular``."""
    cols = "lrrlr" + "r" * len(pi_refs)
    head = [r"preset", r"$\beta$", r"$G$", r"std", r"$\epsilon$"] + \
        [rf"$\pi_{{ref}}(a\mid q) = {f:g}$" if k == 0 else f"${f:g}$" for k, f in enumerate(pi_refs)]
    out = [r"\begin{center}\small", r"\begin{tabular}{" + cols + "}", " & ".join(head) + r" \\",
           r"\hline"]
    for name, beta, G, std, eps, values in preset_rows(pi_refs):
        cells = [r"\texttt{" + latex_escape(name) + "}", f"{beta:g}", str(G), std, f"{eps:g}"] + \
            [_fmt(v) for v in values]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\end{tabular}", r"\end{center}"]
    return "\n".join(out)
