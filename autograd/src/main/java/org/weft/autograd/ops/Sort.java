package org.weft.autograd.ops;

import org.weft.autograd.MultiOutputFunction;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * A stable sort along one dimension, and the top-k (the first k of the sort, best first):
 * values and their I64 positions. Each value's gradient goes back to the position it came
 * from; the indices are not differentiable.
 */
public final class Sort extends MultiOutputFunction {

    private final int dim;
    private final boolean descending;
    /** -1 for a full sort, otherwise how many values to keep. */
    private final int k;
    private Shape inputShape;
    private NDArray indices;

    private Sort(int dim, boolean descending, int k) {
        this.dim = dim;
        this.descending = descending;
        this.k = k;
    }

    /** Sorts along {@code dim}, smallest first unless {@code descending}. */
    public static Sort sort(int dim, boolean descending) {
        return new Sort(dim, descending, -1);
    }

    /** The {@code k} largest (or, with {@code largest} false, smallest) along {@code dim}, best first. */
    public static Sort topk(int k, int dim, boolean largest) {
        return new Sort(dim, largest, k);
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        NDArray x = in[0].data();
        NDArray[] r = k < 0 ? x.sort(dim, descending) : x.topk(k, dim, descending);
        inputShape = in[0].shape();
        indices = r[1];
        markNonDifferentiable(1);
        return new Tensor[] {result(r[0]), result(r[1])};
    }

    @Override
    protected Tensor[] backward(Tensor... grads) {
        int d = inputShape.rank() == 0 ? 0 : Shape.normalizeDim(dim, inputShape.rank());
        return new Tensor[] {ScatterAdd.intoZeros(inputShape, d, Tensor.of(indices), grads[0])};
    }
}
