package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code x <= threshold ? 0 : grad}: the gradient of {@link Relu} (with x its saved output
 * and threshold 0), in one pass. It is linear in grad with the same mask, so its own gradient
 * is itself again; the mask is piecewise constant in x, so x gets a zero gradient.
 */
final class ThresholdBackward extends Function {

    private final double threshold;

    ThresholdBackward(double threshold) {
        this.threshold = threshold;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[1]);
        return result(in[0].data().thresholdBackward(in[1].data(), threshold));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        return grads(needsInputGrad(0) ? new ThresholdBackward(threshold).apply(grad, x) : null,
                needsInputGrad(1) ? x.zerosLike() : null);
    }
}
