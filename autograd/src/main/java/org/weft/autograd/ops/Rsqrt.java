package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code 1/sqrt(x)}; d/dx = -x^(-3/2)/2 = -y^3/2, from the saved output. */
public final class Rsqrt extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().rsqrt());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor y = saved(0);
        return grads(grad.mul(y.mul(y).mul(y)).mul(-0.5));
    }
}
