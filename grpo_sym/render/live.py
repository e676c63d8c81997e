"""What the notebooks call: check claims live, show a figure, explore one.

=========================  =====================================================
function                   does
=========================  =====================================================
``check(id)``              run the engine on one claim, print each step's verdict
``check_modules(*names)``  run it on every claim of some derivations modules and
                           print a one-line summary per outcome
``figure_png(name)``       a figure of :mod:`grpo_sym.render.figures` as an image
``stationary_explorer()``  sliders for beta, G and pi_ref(a|q) over the
                           stationary policy (ipywidgets), with a static image
                           of the first view for readers without a kernel
=========================  =====================================================

>>> check("eq17")                                   # doctest: +NORMALIZE_WHITESPACE
eq17 [App. B.1, (17)]: proved (expected: holds); numeric backup agrees
  1. set to zero: checked
  2. substitute b1.pairs.objective.derivative.on-policy: checked (expand)
  3. multiply both sides -1: checked (expand)
  4. rearrange: checked (expand)
"""
from __future__ import annotations

__all__ = ["check", "check_modules", "figure_png", "stationary_explorer", "ClaimCheckFailed",
           "EXPLORER_GROUP_SIZES"]

import math


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


def check_modules(*modules: str) -> None:
    """Run the engine on every claim of the derivations ``modules`` (short names,
    e.g. ``"b1_binary_pairs"``) and print how many ended how; raise
    :class:`ClaimCheckFailed` naming every claim whose outcome is not the expected
    one.  The results come from the cache when the code is unchanged.

    >>> check_modules("s1_advantage")                  # doctest: +ELLIPSIS
    s1_advantage: ... claims checked: ... proved, 1 refuted as printed; every outcome as expected
    """
    from grpo_sym import load_registry
    from grpo_sym.proof import ResultCache
    from grpo_sym.proof.verify import cached_result

    from .model import module_of

    registry, cache = load_registry(), ResultCache.default()
    for name in modules:
        claims = [c for c in registry if module_of(c) == name]
        if not claims:
            raise ValueError(f"modules: no claims from a derivations module named {name!r}")
        counts: dict[str, int] = {}
        wrong = []
        for c in claims:
            r = cached_result(c, cache)
            label = "refuted as printed" if r.symbolic == "refuted" else r.symbolic
            counts[label] = counts.get(label, 0) + 1
            if not r.ok:
                wrong.append(f"{c.id} ({r.symbolic}, expected: {r.expected})")
        tally = ", ".join(f"{n} {label}" for label, n in sorted(counts.items(),
                                                                key=lambda kv: -kv[1]))
        verdict = "every outcome as expected" if not wrong else \
            "NOT as expected: " + "; ".join(wrong)
        print(f"{name}: {len(claims)} claims checked: {tally}; {verdict}")
        if wrong:
            raise ClaimCheckFailed(f"{name}: {'; '.join(wrong)}")


def _png(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def figure_png(name: str):
    """The figure ``name`` of :mod:`grpo_sym.render.figures` as an IPython image."""
    from IPython.display import Image

    from .figures import figure

    return Image(data=_png(figure(name)), format="png")


# the group sizes the explorer's G slider offers (the solver takes any integer >= 2)
EXPLORER_GROUP_SIZES = (2, 3, 4, 8, 16, 64, 256, math.inf)


def stationary_explorer(beta: float = 0.5, group_size=2, pi_ref: float = 0.2) -> None:
    """Display sliders for beta, G and pi_ref(a|q) over the stationary policy of
    a binary question (:func:`grpo_sym.render.figures.explorer_figure`).

    The output carries the widget and, beside it, a PNG of the first view: a
    live Jupyter shows the widget, a page without a kernel (GitHub, nbconvert,
    a headless run in CI) shows the picture.  Raises ``ValueError`` naming the
    parameter for a group size the slider does not offer."""
    import base64

    import ipywidgets as widgets
    from IPython.display import display

    from .figures import explorer_figure

    if group_size not in EXPLORER_GROUP_SIZES:
        raise ValueError(f"group_size must be one of {EXPLORER_GROUP_SIZES}, got {group_size!r}")
    first = _png(explorer_figure(beta, group_size, pi_ref))
    image = widgets.Image(value=first, format="png")
    beta_slider = widgets.FloatLogSlider(value=beta, base=10, min=-2, max=1, step=0.02,
                                         description="beta", continuous_update=False)
    g_slider = widgets.SelectionSlider(options=[("inf" if G == math.inf else str(G), G)
                                                for G in EXPLORER_GROUP_SIZES],
                                       value=group_size, description="G",
                                       continuous_update=False)
    f_slider = widgets.FloatSlider(value=pi_ref, min=0.001, max=0.999, step=0.001,
                                   readout_format=".3f", description="pi_ref(a|q)",
                                   continuous_update=False)

    def redraw(_change) -> None:
        image.value = _png(explorer_figure(beta_slider.value, g_slider.value, f_slider.value))

    for slider in (beta_slider, g_slider, f_slider):
        slider.observe(redraw, names="value")
    box = widgets.VBox([widgets.HBox([beta_slider, g_slider, f_slider]), image])
    bundle = dict(box._repr_mimebundle_())
    bundle["image/png"] = base64.b64encode(first).decode("ascii")
    display(bundle, raw=True)
