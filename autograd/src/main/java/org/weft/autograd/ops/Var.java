package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * Variance over dimensions with PyTorch's {@code correction}: {@code sum (x - mean)^2 / (N - correction)}.
 * Its gradient {@code 2 (x - mean) / (N - correction)} is written with tensor ops, so second
 * derivatives follow.
 */
public final class Var extends Function {

    private final int[] dims;
    private final double correction;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty reduces every dimension; correction 1 is the unbiased estimate. */
    public Var(int[] dims, double correction, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.correction = correction;
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().var(dims, correction, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        saveForBackward(in[0]);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(gradient(shapes.keep(grad), saved(0), shapes, dims, correction));
    }

    /** The input's gradient given the output's in keepdim form {@code g}; Std shares it. */
    static Tensor gradient(Tensor g, Tensor x, Reduced shapes, int[] dims, double correction) {
        boolean everything = dims == null || dims.length == 0 || x.dim() == 0;
        if (everything && shapes.count == correction) {
            // PyTorch's special case: 2 / (N - correction) is infinite and it skips the (zero) deviation.
            return g.expand(shapes.input.dims()).mul(Double.POSITIVE_INFINITY);
        }
        Tensor centred = x.sub(x.mean(dims, true));
        return centred.mul(g).mul(2 / (shapes.count - correction));
    }
}
