package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code log(sum(exp(x)))} over dimensions. Its gradient is the softmax of x over those
 * dimensions, {@code exp(x - logsumexp(x))}, written with tensor ops from x and this op's
 * output, so both take part in higher derivatives.
 */
public final class LogSumExp extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty reduces every dimension. */
    public LogSumExp(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().logsumexp(dims, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        saveForBackward(in[0], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor softmax = saved(0).sub(shapes.keep(saved(1))).exp();
        return grads(shapes.keep(grad).mul(softmax));
    }
}
