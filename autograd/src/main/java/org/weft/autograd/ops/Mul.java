package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/** {@code a * b} with broadcasting: d(ab)/da = b, d(ab)/db = a. */
public final class Mul extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        saveForBackward(in[0], in[1]);
        return result(in[0].data().mul(in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(
                needsInputGrad(0) ? toInput(0, grad.mul(saved(1))) : null,
                needsInputGrad(1) ? toInput(1, grad.mul(saved(0))) : null);
    }
}
