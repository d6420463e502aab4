package org.weft.autograd.ops;

import java.util.Arrays;
import org.weft.autograd.Function;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.Losses;
import org.weft.tensor.NDArray;

/**
 * Cross-entropy of logits, fused with their log-softmax (inputs: logits, target, and the
 * per-class weight if present). The target holds class indices (I64) or class probabilities
 * (floating point, differentiable too). Each position's loss is
 * {@code -sum_c coef_c * log_softmax(x)_c}, so the logits' gradient is
 * {@code (softmax(x) * sum_c coef_c - coef) * scale}, and a probability target's gradient is
 * {@code -(1 - smoothing) * weight * log_softmax(x) * scale}, with {@code scale} the
 * reduction's share of the upstream gradient.
 */
public final class CrossEntropy extends Function {

    private final long ignoreIndex;
    private final String reduction;
    private final double labelSmoothing;
    private final boolean hasWeight;

    public CrossEntropy(long ignoreIndex, String reduction, double labelSmoothing, boolean hasWeight) {
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
        this.hasWeight = hasWeight;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray weight = hasWeight ? in[2].data() : null;
        saveForBackward(in[0], in[1], hasWeight ? in[2] : null);
        return result(Losses.crossEntropy(in[0].data(), in[1].data(), weight, ignoreIndex, reduction,
                labelSmoothing));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (hasWeight && needsInputGrad(2)) {
            throw new IllegalStateException(NllLoss.NO_WEIGHT_GRAD);
        }
        Tensor logits = saved(0);
        Tensor target = saved(1);
        NDArray weight = hasWeight ? saved(2).data() : null;
        int classDim = logits.dim() == 1 ? 0 : 1;
        boolean probabilities = Losses.hasClassProbabilities(target.data());
        Tensor gl = null;
        if (needsInputGrad(0)) {
            if (Grad.isEnabled()) { // a graph of the gradient is wanted: build it from tensor ops
                Tensor coef = probabilities ? probabilityCoefficients(target, weight, classDim)
                        : Tensor.of(Losses.classCoefficients(logits.data(), target.data(), weight, ignoreIndex,
                                labelSmoothing));
                Tensor p = new Softmax(classDim).apply(logits);
                gl = p.mul(coef.sum(classDim, true)).sub(coef).mul(scale(grad, logits, target, weight));
            } else {
                gl = Tensor.of(Losses.crossEntropyBackward(grad.data(), logits.data(), target.data(), weight,
                        ignoreIndex, reduction, labelSmoothing));
            }
        }
        Tensor gt = null;
        if (probabilities && needsInputGrad(1)) {
            Tensor logp = new LogSoftmax(classDim).apply(logits);
            if (weight != null) {
                logp = logp.mul(Tensor.of(weight.view(classShape(logits, classDim))));
            }
            gt = logp.mul(scale(grad, logits, target, weight)).mul(-(1 - labelSmoothing));
        }
        return hasWeight ? grads(gl, gt, null) : grads(gl, gt);
    }

    /** {@code weight * ((1 - smoothing) * target + smoothing / C)}, differentiable in the target. */
    private Tensor probabilityCoefficients(Tensor target, NDArray weight, int classDim) {
        int classes = target.size(classDim);
        Tensor coef = target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        return weight == null ? coef : coef.mul(Tensor.of(weight.view(classShape(target, classDim))));
    }

    private Tensor scale(Tensor grad, Tensor logits, Tensor target, NDArray weight) {
        return NllLoss.perPosition(grad, logits, target.data(), weight, ignoreIndex, reduction);
    }

    /** Ones of the input's rank with the class count at the class dimension: how a weight broadcasts. */
    private static int[] classShape(Tensor input, int classDim) {
        int[] s = new int[input.dim()];
        Arrays.fill(s, 1);
        s[classDim] = input.size(classDim);
        return s;
    }
}
