package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Moves strided runs of F32 or F64 elements ("lanes"), and planes of them, to and from double
 * scratch arrays, so that a kernel is written once, in double, for both dtypes: the norms,
 * softmax and the losses, pooling and bilinear interpolation.
 *
 * <p>Those kernels are memory-bound: each lane is read from memory once into a scratch array
 * that stays in cache while the kernel makes its passes over it, and is written back once.
 * The dtype switch happens once per lane, not per element.
 */
final class Lanes {

    /** Elements of work worth handing to a thread of their own. */
    static final int GRAIN = 1 << 14;

    private Lanes() {
    }

    /** How many of {@code items}, each {@code itemSize} elements of work, make a task worth a thread. */
    static int grain(int itemSize) {
        return Math.max(1, GRAIN / Math.max(1, itemSize));
    }

    /** {@code dst[i] = a[offset + i * stride]} for {@code i < n}, where offsets index a's storage. */
    static void load(NDArray a, int offset, int stride, int n, double[] dst) {
        load(a, offset, stride, n, dst, 0);
    }

    /** {@code dst[at + i] = a[offset + i * stride]} for {@code i < n}. */
    static void load(NDArray a, int offset, int stride, int n, double[] dst, int at) {
        CpuStorage s = (CpuStorage) a.storage();
        if (a.dtype() == DType.F32) {
            float[] v = s.floats();
            for (int i = 0; i < n; i++) {
                dst[at + i] = v[offset + i * stride];
            }
        } else {
            double[] v = s.doubles();
            for (int i = 0; i < n; i++) {
                dst[at + i] = v[offset + i * stride];
            }
        }
    }

    /** {@code a[offset + i * stride] = src[i]} for {@code i < n}, rounded to a's dtype. */
    static void store(double[] src, int n, NDArray a, int offset, int stride) {
        store(src, 0, n, a, offset, stride);
    }

    /** {@code a[offset + i * stride] = src[at + i]} for {@code i < n}, rounded to a's dtype. */
    static void store(double[] src, int at, int n, NDArray a, int offset, int stride) {
        CpuStorage s = (CpuStorage) a.storage();
        if (a.dtype() == DType.F32) {
            float[] v = s.floats();
            for (int i = 0; i < n; i++) {
                v[offset + i * stride] = (float) src[at + i];
            }
        } else {
            double[] v = s.doubles();
            for (int i = 0; i < n; i++) {
                v[offset + i * stride] = src[at + i];
            }
        }
    }

    /** {@code a[offset + at[k]] += v[k]} for {@code k < n}, added in a's dtype (repeated positions add up). */
    static void addAt(double[] v, int[] at, int n, NDArray a, int offset) {
        CpuStorage s = (CpuStorage) a.storage();
        if (a.dtype() == DType.F32) {
            float[] d = s.floats();
            for (int k = 0; k < n; k++) {
                d[offset + at[k]] += (float) v[k];
            }
        } else {
            double[] d = s.doubles();
            for (int k = 0; k < n; k++) {
                d[offset + at[k]] += v[k];
            }
        }
    }

    /**
     * The {@code [rows, cols]} block of {@code a} that starts at {@code offset}, walked with
     * {@code rowStride} and {@code colStride}, into {@code dst} row-major: one image plane.
     */
    static void loadPlane(NDArray a, int offset, int rowStride, int colStride, int rows, int cols, double[] dst) {
        for (int r = 0; r < rows; r++) {
            load(a, offset + r * rowStride, colStride, cols, dst, r * cols);
        }
    }

    /** The elements of a one-dimensional array, or null for null (an absent weight or bias). */
    static double[] vector(NDArray a) {
        if (a == null) {
            return null;
        }
        double[] v = new double[a.size(0)];
        load(a, a.offset(), a.stride(0), v.length, v);
        return v;
    }

    /** Writes {@code v} into the one-dimensional array {@code a}. */
    static void storeVector(double[] v, NDArray a) {
        store(v, v.length, a, a.offset(), a.stride(0));
    }

    /** The elements of a two-dimensional floating-point array {@code [rows, cols]}, row-major. */
    static double[] grid(NDArray a) {
        double[] out = new double[a.numel()];
        loadPlane(a, a.offset(), a.stride(0), a.stride(1), a.size(0), a.size(1), out);
        return out;
    }

    /** Writes the row-major {@code v} into the two-dimensional array {@code a}. */
    static void storeGrid(double[] v, NDArray a) {
        int cols = a.size(1);
        for (int r = 0; r < a.size(0); r++) {
            store(v, r * cols, cols, a, a.offset() + r * a.stride(0), a.stride(1));
        }
    }

    /** The elements of a two-dimensional I64 array {@code [rows, cols]}, row-major. */
    static long[] longGrid(NDArray a) {
        int rows = a.size(0);
        int cols = a.size(1);
        long[] v = ((CpuStorage) a.storage()).longs();
        long[] out = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            int base = a.offset() + r * a.stride(0);
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = v[base + c * a.stride(1)];
            }
        }
        return out;
    }
}
