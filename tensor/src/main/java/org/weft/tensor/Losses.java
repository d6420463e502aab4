package org.weft.tensor;

import java.util.Arrays;
import org.weft.tensor.backend.NormKernels;

/**
 * The classification losses on arrays, with PyTorch 1.13's semantics: {@code nll_loss} on
 * log-probabilities, and {@code cross_entropy} on logits (fused with its log-softmax), with
 * class-index or class-probability targets, per-class weights, an ignored index, label
 * smoothing and the three reductions. The checking half and the reductions are here; the
 * device's {@link NormKernels} compute each position's loss and gradient.
 *
 * <p>The input is {@code [C]}, {@code [N, C]} or {@code [N, C, d1, ...]} (classes in dimension
 * 1, or 0 for a single sample); a class-index target has the input's shape without the class
 * dimension, a class-probability target the input's shape. Each position's loss is weighted;
 * {@code "mean"} divides the sum by the total weight of the targets that are not ignored
 * (class indices) or by the number of positions (class probabilities), so a mean over no
 * counted target is 0/0, NaN, as in PyTorch.
 */
public final class Losses {

    /** PyTorch's default {@code ignore_index}, a value no class index has. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private Losses() {
    }

    private enum Reduction {
        NONE, MEAN, SUM;

        static Reduction of(String name) {
            return switch (name) {
                case "none" -> NONE;
                case "mean" -> MEAN;
                case "sum" -> SUM;
                default -> throw new IllegalArgumentException(name + " is not a valid value for reduction");
            };
        }
    }

    /**
     * The input seen as {@code [n, classes, spatial]}, the per-position arrays as
     * {@code [n, spatial]}, and the shape of an unreduced loss.
     */
    private record Layout(int n, int classes, int spatial, int[] positions) {

        static Layout of(String op, NDArray input) {
            int[] d = input.dims();
            if (d.length == 0) {
                throw new IllegalArgumentException(op + ": expected an input of 1 or more dimensions (got 0)");
            }
            if (d.length == 1) {
                return new Layout(1, d[0], 1, new int[0]);
            }
            int[] positions = new int[d.length - 1];
            positions[0] = d[0];
            System.arraycopy(d, 2, positions, 1, d.length - 2);
            return new Layout(d[0], d[1], Normalization.product(d, 2, d.length), positions);
        }

        int classDim() {
            return positions.length == 0 ? 0 : 1;
        }

        NDArray input3(NDArray a) {
            return a.reshape(n, classes, spatial);
        }

        NDArray positions2(NDArray a) {
            return a.reshape(n, spatial);
        }
    }

    // ---------------------------------------------------------------- nll_loss

    /** {@code -weight[t] * input[t]} at each position, for log-probabilities and class indices {@code t}. */
    public static NDArray nllLoss(NDArray input, NDArray target, NDArray weight, long ignoreIndex, String reduction) {
        Reduction r = Reduction.of(reduction);
        Layout l = checkClassIndices("nll_loss", input, target, weight, ignoreIndex);
        NDArray loss = NDArray.zeros(input.dtype(), input.device(), l.n, l.spatial);
        input.backend().norm().nllLoss(l.input3(input), l.positions2(target), weight, ignoreIndex, loss);
        return reduce(loss, l, r, () -> targetWeightSum(l, input, target, weight, ignoreIndex));
    }

    /** The gradient of {@link #nllLoss} with respect to its input, for upstream {@code grad}. */
    public static NDArray nllLossBackward(NDArray grad, NDArray input, NDArray target, NDArray weight,
                                          long ignoreIndex, String reduction) {
        Reduction r = Reduction.of(reduction);
        Layout l = checkClassIndices("nll_loss", input, target, weight, ignoreIndex);
        NDArray scale = perPosition(grad, l, r, () -> targetWeightSum(l, input, target, weight, ignoreIndex));
        NDArray gradInput = NDArray.zeros(input.dtype(), input.device(), input.dims());
        input.backend().norm().nllLossBackward(l.positions2(target), weight, ignoreIndex, scale,
                l.input3(gradInput));
        return gradInput;
    }

    // ---------------------------------------------------------------- cross_entropy

