package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** A contiguous copy; the gradient passes through. */
public final class Clone extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        return result(in[0].data().copy());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad);
    }
}
