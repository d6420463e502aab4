package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** Sum over dimensions (all if none given); the gradient is the output's, expanded back. */
public final class Sum extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty sums every dimension. */
    public Sum(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().sum(dims, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(shapes.expand(grad));
    }
}
