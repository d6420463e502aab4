package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code c^x} for a constant base c: d/dx = c^x log(c). For c = 0 PyTorch takes the
 * gradient to be zero where x >= 0 (0^x is constant there); so do we.
 */
public final class RPow extends Function {

    private final double base;

    public RPow(double base) {
        this.base = base;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = result(in[0].data().rpow(base));
        saveForBackward(in[0], y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor full = grad.mul(saved(1).mul(Math.log(base)));
        if (base != 0) {
            return grads(full);
        }
        return grads(Tensor.where(saved(0).ge(0.0), Tensor.scalar(0, grad.dtype()), full));
    }
}
