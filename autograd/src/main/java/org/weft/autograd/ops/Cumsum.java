package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * Running sums along one dimension, from the start or (reversed) from the end. Output i
 * depends on inputs 0..i, so input j's gradient sums the output gradients j..n-1: the
 * reversed running sum, and the reversed one's gradient is the forward one.
 */
public final class Cumsum extends Function {

    private final int dim;
    private final boolean reverse;

    /** {@code reverse} sums from the end: element i is the sum of elements i..n-1. */
    public Cumsum(int dim, boolean reverse) {
        this.dim = dim;
        this.reverse = reverse;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(reverse ? in[0].data().reverseCumsum(dim) : in[0].data().cumsum(dim));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new Cumsum(dim, !reverse).apply(grad));
    }
}
