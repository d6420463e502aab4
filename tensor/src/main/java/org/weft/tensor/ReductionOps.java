package org.weft.tensor;

import java.util.Arrays;

/**
 * The checking half of the reductions and of the ops along one dimension (cumsum, sort,
 * top-k): dimension lists, keepdim, result dtypes, and PyTorch's errors for what it refuses
 * (the mean of integers, the maximum of nothing, a top-k larger than the dimension).
 */
final class ReductionOps {

    private ReductionOps() {
    }

    // ------------------------------------------------------------ over several dimensions

    static NDArray sum(NDArray x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireComputable("sum", x);
        int[] reduced = normalizeDims("sum", dims, x.dim());
        // Integer and bool sums are I64, as in PyTorch.
        DType dtype = x.dtype().isFloatingPoint() ? x.dtype() : DType.I64;
        NDArray out = NDArray.zeros(dtype, x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().sum(x, reduced, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    static NDArray mean(NDArray x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireComputable("mean", x);
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be a floating"
                    + " point dtype, got " + x.dtype() + "; convert with to(DType.F32) first");
        }
        int[] reduced = normalizeDims("mean", dims, x.dim());
        NDArray out = NDArray.zeros(x.dtype(), x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().mean(x, reduced, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /** The variance (or, with {@code std}, the standard deviation) with PyTorch's {@code correction}. */
    static NDArray var(NDArray x, int[] dims, double correction, boolean keepdim, boolean std) {
        String op = std ? "std" : "var";
        ElementwiseOps.requireComputable(op, x);
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + "(): std and var only support floating point dtypes, got "
                    + x.dtype());
        }
        if (Double.isNaN(correction) || Double.isInfinite(correction)) {
            throw new IllegalArgumentException(op + "(): correction must be a finite number, got " + correction);
        }
        int[] reduced = normalizeDims(op, dims, x.dim());
        NDArray out = NDArray.zeros(x.dtype(), x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().var(x, reduced, correction, std, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /** {@code amax} / {@code amin}: the extreme value over several dimensions, no indices. */
    static NDArray amax(NDArray x, int[] dims, boolean keepdim, boolean largest) {
        String op = largest ? "amax" : "amin";
        ElementwiseOps.requireComputable(op, x);
        int[] reduced = normalizeDims(op, dims, x.dim());
        for (int d : reduced) {
            requireNonEmptyDim(op, x, d);
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().amax(x, reduced, largest, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /** {@code max()} / {@code min()}: the extreme of all elements, 0-dimensional. */
    static NDArray maxAll(NDArray x, boolean largest) {
        String op = largest ? "max" : "min";
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0."
                    + " Specify the reduction dim with the 'dim' argument.");
        }
        return amax(x, null, false, largest);
    }

    static NDArray logsumexp(NDArray x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireComputable("logsumexp", x);
        // Integers are promoted to the default floating type, as in PyTorch.
        NDArray in = x.dtype().isFloatingPoint() ? x : x.to(DType.F32);
        int[] reduced = normalizeDims("logsumexp", dims, x.dim());
        NDArray out = NDArray.zeros(in.dtype(), x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().logsumexp(in, reduced, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /** The vector p-norm over {@code dims}; any p but NaN (0 counts nonzeros, infinities are max/min |x|). */
    static NDArray norm(NDArray x, double p, int[] dims, boolean keepdim) {
        ElementwiseOps.requireComputable("norm", x);
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("norm(): input dtype should be floating point, got " + x.dtype()
                    + "; convert with to(DType.F32) first");
        }
        if (Double.isNaN(p)) {
            throw new IllegalArgumentException("norm(): p must be a number or infinity, got NaN");
        }
        int[] reduced = normalizeDims("norm", dims, x.dim());
        NDArray out = NDArray.zeros(x.dtype(), x.device(), keptShape(x.dims(), reduced));
        x.backend().reduction().norm(x, reduced, p, out);
        return keepdim ? out : dropDims(out, reduced);
    }

    /**
     * The norm named by a string: "fro" is the 2-norm over at most two dimensions (all
     * elements when {@code dims} is empty), as {@code torch.norm(x, "fro", dim)}.
     */
    static NDArray norm(NDArray x, String p, int[] dims, boolean keepdim) {
        if (!"fro".equals(p)) {
            throw new IllegalArgumentException("norm(): p must be a number, an infinity or \"fro\", got \"" + p
                    + "\"" + ("nuc".equals(p) ? " (the nuclear norm needs an SVD, which Weft does not have)" : ""));
        }
        if (dims != null && dims.length > 2) {
            throw new IllegalArgumentException("norm(): the \"fro\" norm expects at most 2 dimensions, but got "
                    + dims.length + " dimensions " + Arrays.toString(dims));
        }
        return norm(x, 2, dims, keepdim);
    }

    // ------------------------------------------------------------ along one dimension

    /** {@code max(dim)} / {@code min(dim)}: values and the I64 index of each one's first occurrence. */
    static NDArray[] maxDim(NDArray x, int dim, boolean keepdim, boolean largest) {
        String op = largest ? "max" : "min";
        ElementwiseOps.requireComputable(op, x);
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return new NDArray[] {x.copy(), NDArray.zeros(DType.I64, x.device())};
        }
        requireNonEmptyDim(op, x, d);
        int[] kept = keptShape(x.dims(), new int[] {d});
        NDArray values = NDArray.zeros(x.dtype(), x.device(), kept);
        NDArray indices = NDArray.zeros(DType.I64, x.device(), kept);
        x.backend().reduction().maxAlongDim(x, d, largest, values, indices);
        if (keepdim) {
            return new NDArray[] {values, indices};
        }
        return new NDArray[] {dropDims(values, new int[] {d}), dropDims(indices, new int[] {d})};
    }

    /** {@code argmax} / {@code argmin} along {@code dim}, or over the flattened array when {@code dim} is null. */
    static NDArray argmax(NDArray x, Integer dim, boolean keepdim, boolean largest) {
        String op = largest ? "argmax" : "argmin";
        ElementwiseOps.requireComputable(op, x);
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + "(): not implemented for BOOL; convert with to(DType.I64) first");
        }
        if (dim == null) {
            if (x.numel() == 0) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0.");
            }
            NDArray flat = x.reshape(x.numel());
            NDArray index = NDArray.zeros(DType.I64, x.device(), 1);
            x.backend().reduction().maxAlongDim(flat, 0, largest, null, index);
            int[] ones = new int[x.dim()];
            Arrays.fill(ones, 1);
            return keepdim ? index.view(ones) : index.view();
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return NDArray.zeros(DType.I64, x.device());
        }
        requireNonEmptyDim(op, x, d);
        NDArray indices = NDArray.zeros(DType.I64, x.device(), keptShape(x.dims(), new int[] {d}));
        x.backend().reduction().maxAlongDim(x, d, largest, null, indices);
        return keepdim ? indices : dropDims(indices, new int[] {d});
    }

    /** Running sums along {@code dim}; integers and bool sum to I64, as in PyTorch. */
    static NDArray cumsum(NDArray x, int dim, boolean reverse) {
        ElementwiseOps.requireComputable("cumsum", x);
        int d = Shape.normalizeDim(dim, x.dim());
        DType dtype = x.dtype().isFloatingPoint() ? x.dtype() : DType.I64;
        if (x.dim() == 0) {
            return x.to(dtype).copy();
        }
        NDArray out = NDArray.zeros(dtype, x.device(), x.dims());
        x.backend().reduction().cumsum(x, d, reverse, out);
        return out;
    }

    /** A stable sort along {@code dim}: {sorted values, I64 positions in x}. */
    static NDArray[] sort(NDArray x, int dim, boolean descending) {
        ElementwiseOps.requireComputable("sort", x);
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return new NDArray[] {x.copy(), NDArray.zeros(DType.I64, x.device())};
        }
        return firstSorted(x, d, x.size(d), descending);
    }

    /** The {@code k} largest (or smallest) along {@code dim}: {values, I64 positions in x}, best first. */
    static NDArray[] topk(NDArray x, int k, int dim, boolean largest) {
        ElementwiseOps.requireComputable("topk", x);
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("topk(): not implemented for BOOL; convert with to(DType.I64) first");
        }
        int d = Shape.normalizeDim(dim, x.dim());
        int size = x.dim() == 0 ? 1 : x.size(d);
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("topk(): selected index k out of range: k is " + k + " but dimension "
                    + d + " has size " + size + " (expected 0 <= k <= " + size + ")");
        }
        if (x.dim() == 0) {
            // PyTorch returns the element itself for k = 0 as for k = 1.
            return new NDArray[] {x.copy(), NDArray.zeros(DType.I64, x.device())};
        }
        return firstSorted(x, d, k, largest);
    }

    private static NDArray[] firstSorted(NDArray x, int d, int k, boolean descending) {
        int[] shape = x.dims();
        shape[d] = k;
        NDArray values = NDArray.zeros(x.dtype(), x.device(), shape);
        NDArray indices = NDArray.zeros(DType.I64, x.device(), shape);
        x.backend().reduction().sort(x, d, descending, values, indices);
        return new NDArray[] {values, indices};
    }

    // ------------------------------------------------------------ shared checks

    private static void requireNonEmptyDim(String op, NDArray x, int d) {
        if (x.dim() > 0 && x.size(d) == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim " + d
                    + " to have non-zero size (input shape " + x.shape() + ").");
        }
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