    /**
     * Cross-entropy between {@code logits} and {@code target}: class indices (I64, the input's
     * shape without the class dimension) or class probabilities (the input's floating dtype
     * and shape). With label smoothing {@code s} the target becomes {@code (1 - s) * target +
     * s / C} (for class indices, weighted by the class weights and not applied at ignored positions).
     */
    public static NDArray crossEntropy(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                       String reduction, double labelSmoothing) {
        Reduction r = Reduction.of(reduction);
        NormKernels kernels = logits.backend().norm();
        if (hasClassProbabilities(target)) {
            Layout l = checkClassProbabilities(logits, target, weight, ignoreIndex, labelSmoothing);
            NDArray loss = NDArray.zeros(logits.dtype(), logits.device(), l.n, l.spatial);
            kernels.crossEntropyProbabilities(l.input3(logits), l.input3(target), weight, labelSmoothing, loss);
            return reduce(loss, l, r, () -> positionCount(l, logits));
        }
        Layout l = checkClassIndices("cross_entropy", logits, target, weight, ignoreIndex);
        checkSmoothing(labelSmoothing);
        NDArray loss = NDArray.zeros(logits.dtype(), logits.device(), l.n, l.spatial);
        kernels.crossEntropy(l.input3(logits), l.positions2(target), weight, ignoreIndex, labelSmoothing, loss);
        return reduce(loss, l, r, () -> targetWeightSum(l, logits, target, weight, ignoreIndex));
    }

    /** The gradient of {@link #crossEntropy} with respect to the logits, for upstream {@code grad}. */
    public static NDArray crossEntropyBackward(NDArray grad, NDArray logits, NDArray target, NDArray weight,
                                               long ignoreIndex, String reduction, double labelSmoothing) {
        Reduction r = Reduction.of(reduction);
        NormKernels kernels = logits.backend().norm();
        NDArray gradLogits = NDArray.zeros(logits.dtype(), logits.device(), logits.dims());
        if (hasClassProbabilities(target)) {
            Layout l = checkClassProbabilities(logits, target, weight, ignoreIndex, labelSmoothing);
            NDArray scale = perPosition(grad, l, r, () -> positionCount(l, logits));
            kernels.crossEntropyProbabilitiesBackward(l.input3(logits), l.input3(target), weight, labelSmoothing,
                    scale, l.input3(gradLogits));
            return gradLogits;
        }
        Layout l = checkClassIndices("cross_entropy", logits, target, weight, ignoreIndex);
        checkSmoothing(labelSmoothing);
        NDArray scale = perPosition(grad, l, r, () -> targetWeightSum(l, logits, target, weight, ignoreIndex));
        kernels.crossEntropyBackward(l.input3(logits), l.positions2(target), weight, ignoreIndex, labelSmoothing,
                scale, l.input3(gradLogits));
        return gradLogits;
    }

    /** Whether {@code target} holds class probabilities (a floating-point target) rather than class indices. */
    public static boolean hasClassProbabilities(NDArray target) {
        return target.dtype().isFloatingPoint();
    }

    /**
     * The coefficients cross-entropy weighs each log-probability by, for class-index targets,
     * as an array of the logits' shape: {@code (1 - s) * weight[t]} at the target class plus
     * {@code s / C * weight[c]} at every class, all zero at ignored positions. The loss at a
     * position is {@code -sum_c coef_c * log_softmax(x)_c}; with {@code s = 0} this is the
     * weighted one-hot target of {@code nll_loss}.
     */
    public static NDArray classCoefficients(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                            double labelSmoothing) {
        Layout l = checkClassIndices("cross_entropy", logits, target, weight, ignoreIndex);
        checkSmoothing(labelSmoothing);
        DType dt = logits.dtype();
        NDArray t = l.positions2(target).view(l.n, 1, l.spatial);
        NDArray classes = NDArray.arange(l.classes).view(1, l.classes, 1);
        NDArray oneHot = t.eq(classes).to(dt);
        NDArray counted = t.ne((double) ignoreIndex).to(dt);
        NDArray w = weight == null ? NDArray.ones(dt, 1, l.classes, 1) : weight.view(1, l.classes, 1);
        NDArray coef = oneHot.mul(1 - labelSmoothing).add(labelSmoothing / l.classes).mul(w).mul(counted);
        return coef.reshape(logits.dims());
    }

    /**
     * What {@code "mean"} divides by: for class indices the total weight of the targets that
     * are not ignored, for class probabilities the number of positions; a 0-dimensional array.
     */
    public static NDArray meanDenominator(NDArray logits, NDArray target, NDArray weight, long ignoreIndex) {
        if (hasClassProbabilities(target)) {
            Layout l = checkClassProbabilities(logits, target, weight, ignoreIndex, 0);
            return positionCount(l, logits);
        }
        Layout l = checkClassIndices("cross_entropy", logits, target, weight, ignoreIndex);
        return targetWeightSum(l, logits, target, weight, ignoreIndex);
    }

