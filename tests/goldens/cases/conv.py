"""Golden cases of convolution, pooling and bilinear interpolation.

Shapes stay small: every case is also run through the backward, and those under the
conformance suite's element limit through finite differences in F64.
"""
import math

import torch
import torch.nn.functional as F


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def channels_last(g, n, c, h, w, dtype=torch.float32, maker=None):
    """An [n, c, h, w] input laid out as [n, h, w, c] in memory (a permuted view, as torch's channels_last)."""
    maker = maker or (lambda *s: g.randn(*s, dtype=dtype))
    return g.input(maker(n, h, w, c), [["permute", [0, 3, 1, 2]]])


def conv(g, x, w, b=None, stride=1, padding=0, dilation=1, groups=1, **kw):
    inputs = {"x": x, "w": w}
    if b is not None:
        inputs["b"] = b
    args = {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation), "groups": groups}

    def fn(x, w, b=None):
        return F.conv2d(x, w, b, stride, padding, dilation, groups)
    g.case("conv2d", fn, inputs, args=args, tol=1e-5, **kw)


def build_conv2d(g):
    # Plain 3x3 with bias, random odd or even sizes.
    n, c, o = 2, 2, 3
    conv(g, g.randn(n, c, g.randsize(5, 8), g.randsize(5, 8)), g.randn(o, c, 3, 3), g.randn(o))
    # Stride and padding; a stride that leaves the last input row and column unread (7 = 2*2 + 3).
    conv(g, g.randn(2, 2, 7, 7), g.randn(4, 2, 3, 3), g.randn(4), stride=2, padding=0)
    conv(g, g.randn(2, 3, 6, 5), g.randn(4, 3, 3, 3), g.randn(4), stride=2, padding=1)
    # Rectangular kernel, per-axis stride and padding, no bias.
    conv(g, g.randn(2, 2, 7, 6), g.randn(3, 2, 2, 3), stride=(2, 1), padding=(1, 0))
    # Dilation, with padding that keeps the size; per-axis dilation.
    conv(g, g.randn(1, 2, 7, 7), g.randn(3, 2, 3, 3), g.randn(3), padding=2, dilation=2)
    conv(g, g.randn(2, 2, 8, 6), g.randn(2, 2, 3, 2), dilation=(2, 3), padding=(1, 2), stride=(1, 2))
    # Groups; depthwise (groups = channels) with a channel multiplier of one and of two.
    conv(g, g.randn(2, 4, 6, 5), g.randn(6, 2, 3, 3), g.randn(6), padding=1, groups=2)
    conv(g, g.randn(2, 3, 6, 6), g.randn(3, 1, 3, 3), g.randn(3), padding=1, groups=3)
    conv(g, g.randn(1, 3, 7, 5), g.randn(6, 1, 3, 3), stride=2, padding=1, groups=3)
    # 1x1 convolutions: stride 1 without padding goes straight to the matrix product; the others unfold.
    conv(g, g.randn(2, 5, 4, 6), g.randn(3, 5, 1, 1), g.randn(3))
    conv(g, g.randn(2, 4, 5, 5), g.randn(6, 2, 1, 1), groups=2)
    conv(g, g.randn(2, 3, 7, 6), g.randn(4, 3, 1, 1), g.randn(4), stride=2)
    conv(g, g.randn(1, 3, 4, 4), g.randn(2, 3, 1, 1), padding=1)
    # Batch one, odd sizes, kernel as large as the padded input.
    conv(g, g.randn(1, 3, 5, 7), g.randn(2, 3, 5, 7), g.randn(2))
    conv(g, g.randn(1, 1, 3, 3), g.randn(1, 1, 5, 5), padding=1)
    # Non-contiguous inputs: channels-last (3x3 and 1x1: the 1x1 still reads it in place),
    # spatially transposed (a 1x1 must unfold it), and a transposed weight.
    conv(g, channels_last(g, 2, 3, 6, 5), g.randn(4, 3, 3, 3), g.randn(4), padding=1)
    conv(g, channels_last(g, 2, 4, 5, 6), g.randn(3, 4, 1, 1), g.randn(3))
    conv(g, g.noncontig([2, 3, 5, 6]), g.randn(2, 3, 1, 1))
    conv(g, g.randn(2, 3, 6, 6), g.noncontig([4, 3, 3, 2]), stride=(1, 2))
    # An unbatched [C, H, W] input.
    conv(g, g.randn(3, 5, 6), g.randn(2, 3, 3, 3), g.randn(2), padding=1)
    # An empty batch.
    conv(g, g.randn(0, 3, 5, 5), g.randn(2, 3, 3, 3), g.randn(2), name="conv2d_empty")
    # F64.
    conv(g, g.randn(2, 3, 6, 5, dtype=torch.float64), g.randn(4, 3, 3, 3, dtype=torch.float64),
         g.randn(4, dtype=torch.float64), stride=(2, 1), padding=1)
    # Second derivatives (the issue asks for them): plain, strided/padded/grouped/dilated, 1x1.
    conv(g, g.randn(1, 2, 4, 4), g.randn(2, 2, 3, 3), g.randn(2), gradgradcheck=True)
    conv(g, g.randn(1, 4, 4, 4), g.randn(2, 2, 2, 3), g.randn(2), stride=2, padding=1, groups=2,
         gradgradcheck=True)
    conv(g, g.randn(1, 2, 5, 5), g.randn(2, 1, 2, 2), dilation=2, groups=2, gradgradcheck=True)
    conv(g, g.randn(2, 3, 3, 3), g.randn(2, 3, 1, 1), g.randn(2), gradgradcheck=True)


