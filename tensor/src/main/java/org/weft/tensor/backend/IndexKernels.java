package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Moving elements to or from positions named by an index array.
 *
 * <p>Two primitives cover gather, scatter_add, index_select and index_add: an index_select is
 * a gather whose (one-dimensional) index is expanded with zero strides over the other
 * dimensions, and an index_add is the same expansion of a scatter_add. Joining, splitting,
 * padding and reordering need no kernel of their own: they are block copies
 * ({@link CopyKernels}) between views. Indices are I64 and already checked to be in range.
 */
public interface IndexKernels {

    /**
     * The smallest and the largest element of the I64 array {@code index}, as
     * {@code {min, max}}; null if it is empty. The checking half uses it to report an
     * out-of-range index before any kernel reads with it.
     */
    long[] minMax(NDArray index);

    /**
     * {@code out[p] = src[p with p[dim] replaced by index[p]]} for every position p of
     * {@code index}, which has {@code out}'s shape, {@code src}'s rank and, in every dimension
     * but {@code dim}, at most {@code src}'s size. {@code out} has {@code src}'s dtype.
     */
    void gather(NDArray src, int dim, NDArray index, NDArray out);

    /**
     * {@code dst[p with p[dim] replaced by index[p]] += src[p]} for every position p of
     * {@code index}, in place; several p may name the same element of {@code dst} and all of
     * them add. {@code index} is no larger than {@code src} in any dimension and no larger
     * than {@code dst} except in {@code dim}; {@code src} has {@code dst}'s dtype. BOOL adds
     * as logical or, U8 wraps modulo 256, as in PyTorch.
     */
    void scatterAdd(NDArray dst, int dim, NDArray index, NDArray src);

    /**
     * {@code dst[p] = value} (converted to {@code dst}'s dtype) wherever the BOOL
     * {@code mask}, of {@code dst}'s shape (broadcast views allowed), is true; in place.
     */
    void maskedFill(NDArray dst, NDArray mask, double value);
}
