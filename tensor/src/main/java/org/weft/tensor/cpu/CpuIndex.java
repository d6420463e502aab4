package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.IndexKernels;

/**
 * Gather, scatter-add and masked fill on any strides and any dtype.
 *
 * <p>Each kernel walks the index's shape with {@link StridedLoop}, taking the indexed operand
 * with its stride along {@code dim} set to zero: the loop then yields the offset of
 * {@code p with p[dim] = 0}, and the row adds {@code index[p] * stride(dim)}. Moves are typed
 * by primitive array (BF16 and F16 move as shorts, BOOL and U8 as bytes); a row whose index
 * is constant along it (an index_select expands its index with stride 0) is one run, copied
 * with {@link System#arraycopy} where both sides are contiguous.
 */
final class CpuIndex implements IndexKernels {

    private static final int GRAIN = 1 << 15;

    @Override
    public long[] minMax(NDArray index) {
        if (index.numel() == 0) {
            return null;
        }
        long[] idx = ((CpuStorage) index.storage()).longs();
        StridedLoop loop = StridedLoop.of(index.dims(), index.strides());
        int is = loop.innerStride(0);
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        // One pass of comparisons, serial: cheap next to the move it guards.
        loop.run(new int[] {index.offset()}, (off, n) -> {
            for (int i = 0; i < n; i++) {
                long v = idx[off[0] + i * is];
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
            }
        });
        return range;
    }

    // ---------------------------------------------------------------- gather

