package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * Standard deviation over dimensions with PyTorch's {@code correction}. By the chain rule
 * through the square root, its gradient is the variance's with the output gradient divided by
 * {@code 2 std}; where std is 0 PyTorch gives 0 rather than 0/0, and so does this.
 */
public final class Std extends Function {

    private final int[] dims;
    private final double correction;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty reduces every dimension; correction 1 is the unbiased estimate. */
    public Std(int[] dims, double correction, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.correction = correction;
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().std(dims, correction, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        saveForBackward(in[0], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor std = shapes.keep(saved(1));
        NDArray zero = std.data().eq(0).to(std.dtype());
        Tensor g = Reduced.divideOrZero(shapes.keep(grad), std.mul(2), zero);
        return grads(Var.gradient(g, saved(0), shapes, dims, correction));
    }
}
