"""The paper's figures (and the ones it lacks), drawn from the numeric API.

=================  ==========================================================
name               what it shows
=================  ==========================================================
``figure1``        (14): pi_theta(a|q) against pi_ref(a|q), groups of two,
                   several beta/gamma (the paper's Figure 1)
``figure2``        (15): the same in the limit of large groups, several beta
                   (the paper's Figure 2)
``figure3``        the direct-KL penalty, groups of two (the paper's Figure 3)
``group_sizes``    one beta, every group size the solver handles, on one plot
                   (not in the paper)
``trajectories``   the GRPO update (1) run from several starting policies, for
                   G = 2, 8 and G -> inf, against the predicted stationary
                   policies (not in the paper)
``zero_beta``      beta = 0: 1 - pi_theta(a|q) against time for several reward
                   scalings and update rules (not in the paper)
=================  ==========================================================

:func:`explorer_figure` draws one setting of beta, G and pi_ref(a|q) (the
notebooks' sliders redraw it).

Every curve is computed by :func:`grpo_sym.numeric.stationary_binary`, the
function the claims prove equal to the paper's closed forms.  Figures are
:class:`matplotlib.figure.Figure` objects made without pyplot (no global
state); :func:`write_figures` saves PNG and PDF with fixed metadata, so two
runs give the same files.

>>> fig = figure("figure1")
>>> fig.axes[0].get_xlabel()
'$\\\\pi_{ref}(a \\\\mid q)$'
>>> len(fig.axes[0].lines) >= 6
True
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Callable, Sequence

__all__ = ["FigureSpec", "FIGURES", "figure", "write_figures", "pi_ref_grid", "explorer_figure"]

# the paper's notation, as matplotlib mathtext
PI_REF = r"$\pi_{ref}(a \mid q)$"
PI_THETA = r"$\pi_{\theta}(a \mid q)$"
RATIOS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)       # beta/gamma (or beta) per curve
GROUP_SIZES: tuple = (2, 3, 4, 8, 64, math.inf)
GROUP_SIZE_BETA = 0.5


def pi_ref_grid(n: int = 400) -> list[float]:
    """``n`` points in (0, 1]: dense near 0, where (14) and (15) jump."""
    near_zero = [10 ** (-6 + 4 * k / 100) for k in range(100)]        # 1e-6 .. 1e-2
    rest = [0.01 + (1 - 0.01) * k / (n - 1) for k in range(n)]
    return sorted(set(near_zero + rest))


def _curve(f_values: Sequence[float], **kw) -> list[float]:
    from grpo_sym.numeric import stationary_binary

    return [float(stationary_binary(f, **kw)) for f in f_values]


def _frame(ax, title: str) -> None:
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1,
            label=r"$\pi_\theta = \pi_{ref}$")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(PI_REF)
    ax.set_ylabel(PI_THETA)
    ax.set_title(title, fontsize=10)
    ax.grid(True, linewidth=0.3)


def _at_zero(ax, color) -> None:
    # pi_ref(a) = 0 forces pi_theta(a) = 0 (support); the curve's limit differs
    ax.plot([0], [0], marker="o", color=color, markersize=4, clip_on=False)


def _draw_pairs(ax) -> None:
    fs = pi_ref_grid()
    for c in RATIOS:
        line, = ax.plot(fs, _curve(fs, beta=c), label=rf"$\beta/\gamma_{{a,b}} = {c:g}$")
        _at_zero(ax, line.get_color())
    _frame(ax, r"Groups of two, (14)")
    ax.legend(fontsize=8, loc="lower right")


def _draw_large(ax) -> None:
    fs = pi_ref_grid()
    for b in RATIOS:
        line, = ax.plot(fs, _curve(fs, beta=b, group_size=math.inf), label=rf"$\beta = {b:g}$")
        _at_zero(ax, line.get_color())
    _frame(ax, r"Large groups, (15)")
    ax.legend(fontsize=8, loc="lower right")


def _draw_direct_kl(ax) -> None:
    fs = [0.0] + pi_ref_grid()
    for c in RATIOS:
        ax.plot(fs, _curve(fs, beta=c, penalty="kl"), label=rf"$\beta/\gamma_{{a,b}} = {c:g}$")
    _frame(ax, r"Direct KL penalty, groups of two")
    ax.legend(fontsize=8, loc="lower right")


def _draw_group_sizes(ax) -> None:
    fs = pi_ref_grid()
    for G in GROUP_SIZES:
        label = r"$G \to \infty$, (15)" if G == math.inf else (
            rf"$G = {G}$, (14)" if G == 2 else rf"$G = {G}$")
        ax.plot(fs, _curve(fs, beta=GROUP_SIZE_BETA, group_size=G), label=label)
    _frame(ax, rf"Group sizes compared, $\beta = {GROUP_SIZE_BETA:g}$, deterministic rewards")
    ax.legend(fontsize=8, loc="lower right")


TRAJECTORY_SETTINGS = dict(pi_ref=0.2, beta=0.5, starts=(0.02, 0.2, 0.5, 0.98),
                           group_sizes=(2, 8, math.inf), iterations=80, learning_rate=1.0)


def _draw_trajectories(ax) -> None:
    from grpo_sym.simulate import simulate_from_starts

    st = TRAJECTORY_SETTINGS
    f = st["pi_ref"]
    for k, G in enumerate(st["group_sizes"]):
        bundle = simulate_from_starts([f, 1 - f], [1, 0], st["beta"], group_size=G,
                                      starts=[[s, 1 - s] for s in st["starts"]],
                                      iterations=st["iterations"],
                                      learning_rate=st["learning_rate"])
        color = f"C{k}"
        name = r"G \to \infty" if G == math.inf else f"G = {G}"
        for j, traj in enumerate(bundle.trajectories):
            ax.plot(range(len(traj)), [row[0] for row in traj], color=color, linewidth=1.2,
                    label=rf"${name}$" if j == 0 else None)
        ax.axhline(bundle.predicted[0], color=color, linestyle="--", linewidth=0.8)
    ax.set_xlim(0, st["iterations"])
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("outer iteration (exact expectation over groups)")
    ax.set_ylabel(PI_THETA)
    ax.set_title(rf"GRPO update, $\pi_{{ref}}(a \mid q) = {f:g}$, $\beta = {st['beta']:g}$ "
                 "(dashed: predicted)", fontsize=10)
    ax.grid(True, linewidth=0.3)
    ax.legend(fontsize=8, loc="lower right")


ONE_MINUS_PI_THETA = r"$1 - \pi_{\theta}(a \mid q)$"
ZERO_BETA_START = 0.5
# (label, colour, options of time_to_reach): closed-form clocks only, so the figure is cheap;
# one colour per reward scaling, solid for the softmax rule, dashed for the natural one
ZERO_BETA_CURVES = (
    (r"softmax, std, $G \to \infty$", "C0", dict(flow="logits")),
    (r"softmax, std, $G = 3$", "C1", dict(flow="logits", group_size=3)),
    (r"softmax, std, $G = 2$", "C2", dict(flow="logits", group_size=2)),
    (r"softmax, shift-only, $G = 8$", "C3", dict(flow="logits", scaling="shift", group_size=8)),
    (r"natural, std, $G \to \infty$", "C0", dict(flow="natural")),
    (r"natural, shift-only, $G = 8$", "C3", dict(flow="natural", scaling="shift", group_size=8)),
)


def _draw_zero_beta(ax) -> None:
    from grpo_sym.numeric.dynamics import time_to_reach

    deltas = [10 ** (-k / 10) for k in range(4, 121)]          # 0.4 .. 1e-12
    for label, color, options in ZERO_BETA_CURVES:
        times = [time_to_reach(ZERO_BETA_START, d, **options) for d in deltas]
        ax.plot(times, deltas, label=label, color=color,
                linestyle="-" if options["flow"] == "logits" else "--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"time $\eta t$ (on-policy flow, $\beta = 0$)")
    ax.set_ylabel(ONE_MINUS_PI_THETA)
    ax.set_title(rf"$\beta = 0$, from $\pi_\theta(a \mid q) = {ZERO_BETA_START:g}$", fontsize=10)
    ax.grid(True, linewidth=0.3)
    ax.legend(fontsize=7, loc="lower left")


@dataclass(frozen=True)
class FigureSpec:
    name: str
    caption: str
    draw: Callable


FIGURES: dict[str, FigureSpec] = {spec.name: spec for spec in (
    FigureSpec("figure1", "Groups of two, equation (14): the stationary probability of the better "
               "answer against its reference probability, for several beta/gamma. At "
               "pi_ref(a|q) = 0 the policy is 0 (dot): the curve jumps there exactly when "
               "beta < gamma (the paper's Figure 1).", _draw_pairs),
    FigureSpec("figure2", "The limit of large groups, equation (15), for several beta, with "
               "deterministic rewards: the curve jumps at pi_ref(a|q) = 0 for every beta (the "
               "paper's Figure 2).", _draw_large),
    FigureSpec("figure3", "The direct KL penalty, groups of two: pi_theta(a|q) = e^(gamma/(2 "
               "beta)) pi_ref(a|q)/Z_q, continuous at pi_ref(a|q) = 0 (the paper's Figure 3).",
               _draw_direct_kl),
    FigureSpec("group_sizes", "Not in the paper: the stationary probability of the better answer "
               "for several group sizes G at one beta, deterministic rewards; it increases with G "
               "from (14) towards (15).", _draw_group_sizes),
    FigureSpec("trajectories", "Not in the paper: the GRPO update (1) on a tabular softmax policy "
               "(exact expectation over groups, no clipping, the paper's penalty), started from four "
               "policies, for groups of 2, 8 and the large-group limit; the dashed lines are the "
               "stationary policies the solver predicts: (14), the finite-G fixed point, (15).",
               _draw_trajectories),
    FigureSpec("zero_beta", "Not in the paper: with beta = 0, the time the on-policy flow needs "
               "to bring 1 - pi_theta(a|q) down to delta, from 1/2 (x6_zero_beta_dynamics). "
               "Softmax logits (the simulator): ~ 1/sqrt(delta) for the large-group std, "
               "~ 1/delta at every finite G and for shift-only; natural gradient: the large-group "
               "std reaches 1 at time pi/2, shift-only needs log(1/delta).", _draw_zero_beta),
)}


def figure(name: str):
    """The figure ``name`` (a key of :data:`FIGURES`) as a matplotlib Figure."""
    from matplotlib.figure import Figure

    if name not in FIGURES:
        raise ValueError(f"figure must be one of {', '.join(FIGURES)}, got {name!r}")
    fig = Figure(figsize=(5.2, 4.0), dpi=100, layout="constrained")
    FIGURES[name].draw(fig.add_subplot())
    return _settled(fig)


def _settled(fig):
    """``fig`` with its constrained layout computed once and then fixed.  The layout
    engine refines the axes' position on every draw (on a log scale by a few
    thousandths of a point), so without this a PDF's bytes would depend on how often
    the figure was drawn before: on whether the PNG was saved first."""
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def explorer_figure(beta: float, group_size=2, pi_ref: float = 0.2):
    """The stationary probability of the better answer against pi_ref(a|q) at one
    beta and group size G (deterministic rewards), between the curves of (14)
    (G = 2) and (15) (G -> inf) at the same beta, with the point at ``pi_ref``
    marked and its value printed.

    >>> fig = explorer_figure(0.5, 8, 0.2)
    >>> fig.axes[0].get_title()
    '$\\\\beta = 0.5$, $G = 8$: $\\\\pi_{\\\\theta}(a \\\\mid q) = 0.8241$ at $\\\\pi_{ref}(a \\\\mid q) = 0.2$'
    """
    import numpy as np
    from matplotlib.figure import Figure

    from grpo_sym.numeric import stationary_binary

    fs = np.array(pi_ref_grid(200))
    fig = Figure(figsize=(5.2, 4.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for G, label, style in ((2, "$G = 2$, (14)", "--"), (math.inf, r"$G \to \infty$, (15)", "-.")):
        if G != group_size:
            ax.plot(fs, stationary_binary(fs, beta, group_size=G), color="0.55", linewidth=1,
                    linestyle=style, label=label)
    name = r"\infty" if group_size == math.inf else f"{group_size}"
    ax.plot(fs, stationary_binary(fs, beta, group_size=group_size), color="C0", linewidth=2,
            label=rf"$G = {name}$")
    value = float(stationary_binary(pi_ref, beta, group_size=group_size))
    ax.plot([pi_ref], [value], marker="o", color="C3", markersize=6)
    _frame(ax, rf"$\beta = {beta:.3g}$, $G = {name}$: $\pi_{{\theta}}(a \mid q) = {value:.4f}$ "
               rf"at $\pi_{{ref}}(a \mid q) = {pi_ref:.3g}$")
    ax.legend(fontsize=8, loc="lower right")
    return _settled(fig)


def write_figures(outdir: str, names: Sequence[str] | None = None,
                  formats: Sequence[str] = ("png", "pdf")) -> list[str]:
    """Save each figure as ``outdir/<name>.<format>``; returns the paths.

    Metadata that would change from run to run (creation date, software
    version) is left out, so repeated runs write identical files."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for name in names or FIGURES:
        fig = figure(name)
        for fmt in formats:
            path = os.path.join(outdir, f"{name}.{fmt}")
            meta = {"CreationDate": None, "Producer": None, "Creator": None} if fmt == "pdf" \
                else {"Software": None}
            fig.savefig(path, format=fmt, dpi=150, metadata=meta)
            paths.append(path)
    return paths
