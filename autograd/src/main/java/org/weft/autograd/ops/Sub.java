package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/** {@code a - b} with broadcasting. */
public final class Sub extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        return result(in[0].data().sub(in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(
                needsInputGrad(0) ? toInput(0, grad) : null,
                needsInputGrad(1) ? toInput(1, grad.neg()) : null);
    }
}
