package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code log(1 + x)}, exact near zero; d/dx = 1/(1 + x). */
public final class Log1p extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().log1p());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.div(saved(0).add(1.0)));
    }
}
