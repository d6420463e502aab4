package org.weft.tensor;

import java.util.Arrays;
import org.weft.tensor.backend.PoolWindow;

/**
 * Max, average and adaptive average pooling of {@code [N, C, H, W]} arrays (or unbatched
 * {@code [C, H, W]}) and their gradients, as PyTorch's {@code max_pool2d}, {@code avg_pool2d}
 * and {@code adaptive_avg_pool2d}: the checking half and the output sizes, then the device's
 * kernel. The backward functions take 4-d arrays.
 */
public final class Pooling {

    private Pooling() {
    }

    // ------------------------------------------------------------ output sizes

    /**
     * PyTorch's pooled size along one axis: {@code floor} (or with {@code ceilMode} {@code ceil})
     * of {@code (in + 2 pad - dilation (kernel - 1) - 1) / stride}, plus one; in ceil mode the
     * last window must still start inside the input or its left padding, else it is dropped.
     */
    public static int outputSize(int in, int kernel, int pad, int stride, int dilation, boolean ceilMode) {
        int span = in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        int out = Math.floorDiv(span, stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    // ------------------------------------------------------------ max pooling

    /** {@code max_pool2d} with stride = kernel, no padding, no dilation, floor mode. */
    public static NDArray maxPool2d(NDArray x, int[] kernelSize) {
        return maxPool2d(x, kernelSize, null, new int[] {0}, new int[] {1}, false);
    }

    /** The maxima of {@link #maxPool2dWithIndices} alone. */
    public static NDArray maxPool2d(NDArray x, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                    boolean ceilMode) {
        return maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode)[0];
    }

    /**
     * The maximum over each (dilated) window and where it is, as PyTorch's
     * {@code max_pool2d(..., return_indices=True)}: {@code [values, indices]}, the indices I64 and
     * flat within each input plane ({@code h * W + w}). Padding is {@code -inf} so it never wins;
     * the first maximum in window scan order wins ties. {@code stride} null or empty means the
     * kernel size.
     */
    public static NDArray[] maxPool2dWithIndices(NDArray x, int[] kernelSize, int[] stride, int[] padding,
                                                 int[] dilation, boolean ceilMode) {
        String op = "max_pool2d";
        if (x.dim() == 3) {
            NDArray[] r = maxPool2dWithIndices(x.unsqueeze(0), kernelSize, stride, padding, dilation, ceilMode);
            return new NDArray[] {r[0].squeeze(0), r[1].squeeze(0)};
        }
        PoolWindow w = window(op, kernelSize, stride, padding, dilation);
        int[] outDims = outputShape(op, x.shape(), w, ceilMode);
        SpatialArgs.requireFloat(op, "input", x);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), outDims);
        NDArray indices = NDArray.zeros(DType.I64, x.device(), outDims);
        x.backend().conv().maxPool2d(x, w, out, indices);
        return new NDArray[] {out, indices};
    }

    /**
     * The gradient of max pooling w.r.t. its input ({@code inputShape}, 4-d): each output
     * gradient added at the input element its window chose. {@code indices} are those
     * {@link #maxPool2dWithIndices} returned.
     */
    public static NDArray maxPool2dBackward(NDArray gradOut, NDArray indices, Shape inputShape) {
        String op = "max_pool2d backward";
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        requireIndices(op, indices, gradOut.shape(), inputShape);
        NDArray gradIn = NDArray.zeros(gradOut.dtype(), gradOut.device(), inputShape.dims());
        gradOut.backend().conv().maxPool2dBackward(gradOut, indices, gradIn);
        return gradIn;
    }

    private static void requireIndices(String op, NDArray indices, Shape pooled, Shape input) {
        if (indices.dtype() != DType.I64) {
            throw new IllegalArgumentException(op + ": expected I64 indices, but got " + indices.dtype());
        }
        if (input.rank() != 4 || !indices.shape().equals(pooled) || pooled.rank() != 4
                || pooled.size(0) != input.size(0) || pooled.size(1) != input.size(1)) {
            throw new IllegalArgumentException(op + ": expected 4-d indices and gradient of one shape [N, C, oH, oW]"
                    + " matching the input's [N, C, H, W], but got indices " + indices.shape() + ", gradient "
                    + pooled + " and input " + input);
        }
    }

    // ------------------------------------------------------------ average pooling

    /** {@code avg_pool2d} with stride = kernel, no padding, floor mode, padding counted, no divisor override. */
    public static NDArray avgPool2d(NDArray x, int[] kernelSize) {
        return avgPool2d(x, kernelSize, null, new int[] {0}, false, true, null);
    }

    /**
     * The mean of each window, as PyTorch's {@code avg_pool2d}: the window's sum divided by
     * {@code divisorOverride} if given (nonzero), else by the number of its elements inside the
     * padded input ({@code countIncludePad}) or inside the input. {@code stride} null or empty
     * means the kernel size.
     */
    public static NDArray avgPool2d(NDArray x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                    boolean countIncludePad, Integer divisorOverride) {
        String op = "avg_pool2d";
        if (x.dim() == 3) {
            return avgPool2d(x.unsqueeze(0), kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride)
                    .squeeze(0);
        }
        PoolWindow w = window(op, kernelSize, stride, padding, new int[] {1});
        int divisor = divisor(divisorOverride);
        int[] outDims = outputShape(op, x.shape(), w, ceilMode);
        SpatialArgs.requireFloat(op, "input", x);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), outDims);
        x.backend().conv().avgPool2d(x, w, countIncludePad, divisor, out);
        return out;
    }

    /** The gradient of {@link #avgPool2d} w.r.t. its input ({@code inputShape}, 4-d). */
    public static NDArray avgPool2dBackward(NDArray gradOut, Shape inputShape, int[] kernelSize, int[] stride,
                                            int[] padding, boolean ceilMode, boolean countIncludePad,
                                            Integer divisorOverride) {
        String op = "avg_pool2d backward";
        PoolWindow w = window(op, kernelSize, stride, padding, new int[] {1});
        int divisor = divisor(divisorOverride);
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        requireGradient(op, gradOut, inputShape, outputShape(op, inputShape, w, ceilMode));
        NDArray gradIn = NDArray.zeros(gradOut.dtype(), gradOut.device(), inputShape.dims());
        gradOut.backend().conv().avgPool2dBackward(gradOut, w, countIncludePad, divisor, gradIn);
        return gradIn;
    }

    private static int divisor(Integer divisorOverride) {
        if (divisorOverride == null) {
            return 0;
        }
        if (divisorOverride == 0) {
            throw new IllegalArgumentException("avg_pool2d: divisor must be not zero");
        }
        return divisorOverride;
    }

    // ------------------------------------------------------------ adaptive average pooling

    /**
     * The mean over windows that tile the input into {@code outputSize} (one value for both or
     * (oH, oW)): output row {@code i} averages input rows {@code floor(i H / oH)} up to, not
     * including, {@code ceil((i + 1) H / oH)}; likewise columns.
     */
    public static NDArray adaptiveAvgPool2d(NDArray x, int[] outputSize) {
        String op = "adaptive_avg_pool2d";
        if (x.dim() == 3) {
            return adaptiveAvgPool2d(x.unsqueeze(0), outputSize).squeeze(0);
        }
        int[] size = SpatialArgs.pair(op, "output_size", outputSize);
        if (size[0] < 0 || size[1] < 0) {
            throw new IllegalArgumentException(op + ": elements of output_size must be greater than or equal to 0 but"
                    + " received " + Arrays.toString(size));
        }
        requireImage(op + "()", x.shape());
        SpatialArgs.requireFloat(op, "input", x);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.size(0), x.size(1), size[0], size[1]);
        x.backend().conv().adaptiveAvgPool2d(x, out);
        return out;
    }

    /** The gradient of {@link #adaptiveAvgPool2d} w.r.t. its input ({@code inputShape}, 4-d). */
    public static NDArray adaptiveAvgPool2dBackward(NDArray gradOut, Shape inputShape) {
        String op = "adaptive_avg_pool2d backward";
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        if (inputShape.rank() != 4 || gradOut.dim() != 4 || gradOut.size(0) != inputShape.size(0)
                || gradOut.size(1) != inputShape.size(1)) {
            throw new IllegalArgumentException(op + ": expected a 4-d gradient [N, C, oH, oW] for the 4-d input "
                    + inputShape + ", but got " + gradOut.shape());
        }
        NDArray gradIn = NDArray.zeros(gradOut.dtype(), gradOut.device(), inputShape.dims());
        gradOut.backend().conv().adaptiveAvgPool2dBackward(gradOut, gradIn);
        return gradIn;
    }

    // ------------------------------------------------------------ checks

    private static PoolWindow window(String op, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        int[] k = SpatialArgs.pair(op, "kernel_size", kernelSize);
        int[] s = stride == null || stride.length == 0 ? k : SpatialArgs.pair(op, "stride", stride);
        int[] p = SpatialArgs.pair(op, "padding", padding);
        int[] d = SpatialArgs.pair(op, "dilation", dilation);
        if (k[0] <= 0 || k[1] <= 0) {
            throw new IllegalArgumentException(op + ": kernel size should be greater than zero, but got kH: " + k[0]
                    + " kW: " + k[1]);
        }
        if (s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException(op + ": stride should be greater than zero, but got dH: " + s[0]
                    + " dW: " + s[1]);
        }
        if (d[0] <= 0 || d[1] <= 0) {
            throw new IllegalArgumentException(op + ": dilation should be greater than zero, but got dilationH: " + d[0]
                    + " dilationW: " + d[1]);
        }
        if (p[0] < 0 || p[1] < 0 || p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, but got pad="
                    + Arrays.toString(p) + " and kernel_size=" + Arrays.toString(k));
        }
        return new PoolWindow(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    /** A 4-d input with channels, height and width (the batch may be empty), as PyTorch requires of pooling. */
    private static void requireImage(String op, Shape x) {
        if (x.rank() != 4 || x.size(1) == 0 || x.size(2) == 0 || x.size(3) == 0) {
            throw new IllegalArgumentException(op + ": Expected 3D or 4D (batch mode) tensor with optional 0 dim batch"
                    + " size for input, but got: " + x);
        }
    }

    private static int[] outputShape(String op, Shape x, PoolWindow w, boolean ceilMode) {
        requireImage(op, x);
        int outH = outputSize(x.size(2), w.kernelH(), w.padH(), w.strideH(), w.dilationH(), ceilMode);
        int outW = outputSize(x.size(3), w.kernelW(), w.padW(), w.strideW(), w.dilationW(), ceilMode);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": Given input size: (" + x.size(1) + "x" + x.size(2) + "x"
                    + x.size(3) + "). Calculated output size: (" + x.size(1) + "x" + outH + "x" + outW + ")."
                    + " Output size is too small");
        }
        return new int[] {x.size(0), x.size(1), outH, outW};
    }

    private static void requireGradient(String op, NDArray gradOut, Shape inputShape, int[] want) {
        if (!Arrays.equals(gradOut.dims(), want)) {
            throw new IllegalArgumentException(op + ": expected a gradient of the pooled shape "
                    + Arrays.toString(want) + " for input " + inputShape + ", but got " + gradOut.shape());
        }
    }
}
