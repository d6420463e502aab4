package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** Swaps two dimensions (a view); the gradient is swapped back. */
public final class Transpose extends Function {

    private final int dim0;
    private final int dim1;

    public Transpose(int dim0, int dim1) {
        this.dim0 = dim0;
        this.dim1 = dim1;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        markView();
        return result(in[0].data().transpose(dim0, dim1));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.transpose(dim0, dim1));
    }
}
