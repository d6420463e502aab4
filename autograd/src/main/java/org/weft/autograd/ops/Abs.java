package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** {@code |x|}; d/dx = sign(x), which is zero at x = 0 (as in PyTorch) and at NaN. */
public final class Abs extends Function {

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().abs());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.mul(saved(0).sign()));
    }
}
