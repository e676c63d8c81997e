"""Prose math: the ASCII formulas of claims and docstrings typeset as LaTeX.

The converter must be conservative: on every text of the registry it runs
without error and writes well-formed math, and it never puts a claim id, a code
span or a dotted or underscored code name inside a formula.
"""
from __future__ import annotations

import re

import pytest

import grpo_sym.derivations as d
from grpo_sym.render.figures import FIGURES
from grpo_sym.render.model import claim_view
from grpo_sym.render.text import (docstring_blocks, docstring_to_latex, docstring_to_markdown,
                                  prose_segments, prose_to_latex, prose_to_markdown)


def _texts(registry) -> list[tuple[str, str]]:
    """Every text a renderer shows: prose, step justifications, generality,
    module docstrings, figure captions."""
    out = []
    for c in registry:
        v = claim_view(c)
        out += [(c.id, v.prose), (c.id, v.generality)]
        out += [(c.id, s.why) for s in v.steps if s.why]
    for m in d.MODULES:
        out += [(m, text) for _, text in docstring_blocks(d.module(m).__doc__)]
    out += [(name, spec.caption) for name, spec in FIGURES.items()]
    return out


def _balanced(tex: str) -> bool:
    """Braces pair up (escaped ones aside): peel innermost pairs until none is left."""
    rest = re.sub(r"\\[{}]", "", tex)
    while re.search(r"\{[^{}]*\}", rest):
        rest = re.sub(r"\{[^{}]*\}", "", rest)
    return "{" not in rest and "}" not in rest


def test_every_text_of_the_registry_converts_to_well_formed_math(registry):
    ids = sorted({c.id for c in registry}, key=len, reverse=True)
    id_pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    formulas = 0
    for where, text in _texts(registry):
        segs = prose_segments(text)
        assert "".join(s for kind, s in segs if kind == "text") or segs, where
        for kind, s in segs:
            if kind == "math":
                formulas += 1
                assert s and "$" not in s and _balanced(s), (where, s)
                assert not re.search(r"[\^_](?![{\w\\'])", s), (where, s)
        latex = prose_to_latex(text)
        assert latex.replace(r"\$", "").count("$") % 2 == 0, where
        # claim ids stay text: the ids in the text reappear, escaped, outside $...$
        outside = re.sub(r"\$[^$]*\$", " ", latex).replace(r"\_", "_")
        for cid in id_pattern.findall(re.sub(r"\$[^$]*\$", " ", text)):
            assert cid in outside, (where, cid)
    assert formulas > 1000        # the converter is not a no-op


@pytest.mark.parametrize("text, latex", [
    ("pi_theta(a) > 0 and beta > 0", r"$\pi_{\theta}(a) > 0$ and $\beta > 0$"),
    ("E[sign(r1 - r2) | o1 = a, o2 = b]",
     r"$\mathbb{E}[\mathrm{sign}(r_{1} - r_{2}) \mid o_{1} = a, o_{2} = b]$"),
    ("P_G, R_2 and R_infinity", r"$\mathcal{P}_{G}$, $\mathcal{R}_{2}$ and $\mathcal{R}_{\infty}$"),
    ("sqrt((1 - beta/gamma)^2 + 4 f) <= 1", r"$\sqrt{(1 - \beta/\gamma)^{2} + 4 f} \le 1$"),
    ("KL(pi || pi*) >= 0", r"$\mathrm{KL}(\pi \| \pi^{\ast}) \ge 0$"),
    ("(15) -> 1 as beta -> 0+.", r"$(15) \to 1$ as $\beta \to 0^{+}$."),
    ("J''(p*; p*) at G -> oo", r"$J''(p^{\ast}; p^{\ast})$ at $G \to \infty$"),
    ("e^(gamma/(2 beta)) pi_ref(a|q)/Z_q",
     r"$e^{\gamma/(2 \beta)} \pi_{ref}(a | q)/Z_{q}$"),
    ("dJ/dp = 0 and d(14)/dbeta < 0", r"$dJ/dp = 0$ and $d(14)/d\beta < 0$"),
    # words, ids and code names stay text
    ("a stationary policy is a maximiser", "a stationary policy is a maximiser"),
    ("see eq14, s2.3.centred and b1.pairs.sign.*", r"see eq14, s2.3.centred and b1.pairs.sign.*"),
    ("grpo_sym.numeric.binary.eq14_b and group_size",
     r"grpo\_sym.numeric.binary.eq14\_b and group\_size"),
    ("Sec. 2.3.1, (14), 50% of the on-policy runs",
     r"Sec. 2.3.1, (14), 50\% of the on-policy runs"),
    ("each group's *minimum*", r"each group's *minimum*"),
    ("lhs - rhs simplifies to 0", r"$\mathrm{lhs} - \mathrm{rhs}$ simplifies to 0"),
    ("at $x = \\frac{1}{2}$ (already LaTeX)", r"at $x = \frac{1}{2}$ (already LaTeX)"),
    ("unbalanced ( and $ and ^", r"unbalanced ( and \$ and \^{}"),
])
def test_prose_to_latex(text, latex):
    assert prose_to_latex(text) == latex


def test_markdown_keeps_text_and_typesets_math():
    assert prose_to_markdown("For K outputs, pi_ref(o) > 0.") == \
        r"For $K$ outputs, $\pi_{ref}(o) > 0$."
    assert prose_to_markdown("50% of a *word*") == "50% of a *word*"


def test_docstrings_keep_code_spans_and_bold():
    doc = ("Title.\n\n* **(16)** by ``b1.pairs.sign.margin``: gamma = E[sign(r1 - r2)], "
           "``x_1 >= 0``.")
    md = docstring_to_markdown(doc)
    assert "`b1.pairs.sign.margin`" in md and "`x_1 >= 0`" in md and "**(16)**" in md
    assert r"$\gamma = \mathbb{E}[\mathrm{sign}(r_{1} - r_{2})]$" in md
    tex = docstring_to_latex(doc)
    assert r"\texttt{b1.pairs.sign.margin}" in tex and r"\texttt{x\_1 \textgreater{}= 0}" in tex
    assert r"$\gamma = \mathbb{E}" in tex and r"\textbf{(16)}" in tex
    emphasis = "Title.\n\nIs p* = (14) a *maximiser* of J(.; p*)? **Not *always*.**"
    assert docstring_to_latex(emphasis) == \
        r"Is $p^{\ast} = (14)$ a \emph{maximiser} of $J(\cdot; p^{\ast})$? \textbf{Not \emph{always}.}" + "\n"
    assert docstring_to_markdown(emphasis) == \
        r"Is $p^{\ast} = (14)$ a *maximiser* of $J(\cdot; p^{\ast})$? **Not *always*.**"
