package org.weft.tensor;

import java.util.Arrays;
import org.weft.tensor.backend.NormKernels;

/**
 * Softmax, batch norm and layer norm on arrays, as {@code torch.nn.functional} defines them:
 * the checking half (PyTorch's argument rules and messages, result shapes and dtypes) before
 * the device's {@link NormKernels} run on low-rank views of the operands.
 *
 * <p>The backward functions are here too, since a norm's gradient is a fused kernel of its
 * own; the autograd ops call them.
 */
public final class Normalization {

    private Normalization() {
    }

    /** A normalisation's output with the statistics it normalised by (what its backward needs). */
    public record Normalized(NDArray output, NDArray mean, NDArray invstd) {
    }

    /** The gradients of a normalisation's input, weight and bias; null where not asked for. */
    public record Gradients(NDArray input, NDArray weight, NDArray bias) {
    }

    // ---------------------------------------------------------------- softmax

    /** {@code exp(x) / sum(exp(x))} along {@code dim} (negative counts from the end). */
    public static NDArray softmax(NDArray x, int dim) {
        return softmax("softmax", x, dim, false);
    }

    /** {@code x - log(sum(exp(x)))} along {@code dim}: the logarithm of softmax, without its underflow. */
    public static NDArray logSoftmax(NDArray x, int dim) {
        return softmax("log_softmax", x, dim, true);
    }

    private static NDArray softmax(String op, NDArray x, int dim, boolean log) {
        requireFloating(op, "input", x);
        int d = Shape.normalizeDim(dim, x.dim());
        int[] lanes = aroundDim(x.dims(), d);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        x.backend().norm().softmax(x.reshape(lanes), log, out.view(lanes));
        return out;
    }

    /** {@code [product of dims before d, dims[d], product of dims after d]}; a scalar is {@code [1, 1, 1]}. */
    private static int[] aroundDim(int[] dims, int d) {
        if (dims.length == 0) {
            return new int[] {1, 1, 1};
        }
        return new int[] {product(dims, 0, d), dims[d], product(dims, d + 1, dims.length)};
    }

    // ---------------------------------------------------------------- batch norm

