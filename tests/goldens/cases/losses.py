"""Golden cases of the losses of org.weft.nn.losses: binary_cross_entropy_with_logits, mse_loss,
kl_div (torch.nn.functional's), and the papers' losses, whose PyTorch references are written
here: kl_distillation (paper 002), mmd (paper 000, DAN's multi-kernel MMD in its usual PyTorch
form), weight_constraint (paper 000) and verification_loss (paper 003), each as PAPERS.md states it.

Every case is held to 1e-5: each loss reduces over its elements, and Weft accumulates in double
where PyTorch accumulates in float.
"""
import math
import warnings

import torch
import torch.nn.functional as F

TOL = 1e-5


def build(g):
    # mse_loss and kl_div warn on purpose when shapes broadcast or reduction="mean" (kl_div).
    warnings.simplefilter("ignore", UserWarning)
    bce_with_logits(g)
    mse(g)
    kl_div(g)
    kl_distillation(g)
    mmd(g)
    weight_constraint(g)
    verification(g)


def dtype_of(x):
    return x.base.dtype if hasattr(x, "views") else x.dtype


# ---------------------------------------------------------------- binary_cross_entropy_with_logits

def bce_with_logits(g):
    def case(x, target, weight=None, pos_weight=None, reduction="mean", **kw):
        inputs = {"x": x, "target": target}
        # PyTorch defines no gradient for weight and pos_weight (Weft's composition has one).
        if weight is not None:
            inputs["weight"] = g.input(weight, requires_grad=False)
        if pos_weight is not None:
            inputs["pos_weight"] = g.input(pos_weight, requires_grad=False)
        names = list(inputs)

        def fn(*values):
            v = dict(zip(names, values))
            return F.binary_cross_entropy_with_logits(v["x"], v["target"], weight=v.get("weight"),
                                                      pos_weight=v.get("pos_weight"), reduction=reduction)

        g.case("binary_cross_entropy_with_logits", fn, inputs,
               args={"reduction": reduction, "weight": weight is not None, "pos_weight": pos_weight is not None},
               tol=TOL, **kw)

    for reduction in ("mean", "sum", "none"):
        case(g.randn(4, 5), g.rand(4, 5), reduction=reduction, gradgradcheck=True)
        case(g.randn(3, 6), g.rand(3, 6), pos_weight=g.rand(6, low=0.5, high=3.0), reduction=reduction,
             gradgradcheck=True)
        case(g.randn(5, 4), g.rand(5, 4), weight=g.rand(5, 4, low=0.2, high=2.0),
             pos_weight=g.rand(4, low=0.5, high=3.0), reduction=reduction)
    # Paper 001's cost-sensitive loss: hard multi-label targets, pos_weight 5 on some of 13 styles.
    styles = 13
    pos_weight = torch.where(g.rand(styles) < 0.5, torch.full((styles,), 5.0), torch.ones(styles))
    case(g.randn(8, styles) * 2, (g.rand(8, styles) < 0.2).float(), pos_weight=pos_weight)
    # Broadcast weight and pos_weight: per-sample weight [N, 1], pos_weight [1], [1, C], [C] over [N, C, L].
    case(g.randn(4, 3), g.rand(4, 3), weight=g.rand(4, 1, low=0.2, high=2.0), pos_weight=g.rand(1, low=0.5, high=3.0))
    case(g.randn(4, 3), g.rand(4, 3), pos_weight=g.rand(1, 3, low=0.5, high=3.0), reduction="sum")
    case(g.randn(2, 3, 4), g.rand(2, 3, 4), weight=g.rand(3, 1, low=0.2, high=2.0),
         pos_weight=g.rand(4, low=0.5, high=3.0), reduction="none")
    # Non-contiguous logits and targets.
    case(g.noncontig([5, 4]), g.noncontig([5, 4], kind="slice", maker=lambda *s: g.rand(*s)),
         pos_weight=g.rand(4, low=0.5, high=3.0))
    case(g.noncontig([2, 3, 4], kind="permute"), g.rand(2, 3, 4), reduction="sum")
    # Large logits: exp(-x) overflows in a naive form; the gradient saturates to sigmoid(x) - y.
    case(g.randn(4, 6) * 60, g.rand(4, 6), pos_weight=g.rand(6, low=0.5, high=3.0))
    # Batch of one, a single logit, an empty batch (mean 0/0 = NaN: no gradcheck; sum 0), F64, odd sizes.
    case(g.randn(1, 5), g.rand(1, 5), pos_weight=g.rand(5, low=0.5, high=3.0))
    case(g.randn(), g.rand(), reduction="none")
    case(g.randn(0, 3), g.rand(0, 3), gradcheck=False)
    case(g.randn(0, 3), g.rand(0, 3), pos_weight=g.rand(3), reduction="sum")
    case(g.randn(5, 3, dtype=torch.float64), g.rand(5, 3, dtype=torch.float64),
         weight=g.rand(5, 3, dtype=torch.float64), pos_weight=g.rand(3, low=0.5, high=3.0, dtype=torch.float64))
    n, c = g.randsize(1, 9), g.randsize(1, 7)
    case(g.randn(n, c), g.rand(n, c), pos_weight=g.rand(c, low=0.5, high=3.0))
    case(g.randn(64, 40), g.rand(64, 40), pos_weight=g.rand(40, low=0.5, high=3.0))


