package org.weft.tensor;

import java.util.Arrays;

/**
 * The checking half of the ops that read or write at positions named by an index array:
 * gather, scatter_add, index_select, index_add, masked_fill and one_hot. Every index is
 * checked against its dimension here, so the kernels never read out of bounds.
 */
final class IndexingOps {

    private IndexingOps() {
    }

    /** {@code out[i][j] = x[i][index[i][j]]} for dim 1, and likewise for any dim and rank. */
    static NDArray gather(NDArray x, int dim, NDArray index) {
        requireIndex("gather", x, index);
        int d = Shape.normalizeDim(dim, x.dim());
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor"
                    + " (index " + index.shape() + ", input " + x.shape() + ")");
        }
        for (int k = 0; k < x.dim(); k++) {
            if (k != d && index.size(k) > x.size(k)) {
                throw new IllegalArgumentException("Size does not match at dimension " + k + " expected index "
                        + index.shape() + " to be smaller than self " + x.shape() + " apart from dimension " + d);
            }
        }
        requireInRange("gather", index, d, x.dim() == 0 ? 1 : x.size(d));
        if (x.dim() == 0) {
            return gather(x.reshape(1), 0, index.reshape(1)).reshape();
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), index.dims());
        x.backend().index().gather(x, d, index, out);
        return out;
    }

    /**
     * A copy of {@code x} with {@code x[i][index[i][j]] += src[i][j]} for dim 1 (and likewise
     * for any dim and rank); repeated indices add up.
     */
    static NDArray scatterAdd(NDArray x, int dim, NDArray index, NDArray src) {
        requireIndex("scatter_add", x, index);
        NDArray.requireSameDevice("scatter_add", x, src);
        if (src.dtype() != x.dtype()) {
            throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype (self "
                    + x.dtype() + ", src " + src.dtype() + ")");
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (index.dim() != x.dim() || src.dim() != x.dim()) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as self and"
                    + " src tensors (index " + index.shape() + ", self " + x.shape() + ", src " + src.shape() + ")");
        }
        for (int k = 0; k < x.dim(); k++) {
            if (index.size(k) > src.size(k) || (k != d && index.size(k) > x.size(k))) {
                throw new IllegalArgumentException("Expected index " + index.shape() + " to be smaller than self "
                        + x.shape() + " apart from dimension " + d + " and to be smaller size than src " + src.shape());
            }
        }
        requireInRange("scatter_add", index, d, x.dim() == 0 ? 1 : x.size(d));
        if (x.dim() == 0) {
            return scatterAdd(x.reshape(1), 0, index.reshape(1), src.reshape(1)).reshape();
        }
        NDArray out = x.copy();
        x.backend().index().scatterAdd(out, d, index, src);
        return out;
    }

    /** The slices {@code index[0], index[1], ...} of {@code x} along {@code dim}, in that order. */
    static NDArray indexSelect(NDArray x, int dim, NDArray index) {
        requireIndex("index_select", x, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got shape "
                    + index.shape());
        }
        requireRank("index_select", x);
        int d = Shape.normalizeDim(dim, x.dim());
        requireInRange("index_select", index, d, x.size(d));
        int[] shape = x.dims();
        shape[d] = index.numel();
        NDArray out = NDArray.zeros(x.dtype(), x.device(), shape);
        x.backend().index().gather(x, d, alongDim(index, d, shape), out);
        return out;
    }

    /** A copy of {@code x} with slice i of {@code src} along {@code dim} added to slice {@code index[i]}. */
    static NDArray indexAdd(NDArray x, int dim, NDArray index, NDArray src) {
        requireIndex("index_add", x, index);
        NDArray.requireSameDevice("index_add", x, src);
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_add_(): Index is supposed to be a vector, got shape "
                    + index.shape());
        }
        if (src.dtype() != x.dtype()) {
            throw new IllegalArgumentException("index_add_(): self (" + x.dtype() + ") and source (" + src.dtype()
                    + ") must have the same scalar type");
        }
        requireRank("index_add", x);
        int d = Shape.normalizeDim(dim, x.dim());
        if (src.dim() != x.dim()) {
            throw new IllegalArgumentException("index_add_(): source " + src.shape() + " and self " + x.shape()
                    + " must have the same number of dimensions");
        }
        if (src.size(d) != index.numel()) {
            throw new IllegalArgumentException("index_add_(): Number of indices (" + index.numel()
                    + ") should be equal to source.size(dim): (" + src.size(d) + "), for dim: " + d);
        }
        for (int k = 0; k < x.dim(); k++) {
            if (k != d && src.size(k) != x.size(k)) {
                throw new IllegalArgumentException("index_add_(): source " + src.shape() + " and self " + x.shape()
                        + " must match in every dimension but " + d);
            }
        }
        requireInRange("index_add", index, d, x.size(d));
        NDArray out = x.copy();
        x.backend().index().scatterAdd(out, d, alongDim(index, d, src.dims()), src);
        return out;
    }

    /** The index vector laid along dimension {@code d} of {@code shape} and broadcast over the rest. */
    private static NDArray alongDim(NDArray index, int d, int[] shape) {
        int[] line = new int[shape.length];
        Arrays.fill(line, 1);
        line[d] = index.numel();
        return index.reshape(line).expand(shape);
    }

    /** {@code x} and {@code mask} broadcast together, with {@code value} wherever the mask is true. */
    static NDArray maskedFill(NDArray x, NDArray mask, double value) {
        requireMask(x, mask);
        Shape shape = Shape.broadcast(x.shape(), mask.shape());
        NDArray out = NDArray.zeros(x.dtype(), x.device(), shape.dims());
        x.backend().copy().copy(x.broadcastTo(shape), out);
        x.backend().index().maskedFill(out, mask.broadcastTo(shape), value);
        return out;
    }

    /** Writes {@code value} into {@code x} wherever {@code mask} (broadcast to x's shape) is true. */
    static NDArray maskedFill_(NDArray x, NDArray mask, double value) {
        requireMask(x, mask);
        Shape shape = Shape.broadcast(x.shape(), mask.shape());
        if (!shape.equals(x.shape())) {
            throw new IllegalArgumentException("masked_fill_: output with shape " + x.shape()
                    + " doesn't match the broadcast shape " + shape);
        }
        NDArray m = x.overlaps(mask) ? mask.copy() : mask; // never read a mask element already overwritten
        x.backend().index().maskedFill(x, m.broadcastTo(shape), value);
        x.storage().bumpVersion();
        return x;
    }

    /**
     * The I64 class indices {@code x} as one-hot rows: a new last dimension of
     * {@code numClasses} (-1: the largest index + 1) with a single 1.
     */
    static NDArray oneHot(NDArray x, int numClasses) {
        if (x.dtype() != DType.I64) {
            throw new IllegalArgumentException("one_hot is only applicable to index tensor (I64), got " + x.dtype());
        }
        if (numClasses < -1) {
            throw new IllegalArgumentException("one_hot: num_classes must be -1 or non-negative, got " + numClasses);
        }
        long[] range = x.backend().index().minMax(x);
        if (numClasses == -1) {
            if (range == null) {
                throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            }
            if (range[1] >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("one_hot: class value " + range[1] + " is too large");
            }
            numClasses = (int) range[1] + 1;
        }
        if (range != null && range[0] < 0) {
            throw new IllegalArgumentException("Class values must be non-negative.");
        }
        if (range != null && range[1] >= numClasses) {
            throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        }
        int[] shape = Arrays.copyOf(x.dims(), x.dim() + 1);
        shape[x.dim()] = numClasses;
        NDArray out = NDArray.zeros(DType.I64, x.device(), shape);
        int[] column = Arrays.copyOf(x.dims(), x.dim() + 1);
        column[x.dim()] = 1;
        NDArray ones = NDArray.scalar(1, DType.I64).toDevice(x.device()).expand(column);
        x.backend().index().scatterAdd(out, x.dim(), x.unsqueeze(-1), ones);
        return out;
    }

    // ---------------------------------------------------------------- checks

    private static void requireIndex(String op, NDArray x, NDArray index) {
        if (index.dtype() != DType.I64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, but got " + index.dtype());
        }
        NDArray.requireSameDevice(op, x, index);
    }

    private static void requireRank(String op, NDArray x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + "(): expected an input of at least one dimension, got a"
                    + " 0-dimensional one; reshape(1) it first");
        }
    }

    /** Every index must name an element of a dimension of {@code size}; negative ones do not. */
    private static void requireInRange(String op, NDArray index, int dim, int size) {
        long[] range = index.backend().index().minMax(index);
        if (range == null) {
            return;
        }
        if (range[0] < 0 || range[1] >= size) {
            long bad = range[0] < 0 ? range[0] : range[1];
            throw new IndexOutOfBoundsException(op + "(): index " + bad + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
    }

    private static void requireMask(NDArray x, NDArray mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill only supports boolean masks, but got mask with dtype "
                    + mask.dtype());
        }
        NDArray.requireSameDevice("masked_fill", x, mask);
    }
}
