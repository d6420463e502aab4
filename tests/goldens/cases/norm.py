"""Golden cases of the norm ops: softmax, log_softmax, softmax_with_bias, batch_norm, layer_norm, nll_loss, cross_entropy.

Every case is held to 1e-5: these ops reduce along a dimension, and Weft accumulates their
statistics in double where PyTorch accumulates in float.
"""
import torch
import torch.nn.functional as F

TOL = 1e-5


def build(g):
    softmaxes(g)
    batch_norms(g)
    layer_norms(g)
    nll_losses(g)
    cross_entropies(g)
    softmaxes_with_bias(g)


def dtype_of(x):
    """The dtype of a tensor or of a harness Input's base."""
    return x.base.dtype if hasattr(x, "views") else x.dtype


# ---------------------------------------------------------------- softmax, log_softmax

def softmaxes(g):
    for op, fn in [("softmax", F.softmax), ("log_softmax", F.log_softmax)]:
        def case(x, dim, **kw):
            g.case(op, lambda t: fn(t, dim), {"x": x}, args={"dim": dim}, tol=TOL, **kw)

        # Small enough for second derivatives, which the issue asks of both.
        case(g.randn(3, 5), -1, gradgradcheck=True)
        case(g.randn(2, 3, 4), 1, gradgradcheck=True)
        case(g.randn(4, 3, 2), 0, gradgradcheck=True)
        case(g.noncontig([4, 5]), 0, gradgradcheck=True)
        # Every dimension, negative ones included, on odd random sizes.
        shape = [g.randsize(1, 5), g.randsize(2, 7), g.randsize(1, 6)]
        for dim in (0, 1, 2, -1, -2, -3):
            case(g.randn(*shape), dim)
        # Non-contiguous inputs: transposed, permuted, strided.
        case(g.noncontig([5, 7]), -1)
        case(g.noncontig([3, 4, 5], kind="permute"), 1)
        case(g.noncontig([3, 4, 5], kind="permute"), -1)
        case(g.noncontig([4, 6], kind="slice"), 1)
        # Large logits: without subtracting the maximum, exp overflows.
        case(g.randn(4, 9) * 40, 1)
        # Size-one dimensions, a scalar, an empty batch, F64, a longer row.
        case(g.randn(4, 1), 1)
        case(g.randn(1, 6), 0)
        case(g.randn(), 0)
        case(g.randn(0, 4), 1)
        case(g.randn(3, 7, dtype=torch.float64), -1)
        case(g.randn(5, 300), -1)


# ---------------------------------------------------------------- batch_norm

def batch_norms(g):
    def case(x, channels, training, weight=True, bias=True, running=True, momentum=0.1, eps=1e-5, **kw):
        dtype = dtype_of(x)
        inputs = {"x": x}
        if running:
            inputs["running_mean"] = g.input(g.randn(channels, dtype=dtype) * 0.5, requires_grad=False)
            inputs["running_var"] = g.input(g.rand(channels, low=0.5, high=2.0, dtype=dtype), requires_grad=False)
        if weight:
            inputs["weight"] = g.rand(channels, low=0.5, high=1.5, dtype=dtype)
        if bias:
            inputs["bias"] = g.randn(channels, dtype=dtype)
        names = list(inputs)

        def fn(*values):
            v = dict(zip(names, values))
            # Clones: batch_norm updates the running statistics in place, and the recorded
            # inputs must be the values before the call.
            rm = v["running_mean"].clone() if running else None
            rv = v["running_var"].clone() if running else None
            return F.batch_norm(v["x"], rm, rv, v.get("weight"), v.get("bias"), training, momentum, eps)

        args = {"training": training, "momentum": momentum, "eps": eps, "running": running,
                "weight": weight, "bias": bias}
        g.case("batch_norm", fn, inputs, args=args, tol=TOL, **kw)

    # Training: batch statistics, gradients through them; [N, C], [N, C, L], [N, C, H, W].
    case(g.randn(4, 3), 3, True, gradgradcheck=True)
    case(g.randn(3, 2, 5), 2, True, gradgradcheck=True)
    case(g.randn(2, 3, 2, 3), 3, True, gradgradcheck=True)
    case(g.randn(5, 4, 3, 3), 4, True)
    case(g.randn(1, 3, 4), 3, True)                      # N = 1 but N * L > 1
    case(g.randn(6, 5), 5, True, weight=False, bias=False)
    case(g.randn(3, 4, 5), 4, True, bias=False, momentum=0.3)
    case(g.randn(3, 4, 5), 4, True, weight=False, eps=1e-3)
    case(g.randn(4, 3, 5), 3, True, running=False)
    case(g.noncontig([6, 4]), 4, True)                 # a transposed [N, C]
    case(g.noncontig([2, 3, 4, 5], kind="permute"), 3, True)
    case(g.noncontig([3, 4, 5], kind="slice"), 4, True)
    case(g.randn(4, 3, 2, dtype=torch.float64), 3, True)
    n, c, l = g.randsize(2, 6), g.randsize(1, 5), g.randsize(1, 7)
    case(g.randn(n, c, l) * 3 + 2, c, True)            # an offset, scaled batch
    # Evaluation: running statistics, an affine map; N = 1 is allowed.
    case(g.randn(1, 3), 3, False, gradgradcheck=True)
    case(g.randn(1, 3, 4, 5), 3, False)
    case(g.randn(4, 3, 5), 3, False, weight=False, bias=False, gradgradcheck=True)
    case(g.randn(4, 3, 5), 3, False, bias=False)
    case(g.noncontig([2, 3, 4, 5], kind="permute"), 3, False)
    case(g.randn(2, 4, 3, dtype=torch.float64), 4, False)

    # The running statistics after a training step: momentum and the unbiased variance.
    def stats_case(x, channels, training, momentum=0.1):
        rm = g.input(g.randn(channels) * 0.5, requires_grad=False)
        rv = g.input(g.rand(channels, low=0.5, high=2.0), requires_grad=False)

        def fn(x, rm, rv):
            rm = rm.clone()
            rv = rv.clone()
            F.batch_norm(x, rm, rv, None, None, training, momentum, 1e-5)
            return rm, rv

        g.case("batch_norm_running_stats", fn, {"x": g.input(x, requires_grad=False), "running_mean": rm,
                                                "running_var": rv},
               args={"training": training, "momentum": momentum}, tol=TOL)

    stats_case(g.randn(5, 3), 3, True)
    stats_case(g.randn(2, 4, 3), 4, True, momentum=0.25)
    stats_case(g.randn(3, 2, 4, 5) * 2 + 1, 2, True, momentum=0.9)
    stats_case(g.randn(1, 3, 2), 3, True)
    stats_case(g.randn(4, 3), 3, False)