# ---------------------------------------------------------------- mse_loss

def mse(g):
    def case(x, target, reduction="mean", **kw):
        g.case("mse_loss", lambda a, b: F.mse_loss(a, b, reduction=reduction), {"x": x, "target": target},
               args={"reduction": reduction}, tol=TOL, **kw)

    for reduction in ("mean", "sum", "none"):
        case(g.randn(4, 5), g.randn(4, 5), reduction=reduction, gradgradcheck=True)
    case(g.randn(3, 5), g.randn(5))                                  # the target broadcast
    case(g.randn(3, 1), g.randn(1, 4), reduction="none")             # both broadcast
    case(g.noncontig([5, 6]), g.noncontig([5, 6], kind="slice"))
    case(g.noncontig([2, 3, 4], kind="permute"), g.randn(2, 3, 4), reduction="sum")
    case(g.randn(), g.randn())
    case(g.randn(1, 7), g.randn(1, 7))
    case(g.randn(0, 3), g.randn(0, 3), gradcheck=False)             # NaN: the mean of nothing
    case(g.randn(0, 3), g.randn(0, 3), reduction="sum")
    case(g.randn(4, 3, dtype=torch.float64), g.randn(4, 3, dtype=torch.float64))
    case(g.randn(128, 33), g.randn(128, 33))


# ---------------------------------------------------------------- kl_div

def kl_div(g):
    def case(x, target, reduction="mean", log_target=False, target_grad=True, **kw):
        target = target if hasattr(target, "views") else g.input(target, requires_grad=target_grad)
        g.case("kl_div", lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
               {"x": x, "target": target}, args={"reduction": reduction, "log_target": log_target}, tol=TOL, **kw)

    def logp(*shape, dtype=torch.float32):
        return torch.log_softmax(g.randn(*shape, dtype=dtype), -1)

    def p(*shape, dtype=torch.float32):
        return torch.softmax(g.randn(*shape, dtype=dtype), -1)

    for reduction in ("mean", "sum", "none", "batchmean"):
        case(logp(4, 5), p(4, 5), reduction=reduction, gradgradcheck=True)
        case(logp(3, 6), logp(3, 6), reduction=reduction, log_target=True, gradgradcheck=True)
    case(logp(2, 3, 4), p(2, 3, 4), reduction="batchmean")
    case(logp(5, 4), p(1, 4), reduction="batchmean")                 # the target broadcast over the batch
    case(logp(5, 4), logp(4), reduction="sum", log_target=True)
    case(g.noncontig([4, 5], maker=lambda *s: logp(*s)), g.noncontig([4, 5], kind="slice", maker=lambda *s: p(*s)),
         reduction="batchmean")
    case(logp(1, 6), p(1, 6), reduction="batchmean")
    case(logp(6), p(6), reduction="batchmean")                        # one distribution: divides by its size
    # Zero probabilities contribute 0 (0 log 0 = 0); PyTorch's target gradient there is NaN, so
    # only the input's gradient is checked.
    zeros = p(4, 5) * (g.rand(4, 5) < 0.6).float()
    case(logp(4, 5), zeros, reduction="batchmean", target_grad=False)
    case(logp(3, 4, dtype=torch.float64), p(3, 4, dtype=torch.float64), reduction="batchmean")
    case(logp(32, 50), p(32, 50), reduction="batchmean")


