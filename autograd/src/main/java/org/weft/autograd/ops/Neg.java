package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code -x}. */
public final class Neg extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        return result(in[0].data().neg());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.neg());
    }
}
