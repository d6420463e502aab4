package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code 1/x}; d/dx = -1/x^2 = -y^2, from the saved output. */
public final class Reciprocal extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().reciprocal());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor y = saved(0);
        return grads(grad.neg().mul(y.mul(y)));
    }
}