# ---------------------------------------------------------------- layer_norm

def layer_norms(g):
    def case(x, shape, weight=True, bias=True, eps=1e-5, **kw):
        dtype = dtype_of(x)
        inputs = {"x": x}
        if weight:
            inputs["weight"] = g.rand(*shape, low=0.5, high=1.5, dtype=dtype)
        if bias:
            inputs["bias"] = g.randn(*shape, dtype=dtype)
        names = list(inputs)

        def fn(*values):
            v = dict(zip(names, values))
            return F.layer_norm(v["x"], shape, v.get("weight"), v.get("bias"), eps)

        g.case("layer_norm", fn, inputs, args={"normalized_shape": list(shape), "eps": eps, "weight": weight,
                                                "bias": bias}, tol=TOL, **kw)

    case(g.randn(4, 5), [5], gradgradcheck=True)
    case(g.randn(2, 3, 4), [3, 4], gradgradcheck=True)
    case(g.randn(3, 4), [3, 4], gradgradcheck=True)      # no leading dimensions
    case(g.randn(2, 3, 5), [5], weight=False, bias=False, gradgradcheck=True)
    case(g.randn(3, 2, 5), [5], bias=False)
    case(g.randn(3, 2, 5), [2, 5], weight=False)
    case(g.noncontig([5, 6]), [6])
    case(g.noncontig([2, 3, 4], kind="permute"), [4])
    case(g.noncontig([3, 4, 5], kind="slice"), [4, 5])
    # One element per slice: the output is the bias. In F64, because in F32 PyTorch's own rounding
    # of x - mean (about 1e-8) is amplified by 1/sqrt(eps) into a visible error.
    case(g.randn(3, 1, dtype=torch.float64), [1])
    case(g.randn(3, 7, dtype=torch.float64), [7])
    case(g.randn(4, 9) * 5 + 3, [9], eps=1e-3)
    shape = [g.randsize(1, 4), g.randsize(1, 5), g.randsize(2, 7)]
    case(g.randn(*shape), shape[1:])
    case(g.randn(8, 65), [65])


# ---------------------------------------------------------------- nll_loss and cross_entropy

def class_targets(g, shape, classes, ignored=0.0, ignore_index=-100):
    """Random class indices; about a fraction `ignored` of them replaced by ignore_index."""
    t = g.randint(0, classes, *shape)
    if ignored > 0:
        t = torch.where(g.rand(*shape) < ignored, torch.full_like(t, ignore_index), t)
    return t