def max_pool(g, x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, indices=False, **kw):
    args = {"kernel_size": pair(kernel_size), "stride": None if stride is None else pair(stride),
            "padding": pair(padding), "dilation": pair(dilation), "ceil_mode": ceil_mode}

    def fn(x):
        return F.max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices=indices)
    g.case("max_pool2d_with_indices" if indices else "max_pool2d", fn, {"x": x}, args=args, tol=1e-5, **kw)


def separated(g, *shape, dtype=torch.float32):
    """Evenly spaced values in [-2, 2) in random order: no window holds two maxima closer than
    finite differences' step (random normals sometimes do), so gradcheck sees a smooth function."""
    n = math.prod(shape)
    order = g.rand(n).argsort().to(torch.float64)
    return (order * (4.0 / max(n, 1)) - 2.0).reshape(shape).to(dtype)


def ties(g, *shape, dtype=torch.float32):
    """Values from {0, 1, 2}: most windows hold their maximum more than once."""
    return g.randint(0, 3, *shape).to(dtype)


def build_max_pool2d(g):
    for indices in (False, True):
        max_pool(g, separated(g, 2, 2, g.randsize(4, 9), g.randsize(4, 9)), 2, indices=indices)
        max_pool(g, separated(g, 2, 2, 7, 6), 3, stride=2, padding=1, indices=indices)
        max_pool(g, separated(g, 1, 3, 6, 8), (2, 3), stride=(1, 2), padding=(1, 1), indices=indices)
        max_pool(g, separated(g, 2, 2, 9, 8), 3, stride=2, padding=1, dilation=2, indices=indices)
        max_pool(g, separated(g, 2, 2, 8, 9), (3, 2), stride=1, dilation=(1, 3), indices=indices)
        # Ceil mode: a last partial window that is kept (5 = 2*2 + 1) ...
        max_pool(g, separated(g, 2, 2, 5, 7), 2, ceil_mode=True, indices=indices)
        max_pool(g, separated(g, 1, 2, 7, 8), 3, stride=2, padding=1, ceil_mode=True, indices=indices)
        # ... and ones that would start in the right padding, which the rule drops:
        # 6 rows, kernel 2, stride 4, padding 1 gives 2 rows, not 3; 5 columns, stride 3 gives 2, not 3.
        max_pool(g, separated(g, 2, 2, 6, 5), 2, stride=(4, 3), padding=1, ceil_mode=True, indices=indices)
        max_pool(g, separated(g, 1, 3, 5, 6), (2, 4), stride=3, padding=(1, 2), ceil_mode=True, indices=indices)
        # Padding never wins: every value negative, so a zero pad would.
        max_pool(g, g.input(separated(g, 2, 2, 5, 5) * 0.5 - 2.0), 3, stride=2, padding=1, indices=indices)
        # Ties go to the first maximum in scan order (values and gradients; finite differences
        # are meaningless at ties).
        max_pool(g, ties(g, 2, 3, 6, 7), 2, stride=1, indices=indices, gradcheck=False)
        max_pool(g, ties(g, 1, 2, 7, 7), 3, stride=2, padding=1, dilation=1, indices=indices, gradcheck=False)
        # Channels-last and transposed inputs, an unbatched input, F64.
        max_pool(g, channels_last(g, 2, 3, 6, 7, maker=lambda *s: separated(g, *s)), 3, stride=2, padding=1,
                 indices=indices)
        max_pool(g, g.noncontig([2, 2, 5, 6], maker=lambda *s: separated(g, *s)), 2, indices=indices)
        max_pool(g, separated(g, 3, 6, 5), 2, stride=1, indices=indices)
        max_pool(g, separated(g, 2, 2, 7, 5, dtype=torch.float64), 3, stride=2, padding=1, ceil_mode=True,
                 indices=indices)
        # Second derivatives: the gradient is a scatter, its gradient a gather.
        max_pool(g, separated(g, 1, 2, 5, 4), 2, stride=1, padding=1, indices=indices, gradgradcheck=True)
    max_pool(g, separated(g, 0, 2, 4, 4), 2, name="max_pool2d_empty")
    # NaN wins a window (the last NaN in scan order holds the index, as PyTorch's loop leaves it).
    x = separated(g, 1, 2, 5, 5)
    x[0, 0, 1, 1] = float("nan")
    x[0, 1, 2, 2] = float("nan")
    x[0, 1, 2, 3] = float("nan")
    max_pool(g, x, 2, stride=1, indices=True, gradcheck=False, name="max_pool2d_nan")


