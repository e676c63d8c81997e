"""The walkthroughs' stories: for each notebook, its chapters in reading order.

A chapter names the claims of its chain (ids only: statements, derivations and
prose come from the registry) and says in a few sentences why the chain
matters; ``code`` calls the numeric API or draws a figure after the chain.
Nothing here is a formula of the paper: the narrative refers to equations by
their numbers, and its ASCII mathematics is typeset like the claims' prose.

================  ================================================================
name              what it is
================  ================================================================
``Chapter``       a title, a short narrative, the claim ids of the chain, code
``STORIES``       notebook key (``derivations.PARTS``) -> its chapters
``INTROS``        notebook key -> the opening paragraph
================  ================================================================

>>> [c.title for c in STORIES["04_binary_questions"]][:2]
['Groups of two: the preference (16)', 'The stationarity condition (17)']
>>> STORIES["04_binary_questions"][1].claims[-1]
'eq17'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Chapter", "STORIES", "INTROS"]


@dataclass(frozen=True)
class Chapter:
    title: str
    story: str                    # prose before the chain (ASCII math is typeset)
    claims: tuple[str, ...]       # the chain, in reading order; each shown and checked
    code: str = ""                # after the chain: numbers, a figure, a widget
    after: str = ""               # prose after the chain, introducing ``code``


INTROS = {
    "01_advantage_and_preference":
        "GRPO scores each sampled output against the others of its group. This notebook "
        "follows the paper from that score, the normalised advantage (2), to the quantity "
        "that GRPO's objective really maximises: the expected reward preference (6) of a "
        "policy over the policy that sampled the group. On the way it checks the RLHF "
        "baseline (4) the paper compares against, and finds two statements printed "
        "wrongly.",
    "02_penalty_and_gradients":
        "GRPO's penalty is not the KL divergence itself but an estimator of it, averaged "
        "over the group. This notebook checks what that estimator is in expectation, (7), "
        "and what its gradients are, (8) to (10): the gradient that makes GRPO's "
        "alignment objective differ from RLHF's.",
    "03_stationarity":
        "Where does GRPO stop? At a stationary policy, where no small change of pi_theta "
        "improves the objective with pi_old = pi_theta. This notebook derives the "
        "condition (11) from the KKT conditions of Appendix A and its two readable forms, "
        "(12) for groups of two and (13) for large groups.",
    "04_binary_questions":
        "A question with two answers, a better one $a$ and a worse one $b$, is where the paper "
        "solves the stationarity condition in closed form. Groups of two give (14), large "
        "groups (15); both put more mass on $a$ than the reference policy does. This "
        "notebook follows both derivations step by step, draws the curves, and asks "
        "whether the stationary policy maximises the objective (not always).",
    "05_extensions":
        "Section 3 changes one ingredient at a time. With the direct KL penalty, groups "
        "of two give logarithmic pooling, and large groups have a threshold in beta below "
        "which GRPO drives the better answer to probability 1. With shift-only "
        "normalisation and the direct KL penalty GRPO is RLHF with an inflated beta.",
    "06_beyond_the_paper":
        "What the paper leaves open, settled by the same engine: every finite group size "
        "between (14) and (15), the trainers' conventions (Bessel's std, an epsilon in "
        "the denominator, beta = 0), and stochastic rewards, where some of the binary "
        "statements fail and are corrected.",
    "07_trainers_penalty_and_scaling":
        "Trainers do not compute the paper's penalty exactly: they pick a KL estimator "
        "(k1, k2, k3, clamped k3), place it in the loss, in the loss times the importance "
        "ratio, or in the reward, and scale rewards per group, per batch or not at all. This "
        "notebook checks which divergence each choice really follows, refutes three common "
        "beliefs, and asks how fast the better answer wins when beta = 0.",
}

STORIES: dict[str, tuple[Chapter, ...]] = {
    "01_advantage_and_preference": (
        Chapter(
            "The group-normalised advantage (2)",
            "Each output's reward is centred by the group's mean and scaled by its standard "
            "deviation. The advantage can be rewritten through pairwise differences of "
            "rewards, which is how groups of two become comparisons. The paper also says it "
            "is invariant to shifting and scaling the rewards; as printed this fails for a "
            "negative scale.",
            ("eq2", "s1.advantage.pairwise-form", "s1.advantage.shift-scale-invariance",
             "s1.advantage.shift-scale-invariance.corrected"),
            "from grpo_sym.grpo.advantage import advantage\n"
            "rewards = (1, 0, 0, 1, 1)\n"
            "[advantage(rewards, i) for i in range(len(rewards))]",
            "The advantages of one group of five, from the package's definition of (2):"),
        Chapter(
            "The RLHF baseline: (4) maximises (3)",
            "RLHF maximises the expected reward minus beta times the KL divergence to "
            "pi_ref; its maximiser is the Gibbs policy (4). The chain: Gibbs' inequality, "
            "the gap of any policy to (4) written as a KL divergence, hence (4) is the "
            "maximiser.",
            ("s1.1.gibbs", "s1.1.rlhf.gap", "eq4")),
        Chapter(
            "The reward preference (6)",
            "Averaged over groups, GRPO's reward term is the expected preference P_G of an "
            "output drawn from pi_theta over a group drawn from pi_old, (6); it rests on "
            "the exchangeability of the group's positions. For groups of two the paper "
            "prints P_2 as the probability that o beats o'; with stochastic rewards it is "
            "the difference of the two comparison probabilities. For large groups the "
            "preference becomes the standardised reward R_infinity.",
            ("s2.1.exchangeable-positions", "eq6", "s2.1.pairs.preference",
             "s2.1.pairs.preference.corrected", "s2.1.large.r-infinity")),
    ),
    "02_penalty_and_gradients": (
        Chapter(
            "The penalty in expectation (7)",
            "Each output of the group pays the penalty D_i, which is non-negative. Averaged "
            "over one output it is KL_0, and over the group it is (7). The paper calls it an "
            "unbiased estimator of the KL divergence on-policy; that fails for a policy that "
            "vanishes where pi_ref does not (which the paper's support assumption allows), "
            "and holds for interior policies.",
            ("s2.2.penalty-nonnegative", "s2.2.kl0-is-expected-penalty", "eq7",
             "s2.2.kl0-unbiased-on-policy", "s2.2.kl0-unbiased-on-policy.corrected")),
        Chapter(
            "The gradients (8), (9) and (10)",
            "The gradient of the penalty (8), of the KL divergence (9), and of the penalty "
            "on-policy (10). On-policy, (10) exceeds the gradient of the reverse KL "
            "divergence by the same constant in every coordinate, and (8) and (9) differ "
            "even there.",
            ("eq8", "eq9", "eq10", "s2.2.eq10-minus-reverse-kl-gradient",
             "s2.2.gradients-differ-on-policy")),
    ),
    "03_stationarity": (
        Chapter(
            "The KKT conditions (Appendix A)",
            "Maximise GRPO's objective over the simplex: the Lagrangian's gradient, "
            "stationarity, complementary slackness at an interior point, the multiplier "
            "found from the constraint that pi_theta sums to one, and (11).",
            ("a.kkt.lagrangian-gradient", "a.kkt.stationarity", "a.kkt.interior",
             "a.kkt.multiplier", "eq11")),
        Chapter(
            "What (11) says",
            "Solved for the preference, (11) bounds it strictly by its mean plus beta (with "
            "the support condition pi_ref(o) > 0); the paper's two-sided reading, within "
            "beta of the mean, fails. The stationary policy is pi_ref reweighted by a "
            "function of the preference, the g-form.",
            ("s2.3.advantage-gap", "s2.3.within-beta", "s2.3.strict-inequality",
             "s2.3.g-form")),
        Chapter(
            "Groups of two (12) and large groups (13)",
            "With the preference centred under pi (it averages to zero), (11) becomes (12) "
            "for groups of two and (13) for large groups. The paper's remark that a more "
            "concentrated policy has a smaller standard deviation of the reward fails as a "
            "comparison; what holds is a bound that vanishes as the policy concentrates.",
            ("s2.3.centred", "eq12", "eq13", "s2.3.concentration",
             "s2.3.concentration.corrected")),
    ),
    "04_binary_questions": (
        Chapter(
            "Groups of two: the preference (16)",
            "For two answers the expected sign of a reward comparison is the confidence "
            "margin gamma_{a,b}. The paper's derivation of (16) has a slip in its third "
            "line; corrected, the chain gives (16): the reward term is gamma_{a,b} times "
            "the change of the better answer's probability.",
            ("b1.pairs.sign.margin", "b1.pairs.eq16.line3", "b1.pairs.eq16.line3.corrected",
             "eq16")),
        Chapter(
            "The stationarity condition (17)",
            "The objective J is (16) minus beta times the penalty; differentiate in "
            "pi_theta(a), set pi_old = pi_theta, and set the derivative to zero.",
            ("b1.pairs.objective", "b1.pairs.objective.derivative.on-policy", "eq17")),
        Chapter(
            "The quadratic and its root (14)",
            "Multiplying out, (17) is a quadratic in pi_theta(a); its non-negative root is "
            "(14), and conversely (14) solves (17). The lower bound shows the bias towards "
            "the better answer: close to 1 when beta is small against gamma, whatever "
            "pi_ref(a) is; the figure shows the jump at pi_ref(a) = 0 when beta < gamma.",
            ("b1.pairs.quadratic", "eq14", "b1.pairs.root-solves-eq17",
             "s2.3.1.pairs.lower-bound"),
            'figure_png("figure1")',
            "The paper's Figure 1, drawn from the package's solver for (14):"),
        Chapter(
            "Large groups: (18), (19) and (15)",
            "For large groups the preference is the standardised reward; the paper's (18) "
            "prints a wrong coefficient, and the corrected (18) is what the objective J uses. "
            "Stationarity gives (19); squaring it gives a quadratic, which has one root "
            "too many; the root above pi_ref(a) is (15).",
            ("eq18", "eq18.corrected", "b1.large.stationarity", "eq19",
             "b1.large.quadratic", "b1.large.quadratic.other-root", "eq15"),
            'figure_png("figure2")',
            "The paper's Figure 2, from (15):"),
        Chapter(
            "Larger groups are more biased; and is it a maximiser?",
            "Large groups are more biased towards the better answer than groups of two. "
            "The paper defines a stationary policy as a maximiser of J with pi_old frozen "
            "at it; (14) need not be one, and the corrected statement says where it is. "
            "Move the sliders to see how beta, the group size G and pi_ref(a) move the "
            "stationary policy between (14) and (15).",
            ("s2.3.1.large.more-biased", "s2.3.1.pairs.maximiser",
             "s2.3.1.pairs.maximiser.corrected"),
            "stationary_explorer(beta=0.5, group_size=2, pi_ref=0.2)",
            "The stationary probability of the better answer for any beta, G and pi_ref(a) "
            "(the numeric solvers of `grpo_sym.numeric`; with no kernel running, the first "
            "view is shown as a picture):"),
    ),
    "05_extensions": (
        Chapter(
            "The direct KL penalty",
            "Replace GRPO's estimator by the KL divergence itself. The printed expectation "
            "of the penalty fails for a policy that vanishes where pi_ref does not; the "
            "importance-weighted one is the KL divergence, and the "
            "stationary policy is pi_ref reweighted exponentially in the preference, "
            "normalised by Z_q.",
            ("s3.direct-kl.penalty.printed", "s3.direct-kl.expected-penalty",
             "s3.direct-kl.stationary-form", "s3.direct-kl.normalised")),
        Chapter(
            "Groups of two: logarithmic pooling",
            "For a binary question the derivative, stationarity, and the closed form; J is "
            "strictly concave, so the closed form is the unique maximiser.",
            ("b2.pairs.derivative", "b2.pairs.stationarity", "b2.pairs.closed-form",
             "b2.pairs.strictly-concave"),
            'figure_png("figure3")',
            "The paper's Figure 3:"),
        Chapter(
            "Large groups: the threshold",
            "On-policy the derivative is beta h(p); h has a unique minimum, and the sign "
            "of that minimum decides whether interior stationary points exist: the "
            "threshold. Of two stationary points the paper says both are stable; only "
            "the smaller one is.",
            ("b2.large.objective.derivative.on-policy", "b2.large.h.minimum",
             "b2.large.threshold.equation", "b2.large.zeros.both-stable",
             "b2.large.zeros.smaller-stable"),
            "from grpo_sym.numeric import direct_kl_threshold\n"
            "for pi_ref in (0.01, 0.1, 0.5):\n"
            "    print(f\"pi_ref(a|q) = {pi_ref}: beta* = {direct_kl_threshold(pi_ref):.6f}\")",
            "The threshold for a few reference probabilities; below it on-policy GRPO "
            "drives the better answer to probability 1:"),
        Chapter(
            "Shift-only normalisation, and not logarithmic pooling",
            "Without the division by the standard deviation and with the direct KL "
            "penalty, GRPO's objective is maximised by the RLHF policy (4) at an inflated "
            "beta; with GRPO's own penalty, (11) takes the form of (13) with a rescaled "
            "beta. And with GRPO's penalty, groups of two are not logarithmic pooling.",
            ("s3.shift-only.direct-kl.maximiser", "s3.shift-only.eq11",
             "s3.pooling.pairs.differ")),
    ),
    "06_beyond_the_paper": (
        Chapter(
            "Every finite group size",
            "For a binary question and any group size G the preference is a Bernstein "
            "polynomial; stationarity has a unique solution, above pi_ref(a), increasing "
            "in G and below the large-group limit (15).",
            ("x1.stationarity", "x1.stationarity.bernstein", "x1.stationary.unique",
             "x1.stationary.increasing-in-g", "x1.stationary.below-large-group"),
            "stationary_explorer(beta=0.5, group_size=8, pi_ref=0.2)",
            "The stationary probability for any G between (14) and (15) (with no kernel "
            "running, the first view is shown as a picture):"),
        Chapter(
            "The trainers' conventions",
            "Bessel's correction acts as a larger effective beta; an epsilon in the "
            "denominator pulls the stationary policy towards pi_ref; with beta = 0 there "
            "is no interior stationary policy at all.",
            ("x2.bessel.effective-beta", "x2.eps.towards-reference",
             "x2.beta-zero.no-interior-stationary"),
            "from IPython.display import Markdown\n"
            "from grpo_sym.render.tables import presets_markdown\n"
            "Markdown(presets_markdown())",
            "Where each trainer's settings drive a binary question, and the divergence each "
            "penalises:"),
        Chapter(
            "Stochastic rewards",
            "With noisy rewards (15) no longer gives the stationary policy and its lower "
            "bound fails; the corrected statements replace them. The GRPO update itself, "
            "run from several starting policies, lands where the solver predicts.",
            ("x3.large.eq15", "x3.large.eq15.corrected", "x3.large.lower-bound",
             "x3.large.lower-bound.corrected"),
            'figure_png("trajectories")',
            "The update (1) against the predicted stationary policies:"),
    ),
    "07_trainers_penalty_and_scaling": (
        Chapter(
            "What each estimator follows, in the loss",
            "On policy the expected gradient of an estimator in the loss is E_pi[k'(o) "
            "grad log pi(o)]: k1 gives zero, k2 the gradient of KL(pi || pi_ref), k3 (the "
            "paper's penalty) the gradient of KL(pi_ref || pi).",
            ("x4.loss.k1.gradient", "x4.loss.k1.divergence", "x4.loss.k2.divergence",
             "x4.loss.k3.divergence")),
        Chapter(
            "With the importance ratio, and the beliefs it corrects",
            "Multiplied by the ratio pi_theta/pi_old, k1 and k3 both follow the direct KL "
            "(the paper's Section 3). The belief that the k3 term gives an unbiased KL "
            "gradient is refuted, and so are two more.",
            ("x4.ratio.k1.divergence", "x4.ratio.k3.divergence",
             "x4.belief.k3-gradient-is-kl-gradient", "x4.belief.k1-loss-penalises-kl",
             "x4.belief.k2-value-unbiased")),
        Chapter(
            "In the reward",
            "Subtracted from the reward before the group normalisation, k1 is RLHF's direct "
            "KL; k3 climbs KL(pi || pi_ref) - KL(pi_ref || pi), which is not a divergence.",
            ("x4.reward.k1.divergence", "x4.reward.k3.divergence", "x4.reward.k3.indefinite",
             "x4.belief.k3-reward-penalises-kl"),
            "from grpo_sym.numeric import from_config\n"
            "reading = from_config({'beta': 0.04, 'num_generations': 8})   # TRL's key names\n"
            "print(reading.divergence)\n"
            "for pi_ref in (0.01, 0.1, 0.5, 0.9):\n"
            "    print(pi_ref, reading.stationary(pi_ref))",
            "A trainer's own config, read into the model: the divergence it penalises and "
            "where a binary question ends:"),
        Chapter(
            "Reward scaling and dynamic sampling",
            "Bessel's std and a batch std rescale beta; without a std (Dr. GRPO) the direct "
            "KL gives RLHF's policy; dropping groups of equal rewards (DAPO) weakens the pull "
            "of the penalty towards pi_ref.",
            ("x5.bessel.kkt", "x5.batch.direct-kl.maximiser", "x5.none.reward-k1",
             "x5.dynamic.kept-average", "x5.dynamic.binary.loss-k3", "x5.dynamic.binary.weaker")),
        Chapter(
            "beta = 0: how fast the better answer wins",
            "With no penalty p = pi_theta(a) goes to 1. With std scaling and large groups "
            "2 asin sqrt p is the natural rule's clock, so p reaches 1 in finite time; the "
            "simulator's softmax update never does, and shift-only scaling is logistic.",
            ("x6.large.margin", "x6.large.natural.clock", "x6.large.natural.finite-time",
             "x6.large.logits.finite-time", "x6.large.logits.never",
             "x6.shift-only.natural.finite-time", "x6.shift-only.natural.infinite-time"),
            'figure_png("zero_beta")',
            "1 - pi_theta(a) against time under each scaling and update rule:"),
    ),
}