    // ---------------------------------------------------------------- reductions

    private interface Denominator {
        NDArray get();
    }

    private static NDArray reduce(NDArray loss, Layout l, Reduction r, Denominator denominator) {
        return switch (r) {
            case NONE -> loss.view(l.positions);
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(denominator.get());
        };
    }

    /** The upstream gradient of the (reduced) loss as the gradient of each position's loss, {@code [n, spatial]}. */
    private static NDArray perPosition(NDArray grad, Layout l, Reduction r, Denominator denominator) {
        int[] want = r == Reduction.NONE ? l.positions : new int[0];
        if (!Arrays.equals(grad.dims(), want)) {
            throw new IllegalArgumentException("loss backward: gradient of shape " + grad.shape() + " for a loss of"
                    + " shape " + Arrays.toString(want));
        }
        return switch (r) {
            case NONE -> l.positions2(grad);
            case SUM -> grad.reshape(1, 1).expand(l.n, l.spatial);
            case MEAN -> grad.div(denominator.get()).reshape(1, 1).expand(l.n, l.spatial);
        };
    }

    private static NDArray targetWeightSum(Layout l, NDArray input, NDArray target, NDArray weight,
                                           long ignoreIndex) {
        NDArray w = NDArray.zeros(input.dtype(), input.device(), l.n, l.spatial);
        target.backend().norm().targetWeights(l.positions2(target), weight, ignoreIndex, w);
        return w.sum();
    }

    private static NDArray positionCount(Layout l, NDArray logits) {
        return NDArray.scalar((double) l.n * l.spatial, logits.dtype());
    }

    // ---------------------------------------------------------------- checks

    private static Layout checkClassIndices(String op, NDArray input, NDArray target, NDArray weight,
                                            long ignoreIndex) {
        Normalization.requireFloating(op, "input", input);
        Layout l = Layout.of(op, input);
        if (target.dtype() != DType.I64) {
            throw new IllegalArgumentException(op + ": expected a target of class indices of dtype I64"
                    + (op.equals("cross_entropy") ? " (or class probabilities of the input's dtype "
                    + input.dtype() + ")" : "") + ", got " + target.dtype());
        }
        NDArray.requireSameDevice(op, input, target);
        if (input.dim() == 2 && target.dim() != 1) {
            throw new IllegalArgumentException(op + ": 0D or 1D target tensor expected, multi-target not supported"
                    + " (input " + input.shape() + ", target " + target.shape() + ")");
        }
        if (input.dim() == 2 && target.size(0) != l.n) {
            throw new IllegalArgumentException("Expected input batch_size (" + l.n + ") to match target batch_size ("
                    + target.size(0) + ").");
        }
        if (!Arrays.equals(target.dims(), l.positions)) {
            throw new IllegalArgumentException("Expected target size " + Arrays.toString(l.positions) + ", got "
                    + target.shape());
        }
        checkWeight(op, weight, input, l);
        long[] t = target.toLongArray();
        for (long v : t) {
            if (v != ignoreIndex && (v < 0 || v >= l.classes)) {
                throw new IndexOutOfBoundsException("Target " + v + " is out of bounds.");
            }
        }
        return l;
    }

    private static Layout checkClassProbabilities(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                                  double labelSmoothing) {
        Normalization.requireFloating("cross_entropy", "input", logits);
        Layout l = Layout.of("cross_entropy", logits);
        if (target.dtype() != logits.dtype()) {
            throw new IllegalArgumentException("cross_entropy: a target of class probabilities must have the input's"
                    + " dtype " + logits.dtype() + ", got " + target.dtype());
        }
        NDArray.requireSameDevice("cross_entropy", logits, target);
        if (!target.shape().equals(logits.shape())) {
            throw new IllegalArgumentException("cross_entropy: a target of class probabilities must have the input's"
                    + " shape " + logits.shape() + ", got " + target.shape());
        }
        if (ignoreIndex != DEFAULT_IGNORE_INDEX) {
            throw new IllegalArgumentException("ignore_index is not supported for floating point target");
        }
        checkWeight("cross_entropy", weight, logits, l);
        checkSmoothing(labelSmoothing);
        return l;
    }

    private static void checkWeight(String op, NDArray weight, NDArray input, Layout l) {
        if (weight == null) {
            return;
        }
        if (weight.dim() != 1 || weight.size(0) != l.classes) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + l.classes
                    + " classes or no classes but got weight tensor of shape: " + weight.shape());
        }
        Normalization.requireLike(op, "weight", weight, input);
    }

    private static void checkSmoothing(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
    }
}
