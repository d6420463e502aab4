package org.weft.autograd;

/**
 * The neural-network ops as functions of tensors, PyTorch's {@code torch.nn.functional}:
 * convolution, pooling, normalisation, softmax, losses, dropout. Each records its op so
 * gradients flow; {@code import static org.weft.autograd.Functional.*} reads like PyTorch.
 */
public final class Functional {

    private Functional() {
    }

    // ---------------------------------------------------------------- convolution, pooling, interpolation

    /** {@code conv2d} with stride 1, no padding, no dilation, one group; {@code bias} may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
    }

    /**
     * 2-d convolution (cross-correlation) of {@code x} ({@code [N, C, H, W]} or unbatched
     * {@code [C, H, W]}) with {@code weight} ({@code [O, C/groups, kH, kW]}) plus {@code bias}
     * ({@code [O]}, or null). {@code stride}, {@code padding} and {@code dilation} take one value
     * for both spatial dimensions or two (height, width). Differentiable to any order.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        if (x.dim() == 3) {
            return conv2d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        }
        org.weft.autograd.ops.Conv2d op = new org.weft.autograd.ops.Conv2d(stride, padding, dilation, groups);
        return bias == null ? op.apply(x, weight) : op.apply(x, weight, bias);
    }

    /** {@code max_pool2d} with stride = kernel, no padding, no dilation, floor mode. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize) {
        return maxPool2d(x, kernelSize, null, new int[] {0}, new int[] {1}, false);
    }

    /** The maxima of {@link #maxPool2dWithIndices}. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode)[0];
    }

    /**
     * Max pooling of {@code [N, C, H, W]} (or {@code [C, H, W]}) over (dilated) windows, as
     * PyTorch's {@code max_pool2d(..., return_indices=True)}: the maxima, and as I64 where each
     * is within its input plane ({@code h * W + w}). Padding never wins; the first maximum in
     * scan order wins ties. {@code stride} null means the kernel size. Differentiable to any order.
     */
    public static Tensor[] maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding,
                                                int[] dilation, boolean ceilMode) {
        if (x.dim() == 3) {
            Tensor[] r = maxPool2dWithIndices(x.unsqueeze(0), kernelSize, stride, padding, dilation, ceilMode);
            return new Tensor[] {r[0].squeeze(0), r[1].squeeze(0)};
        }
        return new org.weft.autograd.ops.MaxPool2d(kernelSize, stride, padding, dilation, ceilMode).apply(x);
    }

    /** {@code avg_pool2d} with stride = kernel, no padding, floor mode, padding counted. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize) {
        return avgPool2d(x, kernelSize, null, new int[] {0}, false, true, null);
    }

    /**
     * Average pooling, as PyTorch's {@code avg_pool2d}: each window's sum divided by
     * {@code divisorOverride} if not null, else by the number of its elements inside the padded
     * input ({@code countIncludePad}) or the input. {@code stride} null means the kernel size.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        if (x.dim() == 3) {
            return avgPool2d(x.unsqueeze(0), kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
                    .squeeze(0);
        }
        return new org.weft.autograd.ops.AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad,
                divisorOverride).apply(x);
    }

    /**
     * Average pooling to a fixed {@code outputSize} (one value or (oH, oW)) over windows that
     * tile the input, as PyTorch's {@code adaptive_avg_pool2d}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) {
        if (x.dim() == 3) {
            return adaptiveAvgPool2d(x.unsqueeze(0), outputSize).squeeze(0);
        }
        return new org.weft.autograd.ops.AdaptiveAvgPool2d(outputSize).apply(x);
    }

    /**
     * Resizes {@code [N, C, H, W]} to {@code size} or by {@code scaleFactor} (exactly one given,
     * each one value or a pair), as PyTorch's {@code interpolate} with
     * {@code recompute_scale_factor=None}. Only {@code mode = "bilinear"} is implemented.
     */
    public static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, String mode, boolean alignCorners) {
        if (!"bilinear".equals(mode)) {
            throw new IllegalArgumentException("interpolate: mode '" + mode + "' is not implemented; Weft has 'bilinear'");
        }
        int[] out = org.weft.tensor.Interpolation.outputSize(x.shape(), size, scaleFactor);
        double scaleH = scaleFactor == null ? 0 : scaleFactor[0];
        double scaleW = scaleFactor == null ? 0 : scaleFactor[scaleFactor.length - 1];
        return new org.weft.autograd.ops.UpsampleBilinear2d(out[0], out[1], alignCorners, scaleH, scaleW).apply(x);
    }

    // --- conv2d, pools, interpolate go above this line ---

    // ---------------------------------------------------------------- normalisation, softmax, losses

    // --- batch_norm, layer_norm, softmax, cross_entropy, ... go above this line ---

    // ---------------------------------------------------------------- dropout and random ops

    // --- dropout goes above this line ---
}
