package org.weft.tensor;

import java.util.Arrays;

/** The checking half of the reductions: dimension lists, keepdim, result dtypes. */
final class ReductionOps {

    private ReductionOps() {
    }

    static NDArray sum(NDArray x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireComputable("sum", x);
        int[] reduced = normalizeDims("sum", dims, x.dim());
        // Integer and bool sums are I64, as in PyTorch.
        DType dtype = x.dtype().isFloatingPoint() ? x.dtype() : DType.I64;
        NDArray out = NDArray.zeros(dtype, x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().sum(x, reduced, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /**
     * The sorted, non-negative, distinct dimensions; an empty list means all of them, as
     * PyTorch's {@code dim=None}.
     */
    static int[] normalizeDims(String op, int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], rank);
            if (seen[d]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears multiple times in the list of dims "
                        + Arrays.toString(dims));
            }
            seen[d] = true;
            out[i] = d;
        }
        Arrays.sort(out);
        return rank == 0 ? new int[0] : out;
    }

    /** The input's shape with each reduced dimension set to one. */
    static int[] keptShape(int[] shape, int[] reduced) {
        int[] s = shape.clone();
        for (int d : reduced) {
            s[d] = 1;
        }
        return s;
    }

    /** Removes the reduced (now size-one) dimensions of a keepdim result. */
    static NDArray dropDims(NDArray out, int[] reduced) {
        int[] s = new int[out.dim() - reduced.length];
        int[] dims = out.dims();
        for (int d = 0, j = 0, r = 0; d < dims.length; d++) {
            if (r < reduced.length && reduced[r] == d) {
                r++;
            } else {
                s[j++] = dims[d];
            }
        }
        return out.view(s);
    }
}
