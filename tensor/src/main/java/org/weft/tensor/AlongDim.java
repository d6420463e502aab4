package org.weft.tensor;

/**
 * Reading and writing values at per-line positions along one dimension: the bookkeeping of
 * the value-selecting reductions (max and min over a dimension, sort, top-k), whose gradient
 * goes back to the positions their indices name. PyTorch calls these {@code gather} and
 * {@code scatter_add} with an index of the same rank as the array.
 */
public final class AlongDim {

    private AlongDim() {
    }

    /**
     * {@code out[..., j, ...] = x[..., index[..., j, ...], ...]} along {@code dim}: index (I64)
     * has x's rank and agrees with x in every other dimension; out has index's shape.
     */
    public static NDArray gather(NDArray x, int dim, NDArray index) {
        return ReductionOps.gatherAlongDim(x, dim, index);
    }

    /**
     * Zeros of {@code shape} with each {@code src[..., j, ...]} added at position
     * {@code index[..., j, ...]} along {@code dim} (repeated positions add up): the adjoint of
     * {@link #gather}.
     */
    public static NDArray scatterAdd(Shape shape, int dim, NDArray index, NDArray src) {
        return ReductionOps.scatterAddAlongDim(shape, dim, index, src);
    }
}
