package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** Reverses the order of elements along dimensions; the gradient is flipped the same way. */
public final class Flip extends Function {

    private final int[] dims;

    public Flip(int... dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(in[0].data().flip(dims));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new Flip(dims).apply(grad));
    }
}
