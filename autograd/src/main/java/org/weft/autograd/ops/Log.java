package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The natural logarithm; d/dx = 1/x. */
public final class Log extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().log());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.div(saved(0)));
    }
}
