package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * Limits x to {@code [min, max]} (an infinite bound is none). The gradient passes where
 * {@code min <= x <= max}, the bounds included, as PyTorch does (a subgradient of one at
 * the kinks); a NaN element gets none.
 */
public final class Clamp extends Function {

    private final double min;
    private final double max;

    public Clamp(double min, double max) {
        this.min = min;
        this.max = max;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0]);
        return result(in[0].data().clamp(min, max));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor zero = Tensor.scalar(0, grad.dtype());
        return grads(Tensor.where(x.ge(min), Tensor.where(x.le(max), grad, zero), zero));
    }
}