def avg_pool(g, x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             divisor_override=None, **kw):
    args = {"kernel_size": pair(kernel_size), "stride": None if stride is None else pair(stride),
            "padding": pair(padding), "ceil_mode": ceil_mode, "count_include_pad": count_include_pad,
            "divisor_override": divisor_override}

    def fn(x):
        return F.avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
    g.case("avg_pool2d", fn, {"x": x}, args=args, tol=1e-5, **kw)


def build_avg_pool2d(g):
    avg_pool(g, g.randn(2, 2, g.randsize(4, 9), g.randsize(4, 9)), 2)
    for include in (True, False):
        avg_pool(g, g.randn(2, 2, 7, 6), 3, stride=2, padding=1, count_include_pad=include)
        avg_pool(g, g.randn(1, 3, 6, 7), (3, 2), stride=(2, 1), padding=(1, 0), count_include_pad=include)
        # Ceil mode: the last windows reach past the padded input (divisor clipped to it) ...
        avg_pool(g, g.randn(2, 2, 6, 7), 3, stride=2, padding=1, ceil_mode=True, count_include_pad=include)
        avg_pool(g, g.randn(2, 2, 5, 5), 2, ceil_mode=True, count_include_pad=include)
        # ... or would start in the right padding and are dropped.
        avg_pool(g, g.randn(1, 2, 6, 5), 2, stride=(4, 3), padding=1, ceil_mode=True, count_include_pad=include)
    avg_pool(g, g.randn(2, 2, 6, 6), 3, stride=2, padding=1, divisor_override=3)
    avg_pool(g, g.randn(1, 2, 5, 6), 2, stride=1, padding=1, ceil_mode=True, divisor_override=5)
    avg_pool(g, channels_last(g, 2, 3, 6, 5), 2, stride=1, padding=1, count_include_pad=False)
    avg_pool(g, g.noncontig([2, 2, 6, 5]), 3, stride=2, padding=1)
    avg_pool(g, g.randn(2, 5, 6), 2)
    avg_pool(g, g.randn(2, 3, 7, 6, dtype=torch.float64), 3, stride=2, padding=1, ceil_mode=True)
    avg_pool(g, g.randn(1, 2, 5, 4), 2, stride=1, padding=1, count_include_pad=False, gradgradcheck=True)
    avg_pool(g, g.randn(0, 2, 4, 4), 2, name="avg_pool2d_empty")


