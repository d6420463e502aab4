package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/** {@code a + b} with broadcasting; each gradient is the output's, summed back to its input's shape. */
public final class Add extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        return result(in[0].data().add(in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(
                needsInputGrad(0) ? toInput(0, grad) : null,
                needsInputGrad(1) ? toInput(1, grad) : null);
    }
}
