package org.weft.tensor.cuda;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * An array brought to the layout of native/src/reduce.cu: contiguous {@code [outer, r, inner]}
 * with the reduced dimensions as the middle axis, and its output {@code [outer, inner]}
 * (row-major over the kept dimensions, which is the keepdim output's layout).
 *
 * <p>A contiguous array whose reduced dimensions lie next to each other (size-one dimensions
 * do not count) is used as it is. Otherwise it is copied, permuted so that the kept
 * dimensions come first in their order and the reduced ones last, into a contiguous scratch
 * array ({@code inner = 1}); one copy serves every reduction, including mean and var, which
 * cannot be split into successive reductions of separate runs.
 *
 * @param source the array the kernel reads (x itself, or the scratch copy)
 * @param scratch whether {@code source} is a scratch copy the caller releases
 */
record ReductionPlan(long outer, long r, long inner, NDArray source, boolean scratch) {

    /**
     * The plan for reducing {@code x} over {@code dims} (sorted, non-negative) with the kernel
     * reading elements of {@code dtype} (x's, or the type it is converted to first).
     */
    static ReductionPlan of(NDArray x, int[] dims, DType dtype, CudaCopy copy) {
        int[] shape = x.dims();
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        if (x.isContiguous() && dtype == x.dtype()) {
            // Phases over the non-size-one dims: 0 kept before, 1 reduced, 2 kept after.
            long outer = 1;
            long r = 1;
            long inner = 1;
            int phase = 0;
            boolean oneRun = true;
            for (int d = 0; d < shape.length && oneRun; d++) {
                if (shape[d] == 1) {
                    continue;
                }
                if (reduced[d]) {
                    if (phase == 2) {
                        oneRun = false;
                    }
                    phase = 1;
                    r *= shape[d];
                } else if (phase == 0) {
                    outer *= shape[d];
                } else {
                    phase = 2;
                    inner *= shape[d];
                }
            }
            if (oneRun) {
                if (r == 1) {
                    // Nothing of size > 1 is reduced: a thread per output element, not a block.
                    return new ReductionPlan(1, 1, outer * inner, x, false);
                }
                return new ReductionPlan(outer, r, inner, x, false);
            }
        }
        int[] perm = new int[shape.length];
        int k = 0;
        long outer = 1;
        long r = 1;
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) {
                perm[k++] = d;
                outer *= shape[d];
            }
        }
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d]) {
                perm[k++] = d;
                r *= shape[d];
            }
        }
        NDArray permuted = x.permute(perm);
        return new ReductionPlan(outer, r, 1, copy.contiguousScratch(permuted, dtype), true);
    }

    /** Nothing to write: the output is empty. */
    boolean empty() {
        return outer * inner == 0;
    }

    /** The class R launch of {@code kernel} over this plan's rows ({@link Launch#rows}). */
    Launch launch(String kernel, String what, Object... args) {
        return Launch.rows(kernel, outer, inner, what, args);
    }

    void release() {
        if (scratch) {
            Operands.release(source);
        }
    }
}