def loss_case(g, op, fn, x, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0,
              **kw):
    inputs = {"x": x, "target": target}
    if weight is not None:
        # PyTorch defines no gradient for the class weights.
        inputs["weight"] = g.input(weight, requires_grad=False)
    names = list(inputs)

    def call(*values):
        v = dict(zip(names, values))
        extra = {"label_smoothing": label_smoothing} if op == "cross_entropy" else {}
        return fn(v["x"], v["target"], weight=v.get("weight"), ignore_index=ignore_index, reduction=reduction,
                  **extra)

    args = {"ignore_index": ignore_index, "reduction": reduction, "weight": weight is not None}
    if op == "cross_entropy":
        args["label_smoothing"] = label_smoothing
    g.case(op, call, inputs, args=args, tol=TOL, **kw)


def nll_losses(g):
    def logp(*shape, dtype=torch.float32):
        return torch.log_softmax(g.randn(*shape, dtype=dtype), 1 if len(shape) > 1 else 0)

    def case(x, target, **kw):
        loss_case(g, "nll_loss", F.nll_loss, x, target, **kw)

    for reduction in ("mean", "sum", "none"):
        case(logp(5, 4), class_targets(g, [5], 4), reduction=reduction, gradgradcheck=True)
        case(logp(6, 3), class_targets(g, [6], 3, ignored=0.3), weight=g.rand(3, low=0.2, high=2.0),
             reduction=reduction)
        case(logp(2, 4, 3), class_targets(g, [2, 3], 4, ignored=0.2), weight=g.rand(4, low=0.2, high=2.0),
             reduction=reduction)
    case(logp(2, 3, 2, 3), class_targets(g, [2, 2, 3], 3), gradgradcheck=True)
    case(logp(5), torch.tensor(2), reduction="sum")
    case(logp(7, 4), class_targets(g, [7], 4, ignored=0.4, ignore_index=1), ignore_index=1)
    case(g.noncontig([6, 5], maker=lambda *s: torch.log_softmax(g.randn(*s), 0)), class_targets(g, [6], 5))
    case(logp(4, 3, dtype=torch.float64), class_targets(g, [4], 3), weight=g.rand(3, dtype=torch.float64))
    # Every target ignored: the weighted mean is 0/0, NaN as in PyTorch (finite differences of NaN are
    # meaningless, so no gradcheck); the sum is 0.
    case(logp(3, 4), torch.full((3,), -100, dtype=torch.int64), gradcheck=False)
    case(logp(3, 4), torch.full((3,), -100, dtype=torch.int64), reduction="sum")
    case(logp(0, 4), torch.zeros(0, dtype=torch.int64), reduction="sum")


def cross_entropies(g):
    def case(x, target, **kw):
        loss_case(g, "cross_entropy", F.cross_entropy, x, target, **kw)

    # Class indices: each reduction with weights, ignored targets and label smoothing, alone and together.
    for reduction in ("mean", "sum", "none"):
        case(g.randn(5, 4), class_targets(g, [5], 4), reduction=reduction, gradgradcheck=True)
        case(g.randn(6, 5), class_targets(g, [6], 5, ignored=0.3), weight=g.rand(5, low=0.2, high=2.0),
             reduction=reduction)
        case(g.randn(6, 5), class_targets(g, [6], 5), reduction=reduction, label_smoothing=0.2)
        case(g.randn(7, 4), class_targets(g, [7], 4, ignored=0.3), weight=g.rand(4, low=0.2, high=2.0),
             reduction=reduction, label_smoothing=0.15, gradgradcheck=True)
        case(g.randn(2, 5, 3, 2), class_targets(g, [2, 3, 2], 5, ignored=0.25), weight=g.rand(5, low=0.2, high=2.0),
             reduction=reduction, label_smoothing=0.1)
    case(g.randn(2, 4, 5), class_targets(g, [2, 5], 4), gradgradcheck=True)
    case(g.randn(6), torch.tensor(4))                                   # one sample, no batch dimension
    case(g.randn(6), torch.tensor(1), label_smoothing=0.3, reduction="none")
    case(g.randn(7, 4), class_targets(g, [7], 4, ignored=0.4, ignore_index=0), ignore_index=0,
         label_smoothing=0.1, weight=g.rand(4, low=0.2, high=2.0))
    case(g.noncontig([6, 5]), class_targets(g, [6], 5))                 # a transposed [N, C]
    case(g.noncontig([2, 4, 3], kind="permute"), class_targets(g, [2, 3], 4), label_smoothing=0.05)
    case(g.noncontig([5, 4], kind="slice"), class_targets(g, [5], 4, ignored=0.2), reduction="sum")
    case(g.randn(4, 6) * 30, class_targets(g, [4], 6))                  # large logits
    case(g.randn(5, 3, dtype=torch.float64), class_targets(g, [5], 3), weight=g.rand(3, dtype=torch.float64),
         label_smoothing=0.1)
    case(g.randn(32, 100), class_targets(g, [32], 100, ignored=0.1), label_smoothing=0.1)
    n, c = g.randsize(1, 6), g.randsize(2, 9)
    case(g.randn(n, c), class_targets(g, [n], c))
    # Every target ignored: NaN for the mean (no gradcheck, see nll_loss); zero for the sum.
    case(g.randn(3, 4), torch.full((3,), -100, dtype=torch.int64), label_smoothing=0.1, gradcheck=False)
    case(g.randn(3, 4), torch.full((3,), -100, dtype=torch.int64), reduction="sum", label_smoothing=0.1)
    case(g.randn(0, 4), torch.zeros(0, dtype=torch.int64), gradcheck=False)

    # Class probabilities (a target of the input's shape); the target's gradient is checked too.
    def probs(*shape, dim=1):
        return torch.softmax(g.randn(*shape) * 2, dim)

    for reduction in ("mean", "sum", "none"):
        case(g.randn(4, 5), probs(4, 5), reduction=reduction, gradgradcheck=True)
        case(g.randn(4, 5), probs(4, 5), weight=g.rand(5, low=0.2, high=2.0), reduction=reduction,
             label_smoothing=0.2, gradgradcheck=True)
        case(g.randn(2, 3, 2, 2), probs(2, 3, 2, 2), weight=g.rand(3, low=0.2, high=2.0), reduction=reduction)
    case(g.randn(5), probs(5, dim=0), label_smoothing=0.1)
    case(g.noncontig([5, 4]), g.noncontig([5, 4], kind="slice", maker=lambda *s: g.rand(*s)))
    case(g.randn(3, 6, dtype=torch.float64), probs(3, 6).double(), label_smoothing=0.3)


