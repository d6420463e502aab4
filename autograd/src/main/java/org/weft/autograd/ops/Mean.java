package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** Mean over dimensions (all if none given); each input gets the output's gradient over the count. */
public final class Mean extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty averages every dimension. */
    public Mean(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().mean(dims, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(shapes.expand(grad).div(shapes.count));
    }
}
