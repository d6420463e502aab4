package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * The hyperbolic tangent; d/dx = 1 - y^2 from the saved output y, computed as (1 - y)(1 + y):
 * where tanh saturates, y*y rounded to float would lose most digits of the small difference
 * (PyTorch's kernel keeps them too).
 */
public final class Tanh extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().tanh());
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor y = saved(0);
        return grads(grad.mul(y.rsub(1.0).mul(y.add(1.0))));
    }
}
