package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Kernels that reduce dimensions, and the kernels that work along one dimension (cumulative
 * sums, sorting). Selecting values by index along a dimension is {@link IndexKernels}'.
 *
 * <p>For the reductions over several dimensions, {@code out} is a fresh contiguous array with
 * the input's rank and size one on the reduced dimensions (keepdim form), and {@code dims}
 * are sorted and non-negative. Floating-point reductions accumulate in double whatever the
 * input type, so an F32 result is the correctly computed value rounded once.
 */
public interface ReductionKernels {

    /** Sums over {@code dims}; floating-point sums accumulate in double, integer sums in long (out is I64). */
    void sum(NDArray x, int[] dims, NDArray out);

    /** The mean over {@code dims} of a floating-point array; an empty block gives NaN. */
    void mean(NDArray x, int[] dims, NDArray out);

    /**
     * The variance over {@code dims}: the squared deviations from the mean summed and divided by
     * {@code max(N - correction, 0)}; its square root if {@code std}. Two passes in double: the
     * mean, then the deviations (no cancellation, unlike E[x^2] - E[x]^2).
     */
    void var(NDArray x, int[] dims, double correction, boolean std, NDArray out);

    /** The largest ({@code largest}) or smallest value over {@code dims}; NaN wins over every number. */
    void amax(NDArray x, int[] dims, boolean largest, NDArray out);

    /**
     * Along dimension {@code dim}: the largest (or smallest) value and the index of its first
     * occurrence (the first NaN if there is one). {@code values} may be null (argmax);
     * {@code indices} is I64. Both are in keepdim form.
     */
    void maxAlongDim(NDArray x, int dim, boolean largest, NDArray values, NDArray indices);

    /** {@code log(sum(exp(x)))} over {@code dims}, with the maximum subtracted first so exp never overflows. */
    void logsumexp(NDArray x, int[] dims, NDArray out);

    /**
     * The vector p-norm over {@code dims}: {@code (sum |x|^p)^(1/p)}; {@code p = 0} counts the
     * nonzero elements, {@code p = +-infinity} is the largest or smallest {@code |x|}.
     */
    void norm(NDArray x, int[] dims, double p, NDArray out);

    /**
     * Inclusive running sums along {@code dim} ({@code out} has x's shape); with {@code reverse}
     * the sums run from the end, which is the gradient of the forward cumsum.
     */
    void cumsum(NDArray x, int dim, boolean reverse, NDArray out);

    /**
     * Sorts every line along {@code dim} stably (equal values keep their order; NaN sorts above
     * every number) and writes the first {@code values.size(dim)} entries of each sorted line:
     * a full sort, or a top-k when that size is smaller. {@code indices} (I64) are positions in x.
     */
    void sort(NDArray x, int dim, boolean descending, NDArray values, NDArray indices);
}
