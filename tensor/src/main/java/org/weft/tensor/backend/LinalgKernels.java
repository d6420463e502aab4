package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Matrix products: matmul (batched, broadcast), and what builds on it.
 *
 * <p>Operands arrive with their batch dimensions already broadcast to the result's (stride 0
 * where an operand is repeated) and in any strides, so transposed or sliced views reach the
 * kernel without being copied. Results are contiguous.
 */
public interface LinalgKernels {

    /**
     * {@code out[t] = alpha * a[t] b[t] + beta * out[t]} for every batch index {@code t}:
     * {@code a} is {@code [*batch, m, k]}, {@code b} is {@code [*batch, k, n]}, {@code out} is
     * {@code [*batch, m, n]} and contiguous; all three have the same dtype, F32 or F64. With
     * {@code beta == 0} the old values of {@code out} are not read (NaNs there do not leak), as
     * BLAS defines it; {@code k == 0} gives {@code beta * out}.
     */
    void matmul(NDArray a, NDArray b, double alpha, double beta, NDArray out);

    /**
     * {@code out[t, i, j] = sum_p (x[t, i, p] - y[t, j, p])^2}: {@code x} is {@code [*batch, n, d]},
     * {@code y} is {@code [*batch, m, d]}, {@code out} is {@code [*batch, n, m]} and contiguous;
     * one dtype, F32 or F64.
     */
    void pairwiseSquaredDistances(NDArray x, NDArray y, NDArray out);
}
