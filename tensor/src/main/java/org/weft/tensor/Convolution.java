package org.weft.tensor;

import java.util.Arrays;
import org.weft.tensor.backend.Conv2dParams;

/**
 * 2-d convolution of {@code [N, C, H, W]} arrays and its two gradients, PyTorch's
 * {@code conv2d} and {@code convolution_backward}: the checking half (shapes, dtypes, PyTorch's
 * messages), the output's shape, then the device's kernel. Autograd builds on the three
 * functions here; none of them knows about gradients of gradients.
 */
public final class Convolution {

    private Convolution() {
    }

    /** {@code conv2d} with stride 1, no padding, no dilation, one group. */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias) {
        return conv2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
    }

    /**
     * The cross-correlation of {@code x} ({@code [N, C, H, W]}, or unbatched {@code [C, H, W]})
     * with {@code weight} ({@code [O, C/groups, kH, kW]}), plus {@code bias} ({@code [O]}, or
     * null). {@code stride}, {@code padding} (zeros on both sides) and {@code dilation} take one
     * value for both spatial dimensions or two (height, width). Output channel {@code o} sees only
     * the input channels of its group {@code o / (O/groups)}. The result is
     * {@code [N, O, oH, oW]} with {@code oH = (H + 2 padH - dilationH (kH - 1) - 1) / strideH + 1}.
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int[] stride, int[] padding,
                                 int[] dilation, int groups) {
        if (x.dim() == 3) {
            return conv2d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        }
        if (x.dim() != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input"
                    + " of size: " + x.shape());
        }
        SpatialArgs.requireFloat("conv2d", "input", x);
        SpatialArgs.requireSameDtype("conv2d", "input", x, "weight", weight);
        if (bias != null) {
            SpatialArgs.requireSameDtype("conv2d", "input", x, "bias", bias);
        }
        Conv2dParams p = params(stride, padding, dilation, groups);
        int[] outDims = outputShape(x.dims(), weight.dims(), p);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("Given weight of size " + weight.shape() + ", expected bias to be"
                    + " 1-dimensional with " + weight.size(0) + " elements, but got bias of size " + bias.shape()
                    + " instead");
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), outDims);
        x.backend().conv().conv2d(x, weight.contiguous(), bias, p, out);
        return out;
    }

    /**
     * {@link #conv2d} without bias, then {@code scale[o] * out + shift[o]} on every output channel
     * {@code o}, then ReLU when {@code relu}: {@code scale} and {@code shift} are {@code [O]}. The
     * kernel applies the map to each block of the output right after computing it, so a
     * convolution followed by a batch norm in eval mode and a ReLU costs one pass over the output,
     * not three. No gradient: inference only.
     */
    public static NDArray conv2dAffine(NDArray x, NDArray weight, NDArray scale, NDArray shift, boolean relu,
                                       int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d_affine";
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4D (batched) input, but got input of size: "
                    + x.shape());
        }
        SpatialArgs.requireFloat(op, "input", x);
        SpatialArgs.requireSameDtype(op, "input", x, "weight", weight);
        SpatialArgs.requireSameDtype(op, "input", x, "scale", scale);
        SpatialArgs.requireSameDtype(op, "input", x, "shift", shift);
        Conv2dParams p = params(stride, padding, dilation, groups);
        int[] outDims = outputShape(x.dims(), weight.dims(), p);
        for (NDArray perChannel : new NDArray[] {scale, shift}) {
            if (perChannel.dim() != 1 || perChannel.size(0) != weight.size(0)) {
                throw new IllegalArgumentException(op + ": given weight of size " + weight.shape() + ", expected "
                        + (perChannel == scale ? "scale" : "shift") + " to be 1-dimensional with " + weight.size(0)
                        + " elements, but got size " + perChannel.shape());
            }
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), outDims);
        x.backend().conv().conv2dAffine(x, weight.contiguous(), scale, shift, relu, p, out);
        return out;
    }

    /**
     * The gradient of {@link #conv2d} w.r.t. its input, of shape {@code inputShape}
     * ({@code [N, C, H, W]}): a transposed convolution of {@code gradOut} with {@code weight}.
     * Input rows and columns that no window reached (stride larger than the last window's
     * reach) get zero.
     */
    public static NDArray conv2dBackwardInput(NDArray gradOut, NDArray weight, Shape inputShape, int[] stride,
                                              int[] padding, int[] dilation, int groups) {
        String op = "conv2d backward (input)";
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        SpatialArgs.requireSameDtype(op, "gradient", gradOut, "weight", weight);
        Conv2dParams p = params(stride, padding, dilation, groups);
        requireGradientShape(op, gradOut, inputShape.dims(), weight.dims(), p);
        NDArray gradIn = NDArray.zeros(gradOut.dtype(), gradOut.device(), inputShape.dims());
        gradOut.backend().conv().conv2dBackwardInput(gradOut.contiguous(), weight.contiguous(), p, gradIn);
        return gradIn;
    }

    /**
     * The gradient of {@link #conv2d} w.r.t. its weight, of shape {@code weightShape}: for each
     * weight element, the sum over the batch and the output pixels of the output gradient times
     * the input element that weight multiplied.
     */
    public static NDArray conv2dBackwardWeight(NDArray gradOut, NDArray x, Shape weightShape, int[] stride,
                                               int[] padding, int[] dilation, int groups) {
        String op = "conv2d backward (weight)";
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        SpatialArgs.requireSameDtype(op, "gradient", gradOut, "input", x);
        Conv2dParams p = params(stride, padding, dilation, groups);
        requireGradientShape(op, gradOut, x.dims(), weightShape.dims(), p);
        NDArray gradWeight = NDArray.zeros(gradOut.dtype(), gradOut.device(), weightShape.dims());
        gradOut.backend().conv().conv2dBackwardWeight(gradOut.contiguous(), x, p, gradWeight);
        return gradWeight;
    }

    /** Stride, padding, dilation (one value or two each) and groups, checked as PyTorch checks them. */
    static Conv2dParams params(int[] stride, int[] padding, int[] dilation, int groups) {
        int[] s = SpatialArgs.pair("conv2d", "stride", stride);
        int[] pad = SpatialArgs.pair("conv2d", "padding", padding);
        int[] d = SpatialArgs.pair("conv2d", "dilation", dilation);
        if (groups <= 0) {
            throw new IllegalArgumentException("non-positive groups is not supported");
        }
        if (s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException("non-positive stride is not supported, but got stride "
                    + Arrays.toString(s));
        }
        if (pad[0] < 0 || pad[1] < 0) {
            throw new IllegalArgumentException("negative padding is not supported, but got padding "
                    + Arrays.toString(pad));
        }
        if (d[0] <= 0 || d[1] <= 0) {
            throw new IllegalArgumentException("dilation should be greater than zero, but got " + Arrays.toString(d));
        }
        return new Conv2dParams(s[0], s[1], pad[0], pad[1], d[0], d[1], groups);
    }

    /**
     * The output shape of a convolution of an input of {@code xDims} with a weight of
     * {@code wDims}, after PyTorch's checks on the weight, the groups and the channels, in
     * PyTorch's order and words.
     */
    static int[] outputShape(int[] xDims, int[] wDims, Conv2dParams p) {
        String weightSize = Arrays.toString(wDims);
        if (xDims.length != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-dimensional input [N, C, H, W], but got input of size "
                    + Arrays.toString(xDims));
        }
        if (wDims.length != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-dimensional weight [out_channels,"
                    + " in_channels/groups, kH, kW], but got weight of size " + weightSize);
        }
        int g = p.groups();
        if (wDims[0] < g) {
            throw new IllegalArgumentException("Given groups=" + g + ", expected weight to be at least " + g
                    + " at dimension 0, but got weight of size " + weightSize + " instead");
        }
        if (wDims[0] % g != 0) {
            throw new IllegalArgumentException("Given groups=" + g + ", expected weight to be divisible by " + g
                    + " at dimension 0, but got weight of size " + weightSize + " instead");
        }
        if (xDims[1] != wDims[1] * g) {
            throw new IllegalArgumentException("Given groups=" + g + ", weight of size " + weightSize + ", expected input"
                    + Arrays.toString(xDims) + " to have " + wDims[1] * g + " channels, but got " + xDims[1]
                    + " channels instead");
        }
        int paddedH = xDims[2] + 2 * p.padH();
        int paddedW = xDims[3] + 2 * p.padW();
        int reachH = p.dilationH() * (wDims[2] - 1) + 1;
        int reachW = p.dilationW() * (wDims[3] - 1) + 1;
        if (paddedH < reachH || paddedW < reachW) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedH + " x " + paddedW
                    + "). Kernel size: (" + reachH + " x " + reachW + "). Kernel size can't be greater than actual"
                    + " input size");
        }
        return new int[] {xDims[0], wDims[0], (paddedH - reachH) / p.strideH() + 1, (paddedW - reachW) / p.strideW() + 1};
    }

    private static void requireGradientShape(String op, NDArray gradOut, int[] xDims, int[] wDims, Conv2dParams p) {
        int[] want = outputShape(xDims, wDims, p);
        if (!Arrays.equals(gradOut.dims(), want)) {
            throw new IllegalArgumentException(op + ": expected a gradient of the convolution's output shape "
                    + Arrays.toString(want) + ", but got " + gradOut.shape());
        }
    }
}
