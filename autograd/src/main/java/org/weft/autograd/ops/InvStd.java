package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code 1 / sqrt(v + eps)}: the inverse standard deviation a norm scales by, as a
 * differentiable op ({@code d/dv = -y^3 / 2} with {@code y} the output), for the norms'
 * gradients written with tensor ops.
 */
public final class InvStd extends Function {

    private final double eps;

    public InvStd(double eps) {
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().add(eps).rsqrt());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor y = saved(0);
        return grads(grad.mul(y.mul(y).mul(y)).mul(-0.5));
    }
}