# ---------------------------------------------------------------- temperature distillation (paper 002)

def distillation_reference(student, teacher, temperature, reduction):
    """Hinton's loss in its usual PyTorch form: T² · KL(softmax(teacher/T) ‖ softmax(student/T))."""
    dim = 1 if student.dim() > 1 else 0
    return F.kl_div(F.log_softmax(student / temperature, dim), F.softmax(teacher / temperature, dim),
                    reduction=reduction) * temperature ** 2


def kl_distillation(g):
    def case(x, target, temperature, reduction="batchmean", **kw):
        g.case("kl_distillation", lambda a, b: distillation_reference(a, b, temperature, reduction),
               {"x": x, "target": target}, args={"temperature": temperature, "reduction": reduction}, tol=TOL, **kw)

    for temperature in (1.0, 2.0, 4.0):
        case(g.randn(4, 5), g.randn(4, 5), temperature, gradgradcheck=True)
    for reduction in ("sum", "none", "mean"):
        case(g.randn(3, 6) * 3, g.randn(3, 6) * 3, 1.0, reduction=reduction)
    case(g.randn(2, 4, 3), g.randn(2, 4, 3), 2.0)                     # classes in dimension 1 of [N, C, L]
    case(g.randn(7), g.randn(7), 3.0, reduction="sum")                 # one sample
    case(g.randn(1, 5), g.randn(1, 5), 1.0)                            # batch of one
    case(g.noncontig([5, 4]), g.noncontig([5, 4], kind="slice"), 2.0)
    # A confident teacher: its probabilities underflow to 0, where the usual form's teacher gradient
    # is NaN (xlogy's); Weft's log-space form gives a finite one, so only the student's is checked.
    g.case("kl_distillation", lambda a, b: distillation_reference(a, b, 1.0, "batchmean"),
           {"x": g.randn(4, 6) * 40, "target": g.input(g.randn(4, 6) * 40, requires_grad=False)},
           args={"temperature": 1.0, "reduction": "batchmean"}, tol=TOL)
    case(g.randn(3, 5, dtype=torch.float64), g.randn(3, 5, dtype=torch.float64), 7.0)
    case(g.randn(16, 200), g.randn(16, 200), 10.0)
    # A detached teacher: only the student's gradient.
    g.case("kl_distillation", lambda a, b: distillation_reference(a, b, 2.0, "batchmean"),
           {"x": g.randn(4, 5), "target": g.input(g.randn(4, 5), requires_grad=False)},
           args={"temperature": 2.0, "reduction": "batchmean"}, tol=TOL)


# ---------------------------------------------------------------- multi-kernel MMD (paper 000)

PAPER_MULTIPLIERS = [0.25, 0.5, 1.0, 2.0, 4.0]


def mmd_reference(source, target, estimator, multipliers, beta=None):
    """DAN's multi-kernel MMD² in its usual PyTorch form (the joint batch's distance matrix, the
    bandwidth its mean over distinct pairs, detached, scaled by each multiplier) with the three
    estimators of PAPERS.md; beta given fixes the bandwidth instead."""
    n, m = source.shape[0], target.shape[0]
    total = torch.cat([source, target], 0)
    distances = ((total.unsqueeze(0) - total.unsqueeze(1)) ** 2).sum(2)
    if beta is None:
        points = n + m
        beta = distances.detach().sum() / (points * points - points)
    kernel = sum(torch.exp(-distances / (beta * mult)) for mult in multipliers)
    kss, ktt, kst = kernel[:n, :n], kernel[n:, n:], kernel[:n, n:]
    if estimator == "biased":
        return kss.mean() + ktt.mean() - 2 * kst.mean()
    if estimator == "unbiased":
        within_s = (kss.sum() - kss.diagonal().sum()) / (n * (n - 1))
        within_t = (ktt.sum() - ktt.diagonal().sum()) / (m * (m - 1))
        return within_s + within_t - 2 * kst.mean()
    even = torch.arange(0, n, 2)
    odd = even + 1
    h = kss[even, odd] + ktt[even, odd] - kst[even, odd] - kst[odd, even]
    return h.mean()


