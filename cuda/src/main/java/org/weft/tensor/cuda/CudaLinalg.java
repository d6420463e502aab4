package org.weft.tensor.cuda;

import java.util.Arrays;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.LinalgKernels;

/**
 * {@link LinalgKernels} on a GPU: matmul through native/src/gemm.cu.
 *
 * <p>Operands keep their strides: the batch dimensions are merged (as {@link WeftStrides}
 * merges, over A, B and C together) into one batch stride per operand, and any batch
 * dimensions that do not merge are walked on the host, one launch each. F32 products use
 * {@code weft_gemm_tf32x3_<layout>} (tensor cores, three TF32 products per value: close to
 * F32 accuracy) when its preconditions hold: each of A and B stored row- or column-major
 * ({@code n}/{@code t}) with leading dimension and batch stride multiples of 4 elements, first
 * elements 16-byte aligned, {@code K >= 1}. Otherwise, and for F64, {@code weft_gemm_naive_*},
 * which takes any strides. Plain TF32 ({@code weft_gemm_tf32_*}) is never chosen: it rounds
 * inputs to 10-bit mantissas, which only a caller that allows TF32 may ask for, and no API
 * asks yet.
 *
 * <p>{@code pairwiseSquaredDistances} has no kernel yet and fails with NotOnCuda's message.
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaLinalgTest});
 * not yet run on a GPU ({@code CudaOpsDeviceTest} holds both kernels against the CPU there).
 */
final class CudaLinalg implements LinalgKernels {

    /** Which F32 kernel matmul prefers; the GPU test runs both. */
    enum F32Gemm { TF32X3, NAIVE }

    private static final int NAIVE_TILE = 16;
    private static final int TILED_TILE = 128;

    private final Launcher launcher;
    private final Device device;
    private final F32Gemm f32;

    CudaLinalg(Launcher launcher, Device device, F32Gemm f32) {
        this.launcher = launcher;
        this.device = device;
        this.f32 = f32;
    }

