package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * The largest (or smallest) value over dimensions: {@code amax}, {@code amin}, and
 * {@code max()} / {@code min()} of all elements. As in PyTorch, the gradient is split evenly
 * among the elements equal to the result; the split is a constant, so second derivatives
 * (zero through the choice of maximum) follow.
 */
public final class Amax extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private final boolean largest;
    /** {@code max()} / {@code min()} of everything, which has its own error for an empty input. */
    private final boolean all;
    private Reduced shapes;
    private NDArray share;

    /** {@code dims} null or empty reduces every dimension; {@code largest} false gives the minimum. */
    public Amax(int[] dims, boolean keepdim, boolean largest) {
        this(dims, keepdim, largest, false);
    }

    private Amax(int[] dims, boolean keepdim, boolean largest, boolean all) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
        this.largest = largest;
        this.all = all;
    }

    /** {@code max()} (or {@code min()}) of all elements, 0-dimensional. */
    public static Amax all(boolean largest) {
        return new Amax(null, false, largest, true);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        NDArray r = all ? (largest ? x.max() : x.min()) : largest ? x.amax(dims, keepdim) : x.amin(dims, keepdim);
        shapes = new Reduced(in[0].shape(), dims);
        if (x.dtype().isFloatingPoint()) {
            // max() and min() of everything send the gradient to the NaNs that made a NaN result
            // (PyTorch's evenly_distribute_backward); amax's rule compares values, NaN never equal.
            NDArray hit = (all && Double.isNaN(r.item()) ? x.ne(x) : x.eq(r.reshape(shapes.kept))).to(x.dtype());
            share = hit.div(hit.sum(dims, true));
        }
        return result(r);
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(shapes.keep(grad).mul(Tensor.of(share)));
    }
}
