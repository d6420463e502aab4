package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Moves strided runs of F32 or F64 elements ("lanes") to and from double scratch arrays, so
 * that a normalisation kernel is written once, in double, for both dtypes.
 *
 * <p>The norm kernels are memory-bound: each lane is read from memory once into a scratch
 * array that stays in L1 while the kernel makes its passes over it, and is written back once.
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
        CpuStorage s = (CpuStorage) a.storage();
        if (a.dtype() == DType.F32) {
            float[] v = s.floats();
            for (int i = 0; i < n; i++) {
                dst[i] = v[offset + i * stride];
            }
        } else {
            double[] v = s.doubles();
            for (int i = 0; i < n; i++) {
                dst[i] = v[offset + i * stride];
            }
        }
    }

    /** {@code a[offset + i * stride] = src[i]} for {@code i < n}, rounded to a's dtype. */
    static void store(double[] src, int n, NDArray a, int offset, int stride) {
        CpuStorage s = (CpuStorage) a.storage();
        if (a.dtype() == DType.F32) {
            float[] v = s.floats();
            for (int i = 0; i < n; i++) {
                v[offset + i * stride] = (float) src[i];
            }
        } else {
            double[] v = s.doubles();
            for (int i = 0; i < n; i++) {
                v[offset + i * stride] = src[i];
            }
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
        int rows = a.size(0);
        int cols = a.size(1);
        double[] out = new double[rows * cols];
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            load(a, a.offset() + r * a.stride(0), a.stride(1), cols, row);
            System.arraycopy(row, 0, out, r * cols, cols);
        }
        return out;
    }

    /** Writes the row-major {@code v} into the two-dimensional array {@code a}. */
    static void storeGrid(double[] v, NDArray a) {
        int rows = a.size(0);
        int cols = a.size(1);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, row, 0, cols);
            store(row, cols, a, a.offset() + r * a.stride(0), a.stride(1));
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
