package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/** Moving and converting elements between arrays of any strides. */
public interface CopyKernels {

    /**
     * {@code dst[i] = convert(src[i])} for every index of {@code dst}; {@code src} has
     * {@code dst}'s shape (broadcast views with zero strides included) but may differ in dtype.
     */
    void copy(NDArray src, NDArray dst);

    /** Sets every element of {@code dst} to {@code value} converted to its dtype. */
    void fill(NDArray dst, double value);
}