    @Override
    public void matmul(NDArray a, NDArray b, double alpha, double beta, NDArray out) {
        DType t = out.dtype();
        if (t != DType.F32 && t != DType.F64) {
            throw NotOnCuda.op("linalg.matmul", "for " + t, device);
        }
        int rank = out.dim();
        int m = out.size(rank - 2);
        int n = out.size(rank - 1);
        int k = a.size(rank - 1);
        if (out.numel() == 0) {
            return;
        }
        int[] batchShape = Arrays.copyOf(out.dims(), rank - 2);
        WeftStrides batch = WeftStrides.merge(batchShape, Arrays.copyOf(a.strides(), rank - 2),
                Arrays.copyOf(b.strides(), rank - 2), Arrays.copyOf(out.strides(), rank - 2));
        long[] sizes = batch.sizes();
        long[] sa = batch.strides(0);
        long[] sb = batch.strides(1);
        long[] sc = batch.strides(2);
        int nd = sizes.length;
        long count = nd == 0 ? 1 : sizes[nd - 1];
        long strideA = nd == 0 ? 0 : sa[nd - 1];
        long strideB = nd == 0 ? 0 : sb[nd - 1];
        long strideC = nd == 0 ? 0 : sc[nd - 1];
        // The leading batch dimensions that did not merge: one launch per index, walked here.
        long outerCount = 1;
        for (int d = 0; d < nd - 1; d++) {
            outerCount *= sizes[d];
        }
        Matrix ma = new Matrix(m, k, a.stride(rank - 2), a.stride(rank - 1));
        Matrix mb = new Matrix(k, n, b.stride(rank - 2), b.stride(rank - 1));
        String what = "matmul of " + Operands.describe(a) + " and " + Operands.describe(b);
        long esize = t.byteSize();
        long pa = Operands.pointer(a).address();
        long pb = Operands.pointer(b).address();
        long pc = Operands.pointer(out).address();
        long[] index = new long[Math.max(nd - 1, 0)];
        for (long o = 0; o < outerCount; o++) {
            long offA = 0;
            long offB = 0;
            long offC = 0;
            for (int d = 0; d < nd - 1; d++) {
                offA += index[d] * sa[d];
                offB += index[d] * sb[d];
                offC += index[d] * sc[d];
            }
            for (long b0 = 0; b0 < count; b0 += Launch.MAX_GRID_YZ) {
                int batchCount = (int) Math.min(Launch.MAX_GRID_YZ, count - b0);
                gemm(t, m, n, k, ma, pa + (offA + b0 * strideA) * esize, strideA, mb,
                        pb + (offB + b0 * strideB) * esize, strideB, pc + (offC + b0 * strideC) * esize, n, strideC,
                        batchCount, alpha, beta, what);
            }
            for (int d = nd - 2; d >= 0; d--) {
                if (++index[d] < sizes[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    @Override
    public void pairwiseSquaredDistances(NDArray x, NDArray y, NDArray out) {
        throw NotOnCuda.op("linalg.pairwiseSquaredDistances", "(no kernel yet)", device);
    }

    /** A matrix operand: its sizes and strides in elements. */
    record Matrix(int rows, int cols, long rowStride, long colStride) {

        /** Stored as the math reads it ('n'): element (i, j) at i * ld + j; the leading dimension, or -1. */
        long ldAsN() {
            if (cols == 1 || colStride == 1) {
                return rows == 1 ? roundUp4(cols) : rowStride;
            }
            return -1;
        }

        /** Stored transposed ('t'): element (i, j) at j * ld + i; the leading dimension, or -1. */
        long ldAsT() {
            if (rows == 1 || rowStride == 1) {
                return cols == 1 ? roundUp4(rows) : colStride;
            }
            return -1;
        }

        private static long roundUp4(long v) {
            return (v + 3) / 4 * 4;
        }
    }

    /**
     * The launches of {@code batchCount} products of one shape (rows split where the grid's y
     * dimension would exceed 65535 blocks).
     */
    private void gemm(DType t, int m, int n, int k, Matrix a, long pa, long strideA, Matrix b, long pb, long strideB,
                      long pc, long ldc, long strideC, int batchCount, double alpha, double beta, String what) {
        long esize = t.byteSize();
        Tiled tiled = t == DType.F32 && f32 == F32Gemm.TF32X3 ? Tiled.of(a, pa, strideA, b, pb, strideB, k) : null;
        int tile = tiled != null ? TILED_TILE : NAIVE_TILE;
        int rowsPerLaunch = tile * Launch.MAX_GRID_YZ;
        for (int m0 = 0; m0 < m; m0 += rowsPerLaunch) {
            int rows = Math.min(rowsPerLaunch, m - m0);
            long a0 = pa + (long) m0 * a.rowStride() * esize;
            long c0 = pc + (long) m0 * ldc * esize;
            Dim3 grid = new Dim3(ceilDiv(n, tile), ceilDiv(rows, tile), batchCount);
            if (tiled != null) {
                String kernel = "weft_gemm_tf32x3_" + tiled.layout;
                launcher.launch(new Launch(kernel, grid, Dim3.of(Launch.BLOCK), 0, Arrays.asList(rows, n, k,
                        new DevicePointer(a0), tiled.lda, strideA, new DevicePointer(pb), tiled.ldb, strideB,
                        new DevicePointer(c0), ldc, strideC, Operands.none(), (float) alpha, (float) beta), what));
            } else {
                String kernel = "weft_gemm_naive_" + Operands.suffix(t);
                Object al = t == DType.F64 ? (Object) alpha : (Object) (float) alpha;
                Object be = t == DType.F64 ? (Object) beta : (Object) (float) beta;
                launcher.launch(new Launch(kernel, grid, new Dim3(NAIVE_TILE, NAIVE_TILE, 1), 0, Arrays.asList(rows, n,
                        k, new DevicePointer(a0), a.rowStride(), a.colStride(), strideA, new DevicePointer(pb),
                        b.rowStride(), b.colStride(), strideB, new DevicePointer(c0), ldc, strideC, Operands.none(),
                        al, be), what));
            }
        }
    }

    /** The tiled kernels' reading of A and B, when their preconditions (ABI.md, GEMM) hold. */
    private record Tiled(String layout, long lda, long ldb) {

        static Tiled of(Matrix a, long pa, long strideA, Matrix b, long pb, long strideB, int k) {
            if (k < 1 || pa % 16 != 0 || pb % 16 != 0 || strideA % 4 != 0 || strideB % 4 != 0) {
                return null;
            }
            long na = a.ldAsN();
            long ta = a.ldAsT();
            long nb = b.ldAsN();
            long tb = b.ldAsT();
            char la = na > 0 && na % 4 == 0 ? 'n' : ta > 0 && ta % 4 == 0 ? 't' : 0;
            char lb = nb > 0 && nb % 4 == 0 ? 'n' : tb > 0 && tb % 4 == 0 ? 't' : 0;
            if (la == 0 || lb == 0) {
                return null;
            }
            return new Tiled("" + la + lb, la == 'n' ? na : ta, lb == 'n' ? nb : tb);
        }
    }

    private static int ceilDiv(long v, int d) {
        return (int) ((v + d - 1) / d);
    }
}