def mmd(g):
    def case(source, target, estimator, beta=None, multipliers=PAPER_MULTIPLIERS, **kw):
        args = {"estimator": estimator, "multipliers": list(multipliers),
                "bandwidth": "fixed" if beta is not None else "joint_mean_distance"}
        if beta is not None:
            args["beta"] = beta
        else:
            # The bandwidth moves with the points but is held constant in the gradient (DAN's
            # rule), so finite differences disagree with it by design; gradients are checked
            # against PyTorch's, and the fixed-bandwidth cases below are gradchecked.
            kw.setdefault("gradcheck", False)
        g.case("mmd", lambda s, t: mmd_reference(s, t, estimator, multipliers, beta), {"source": source,
                                                                                      "target": target},
               args=args, tol=TOL, **kw)

    def shifted(*shape, shift=0.7, dtype=torch.float32):
        # A target domain whose mean is moved, so that MMD² is well above the rounding of its terms.
        return g.randn(*shape, dtype=dtype) + shift

    for estimator in ("biased", "unbiased", "linear"):
        # Paper 000's rule: multi-kernel, joint-batch bandwidth.
        case(g.randn(6, 4), shifted(6, 4), estimator)
        case(g.noncontig([8, 5]), g.noncontig([8, 5], kind="slice", maker=lambda *s: shifted(*s)), estimator)
        case(g.randn(4, 3, dtype=torch.float64), shifted(4, 3, dtype=torch.float64), estimator)
        case(g.randn(32, 24), shifted(32, 24, shift=0.3), estimator)
        # Fixed bandwidth: exactly differentiable, so finite differences apply, to second order.
        case(g.randn(4, 3), shifted(4, 3), estimator, beta=3.0, gradgradcheck=True)
        case(g.randn(6, 2), shifted(6, 2), estimator, beta=1.5, multipliers=[1.0])   # one kernel, 2σ² = 1.5
    # Unequal batch sizes (biased and unbiased), and the smallest batches each estimator allows.
    case(g.randn(5, 3), shifted(7, 3), "biased")
    case(g.randn(7, 3), shifted(4, 3), "unbiased")
    case(g.randn(1, 4), shifted(1, 4), "biased")
    case(g.randn(1, 3), shifted(4, 3), "biased", beta=2.0)
    case(g.randn(2, 4), shifted(2, 4), "unbiased", beta=2.0)
    case(g.randn(2, 4), shifted(2, 4), "linear")
    case(g.randn(3, 5), shifted(2, 5), "unbiased", multipliers=[0.5, 1.0, 2.0])
    n, d = 2 * g.randsize(1, 6), g.randsize(1, 9)
    case(g.randn(n, d), shifted(n, d), g.choice(["biased", "unbiased", "linear"]))
    # Features far from the origin: the bandwidth must not cancel.
    case(g.randn(6, 4) + 50, shifted(6, 4) + 50, "biased")


# ---------------------------------------------------------------- weight constraint (paper 000)

LINEAR_ABOVE = 40.0


