package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code e^x - 1}, exact near zero; d/dx = e^x = y + 1. */
public final class Expm1 extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().expm1());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.mul(saved(0).add(1.0)));
    }
}
