package org.weft.autograd.ops;

import org.weft.autograd.Tensor;

/** {@code a / b} with broadcasting: d/da = 1/b, d/db = -a/b^2. */
public final class Div extends BroadcastingFunction {

    @Override
    protected Tensor forward(Tensor... in) {
        rememberInputs(in);
        saveForBackward(in[0], in[1]);
        return result(in[0].data().div(in[1].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        // a is read only for b's gradient, so x.div_(c) stays differentiable in x, as in PyTorch.
        Tensor b = saved(1);
        return grads(
                needsInputGrad(0) ? toInput(0, grad.div(b)) : null,
                needsInputGrad(1) ? toInput(1, grad.neg().mul(saved(0)).div(b.mul(b))) : null);
    }
}
