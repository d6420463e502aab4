package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The sine; d/dx = cos(x). */
public final class Sin extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().sin());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.mul(saved(0).cos()));
    }
}
