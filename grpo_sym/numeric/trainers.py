"""What a trainer's GRPO settings penalise, and where they drive a binary question.

A binary question has a better answer a (reward 1) and b (reward 0); p = pi_theta(a),
f = pi_ref(a), and for each output o the log-ratio ``l(o) = log(pi_theta(o)/pi_ref(o))``.
On policy (pi_old = pi_theta) the expected update of the logit moves p with the sign of

    F(p) = [P_G(a) - P_G(b)] - beta [w(a) h(a) - w(b) h(b)],

where ``P_G(a) - P_G(b)`` is the reward's part (it depends on the scaling, below), h(o) is
the penalty's on-policy gradient in pi_theta(o) times pi_theta(o), and w(o) = 1, or
``1 - pi_theta(o)^(G - 1)`` (the chance that a group holding o is not all o) with dynamic
sampling.  On-policy GRPO started at pi_ref stops at the first zero of F on its way (up if
F(f) > 0, down if F(f) < 0), or reaches 1 (or 0): that is the *stationary policy* here, the
convention of :mod:`.stationary` and of the paper's Sec. 3.

The estimators (``estimator``; the value v(l) and its derivative D(l) = dv/dl, the
gradient of v with respect to log pi_theta):

==========  =============================  ===================  ==========================
estimator   value v(l)                     D(l) = dv/dl         as an object, its v / D
==========  =============================  ===================  ==========================
k1          l                              1                    KL / none
k2          l^2/2                          l                    E[k2] - KL / KL
k3          r - log r - 1, r = e^-l        1 - r                KL - RKL / RKL
==========  =============================  ===================  ==========================

(KL = KL(pi_theta || pi_ref), the direct KL; RKL = KL(pi_ref || pi_theta), the reverse KL;
E[k2] = E_pi_theta[l^2/2].)  A separable objective sum_o Phi(pi(o)) has h(o) = pi Phi'(pi):
KL has h = l + 1, RKL has h = -r, E[k2] has h = l^2/2 + l -- constants cancel in
h(a) - h(b) -- so each estimator and placement follows the gradient of a combination of
the three, which :func:`divergence_penalised` names.  ``straight_through`` (verl's "k1+",
"k3+", "low_var_kl+") keeps the value and takes the gradient of k2 (D = l).
``log_ratio_clamp`` (verl's k3/low_var_kl: 20) clamps l inside v, ``value_clamp`` (verl's
k3: 10, OpenRLHF: 10 for every estimator) clamps v; where a clamp binds, torch's clamp
passes no gradient (D = 0; the straight-through gradient is not clamped).

The placements (``placement``):

* ``"loss"``: beta v in the loss, samples from pi_old, no importance ratio (TRL's default,
  verl ``use_kl_loss``, OpenRLHF ``use_loss``): h = D.  k1 -> zero expected gradient,
  k2 -> KL, k3 -> RKL (the paper's (8)-(10) and (11)).
* ``"loss_ratio"``: beta rho v with rho = pi_theta/pi_old not detached (TRL
  ``use_bias_correction_kl``): h = v + D.  k1 -> KL, k3 -> KL (the paper's Sec. 3), k2 ->
  E[k2] (not a KL).
* ``"advantage"``: -beta v added to the reward *after* the group normalisation, detached
  (OpenRLHF: ``compute_reward`` on the normalised reward): h = v.  k1 -> KL, k3 -> KL - RKL.
* ``"reward"``: -beta v added to the reward *before* the group normalisation (verl
  ``use_kl_in_reward``).  The two rewards 1 - beta v(a) and -beta v(b) differ by
  ``Delta = 1 - beta (v(a) - v(b))``, so every advantage is sign(Delta) times that of rewards
  1, 0 (with eps/|Delta| for eps): F has the sign of Delta, and the stationary policy
  solves ``beta (v(a) - v(b)) = 1`` whatever the scaling, G and eps.

The scalings (``scaling``): ``"group"`` divides by the group's std + eps (``std``
population or Bessel): P_G(a) - P_G(b) = g(p)/(p (1 - p)) with g of :mod:`.kernel`;
``"batch"`` (TRL ``scale_rewards="batch"``) divides by one std over the whole batch, modelled
as a constant ``batch_std`` s (a batch of many questions, which this one does not move):
P_G(a) - P_G(b) = (G - 1)/(G (s + eps)); ``"none"`` (Dr. GRPO, verl
``norm_adv_by_std_in_grpo=False``, OpenRLHF ``dr_grpo``) only subtracts the mean:
(G - 1)/G.  Dynamic sampling (DAPO) drops the groups whose rewards are all equal: their
advantages are 0 already, so the reward's part is divided by the chance Z of keeping a
group, while the penalty is averaged over the kept samples only -- the weights w(o) above
(after multiplying F by Z).

What does not move the stationary point of a one-token question: the loss aggregation
(``loss_type`` grpo / dapo / dr_grpo / bnpo, verl ``loss_agg_mode``) multiplies every
per-sample term, reward and penalty alike, by one positive constant when each completion
has one token; the clip range (epsilon, epsilon_high): on policy every ratio is 1, strictly
inside [1 - eps_low, 1 + eps_high], so the clipped and unclipped gradients agree; the
learning rate, the number of updates per batch and the batch size scale or repeat the same
expected step.  They change the dynamics, not where F = 0.

===========================================  ==============================================
function                                     returns
===========================================  ==============================================
``TrainerSettings(...)``                     the settings that decide the stationary policy
``stationary_trainer(pi_ref, settings)``     (pi_theta(a), pi_theta(b)) for any G
``divergence_penalised(settings)``           what the penalty's expected gradient follows
``penalty_value(l, settings)``               v(l), as the trainer computes it
``penalty_slope(l, settings)``               D(l) = dv/dl, as backpropagated
``drift(p, pi_ref, settings)``               F(p) above (its sign moves p), mpmath
===========================================  ==============================================

>>> s = TrainerSettings(beta=0.04, group_size=8, std="bessel", eps=1e-4)
>>> divergence_penalised(s)
'KL(pi_ref || pi_theta) (reverse KL)'
>>> stationary_trainer(0.2, s).a                      # the paper's penalty, TRL's std
0.9868703389988354
>>> divergence_penalised(TrainerSettings(beta=0.04, placement="loss_ratio"))
'KL(pi_theta || pi_ref) (direct KL)'
>>> divergence_penalised(TrainerSettings(beta=0.04, estimator="k1"))
'none: the expected gradient is zero on policy'
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

import mpmath
import numpy as np

from . import validate
from .binary import BinaryPolicy
from .kernel import Kernel, sums_mp
from .stationary import stationary_binary_pair

__all__ = ["ESTIMATORS", "PLACEMENTS", "SCALINGS", "TrainerSettings", "stationary_trainer",
           "divergence_penalised", "penalty_value", "penalty_slope", "drift"]

ESTIMATORS = ("k1", "k2", "k3")
PLACEMENTS = ("loss", "loss_ratio", "advantage", "reward")
SCALINGS = ("group", "batch", "none")

# the scan for the first zero of F: steps of 1/8 in logit p for 32 units, then steps
# growing by 10% out to 10^6 units (1 - p = e^-10^6): beyond, F keeps the sign it has there
_STEP, _NEAR, _FAR = 0.125, 32, 10**6


@dataclass(frozen=True)
class TrainerSettings:
    """The settings of a GRPO trainer that decide where a binary question ends.

    Options
    -------
    beta : penalty coefficient, >= 0 (0: no penalty)
    group_size : G, an integer >= 2, or inf
    estimator : ``"k1"``, ``"k2"`` or ``"k3"`` (see the module table)
    straight_through : value of ``estimator``, gradient of k2 (verl's "+" names)
    log_ratio_clamp : None, or c > 0: l is clamped to [-c, c] inside the value (verl k3: 20)
    value_clamp : None, or V > 0: the value is clamped to [-V, V] (verl k3, OpenRLHF: 10)
    placement : ``"loss"``, ``"loss_ratio"``, ``"advantage"`` or ``"reward"``
    scaling : ``"group"``, ``"batch"`` or ``"none"``
    std : ``"population"`` or ``"bessel"`` (group scaling)
    eps : >= 0, added to the std (group and batch scaling)
    batch_std : s > 0, the batch's reward std (batch scaling; 1/2 is the largest std of
        rewards 0 and 1)
    dynamic_sampling : drop the groups whose rewards are all equal (DAPO)

    >>> TrainerSettings(beta=0.001, estimator="k3", value_clamp=10, log_ratio_clamp=20)
    ... # doctest: +ELLIPSIS
    TrainerSettings(beta=0.001, group_size=2, estimator='k3', ...)
    >>> TrainerSettings(beta=0.1, placement="kl")
    Traceback (most recent call last):
    ...
    ValueError: placement must be one of 'loss', 'loss_ratio', 'advantage', 'reward', got 'kl'
    """

    beta: object = 0.0
    group_size: object = 2
    estimator: str = "k3"
    straight_through: bool = False
    log_ratio_clamp: object = None
    value_clamp: object = None
    placement: str = "loss"
    scaling: str = "group"
    std: str = "population"
    eps: object = 0.0
    batch_std: object = Fraction(1, 2)
    dynamic_sampling: bool = False

    def __post_init__(self):
        # numbers are kept as given, decimal text read exactly (validate.real)
        store = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        store("beta", validate.nonnegative("beta", self.beta))
        store("group_size", validate.group_size_value(self.group_size))
        validate.choice("estimator", self.estimator, ESTIMATORS)
        validate.choice("placement", self.placement, PLACEMENTS)
        validate.choice("scaling", self.scaling, SCALINGS)
        validate.choice("std", self.std, ("population", "bessel"))
        store("eps", validate.nonnegative("eps", self.eps))
        store("batch_std", validate.positive("batch_std", self.batch_std))
        for name in ("log_ratio_clamp", "value_clamp"):
            if getattr(self, name) is not None:
                store(name, validate.positive(name, getattr(self, name)))
        for name in ("straight_through", "dynamic_sampling"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")

    def stationary(self, pi_ref, *, dps: int | None = None) -> BinaryPolicy:
        """:func:`stationary_trainer` for these settings."""
        return stationary_trainer(pi_ref, self, dps=dps)


# -- the penalty as the trainers compute it ---------------------------------------------

def _ops(l):
    """(expm1, clip, constant) for mpmath numbers or numpy arrays (the simulator's)."""
    if isinstance(l, np.ndarray):
        return np.expm1, np.clip, float
    return mpmath.expm1, (lambda x, lo, hi: min(max(x, lo), hi)), validate.to_mpf


def penalty_value(l, s: TrainerSettings):
    """v(l): the estimator at log-ratio l = log(pi_theta/pi_ref), clamps applied (an mpmath
    number, or a numpy array elementwise).

    >>> print(penalty_value(mpmath.mpf(-30), TrainerSettings(log_ratio_clamp=20)))
    485165174.40979
    >>> print(penalty_value(mpmath.mpf(-30), TrainerSettings(log_ratio_clamp=20,
    ...                                                       value_clamp=10)))
    10.0
    >>> penalty_value(np.array([-1.0, 1.0]), TrainerSettings(estimator="k2"))
    array([0.5, 0.5])
    """
    expm1, clip, const = _ops(l)
    if s.log_ratio_clamp is not None and s.estimator == "k3":
        c = const(s.log_ratio_clamp)
        l = clip(l, -c, c)
    if s.estimator == "k1":
        v = l
    elif s.estimator == "k2":
        v = l * l / 2
    else:
        v = expm1(-l) + l              # r - log r - 1 with r = e^-l, no cancellation near 0
    if s.value_clamp is not None:
        V = const(s.value_clamp)
        v = clip(v, -V, V)
    return v


def penalty_slope(l, s: TrainerSettings):
    """D(l) = dv/dl as torch backpropagates it: 0 where a clamp binds, l with straight-through
    (mpmath, or numpy elementwise).

    >>> [float(penalty_slope(mpmath.mpf(x), TrainerSettings(value_clamp=10)))
    ...  for x in (-1, -20)]                                  # k3 = e^20 - 21 > 10 at -20
    [-1.7182818284590453, 0.0]
    """
    if s.straight_through:
        return l                        # backward of 0.5 (logp - ref)^2, not clamped
    expm1, _, const = _ops(l)
    slope = {"k1": 1 + 0 * l, "k2": l, "k3": -expm1(-l)}[s.estimator]     # 1 - r for k3
    binds = np.zeros(np.shape(l), dtype=bool) if isinstance(l, np.ndarray) else False
    if s.log_ratio_clamp is not None and s.estimator == "k3":
        binds = abs(l) > const(s.log_ratio_clamp)
    if s.value_clamp is not None:
        binds = binds | (abs(penalty_value(l, replace(s, value_clamp=None)))
                         > const(s.value_clamp))
    if isinstance(l, np.ndarray):
        return np.where(binds, 0.0, slope)
    return mpmath.mpf(0) if binds else slope


def _h(l, s: TrainerSettings):
    """h(o) as a function of l(o) (placements other than ``"reward"``)."""
    if s.placement == "loss":
        return penalty_slope(l, s)
    if s.placement == "loss_ratio":
        return penalty_value(l, s) + penalty_slope(l, s)
    return penalty_value(l, s)


# -- which divergence: combinations of KL, RKL and E[k2] --------------------------------

# v and D of each estimator as (KL, RKL, E[k2]) coefficients (the module table)
_VALUE = {"k1": (1, 0, 0), "k2": (-1, 0, 1), "k3": (1, -1, 0)}
_SLOPE = {"k1": (0, 0, 0), "k2": (1, 0, 0), "k3": (0, 1, 0)}
_NAMES = ("KL(pi_theta || pi_ref)", "KL(pi_ref || pi_theta)",
          "E_pi_theta[log(pi_theta/pi_ref)^2]/2")


def _combination(s: TrainerSettings) -> tuple:
    """h as coefficients of (KL, RKL, E[k2]), clamps ignored."""
    slope = _SLOPE["k2"] if s.straight_through else _SLOPE[s.estimator]
    value = _VALUE[s.estimator]
    if s.placement == "loss":
        return slope
    if s.placement == "loss_ratio":
        return tuple(x + y for x, y in zip(value, slope))
    return value


def divergence_penalised(s: TrainerSettings) -> str:
    """The objective whose gradient the penalty's expected update follows on policy.

    With ``placement="reward"`` the penalty acts only through the sign of the reward gap
    1 - beta (v(a) - v(b)); the object named is the one whose gradient that gap carries.

    >>> divergence_penalised(TrainerSettings(beta=0.01, estimator="k1", placement="advantage",
    ...                                      value_clamp=10))
    'KL(pi_theta || pi_ref) (direct KL); no gradient where |v| > 10'
    >>> divergence_penalised(TrainerSettings(beta=0.01, estimator="k3", placement="advantage"))
    'KL(pi_theta || pi_ref) - KL(pi_ref || pi_theta) (not a divergence: it can be negative)'
    >>> divergence_penalised(TrainerSettings(beta=0.0))
    'none (beta = 0)'
    """
    if s.beta == 0:
        return "none (beta = 0)"
    comb = _combination(s)
    if comb == (0, 0, 0):
        text = "none: the expected gradient is zero on policy"
    elif comb == (1, 0, 0):
        text = f"{_NAMES[0]} (direct KL)"
    elif comb == (0, 1, 0):
        text = f"{_NAMES[1]} (reverse KL)"
    elif comb == (0, 0, 1):
        text = f"{_NAMES[2]} (not a KL)"
    else:
        terms = []
        for coef, name in zip(comb, _NAMES):
            if coef:
                sign = "-" if coef < 0 else "+"
                mag = "" if abs(coef) == 1 else f"{abs(coef)} "
                terms.append(f"{sign} {mag}{name}")
        text = " ".join(terms).lstrip("+ ")
        if text.startswith("- "):
            text = "-" + text[2:]
        text += (" (not a divergence: it can be negative)" if any(c < 0 for c in comb)
                 else " (a sum of divergences)")
    notes = []
    if s.placement == "reward":
        notes.append("in the reward before the std: only the sign of 1 - beta (v(a) - v(b)) "
                     "acts")
    # |l| > 20 means k3 > 19: a value clamp of at most 19 already says it
    if s.log_ratio_clamp is not None and s.estimator == "k3" and not s.straight_through and \
            (s.value_clamp is None or s.value_clamp > 19):
        notes.append(f"no gradient where |l| > {s.log_ratio_clamp:g}")
    if s.value_clamp is not None and not (s.straight_through and s.placement == "loss"):
        notes.append(f"no gradient where |v| > {s.value_clamp:g}")
    if s.dynamic_sampling:
        notes.append("weighted by 1 - pi_theta(o)^(G-1) (dynamic sampling)")
    return "; ".join([text] + notes)


# -- the drift F and the stationary policy ----------------------------------------------

def _as_mpf(x):
    return x if isinstance(x, mpmath.mpf) else validate.to_mpf(x)


def _reward_part(s: TrainerSettings, kern: Kernel | None, p, q, prec: int):
    """P_G(a) - P_G(b) at pi_old(a) = p, q = 1 - p (both given: either may be tiny)."""
    G = s.group_size
    if s.scaling == "group":
        if p <= q:
            g_over_x = sums_mp(kern, p, "a", prec)[0]
            return g_over_x / q
        return sums_mp(kern, q, "b", prec)[0] / p
    share = 1 if G == math.inf else mpmath.mpf(G - 1) / G
    if s.scaling == "none":
        return mpmath.mpf(share)
    return share / (_as_mpf(s.batch_std) + _as_mpf(s.eps))


def drift(p, pi_ref, s: TrainerSettings, *, q=None, prec: int = 120):
    """F(p) of the module docstring (mpmath, at ``prec`` bits): p moves with its sign.

    Options
    -------
    p : pi_theta(a) in (0, 1); q : 1 - p when p is too close to 1 to hold it (optional)
    pi_ref : pi_ref(a) in (0, 1)
    s : the settings
    prec : working precision in bits

    >>> s = TrainerSettings(beta=0.04)                  # G = 2: F = 1 - beta (p - f)/(p (1 - p))
    >>> float(drift(0.5, 0.2, s)), 1 - 0.04 * 0.3 / 0.25
    (0.952, 0.952)
    """
    with mpmath.workprec(prec):
        p = _as_mpf(p)
        q = 1 - p if q is None else _as_mpf(q)
        f = _as_mpf(pi_ref)
        beta = _as_mpf(s.beta)
        la = mpmath.log(p) - mpmath.log(f)
        lb = mpmath.log(q) - mpmath.log1p(-f)
        if s.placement == "reward":
            return 1 - beta * (penalty_value(la, s) - penalty_value(lb, s))
        G = s.group_size
        kern = Kernel(G, s.std, _as_mpf(s.eps)) if s.scaling == "group" else None
        wa = wb = mpmath.mpf(1)
        if s.dynamic_sampling and G != math.inf:
            wa, wb = -mpmath.powm1(p, G - 1), -mpmath.powm1(q, G - 1)
        return _reward_part(s, kern, p, q, prec) - beta * (wa * _h(la, s) - wb * _h(lb, s))


def stationary_trainer(pi_ref, s: TrainerSettings, *, dps: int | None = None) -> BinaryPolicy:
    """(pi_theta(a), pi_theta(b)) where on-policy GRPO with settings ``s`` stops.

    Where the penalty's gradient is the reverse KL (k3 in the loss) or a multiple of the
    direct KL (clamps not binding), the solvers of :mod:`.stationary` answer (any G, exact
    inputs exact at ``dps``): batch and no scaling are groups of two at beta G (s + eps)/(G - 1);
    the reward placement with k1 is the direct-KL closed form at beta.  Every other case
    (E[k2], the combinations, binding clamps, dynamic sampling) is the first sign change of
    :func:`drift` on the way from pi_ref, found by a scan in logit p (steps of 1/8 for 32
    units, then growing by 10% to 10^6 units; no sign change: 1) and bisection.

    Options
    -------
    pi_ref : pi_ref(a) of the better answer, in [0, 1]
    s : :class:`TrainerSettings`
    dps : None for floats, or the number of significant digits (mpmath)

    >>> stationary_trainer(0.5, TrainerSettings(beta=0.04, group_size=64)).a   # DeepSeekMath
    0.9973689747069959
    >>> stationary_trainer(0.1, TrainerSettings(beta=0.001, group_size=5, std="bessel",
    ...     eps=1e-6, value_clamp=10, log_ratio_clamp=20)).a    # verl: the clamp frees b
    1.0
    >>> stationary_trainer(0.1, TrainerSettings(beta=1, estimator="k2",
    ...                                         placement="loss_ratio")).a   # E[k2]
    0.1953980154454266
    """
    f = validate.probability("pi_ref", pi_ref)
    if not isinstance(s, TrainerSettings):
        raise ValueError(f"settings must be a TrainerSettings, got {type(s).__name__}")
    dps = validate.digits(dps)
    if f == 0 or f == 1 or s.beta == 0:
        a = f if (f == 0 or f == 1) else 1
        return _done(a, 1 - a, dps)
    routed = _routed(f, s, dps)
    if routed is not None and not _clamp_binds(routed, f, s):
        return routed
    return _scan(f, s, dps)


def _done(a, b, dps):
    if dps is None:
        return BinaryPolicy(float(a), float(b))
    with mpmath.workdps(dps):
        return BinaryPolicy(+_as_mpf(a), +_as_mpf(b))


def _routed(f, s: TrainerSettings, dps):
    """The cases the solvers of :mod:`.stationary` answer, or None."""
    comb = _combination(s)
    if s.dynamic_sampling or comb not in ((0, 1, 0), (1, 0, 0), (0, 0, 0)):
        return None
    if comb == (0, 0, 0) and s.placement != "reward":
        return _done(1, 0, dps)                   # no pull back: the better answer wins
    if s.placement == "reward":
        if comb != (1, 0, 0):
            return None
        # beta (logit p - logit f) = 1: the direct-KL closed form of groups of two
        return stationary_binary_pair(f, s.beta, group_size=2, penalty="kl", dps=dps)
    penalty = "grpo" if comb == (0, 1, 0) else "kl"
    if s.scaling == "group":
        return stationary_binary_pair(f, s.beta, group_size=s.group_size, std=s.std,
                                      eps=s.eps, penalty=penalty, dps=dps)
    # a constant reward part c: the groups of two (reward part 1) at beta/c
    with mpmath.workdps((dps or 17) + 40):
        G = s.group_size
        c = 1 if G == math.inf else mpmath.mpf(G - 1) / G
        if s.scaling == "batch":
            c = c / (_as_mpf(s.batch_std) + _as_mpf(s.eps))
        beta = _as_mpf(s.beta) / c
    return stationary_binary_pair(f, beta if dps else float(beta), group_size=2,
                                  penalty=penalty, dps=dps)


def _clamp_binds(res: BinaryPolicy, f, s: TrainerSettings) -> bool:
    """Whether a clamp binds at the routed answer (|l| and v grow along the way there)."""
    if s.log_ratio_clamp is None and s.value_clamp is None:
        return False
    if res.a == 0 or res.b == 0:
        return True
    with mpmath.workprec(120):
        fm = _as_mpf(f)
        for l in (mpmath.log(_as_mpf(res.a) / fm), mpmath.log(_as_mpf(res.b) / (1 - fm))):
            if s.log_ratio_clamp is not None and s.estimator == "k3" and \
                    abs(l) > _as_mpf(s.log_ratio_clamp):
                return True
            if s.value_clamp is not None and \
                    abs(penalty_value(l, replace(s, value_clamp=None))) > _as_mpf(s.value_clamp):
                return True
    return False


def _scan(f, s: TrainerSettings, dps):
    """The first sign change of F along logit p from logit f, then bisection."""
    digits = dps or 17
    prec = int(digits * 3.33) + 40
    with mpmath.workprec(prec):
        fm = _as_mpf(f)
        tf = mpmath.log(fm) - mpmath.log1p(-fm)

        def F(t):
            p, q = 1 / (1 + mpmath.exp(-t)), 1 / (1 + mpmath.exp(t))
            return drift(p, fm, s, q=q, prec=prec)

        F0 = F(tf)
        if F0 == 0:
            return _done(fm, 1 - fm, dps)
        up = F0 > 0
        sign = 1 if up else -1
        d_prev, d = mpmath.mpf(0), mpmath.mpf(_STEP)
        grow = mpmath.mpf(11) / 10
        while True:
            if F(tf + sign * d) * F0 <= 0:
                break
            d_prev = d
            d = d + _STEP if d < _NEAR else d * grow
            if d > _FAR:
                return _done(1, 0, dps) if up else _done(0, 1, dps)
        lo, hi = tf + sign * d_prev, tf + sign * d
        # bisection to a relative width of 2^-(prec - 20) in 1/(1 + e^-+t)
        for _ in range(prec + 64):
            mid = (lo + hi) / 2
            if F(mid) * F0 > 0:
                lo = mid
            else:
                hi = mid
            if abs(hi - lo) <= mpmath.ldexp(1, -(prec - 20)):
                break
        t = (lo + hi) / 2
        return _done(1 / (1 + mpmath.exp(-t)), 1 / (1 + mpmath.exp(t)), dps)
