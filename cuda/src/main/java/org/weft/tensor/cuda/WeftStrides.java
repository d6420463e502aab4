package org.weft.tensor.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The operands of one strided launch described as native/ABI.md's {@code WeftStrides}
 * structs: one shape (the output's, after merging dimensions) shared by all operands, and
 * each operand's strides in elements (0 where it is broadcast).
 *
 * <p>Dimensions are merged as ABI.md asks, so dense operands reach the kernels' fast path
 * ({@code ndim == 1 && strides[0] == 1}): size-one dimensions are dropped (they move no
 * index), and adjacent dimensions {@code d, d+1} merge when, for every operand,
 * {@code stride[d] == stride[d+1] * size[d+1]}. The struct is 136 bytes, little-endian as the
 * GPU reads it: {@code int ndim} at 0, 4 bytes of padding, {@code long long sizes[8]} at 8,
 * {@code long long strides[8]} at 72.
 */
final class WeftStrides {

    static final int MAX_DIMS = 8;
    static final int BYTES = 136;

    private final long[] sizes;
    private final long[][] strides;

    private WeftStrides(long[] sizes, long[][] strides) {
        this.sizes = sizes;
        this.strides = strides;
    }

    /**
     * The merged description of operands of {@code shape}: {@code operandStrides[k]} are
     * operand k's strides over that shape, in elements. Fails when more than eight dimensions
     * remain after merging (the kernels' limit).
     */
    static WeftStrides merge(int[] shape, int[]... operandStrides) {
        int ops = operandStrides.length;
        long[] sz = new long[shape.length];
        long[][] st = new long[ops][shape.length];
        int nd = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (nd > 0 && mergeable(st, nd - 1, operandStrides, d, shape[d])) {
                sz[nd - 1] *= shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][nd - 1] = operandStrides[k][d];
                }
                continue;
            }
            sz[nd] = shape[d];
            for (int k = 0; k < ops; k++) {
                st[k][nd] = operandStrides[k][d];
            }
            nd++;
        }
        if (nd > MAX_DIMS) {
            throw new UnsupportedOperationException("not yet implemented on CUDA: operands of shape "
                    + Arrays.toString(shape) + " whose strides leave " + nd + " dimensions after merging"
                    + " (the kernels take at most " + MAX_DIMS + "); make them contiguous() first");
        }
        long[][] trimmed = new long[ops][];
        for (int k = 0; k < ops; k++) {
            trimmed[k] = Arrays.copyOf(st[k], nd);
        }
        return new WeftStrides(Arrays.copyOf(sz, nd), trimmed);
    }

    private static boolean mergeable(long[][] st, int prev, int[][] operandStrides, int d, int size) {
        for (int k = 0; k < st.length; k++) {
            if (st[k][prev] != (long) operandStrides[k][d] * size) {
                return false;
            }
        }
        return true;
    }

    int ndim() {
        return sizes.length;
    }

    long[] sizes() {
        return sizes.clone();
    }

    long[] strides(int operand) {
        return strides[operand].clone();
    }

    /** Operand {@code operand}'s struct, as the kernel's {@code WeftStrides} parameter. */
    byte[] bytes(int operand) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, sizes.length);
        for (int d = 0; d < sizes.length; d++) {
            b.putLong(8 + 8 * d, sizes[d]);
            b.putLong(72 + 8 * d, strides[operand][d]);
        }
        return b.array();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("sizes ").append(Arrays.toString(sizes));
        for (long[] s : strides) {
            sb.append(", strides ").append(Arrays.toString(s));
        }
        return sb.toString();
    }
}
