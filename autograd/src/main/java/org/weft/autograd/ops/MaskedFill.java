package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * x (broadcast with a BOOL mask) with a constant wherever the mask is true. The filled
 * elements no longer depend on x, so the gradient is the output's with zeros there, summed
 * back to x's shape if x was broadcast.
 */
public final class MaskedFill extends Function {

    private final double value;
    private Shape inputShape;

    public MaskedFill(double value) {
        this.value = value;
    }

    /** Inputs: the tensor and the BOOL mask. */
    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        saveForBackward(in[1]);
        return result(in[0].data().maskedFill(in[1].data(), value));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        if (!needsInputGrad(0)) {
            return grads(null, null);
        }
        return grads(new MaskedFill(0).apply(grad, saved(0)).sumToShape(inputShape), null);
    }
}
