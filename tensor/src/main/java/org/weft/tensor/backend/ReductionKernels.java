package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Kernels that reduce dimensions. {@code out} has the input's rank with the reduced
 * dimensions of size one (keepdim form); {@code dims} are sorted and non-negative.
 */
public interface ReductionKernels {

    /** Sums over {@code dims}; floating-point sums accumulate in double. */
    void sum(NDArray x, int[] dims, NDArray out);
}
