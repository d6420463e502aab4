package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** The error function; d/dx = 2/sqrt(pi) e^(-x^2). */
public final class Erf extends Function {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().erf());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        return grads(grad.mul(x.mul(x).neg().exp()).mul(TWO_OVER_SQRT_PI));
    }
}