def adaptive(g, x, output_size, **kw):
    g.case("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, output_size), {"x": x},
           args={"output_size": pair(output_size)}, tol=1e-5, **kw)


def build_adaptive_avg_pool2d(g):
    adaptive(g, g.randn(2, 3, 7, 5), (3, 2))          # overlapping windows of different sizes
    adaptive(g, g.randn(2, 2, 8, 9), (4, 3))          # exact tiling
    adaptive(g, g.randn(2, 2, 3, 4), (5, 7))          # larger than the input: windows repeat
    adaptive(g, g.randn(2, 4, 6, 5), 1)               # global average
    adaptive(g, g.randn(1, 2, 5, 6), (5, 6))          # the identity
    adaptive(g, g.randn(2, 5, 7), (2, 3))             # unbatched
    adaptive(g, channels_last(g, 2, 3, 7, 6), (3, 4))
    adaptive(g, g.randn(2, 2, 9, 7, dtype=torch.float64), (4, 3))
    adaptive(g, g.randn(1, 2, 5, 4), (3, 2), gradgradcheck=True)


def bilinear(g, x, size=None, scale_factor=None, align_corners=False, **kw):
    args = {"size": None if size is None else pair(size),
            "scale_factor": None if scale_factor is None else list(scale_factor)
            if isinstance(scale_factor, tuple) else [scale_factor, scale_factor],
            "align_corners": align_corners}

    def fn(x):
        return F.interpolate(x, size=size, scale_factor=scale_factor, mode="bilinear", align_corners=align_corners)
    g.case("interpolate_bilinear", fn, {"x": x}, args=args, tol=1e-5, **kw)


def build_interpolate(g):
    for ac in (False, True):
        bilinear(g, g.randn(2, 3, 5, 4), size=(8, 7), align_corners=ac)       # up
        bilinear(g, g.randn(2, 2, 9, 8), size=(4, 5), align_corners=ac)       # down
        bilinear(g, g.randn(1, 2, 6, 5), size=(3, 11), align_corners=ac)      # down and up
        bilinear(g, g.randn(2, 2, 4, 5), scale_factor=2.0, align_corners=ac)
        # A scale factor whose size rounds down maps by 1/scale, not in/out: 5 * 1.5 -> 7 rows.
        bilinear(g, g.randn(2, 2, 5, 6), scale_factor=1.5, align_corners=ac)
        bilinear(g, g.randn(1, 3, 8, 5), scale_factor=(0.6, 1.7), align_corners=ac)
        # Equal sizes copy even when the scale is not one (5 * 1.1 -> 5).
        bilinear(g, g.randn(1, 2, 5, 6), scale_factor=(1.1, 1.3), align_corners=ac)
        # One-pixel inputs and outputs.
        bilinear(g, g.randn(2, 2, 1, 3), size=(4, 1), align_corners=ac)
        bilinear(g, channels_last(g, 2, 3, 4, 5), size=(7, 6), align_corners=ac)
        bilinear(g, g.randn(2, 2, 5, 4, dtype=torch.float64), scale_factor=(1.5, 2.5), align_corners=ac)
        bilinear(g, g.randn(1, 2, 3, 4), size=(5, 3), align_corners=ac, gradgradcheck=True)
    bilinear(g, g.noncontig([2, 2, 5, 6]), size=(9, 4))


def build(g):
    build_conv2d(g)
    build_max_pool2d(g)
    build_avg_pool2d(g)
    build_adaptive_avg_pool2d(g)
    build_interpolate(g)
