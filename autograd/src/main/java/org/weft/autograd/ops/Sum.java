package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/** Sum over dimensions (all if none given); the gradient is the output's, expanded back. */
public final class Sum extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private Shape inputShape;
    private int[] keptShape;

    /** {@code dims} null or empty sums every dimension. */
    public Sum(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        keptShape = in[0].data().sum(dims, true).dims();
        return result(in[0].data().sum(dims, keepdim));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.reshape(keptShape).expand(inputShape.dims()));
    }
}
