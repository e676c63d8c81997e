"""Tables computed by the numeric API, as Markdown (README, notebooks) or LaTeX.

>>> print(presets_markdown().splitlines()[0])
| preset | trainer setting | divergence penalised | pi_ref(a) = 0.01 | 0.1 | 0.5 | 0.9 |
"""
from __future__ import annotations

from .text import latex_escape

__all__ = ["PI_REFS", "preset_rows", "presets_markdown", "presets_latex"]

PI_REFS = (0.01, 0.1, 0.5, 0.9)


def _fmt(policy) -> str:
    """Five decimals say where the policy goes; a probability that rounds to 1 is written
    1 - pi_theta(b) (b computed on its own), and the limit 1 (b = 0) as 1."""
    a, b = float(policy.a), float(policy.b)
    if a < 0.999995:
        return f"{a:.5f}"
    return "1" if b == 0 else f"1 - {b:.1e}"


def preset_rows(pi_refs=PI_REFS) -> list[tuple]:
    """``(name, setting, divergence, [BinaryPolicy per pi_ref])`` for every trainer preset."""
    from grpo_sym.numeric.presets import PRESETS

    return [(name, p.setting, p.divergence, [p.stationary(f) for f in pi_refs])
            for name, p in PRESETS.items()]


def presets_markdown(pi_refs=PI_REFS) -> str:
    """Where each trainer's settings drive a binary question (deterministic rewards)."""
    head = ["preset", "trainer setting", "divergence penalised"] + \
        [f"pi_ref(a) = {pi_refs[0]:g}"] + [f"{f:g}" for f in pi_refs[1:]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, setting, divergence, values in preset_rows(pi_refs):
        cells = [f"`{name}`", setting, divergence] + [_fmt(v) for v in values]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def presets_latex(pi_refs=PI_REFS) -> str:
    """The same table as a LaTeX ``tabular``."""
    cols = "lp{2.6cm}p{3.2cm}" + "r" * len(pi_refs)
    head = [r"preset", r"trainer setting", r"divergence penalised"] + \
        [rf"$\pi_{{ref}}(a)$: ${f:g}$" if k == 0 else f"${f:g}$" for k, f in enumerate(pi_refs)]
    out = [r"\begin{center}\scriptsize", r"\begin{tabular}{" + cols + "}", " & ".join(head) + r" \\",
           r"\hline"]
    for name, setting, divergence, values in preset_rows(pi_refs):
        cells = [r"\texttt{" + latex_escape(name) + "}", latex_escape(setting),
                 latex_escape(divergence)] + [latex_escape(_fmt(v)) for v in values]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\end{tabular}", r"\end{center}"]
    return "\n".join(out)
