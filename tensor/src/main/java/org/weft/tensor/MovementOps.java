package org.weft.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The checking half of the ops that move whole blocks of elements: cat, stack, split, chunk,
 * pad, roll, flip and repeat. Each is a handful of block copies between views, so none needs
 * a kernel of its own beyond the device's copy.
 */
final class MovementOps {

    private MovementOps() {
    }

    // ---------------------------------------------------------------- joining

    /**
     * Concatenates along {@code dim}. Inputs of different dtypes are promoted, as in PyTorch;
     * one-dimensional empty arrays (shape [0]) are skipped whatever the others' shapes, the
     * legacy rule PyTorch keeps so that an empty accumulator can start a loop of cats.
     */
    static NDArray cat(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("cat(): expected a non-empty list of Tensors");
        }
        NDArray ref = null;
        int refNr = -1;
        DType dtype = arrays.get(0).dtype();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            if (a.dim() == 0) {
                throw new IllegalArgumentException("zero-dimensional tensor (at position " + i
                        + ") cannot be concatenated");
            }
            NDArray.requireSameDevice("cat", arrays.get(0), a);
            dtype = DType.promote(dtype, a.dtype());
            if (ref == null && !isLegacyEmpty(a)) {
                ref = a;
                refNr = i;
            }
        }
        if (ref == null) {
            return NDArray.zeros(dtype, arrays.get(0).device(), 0);
        }
        int d = Shape.normalizeDim(dim, ref.dim());
        int total = 0;
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            if (isLegacyEmpty(a)) {
                continue;
            }
            if (a.dim() != ref.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got "
                        + ref.dim() + " and " + a.dim());
            }
            for (int k = 0; k < ref.dim(); k++) {
                if (k != d && a.size(k) != ref.size(k)) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.size(k) + " but got size " + a.size(k)
                            + " for tensor number " + i + " in the list.");
                }
            }
            total += a.size(d);
        }
        int[] shape = ref.dims();
        shape[d] = total;
        NDArray out = NDArray.zeros(dtype, ref.device(), shape);
        int at = 0;
        for (NDArray a : arrays) {
            if (isLegacyEmpty(a)) {
                continue;
            }
            out.backend().copy().copy(a, out.narrow(d, at, a.size(d)));
            at += a.size(d);
        }
        return out;
    }

    /** Whether cat skips this array: PyTorch's legacy one-dimensional empty tensor. */
    static boolean isLegacyEmpty(NDArray a) {
        return a.dim() == 1 && a.size(0) == 0;
    }

    /** Joins arrays of one shape along a new dimension {@code dim}. */
    static NDArray stack(List<NDArray> arrays, int dim) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList");
        }
        Shape first = arrays.get(0).shape();
        int d = Shape.normalizeDim(dim, first.rank() + 1);
        NDArray[] parts = new NDArray[arrays.size()];
        for (int i = 0; i < parts.length; i++) {
            NDArray a = arrays.get(i);
            if (!a.shape().equals(first)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + first
                        + " at entry 0 and " + a.shape() + " at entry " + i);
            }
            parts[i] = a.unsqueeze(d);
        }
        return cat(Arrays.asList(parts), d);
    }

    // ---------------------------------------------------------------- splitting (views)

    /** Views of consecutive {@code splitSize}-long pieces along {@code dim}; the last may be shorter. */
    static NDArray[] split(NDArray x, int splitSize, int dim) {
        requireRank("split", x);
        int d = Shape.normalizeDim(dim, x.dim());
        int n = x.size(d);
        if (splitSize < 0) {
            throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size="
                    + splitSize);
        }
        if (splitSize == 0 && n != 0) {
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension"
                    + " size of " + n);
        }
        int pieces = splitSize == 0 ? 1 : Math.max((n + splitSize - 1) / splitSize, 1);
        int[] sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            sizes[i] = Math.min(splitSize, n - i * splitSize);
        }
        return narrowPieces(x, d, sizes);
    }

    /** Views of pieces of the given sizes along {@code dim}, which must add up to its size. */
    static NDArray[] split(NDArray x, int[] splitSizes, int dim) {
        requireRank("split_with_sizes", x);
        int d = Shape.normalizeDim(dim, x.dim());
        long sum = 0;
        for (int s : splitSizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative"
                        + " entries, but got split_sizes=" + Arrays.toString(splitSizes));
            }
            sum += s;
        }
        if (sum != x.size(d)) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.size(d)
                    + " (input tensor's size at dimension " + d + "), but got split_sizes="
                    + Arrays.toString(splitSizes));
        }
        return narrowPieces(x, d, splitSizes);
    }

    /**
     * At most {@code chunks} views of equal size {@code ceil(n / chunks)} along {@code dim},
     * the last shorter; fewer when that size covers the dimension sooner, as in PyTorch.
     */
    static NDArray[] chunk(NDArray x, int chunks, int dim) {
        requireRank("chunk", x);
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        int d = Shape.normalizeDim(dim, x.dim());
        int n = x.size(d);
        int size = (n + chunks - 1) / chunks;
        if (size == 0) {
            // An empty dimension gives `chunks` empty pieces rather than split's single one.
            int[] sizes = new int[chunks];
            return narrowPieces(x, d, sizes);
        }
        return split(x, size, d);
    }

    private static NDArray[] narrowPieces(NDArray x, int d, int[] sizes) {
        NDArray[] out = new NDArray[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = x.narrow(d, at, sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    private static void requireRank(String op, NDArray x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + " expects at least a 1-dimensional tensor");
        }
    }

    // ---------------------------------------------------------------- padding

    /**
     * Constant padding in PyTorch's order: {@code pad = {left, right}} of the last dimension,
     * then of the one before, and so on. Negative amounts crop.
     */
    static NDArray pad(NDArray x, int[] pad, double value) {
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("Padding length must be divisible by 2");
        }
        if (pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("Padding length too large: " + Arrays.toString(pad) + " pads "
                    + pad.length / 2 + " dimensions of a " + x.dim() + "-dimensional input");
        }
        int[] shape = x.dims();
        NDArray src = x;
        int[] at = new int[shape.length];
        for (int k = 0; k < pad.length / 2; k++) {
            int d = x.dim() - 1 - k;
            int before = pad[2 * k];
            int after = pad[2 * k + 1];
            int size = shape[d] + before + after;
            if (size < 0) {
                throw new IllegalArgumentException("The input size " + shape[d] + ", plus negative padding " + before
                        + " and " + after + " resulted in a negative output size, which is invalid. Check dimension "
                        + d + " of your input.");
            }
            // The input's surviving part: what negative padding leaves, placed after positive padding.
            int cropBefore = Math.max(0, -before);
            int kept = Math.max(0, shape[d] - cropBefore - Math.max(0, -after));
            src = src.narrow(d, Math.min(cropBefore, shape[d]), kept);
            at[d] = Math.min(Math.max(0, before), size); // nothing of the input may survive at all
            shape[d] = size;
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), shape);
        if (value != 0) {
            out.backend().copy().fill(out, value);
        }
        NDArray inner = out;
        for (int d = 0; d < shape.length; d++) {
            inner = inner.narrow(d, at[d], src.size(d));
        }
        out.backend().copy().copy(src, inner);
        return out;
    }

    // ---------------------------------------------------------------- reordering

    /**
     * Rolls elements along each of {@code dims} by the matching shift (elements pushed off the
     * end come back at the start); with no dims, rolls the flattened array.
     */
    static NDArray roll(NDArray x, int[] shifts, int[] dims) {
        if (shifts.length == 0) {
            throw new IllegalArgumentException("roll: `shifts` required");
        }
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length
                        + ", dims:0");
            }
            return roll(x.flatten(), shifts, new int[] {0}).view(x.dims());
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length
                    + ", dims:" + dims.length);
        }
        // Shifts along the same dimension add up; each dimension then splits into two blocks.
        int[] net = new int[Math.max(x.dim(), 1)];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], x.dim());
            int n = x.dim() == 0 ? 1 : x.size(d);
            if (n > 0) {
                net[d] = (int) Math.floorMod((long) net[d] + shifts[i], (long) n);
            }
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        rollBlocks(x, out, x.dim() == 0 ? new int[0] : net, 0);
        return out;
    }

    /**
     * Copies {@code src} into {@code dst} rolled by {@code shift[d]} along every dimension from
     * {@code d} on: along d the last {@code shift} elements go first, the rest after them. The
     * recursion ends in at most {@code 2^rank} block copies, one pass over the data in all.
     */
    private static void rollBlocks(NDArray src, NDArray dst, int[] shift, int d) {
        if (d == shift.length) {
            dst.backend().copy().copy(src, dst);
            return;
        }
        int s = shift[d];
        if (s == 0) {
            rollBlocks(src, dst, shift, d + 1);
            return;
        }
        int n = src.size(d);
        rollBlocks(src.narrow(d, n - s, s), dst.narrow(d, 0, s), shift, d + 1);
        rollBlocks(src.narrow(d, 0, n - s), dst.narrow(d, s, n - s), shift, d + 1);
    }

    /**
     * Reverses the order of elements along each of {@code dims}. The copy reads through a
     * view with those strides negated, starting from the last element: NumPy's flip is that
     * view itself; PyTorch (and Weft) never hand out negative strides, so it stays inside
     * this method and the result is a copy.
     */
    static NDArray flip(NDArray x, int[] dims) {
        boolean[] flipped = new boolean[Math.max(x.dim(), 1)];
        for (int dim : dims) {
            int d = Shape.normalizeDim(dim, x.dim());
            if (flipped[d]) {
                throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
            }
            flipped[d] = true;
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        if (x.numel() == 0 || x.dim() == 0) {
            out.backend().copy().copy(x, out);
            return out;
        }
        int[] strides = x.strides();
        int offset = x.offset();
        for (int d = 0; d < x.dim(); d++) {
            if (flipped[d]) {
                offset += (x.size(d) - 1) * strides[d];
                strides[d] = -strides[d];
            }
        }
        NDArray reversed = NDArray.fromStorage(x.storage(), x.shape(), strides, offset);
        out.backend().copy().copy(reversed, out);
        return out;
    }

    /**
     * Tiles the array {@code repeats[i]} times along dimension i, as {@code torch.Tensor.repeat};
     * extra leading repeats add dimensions. It is one copy from a broadcast view: dimension of
     * size d repeated r times is an expanded dimension r (stride 0) beside d, merged into r*d.
     */
    static NDArray repeat(NDArray x, int[] repeats) {
        if (repeats.length < x.dim()) {
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number"
                    + " of dimensions of tensor");
        }
        int lead = repeats.length - x.dim();
        int[] padded = new int[repeats.length];
        int[] outShape = new int[repeats.length];
        int[] pairs = new int[2 * repeats.length];
        int[] unsqueezed = new int[2 * repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            padded[i] = i < lead ? 1 : x.size(i - lead);
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + repeats[i]
                        + ": " + Arrays.toString(repeats));
            }
            outShape[i] = repeats[i] * padded[i];
            pairs[2 * i] = repeats[i];
            pairs[2 * i + 1] = padded[i];
            unsqueezed[2 * i] = 1;
            unsqueezed[2 * i + 1] = padded[i];
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), outShape);
        if (out.numel() > 0) {
            out.backend().copy().copy(x.reshape(unsqueezed).expand(pairs), out.view(pairs));
        }
        return out;
    }
}