def weight_constraint_reference(a, b, weights, form):
    """Lw = Σ_j r(|a_j θS_j + b_j - θT_j|²), r = exp(d) - 1 continued by its tangent above 40
    (Weft's overflow-free form, identical below 40), or r = d."""
    total = 0
    for j in range(len(weights) // 2):
        d = ((a[j] * weights[2 * j] + b[j] - weights[2 * j + 1]) ** 2).sum()
        if form == "exponential":
            r = torch.expm1(d.clamp(max=LINEAR_ABOVE)) + math.exp(LINEAR_ABOVE) * torch.relu(d - LINEAR_ABOVE)
        else:
            r = d
        total = total + r
    return total


def weight_constraint(g):
    def case(shapes, form, spread, dtype=torch.float32, noncontig=False, **kw):
        layers = len(shapes)
        inputs = {"a": 1 + 0.1 * g.randn(layers, dtype=dtype), "b": 0.1 * g.randn(layers, dtype=dtype)}
        for j, shape in enumerate(shapes):
            source = g.randn(*shape, dtype=dtype)
            target = source + spread[j] * g.randn(*shape, dtype=dtype)
            if noncontig and len(shape) >= 2:
                # The same values seen through a transpose of a transposed base.
                inputs["source%d" % j] = g.input(source.transpose(-1, -2).contiguous(), [["transpose", -2, -1]])
            else:
                inputs["source%d" % j] = source
            inputs["target%d" % j] = target
        g.case("weight_constraint", lambda a, b, *w: weight_constraint_reference(a, b, w, form), inputs,
               args={"form": form, "layers": layers}, tol=TOL, **kw)

    for form in ("exponential", "squared"):
        case([[3, 4]], form, [0.2], gradgradcheck=True)
        case([[4, 2, 3, 3], [4], [5, 4]], form, [0.05, 0.3, 0.1])       # a conv weight, a bias, a linear weight
        case([[5, 6], [6]], form, [0.1, 0.2], noncontig=True)
        case([[3, 3], [2]], form, [0.3, 0.2], dtype=torch.float64, gradgradcheck=True)
        case([[64, 32, 3, 3]], form, [0.005])
    # Past the linear continuation (d far above 40) and straddling it: finite and exact to the formula.
    case([[4, 5]], "exponential", [3.0], gradgradcheck=True)
    # One layer on each side: against PyTorch only, since beside a term near e^40 · 60 ≈ 10^19 the
    # other layer's share of a finite difference (about 10^-5) is below the sum's rounding.
    case([[4, 5], [3]], "exponential", [3.0, 0.5], dtype=torch.float64, gradcheck=False)
    case([[256, 128]], "exponential", [1.0])                            # d ≈ 3·10^4: exp(d) would be inf
    case([[1]], "exponential", [0.5])                                   # a single weight


# ---------------------------------------------------------------- pairwise verification (paper 003)

def verification_reference(first, second, weight, bias, same, reduction):
    """relu(f1 - f2) → FC to two logits → 2-way softmax cross-entropy (1 = same identity)."""
    return F.cross_entropy(F.linear(F.relu(first - second), weight, bias), same, reduction=reduction)


def verification(g):
    def case(first, second, pairs, features, bias=True, reduction="mean", dtype=torch.float32, **kw):
        inputs = {"first": first, "second": second,
                  "weight": g.randn(2, features, dtype=dtype) / math.sqrt(features)}
        if bias:
            inputs["bias"] = g.randn(2, dtype=dtype) * 0.1
        inputs["same"] = g.randint(0, 2, pairs)
        names = list(inputs)

        def fn(*values):
            v = dict(zip(names, values))
            return verification_reference(v["first"], v["second"], v["weight"], v.get("bias"), v["same"], reduction)

        g.case("verification_loss", fn, inputs, args={"reduction": reduction, "bias": bias}, tol=TOL, **kw)

    for reduction in ("mean", "sum", "none"):
        case(g.randn(4, 5), g.randn(4, 5), 4, 5, reduction=reduction, gradgradcheck=True)
    case(g.randn(6, 3), g.randn(6, 3), 6, 3, bias=False)
    case(g.randn(1, 8), g.randn(1, 8), 1, 8)                           # one pair
    case(g.noncontig([5, 6]), g.noncontig([5, 6], kind="slice"), 5, 6)
    case(g.randn(3, 4, dtype=torch.float64), g.randn(3, 4, dtype=torch.float64), 3, 4, dtype=torch.float64)
    case(g.randn(128, 64), g.randn(128, 64), 128, 64)                  # K·M = 32·4 images' pairs, wide features
