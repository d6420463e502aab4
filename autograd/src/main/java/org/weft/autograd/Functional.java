package org.weft.autograd;

import org.weft.autograd.ops.AdaptiveAvgPool2d;
import org.weft.autograd.ops.AddRelu;
import org.weft.autograd.ops.AvgPool2d;
import org.weft.autograd.ops.BatchNorm;
import org.weft.autograd.ops.Conv2d;
import org.weft.autograd.ops.CrossEntropy;
import org.weft.autograd.ops.Dropout;
import org.weft.autograd.ops.LayerNorm;
import org.weft.autograd.ops.LogSoftmax;
import org.weft.autograd.ops.MaxPool2d;
import org.weft.autograd.ops.NllLoss;
import org.weft.autograd.ops.Softmax;
import org.weft.autograd.ops.SoftmaxWithBias;
import org.weft.autograd.ops.UpsampleBilinear2d;
import org.weft.tensor.Convolution;
import org.weft.tensor.DType;
import org.weft.tensor.Interpolation;
import org.weft.tensor.Losses;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

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
        Conv2d op = new Conv2d(stride, padding, dilation, groups);
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
        return new MaxPool2d(kernelSize, stride, padding, dilation, ceilMode).apply(x);
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
        return new AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad,
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
        return new AdaptiveAvgPool2d(outputSize).apply(x);
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
        int[] out = Interpolation.outputSize(x.shape(), size, scaleFactor);
        double scaleH = scaleFactor == null ? 0 : scaleFactor[0];
        double scaleW = scaleFactor == null ? 0 : scaleFactor[scaleFactor.length - 1];
        return new UpsampleBilinear2d(out[0], out[1], alignCorners, scaleH, scaleW).apply(x);
    }

    /**
     * {@code relu(a + b)} with broadcasting, the end of a residual block, as one op: one array
     * and one pass over memory fewer than {@code a.add(b).relu()}, same values and gradients.
     */
    public static Tensor addRelu(Tensor a, Tensor b) {
        return new AddRelu().apply(a, b);
    }

    // ---------------------------------------------------------------- normalisation, softmax, losses

    /** {@code exp(x) / sum(exp(x))} along {@code dim} (negative counts from the end). */
    public static Tensor softmax(Tensor x, int dim) {
        return new Softmax(dim).apply(x);
    }

    /**
     * Window attention's {@code softmax(logits + bias + mask, -1)} in one fused op: logits
     * {@code [W, H, N, M]}, a bias {@code [1, H, N, M]} (or {@code [H, N, M]}) shared by all W,
     * and an optional constant mask {@code [nW, N, M]}, window w taking {@code mask[w % nW]}
     * (torchvision's Swin, with W = batch x nW); see {@link org.weft.tensor.BiasedSoftmax}.
     */
    public static Tensor softmaxWithBias(Tensor logits, Tensor bias, Tensor mask) {
        if (mask != null && mask.requiresGrad()) {
            throw new IllegalArgumentException("softmax_with_bias: the mask is a constant and gets no gradient, but"
                    + " it requires grad; pass mask.detach()");
        }
        return new SoftmaxWithBias(mask == null ? null : mask.data()).apply(logits, bias);
    }

    /** The logarithm of {@link #softmax}, computed without its underflow. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return new LogSoftmax(dim).apply(x);
    }

    /**
     * Batch norm of {@code x [N, C, ...]} over every dimension but the channels, as
     * {@code torch.nn.functional.batch_norm}. In training the batch's statistics normalise and
     * the running statistics (if not null) are updated in place with {@code momentum} (the
     * variance unbiased); in evaluation the running statistics normalise. {@code weight} and
     * {@code bias} may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        BatchNorm op = new BatchNorm(runningMean == null ? null : runningMean.data(),
                runningVar == null ? null : runningVar.data(), weight != null, bias != null, training, momentum, eps);
        return op.apply(withParameters(x, weight, bias));
    }

    /**
     * Inference only: {@code conv2d(x, convWeight, convBias, ...)}, then batch norm with the
     * running statistics (eval mode), then ReLU when {@code relu}, computed as one convolution
     * whose kernel applies the folded map {@code scale[o] * conv + shift[o]} (and the ReLU) to
     * each block of the output as it is computed. Equal, to rounding, to
     * {@code batchNorm(conv2d(...), runningMean, runningVar, bnWeight, bnBias, false, 0, eps)}
     * followed by {@code relu()}, but one pass over the output instead of three.
     * {@code convBias}, {@code bnWeight} and {@code bnBias} may be null.
     *
     * <p>It records no graph, so it refuses to run while gradients are recorded for any of its
     * tensors: training and fine-tuning use the separate ops.
     */
    public static Tensor conv2dBatchNormEval(Tensor x, Tensor convWeight, Tensor convBias, Tensor runningMean,
                                             Tensor runningVar, Tensor bnWeight, Tensor bnBias, double eps,
                                             boolean relu, int[] stride, int[] padding, int[] dilation, int groups) {
        if (Grad.isEnabled()) {
            for (Tensor t : new Tensor[] {x, convWeight, convBias, bnWeight, bnBias}) {
                if (t != null && t.requiresGrad()) {
                    throw new IllegalStateException("conv2dBatchNormEval is inference only and records no gradient,"
                            + " but an input requires grad with gradients enabled: run it under Grad.disabled(),"
                            + " or use conv2d and batchNorm");
                }
            }
        }
        // Fold the statistics in F64: scale = gamma / sqrt(var + eps), shift = beta + (bias - mean) * scale.
        DType f64 = DType.F64;
        NDArray scale = runningVar.data().to(f64).add(NDArray.scalar(eps, f64)).rsqrt();
        if (bnWeight != null) {
            scale = scale.mul(bnWeight.data().to(f64));
        }
        NDArray centre = runningMean.data().to(f64).neg();
        if (convBias != null) {
            centre = centre.add(convBias.data().to(f64));
        }
        NDArray shift = centre.mul(scale);
        if (bnBias != null) {
            shift = shift.add(bnBias.data().to(f64));
        }
        DType dtype = x.dtype();
        return Tensor.of(Convolution.conv2dAffine(x.data(), convWeight.data(), scale.to(dtype), shift.to(dtype), relu,
                stride, padding, dilation, groups));
    }

    /**
     * Layer norm over the last dimensions of {@code x}, those of {@code normalizedShape}, as
     * {@code torch.nn.functional.layer_norm}; {@code weight} and {@code bias} (of that shape) may be null.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        LayerNorm op = new LayerNorm(normalizedShape, weight != null, bias != null, eps);
        return op.apply(withParameters(x, weight, bias));
    }

    /** {@link #nllLoss(Tensor, Tensor, Tensor, long, String)} without weights, ignoring -100, averaged. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, Losses.DEFAULT_IGNORE_INDEX, "mean");
    }

    /**
     * The negative log-likelihood loss of log-probabilities {@code input} ({@code [C]},
     * {@code [N, C]} or {@code [N, C, d1, ...]}) for I64 class indices {@code target}, as
     * {@code torch.nn.functional.nll_loss}: {@code weight} (per class) may be null, targets
     * equal to {@code ignoreIndex} count for nothing, {@code reduction} is "mean", "sum" or "none".
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
        NllLoss op = new NllLoss(ignoreIndex, reduction, weight != null);
        return weight == null ? op.apply(input, target) : op.apply(input, target, weight);
    }

    /** {@link #crossEntropy(Tensor, Tensor, Tensor, long, String, double)} with PyTorch's defaults. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, null, Losses.DEFAULT_IGNORE_INDEX, "mean", 0);
    }

    /**
     * Cross-entropy of {@code logits} ({@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]})
     * and {@code target}, fused with the log-softmax, as {@code torch.nn.functional.cross_entropy}:
     * the target holds I64 class indices or floating-point class probabilities of the logits'
     * shape; {@code weight} (per class) may be null; {@code ignoreIndex} applies to class
     * indices; {@code labelSmoothing} in [0, 1] mixes the target with the uniform distribution.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                                      String reduction, double labelSmoothing) {
        CrossEntropy op = new CrossEntropy(ignoreIndex, reduction, labelSmoothing, weight != null);
        return weight == null ? op.apply(logits, target) : op.apply(logits, target, weight);
    }

    /** An op's inputs: x, then the weight and bias that are present. */
    private static Tensor[] withParameters(Tensor x, Tensor weight, Tensor bias) {
        if (weight != null && bias != null) {
            return new Tensor[] {x, weight, bias};
        }
        if (weight != null) {
            return new Tensor[] {x, weight};
        }
        return bias != null ? new Tensor[] {x, bias} : new Tensor[] {x};
    }

    // ---------------------------------------------------------------- dropout

    /** {@link #dropout(Tensor, double, boolean, Generator)} with the global generator. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, null);
    }

    /**
     * Zeroes each element with probability {@code p} while training and scales the kept ones
     * by {@code 1 / (1 - p)}, PyTorch's {@code F.dropout}. Evaluation and p = 0 return
     * {@code x} itself; p = 1 gives {@code x * 0}. The mask comes from {@code generator} (the
     * global one if null) and is reused by backward; restoring the generator's state before a
     * call reproduces the mask, which is how gradient checks hold it fixed.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!x.dtype().isFloatingPoint() || !x.dtype().isComputeType()) {
            throw new IllegalArgumentException("dropout: expected an F32 or F64 tensor, got " + x.dtype());
        }
        if (!training || p == 0) {
            return x;
        }
        return new Dropout(p, generator).apply(x);
    }
}
