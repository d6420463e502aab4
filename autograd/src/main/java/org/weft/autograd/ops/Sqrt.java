package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The square root; d/dx = 1/(2 sqrt(x)), from the saved output. */
public final class Sqrt extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().sqrt());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.div(saved(0).mul(2.0)));
    }
}