    @Override
    public void gather(NDArray src, int dim, NDArray index, NDArray out) {
        int[] srcStrides = src.strides();
        int dimStride = srcStrides[dim];
        srcStrides[dim] = 0;
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), index.strides(), srcStrides);
        int os = loop.innerStride(0);
        int is = loop.innerStride(1);
        int ss = loop.innerStride(2);
        long[] idx = ((CpuStorage) index.storage()).longs();
        Object from = ((CpuStorage) src.storage()).array();
        Object to = ((CpuStorage) out.storage()).array();
        int[] base = {out.offset(), index.offset(), src.offset()};
        loop.runParallel(base, GRAIN, (off, n) -> {
            if (is == 0) {
                int start = off[2] + (int) idx[off[1]] * dimStride;
                CpuCopy.copyRow(from, start, ss, to, off[0], os, n);
            } else {
                gatherRow(from, off[2], ss, dimStride, idx, off[1], is, to, off[0], os, n);
            }
        });
    }

    /** The scalar reference: {@code to[o + i*os] = from[f + i*fs + idx[x + i*xs] * dimStride]}. */
    private static void gatherRow(Object from, int f, int fs, int dimStride, long[] idx, int x, int xs,
                                  Object to, int o, int os, int n) {
        if (from instanceof float[] a) {
            float[] t = (float[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        } else if (from instanceof double[] a) {
            double[] t = (double[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        } else if (from instanceof long[] a) {
            long[] t = (long[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        } else if (from instanceof int[] a) {
            int[] t = (int[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        } else if (from instanceof short[] a) {
            short[] t = (short[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        } else {
            byte[] a = (byte[]) from;
            byte[] t = (byte[]) to;
            for (int i = 0; i < n; i++) {
                t[o + i * os] = a[f + i * fs + (int) idx[x + i * xs] * dimStride];
            }
        }
    }

    // ---------------------------------------------------------------- scatter-add

    @Override
    public void scatterAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        // Only positions that differ in nothing but dim can hit the same element of dst. With
        // dim innermost, all of them lie in one row, so rows can run on different threads.
        int rank = index.dim();
        int[] order = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != dim) {
                order[k++] = d;
            }
        }
        order[rank - 1] = dim;
        int[] dstStrides = dst.strides();
        int dimStride = dstStrides[dim];
        dstStrides[dim] = 0;
        StridedLoop loop = StridedLoop.of(permuted(index.dims(), order), permuted(dstStrides, order),
                permuted(index.strides(), order), permuted(src.strides(), order));
        int ds = loop.innerStride(0);
        int is = loop.innerStride(1);
        int ss = loop.innerStride(2);
        long[] idx = ((CpuStorage) index.storage()).longs();
        Object to = ((CpuStorage) dst.storage()).array();
        Object from = ((CpuStorage) src.storage()).array();
        DType dtype = dst.dtype();
        int[] base = {dst.offset(), index.offset(), src.offset()};
        loop.runParallel(base, GRAIN, (off, n) ->
                scatterAddRow(dtype, to, off[0], ds, dimStride, idx, off[1], is, from, off[2], ss, n));
    }

    private static int[] permuted(int[] values, int[] order) {
        int[] out = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            out[k] = values[order[k]];
        }
        return out;
    }

    /** The scalar reference: {@code to[t + i*ts + idx[x + i*xs] * dimStride] += from[f + i*fs]}. */
    private static void scatterAddRow(DType dtype, Object to, int t, int ts, int dimStride, long[] idx, int x,
                                      int xs, Object from, int f, int fs, int n) {
        switch (dtype) {
            case F32 -> {
                float[] d = (float[]) to;
                float[] s = (float[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] += s[f + i * fs];
                }
            }
            case F64 -> {
                double[] d = (double[]) to;
                double[] s = (double[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] += s[f + i * fs];
                }
            }
            case I64 -> {
                long[] d = (long[]) to;
                long[] s = (long[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] += s[f + i * fs];
                }
            }
            case I32 -> {
                int[] d = (int[]) to;
                int[] s = (int[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] += s[f + i * fs];
                }
            }
            case U8 -> {
                byte[] d = (byte[]) to;
                byte[] s = (byte[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] += s[f + i * fs]; // wraps mod 256
                }
            }
            case BOOL -> {
                byte[] d = (byte[]) to;
                byte[] s = (byte[]) from;
                for (int i = 0; i < n; i++) {
                    d[t + i * ts + (int) idx[x + i * xs] * dimStride] |= s[f + i * fs];
                }
            }
            case BF16 -> {
                short[] d = (short[]) to;
                short[] s = (short[]) from;
                for (int i = 0; i < n; i++) {
                    int k = t + i * ts + (int) idx[x + i * xs] * dimStride;
                    d[k] = HalfFloats.floatToBf16(HalfFloats.bf16ToFloat(d[k]) + HalfFloats.bf16ToFloat(s[f + i * fs]));
                }
            }
            case F16 -> {
                short[] d = (short[]) to;
                short[] s = (short[]) from;
                for (int i = 0; i < n; i++) {
                    int k = t + i * ts + (int) idx[x + i * xs] * dimStride;
                    d[k] = HalfFloats.floatToF16(HalfFloats.f16ToFloat(d[k]) + HalfFloats.f16ToFloat(s[f + i * fs]));
                }
            }
            default -> throw new AssertionError(dtype);
        }
    }

    // ---------------------------------------------------------------- masked fill

    @Override
    public void maskedFill(NDArray dst, NDArray mask, double value) {
        StridedLoop loop = StridedLoop.of(dst.dims(), dst.strides(), mask.strides());
        int ds = loop.innerStride(0);
        int ms = loop.innerStride(1);
        byte[] m = ((CpuStorage) mask.storage()).bytes();
        // The value converted once, exactly as storing it into an element of dst would.
        CpuStorage v = new CpuStorage(dst.dtype(), 1);
        v.setDouble(0, value);
        Object to = ((CpuStorage) dst.storage()).array();
        int[] base = {dst.offset(), mask.offset()};
        loop.runParallel(base, GRAIN, (off, n) -> fillRow(to, off[0], ds, m, off[1], ms, v, n));
    }

    /** The scalar reference: {@code to[t + i*ts] = value} where {@code mask[k + i*ks]}. */
    private static void fillRow(Object to, int t, int ts, byte[] mask, int k, int ks, CpuStorage value, int n) {
        if (to instanceof float[] d) {
            float v = value.floats()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        } else if (to instanceof double[] d) {
            double v = value.doubles()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        } else if (to instanceof long[] d) {
            long v = value.longs()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        } else if (to instanceof int[] d) {
            int v = value.ints()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        } else if (to instanceof short[] d) {
            short v = value.shorts()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        } else {
            byte[] d = (byte[]) to;
            byte v = value.bytes()[0];
            for (int i = 0; i < n; i++) {
                if (mask[k + i * ks] != 0) {
                    d[t + i * ts] = v;
                }
            }
        }
    }
}
