package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.Losses;
import org.weft.tensor.NDArray;

/**
 * The negative log-likelihood loss of log-probabilities (inputs: input, I64 target, and the
 * per-class weight if present). The gradient reaches the input only: at each counted
 * position it is {@code -weight[t]} at the target class (scaled by the reduction), zero
 * elsewhere. It does not depend on the input, so second derivatives through the input are zero.
 */
public final class NllLoss extends Function {

    /** PyTorch defines no derivative of the classification losses with respect to the class weights. */
    static final String NO_WEIGHT_GRAD = "the derivative for 'weight' is not implemented.";

    private final long ignoreIndex;
    private final String reduction;
    private final boolean hasWeight;

    public NllLoss(long ignoreIndex, String reduction, boolean hasWeight) {
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.hasWeight = hasWeight;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray weight = hasWeight ? in[2].data() : null;
        saveForBackward(in[0], in[1], hasWeight ? in[2] : null);
        return result(Losses.nllLoss(in[0].data(), in[1].data(), weight, ignoreIndex, reduction));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (hasWeight && needsInputGrad(2)) {
            throw new IllegalStateException(NO_WEIGHT_GRAD);
        }
        Tensor input = saved(0);
        NDArray target = saved(1).data();
        NDArray weight = hasWeight ? saved(2).data() : null;
        Tensor gi = null;
        if (needsInputGrad(0)) {
            if (Grad.isEnabled()) { // a graph of the gradient is wanted: build it from tensor ops
                Tensor coef = Tensor.of(Losses.classCoefficients(input.data(), target, weight, ignoreIndex, 0));
                gi = coef.mul(perPosition(grad, input, target, weight, ignoreIndex, reduction)).neg();
            } else {
                gi = Tensor.of(Losses.nllLossBackward(grad.data(), input.data(), target, weight, ignoreIndex,
                        reduction));
            }
        }
        return hasWeight ? grads(gi, null, null) : grads(gi, null);
    }

    /**
     * The loss's upstream gradient as a tensor that broadcasts against the input: each
     * position's share of it (the reduction's scale), with a size-one class dimension.
     */
    static Tensor perPosition(Tensor grad, Tensor input, NDArray target, NDArray weight, long ignoreIndex,
                              String reduction) {
        int classDim = input.dim() == 1 ? 0 : 1;
        return switch (reduction) {
            case "none" -> grad.unsqueeze(classDim);
            case "sum" -> grad;
            default -> {
                NDArray d = Losses.meanDenominator(input.data(), target, weight, ignoreIndex);
                // With every target ignored the mean is NaN, and its gradient zero (as in PyTorch), not 0 * inf.
                yield grad.mul(Tensor.of(NDArray.where(d.eq(0.0), d.zerosLike(), d.reciprocal())));
            }
        };
    }
}
