package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;
import org.weft.tensor.backend.LinalgKernels;

/**
 * Matrix products on the CPU: batches of strided matrices handed to {@link Gemm}, and the
 * pairwise squared distances.
 *
 * <p>A batched product becomes one list of per-matrix storage offsets per operand; the
 * strides inside a matrix are the same for every batch index, so any view (transposed,
 * sliced, broadcast with stride 0) goes to the GEMM as it is, without a copy.
 */
final class CpuLinalg implements LinalgKernels {

    @Override
    public void matmul(NDArray a, NDArray b, double alpha, double beta, NDArray out) {
        int rank = out.dim();
        int m = out.size(rank - 2);
        int n = out.size(rank - 1);
        int k = a.size(rank - 1);
        int batch = batchCount(out);
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(out, beta); // an empty sum: only the beta * out term is left
            return;
        }
        int[] aOffs = matrixOffsets(a, batch);
        int[] bOffs = matrixOffsets(b, batch);
        int aRs = a.stride(rank - 2);
        int aCs = a.stride(rank - 1);
        int bRs = b.stride(rank - 2);
        int bCs = b.stride(rank - 1);
        CpuStorage as = (CpuStorage) a.storage();
        CpuStorage bs = (CpuStorage) b.storage();
        CpuStorage cs = (CpuStorage) out.storage();
        int cOff = out.offset();

        // [batch, m, k] @ [k, n] is one [batch*m, k] @ [k, n] product when the rows of A follow
        // each other at one stride across the batch: one large GEMM instead of many small ones.
        int foldedRowStride = batch > 1 && allEqual(bOffs) ? foldedRowStride(aOffs, m, aRs) : -1;
        if (foldedRowStride >= 0) {
            switch (out.dtype()) {
                case F32 -> Gemm.sgemm(batch * m, n, k, (float) alpha, as.floats(), aOffs[0], foldedRowStride, aCs,
                        bs.floats(), bOffs[0], bRs, bCs, (float) beta, cs.floats(), cOff, n);
                case F64 -> Gemm.dgemm(batch * m, n, k, alpha, as.doubles(), aOffs[0], foldedRowStride, aCs,
                        bs.doubles(), bOffs[0], bRs, bCs, beta, cs.doubles(), cOff, n);
                default -> throw new AssertionError(out.dtype());
            }
            return;
        }
        int[] cOffs = new int[batch];
        for (int t = 0; t < batch; t++) {
            cOffs[t] = cOff + t * m * n;
        }
        switch (out.dtype()) {
            case F32 -> Gemm.sgemmBatched(batch, m, n, k, (float) alpha, as.floats(), aOffs, aRs, aCs,
                    bs.floats(), bOffs, bRs, bCs, (float) beta, cs.floats(), cOffs, n);
            case F64 -> Gemm.dgemmBatched(batch, m, n, k, alpha, as.doubles(), aOffs, aRs, aCs,
                    bs.doubles(), bOffs, bRs, bCs, beta, cs.doubles(), cOffs, n);
            default -> throw new AssertionError(out.dtype());
        }
    }

    /**
     * The direct form, {@code sum_p (x_ip - y_jp)^2}: every term is non-negative, so each result
     * has a small relative error however far the points lie from the origin, and identical
     * points give exactly zero. (The GEMM form {@code |x|^2 + |y|^2 - 2 x.y} cancels
     * catastrophically when the distance is small next to the norms.)
     */
    @Override
    public void pairwiseSquaredDistances(NDArray x, NDArray y, NDArray out) {
        int rank = out.dim();
        int n = out.size(rank - 2);
        int m = out.size(rank - 1);
        int d = x.size(rank - 1);
        int batch = batchCount(out);
        if (batch == 0 || n == 0 || m == 0) {
            return;
        }
        int[] xOffs = matrixOffsets(x, batch);
        int[] yOffs = matrixOffsets(y, batch);
        int xRs = x.stride(rank - 2);
        int xCs = x.stride(rank - 1);
        int yRs = y.stride(rank - 2);
        int yCs = y.stride(rank - 1);
        int cOff = out.offset();
        int grain = Math.max(1, (1 << 15) / Math.max(1, m * d));
        // One task is a run of rows i (of all batches together); each row of the result is its
        // own. The task reads its batch's y once into a double scratch matrix, each row of x
        // once, and sums in double, so F32 and F64 share the loop and an F32 result is rounded once.
        CpuThreads.parallelFor(batch * n, grain, (from, to) -> {
            double[] ys = new double[m * d];
            double[] xRow = new double[d];
            double[] dist = new double[m];
            int loaded = -1;
            for (int row = from; row < to; row++) {
                int t = row / n;
                if (t != loaded) {
                    Lanes.loadPlane(y, yOffs[t], yRs, yCs, m, d, ys);
                    loaded = t;
                }
                Lanes.load(x, xOffs[t] + (row - t * n) * xRs, xCs, d, xRow);
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int p = 0; p < d; p++) {
                        double diff = xRow[p] - ys[j * d + p];
                        s += diff * diff;
                    }
                    dist[j] = s;
                }
                Lanes.store(dist, m, out, cOff + row * m, 1);
            }
        });
    }

    /** The number of matrices in an array of shape {@code [*batch, rows, cols]}. */
    private static int batchCount(NDArray x) {
        int count = 1;
        for (int d = 0; d < x.dim() - 2; d++) {
            count *= x.size(d);
        }
        return count;
    }

    /**
     * The storage offset where each matrix of {@code x} (shape {@code [*batch, rows, cols]})
     * starts, batch indices in row-major order: an odometer over the batch dimensions.
     */
    private static int[] matrixOffsets(NDArray x, int count) {
        int batchRank = x.dim() - 2;
        int[] shape = x.dims();
        int[] strides = x.strides();
        int[] index = new int[batchRank];
        int[] offsets = new int[count];
        int off = x.offset();
        for (int t = 0; t < count; t++) {
            offsets[t] = off;
            for (int d = batchRank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    off += strides[d];
                    break;
                }
                off -= (shape[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
        return offsets;
    }

    private static boolean allEqual(int[] offsets) {
        for (int o : offsets) {
            if (o != offsets[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one row stride that walks all {@code offsets.length * m} rows of a batch of
     * {@code m}-row matrices (row stride {@code rowStride}) in order, or -1 if there is none.
     */
    private static int foldedRowStride(int[] offsets, int m, int rowStride) {
        int step = m == 1 ? offsets[1] - offsets[0] : m * rowStride;
        if (step < 0) {
            return -1;
        }
        for (int t = 1; t < offsets.length; t++) {
            if (offsets[t] != offsets[0] + t * step) {
                return -1;
            }
        }
        return m == 1 ? step : rowStride;
    }

    /** {@code out *= beta} over a contiguous array; {@code beta == 0} writes zeros (NaNs do not survive). */
    private static void scale(NDArray out, double beta) {
        CpuStorage cs = (CpuStorage) out.storage();
        int from = out.offset();
        int to = from + out.numel();
        switch (out.dtype()) {
            case F32 -> {
                float[] c = cs.floats();
                for (int i = from; i < to; i++) {
                    c[i] = beta == 0 ? 0 : (float) (beta * c[i]);
                }
            }
            case F64 -> {
                double[] c = cs.doubles();
                for (int i = from; i < to; i++) {
                    c[i] = beta == 0 ? 0 : beta * c[i];
                }
            }
            default -> throw new AssertionError(out.dtype());
        }
    }
}