    /**
     * Batch norm of {@code x [N, C, ...]} over every dimension but the channels (dimension 1).
     * In training the batch's mean and biased variance normalise, and the running statistics
     * (if given) are updated in place: {@code running = (1 - momentum) * running + momentum *
     * batch}, with the unbiased variance, as PyTorch. In evaluation the running statistics
     * normalise. {@code weight} and {@code bias} ({@code [C]}) may be null.
     */
    public static Normalized batchNorm(NDArray x, NDArray runningMean, NDArray runningVar, NDArray weight,
                                       NDArray bias, boolean training, double momentum, double eps) {
        requireFloating("batch_norm", "input", x);
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input of at least 2 dimensions [N, C, ...],"
                    + " got " + x.shape());
        }
        int n = x.size(0);
        int channels = x.size(1);
        int spatial = product(x.dims(), 2, x.dim());
        requirePerChannel("running_mean", runningMean, channels, x);
        requirePerChannel("running_var", runningVar, channels, x);
        requirePerChannel("weight", weight, channels, x);
        requirePerChannel("bias", bias, channels, x);
        if (training && (long) n * spatial == 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + x.shape());
        }
        if (!training && runningMean == null) {
            throw new IllegalArgumentException("running_mean must be defined in evaluation mode");
        }
        if (!training && runningVar == null) {
            throw new IllegalArgumentException("running_var must be defined in evaluation mode");
        }
        NormKernels kernels = x.backend().norm();
        NDArray x3 = x.reshape(n, channels, spatial);
        NDArray mean;
        NDArray invstd;
        if (training) {
            mean = NDArray.zeros(x.dtype(), x.device(), channels);
            NDArray var = NDArray.zeros(x.dtype(), x.device(), channels);
            kernels.channelMoments(x3, mean, var);
            invstd = var.add(eps).rsqrt();
            double count = (double) n * spatial;
            // The update is computed in F64 and rounded once into the running statistics.
            if (runningMean != null) {
                runningMean.copy_(runningMean.to(DType.F64).mul(1 - momentum).add(mean.to(DType.F64).mul(momentum)));
            }
            if (runningVar != null) {
                NDArray unbiased = var.to(DType.F64).mul(count / (count - 1));
                runningVar.copy_(runningVar.to(DType.F64).mul(1 - momentum).add(unbiased.mul(momentum)));
            }
        } else {
            mean = runningMean.copy(); // a snapshot: the running statistics may change before backward
            invstd = runningVar.add(eps).rsqrt();
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        kernels.batchNormApply(x3, mean, invstd, weight, bias, out.view(n, channels, spatial));
        return new Normalized(out, mean, invstd);
    }

    /**
     * The gradients of {@link #batchNorm} for upstream {@code grad}, given the {@code mean} and
     * {@code invstd} its forward returned; {@code training} as in the forward.
     */
    public static Gradients batchNormBackward(NDArray grad, NDArray x, NDArray weight, NDArray mean, NDArray invstd,
                                              boolean training, boolean needInput, boolean needWeight,
                                              boolean needBias) {
        requireSameShape("batch_norm backward", grad, x);
        int n = x.size(0);
        int channels = x.size(1);
        int spatial = product(x.dims(), 2, x.dim());
        NDArray gi = needInput ? NDArray.zeros(x.dtype(), x.device(), x.dims()) : null;
        NDArray gw = needWeight ? NDArray.zeros(x.dtype(), x.device(), channels) : null;
        NDArray gb = needBias ? NDArray.zeros(x.dtype(), x.device(), channels) : null;
        x.backend().norm().batchNormBackward(grad.to(x.dtype()).reshape(n, channels, spatial),
                x.reshape(n, channels, spatial), mean, invstd, weight, training,
                gi == null ? null : gi.view(n, channels, spatial), gw, gb);
        return new Gradients(gi, gw, gb);
    }

    // ---------------------------------------------------------------- layer norm

    /**
     * Layer norm over the last dimensions of {@code x}, those of {@code normalizedShape}: each
     * slice is shifted to mean zero and scaled by {@code 1/sqrt(var + eps)} (biased variance),
     * then {@code weight} and {@code bias} (of shape {@code normalizedShape}, either may be
     * null) apply elementwise. The statistics come back flattened to one per slice.
     */
    public static Normalized layerNorm(NDArray x, int[] normalizedShape, NDArray weight, NDArray bias, double eps) {
        requireFloating("layer_norm", "input", x);
        int k = checkLayerNormShapes(x, normalizedShape, weight, bias);
        int m = product(x.dims(), 0, x.dim() - normalizedShape.length);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        NDArray mean = NDArray.zeros(x.dtype(), x.device(), m);
        NDArray invstd = NDArray.zeros(x.dtype(), x.device(), m);
        x.backend().norm().layerNorm(x.reshape(m, k), weight == null ? null : weight.reshape(k),
                bias == null ? null : bias.reshape(k), eps, out.view(m, k), mean, invstd);
        return new Normalized(out, mean, invstd);
    }

    /** The gradients of {@link #layerNorm}, given the {@code mean} and {@code invstd} its forward returned. */
    public static Gradients layerNormBackward(NDArray grad, NDArray x, int[] normalizedShape, NDArray weight,
                                              NDArray mean, NDArray invstd, boolean needInput, boolean needWeight,
                                              boolean needBias) {
        requireSameShape("layer_norm backward", grad, x);
        int k = checkLayerNormShapes(x, normalizedShape, weight, null);
        int m = product(x.dims(), 0, x.dim() - normalizedShape.length);
        NDArray gi = needInput ? NDArray.zeros(x.dtype(), x.device(), x.dims()) : null;
        NDArray gw = needWeight ? NDArray.zeros(x.dtype(), x.device(), normalizedShape) : null;
        NDArray gb = needBias ? NDArray.zeros(x.dtype(), x.device(), normalizedShape) : null;
        x.backend().norm().layerNormBackward(grad.to(x.dtype()).reshape(m, k), x.reshape(m, k), mean, invstd,
                weight == null ? null : weight.reshape(k), gi == null ? null : gi.view(m, k),
                gw == null ? null : gw.view(k), gb == null ? null : gb.view(k));
        return new Gradients(gi, gw, gb);
    }

    /** Checks the shapes of layer norm's operands; returns the number of elements per normalised slice. */
    private static int checkLayerNormShapes(NDArray x, int[] normalizedShape, NDArray weight, NDArray bias) {
        String ns = Arrays.toString(normalizedShape);
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e.,"
                    + " containing at least one element, but got normalized_shape = " + ns);
        }
        int lead = x.dim() - normalizedShape.length;
        boolean fits = lead >= 0;
        for (int i = 0; fits && i < normalizedShape.length; i++) {
            fits = x.size(lead + i) == normalizedShape[i];
        }
        if (!fits) {
            StringBuilder want = new StringBuilder("[*");
            for (int s : normalizedShape) {
                want.append(", ").append(s);
            }
            throw new IllegalArgumentException("Given normalized_shape=" + ns + ", expected input with shape "
                    + want + "], but got input of size" + x.shape());
        }
        for (String name : new String[] {"weight", "bias"}) {
            NDArray p = name.equals("weight") ? weight : bias;
            if (p == null) {
                continue;
            }
            if (!Arrays.equals(p.dims(), normalizedShape)) {
                throw new IllegalArgumentException("Expected " + name + " to be of same shape as normalized_shape, but"
                        + " got " + name + " of shape " + p.shape() + " and normalized_shape = " + ns);
            }
            requireLike("layer_norm", name, p, x);
        }
        return product(normalizedShape, 0, normalizedShape.length);
    }

    // ---------------------------------------------------------------- shared checks

    /** Softmax and the norms compute in F32 or F64 only. */
    static void requireFloating(String op, String name, NDArray a) {
        ElementwiseOps.requireComputable(op, a);
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating-point " + name + " (F32 or F64), got "
                    + a.dtype());
        }
    }

    /** A parameter of an op must share the input's dtype and device. */
    static void requireLike(String op, String name, NDArray p, NDArray x) {
        if (p.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " is " + p.dtype() + " but the input is "
                    + x.dtype() + "; convert one of them");
        }
        NDArray.requireSameDevice(op, p, x);
    }

    private static void requirePerChannel(String name, NDArray p, int channels, NDArray x) {
        if (p == null) {
            return;
        }
        if (p.dim() != 1 || p.size(0) != channels) {
            throw new IllegalArgumentException(name + " should contain " + channels + " elements not " + p.numel()
                    + " (a vector of shape [" + channels + "] for input " + x.shape() + ", got " + p.shape() + ")");
        }
        requireLike("batch_norm", name, p, x);
    }

    private static void requireSameShape(String op, NDArray grad, NDArray x) {
        if (!grad.shape().equals(x.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + grad.shape() + " for an input of shape "
                    + x.shape());
        }
    }

    /** The product of {@code dims[from..to)}; one when the range is empty. */
    static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }
}
