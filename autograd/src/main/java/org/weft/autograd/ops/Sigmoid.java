package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The logistic function {@code 1/(1 + e^-x)}; d/dx = s(1 - s), from the saved output s. */
public final class Sigmoid extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor s = result(in[0].data().sigmoid());
        saveForBackward(s);
        return s;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor s = saved(0);
        return grads(grad.mul(s.rsub(1.0)).mul(s));
    }
}