# ---------------------------------------------------------------- softmax_with_bias

def softmax_with_bias_reference(logits, bias, mask=None):
    """torchvision's shifted_window_attention: logits + bias, then the mask of window w % nW, then softmax."""
    w, h, n, m = logits.shape
    x = logits + bias
    if mask is not None:
        nw = mask.shape[0]
        x = (x.view(w // nw, nw, h, n, m) + mask.unsqueeze(1)).view(w, h, n, m)
    return torch.softmax(x, -1)


def softmaxes_with_bias(g):
    def case(logits, bias, mask=None, **kw):
        inputs = {"logits": logits, "bias": bias}
        if mask is not None:  # a constant: its views (if an Input) are kept, its gradient never checked
            views = mask.views if hasattr(mask, "views") else ()
            inputs["mask"] = g.input(mask.base if hasattr(mask, "views") else mask, views, requires_grad=False)
        g.case("softmax_with_bias", softmax_with_bias_reference, inputs, tol=TOL, **kw)

    def swin_mask(windows, n, m, dtype=torch.float32):
        """Swin's mask values: 0 within a region, -100 across regions (here a random pattern of them)."""
        return g.randint(0, 2, windows, n, m).to(dtype) * -100.0

    # Small enough for second derivatives; one head; a bias without its leading 1.
    case(g.randn(2, 1, 3, 3), g.randn(1, 1, 3, 3), gradgradcheck=True)
    case(g.randn(4, 2, 3, 5), g.randn(1, 2, 3, 5), swin_mask(2, 3, 5), gradgradcheck=True)
    case(g.randn(3, 2, 2, 4), g.randn(2, 2, 4), swin_mask(3, 2, 4), gradgradcheck=True)
    # Odd sizes, and Swin-T's 7 x 7 windows (N = 49) with 3 heads, 2 images of 4 windows.
    case(g.randn(6, 3, 7, 7), g.randn(3, 7, 7), swin_mask(3, 7, 7))
    case(g.randn(8, 3, 49, 49), g.randn(1, 3, 49, 49) * 0.1, swin_mask(4, 49, 49))
    case(g.randn(8, 3, 49, 49), g.randn(1, 3, 49, 49) * 0.1)
    # Non-contiguous logits, bias and mask: transposed, permuted, strided.
    case(g.noncontig([4, 2, 5, 5]), g.noncontig([1, 2, 5, 5], kind="slice"), swin_mask(2, 5, 5))
    case(g.noncontig([2, 3, 4, 6], kind="permute"), g.noncontig([1, 3, 4, 6]),
         g.noncontig([1, 4, 6], maker=lambda *s: swin_mask(*s)))
    # One window of the mask for all, large logits, a single key, an empty batch, F64.
    case(g.randn(3, 2, 4, 4) * 40, g.randn(1, 2, 4, 4) * 40, swin_mask(1, 4, 4))
    case(g.randn(2, 2, 3, 1), g.randn(1, 2, 3, 1), swin_mask(2, 3, 1))
    case(g.randn(0, 2, 3, 3), g.randn(1, 2, 3, 3))
    case(g.randn(4, 3, 5, 5, dtype=torch.float64), g.randn(1, 3, 5, 5, dtype=torch.float64),
         swin_mask(2, 5, 5, dtype=torch.float64))
