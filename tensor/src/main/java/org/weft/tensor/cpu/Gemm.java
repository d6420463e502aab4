package org.weft.tensor.cpu;

import static org.weft.tensor.cpu.GemmMicroKernel.F32;
import static org.weft.tensor.cpu.GemmMicroKernel.F64;
import static org.weft.tensor.cpu.GemmMicroKernel.MR;
import static org.weft.tensor.cpu.GemmMicroKernel.NR_F32;
import static org.weft.tensor.cpu.GemmMicroKernel.NR_F64;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * General matrix multiply, {@code C = alpha * A * B + beta * C}, for F32 and F64, the kernel
 * under matmul, linear layers, convolutions and attention.
 *
 * <p>Operands are views into flat arrays. A and B take an element offset plus a row stride and a
 * column stride, so a transposed or otherwise strided operand costs nothing extra: the packing
 * step that copies blocks of A and B into the kernel's layout reads through the strides anyway.
 * C is row-major with leading dimension {@code ldc} (the distance between rows).
 *
 * <p>Semantics follow BLAS: {@code beta == 0} overwrites C without reading it (NaN or garbage in C
 * does not propagate); {@code alpha == 0} or {@code k == 0} leave {@code C = beta * C} and do not
 * read A or B. C must not overlap A or B.
 *
 * <p>Three ways through, chosen by the amount of work {@code m * n * k}:
 * <ol>
 *   <li>tiny problems, and a single row of A times a row-major B, run a plain loop (packing
 *       would cost more than it saves);</li>
 *   <li>the rest runs the cache-blocked, packed, vectorised loop nest of {@link GemmBlocked};</li>
 *   <li>large problems split C between the {@link CpuThreads} workers, each running that loop
 *       nest on its own columns (or rows) of C.</li>
 * </ol>
 * The {@code *Reference} methods are the plain definition, kept public so tests can pin the fast
 * paths to them.
 */
public final class Gemm {

    /** Below this many multiply-adds the plain loop beats packing. */
    static final long SMALL_WORK = 16 * 16 * 16;

    /**
     * Below this many multiply-adds splitting across threads costs more than it saves: 128^3 is
     * about 50 microseconds on one core, a few times what waking the pool's workers costs.
     */
    static final long PARALLEL_WORK = 128 * 128 * 128;

    private Gemm() {
    }

    // ---------------------------------------------------------------------------------------
    // F32
    // ---------------------------------------------------------------------------------------

    /**
     * C[m x n] = alpha * A[m x k] * B[k x n] + beta * C, where A(i,p) = a[aOff + i*aRs + p*aCs],
     * B(p,j) = b[bOff + p*bRs + j*bCs], C(i,j) = c[cOff + i*ldc + j]. beta == 0 means C is
     * overwritten (NaN in C must not propagate).
     */
    public static void sgemm(int m, int n, int k, float alpha,
                             float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs,
                             float beta, float[] c, int cOff, int ldc) {
        checkShape(m, n, k, ldc);
        checkViews(m, n, k, a == null ? -1 : a.length, aOff, aRs, aCs, b == null ? -1 : b.length, bOff, bRs, bCs,
                c == null ? -1 : c.length, cOff, ldc);
        sgemmChecked(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc, true);
    }

    /**
     * {@link #sgemm} over {@code batch} independent problems of the same shape and strides; item
     * {@code t} uses offsets {@code aOffs[t]}, {@code bOffs[t]}, {@code cOffs[t]}. The C items
     * must not overlap each other. Many items run in parallel across the batch (each item on one
     * thread); a few large items run one after another, each split across the threads.
     */
    public static void sgemmBatched(int batch, int m, int n, int k, float alpha,
                                    float[] a, int[] aOffs, int aRs, int aCs,
                                    float[] b, int[] bOffs, int bRs, int bCs,
                                    float beta, float[] c, int[] cOffs, int ldc) {
        checkBatch(batch, aOffs, bOffs, cOffs);
        checkShape(m, n, k, ldc);
        for (int t = 0; t < batch; t++) {
            checkViews(m, n, k, a == null ? -1 : a.length, aOffs[t], aRs, aCs, b == null ? -1 : b.length, bOffs[t],
                    bRs, bCs, c == null ? -1 : c.length, cOffs[t], ldc);
        }
        runBatch(batch, (long) m * n * k, (t, mayThread) -> sgemmChecked(m, n, k, alpha, a, aOffs[t], aRs, aCs,
                b, bOffs[t], bRs, bCs, beta, c, cOffs[t], ldc, mayThread));
    }

    /**
     * The definition of {@link #sgemm}, as a triple loop. Each dot product is accumulated in
     * {@code float}, k in increasing order, without fused multiply-add (what a straightforward
     * single-precision BLAS does), so it carries the usual single-precision rounding error of
     * about {@code k * 2^-24} relative to {@code sum |A(i,p)| |B(p,j)|}. Then
     * {@code C = alpha * sum + beta * C}, with beta == 0 not reading C and alpha == 0 not
     * reading A or B.
     */
    public static void sgemmReference(int m, int n, int k, float alpha,
                                      float[] a, int aOff, int aRs, int aCs,
                                      float[] b, int bOff, int bRs, int bCs,
                                      float beta, float[] c, int cOff, int ldc) {
        checkShape(m, n, k, ldc);
        checkViews(m, n, k, a == null ? -1 : a.length, aOff, aRs, aCs, b == null ? -1 : b.length, bOff, bRs, bCs,
                c == null ? -1 : c.length, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                float scaledC = beta == 0f ? 0f : beta * c[at];
                if (alpha == 0f) {
                    c[at] = scaledC;
                    continue;
                }
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                c[at] = alpha * sum + scaledC;
            }
        }
    }

    /** Arguments already validated; {@code mayThread} false keeps the whole call on this thread. */
    private static void sgemmChecked(int m, int n, int k, float alpha,
                                     float[] a, int aOff, int aRs, int aCs,
                                     float[] b, int bOff, int bRs, int bCs,
                                     float beta, float[] c, int cOff, int ldc, boolean mayThread) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work < SMALL_WORK || (m == 1 && bCs == 1)) {
            sgemmSimple(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc);
            return;
        }
        if (!mayThread || CpuThreads.count() == 1 || work < PARALLEL_WORK) {
            GemmBlocked.sgemm(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc);
            return;
        }
        if (splitsRows(m, n, NR_F32)) {
            GemmBlocked.sgemmRowsInParallel(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc);
            return;
        }
        splitAcrossThreads(m, n, NR_F32, (i0, i1, j0, j1) -> GemmBlocked.sgemm(i1 - i0, j1 - j0, k, alpha,
                a, aOff + i0 * aRs, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, beta, c, cOff + i0 * ldc + j0, ldc));
    }

    /**
     * Row by row, {@code C(i,:) = beta * C(i,:) + sum_p (alpha * A(i,p)) * B(p,:)}: no packing,
     * vectorised along the row when B's rows are contiguous. Best for tiny problems and for
     * m == 1 (a vector times a matrix), where each element of B is used once anyway.
     */
    private static void sgemmSimple(int m, int n, int k, float alpha,
                                    float[] a, int aOff, int aRs, int aCs,
                                    float[] b, int bOff, int bRs, int bCs,
                                    float beta, float[] c, int cOff, int ldc) {
        int lanes = F32.length();
        int vectorEnd = bCs == 1 ? n - n % lanes : 0;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            scale(1, n, beta, c, row, n);
            for (int p = 0; p < k; p++) {
                float scaledA = alpha * a[aOff + i * aRs + p * aCs];
                FloatVector scaledAv = FloatVector.broadcast(F32, scaledA);
                int bRow = bOff + p * bRs;
                int j = 0;
                for (; j < vectorEnd; j += lanes) {
                    FloatVector.fromArray(F32, b, bRow + j)
                            .fma(scaledAv, FloatVector.fromArray(F32, c, row + j))
                            .intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] += scaledA * b[bRow + j * bCs];
                }
            }
        }
    }

    /** C = beta * C over an m x n view; beta == 0 writes zeros without reading. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // F64: the same structure as F32, element for element.
    // ---------------------------------------------------------------------------------------

    /** The F64 version of {@link #sgemm}, same layout and semantics. */
    public static void dgemm(int m, int n, int k, double alpha,
                             double[] a, int aOff, int aRs, int aCs,
                             double[] b, int bOff, int bRs, int bCs,
                             double beta, double[] c, int cOff, int ldc) {
        checkShape(m, n, k, ldc);
        checkViews(m, n, k, a == null ? -1 : a.length, aOff, aRs, aCs, b == null ? -1 : b.length, bOff, bRs, bCs,
                c == null ? -1 : c.length, cOff, ldc);
        dgemmChecked(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc, true);
    }

    /** The F64 version of {@link #sgemmBatched}. */
    public static void dgemmBatched(int batch, int m, int n, int k, double alpha,
                                    double[] a, int[] aOffs, int aRs, int aCs,
                                    double[] b, int[] bOffs, int bRs, int bCs,
                                    double beta, double[] c, int[] cOffs, int ldc) {
        checkBatch(batch, aOffs, bOffs, cOffs);
        checkShape(m, n, k, ldc);
        for (int t = 0; t < batch; t++) {
            checkViews(m, n, k, a == null ? -1 : a.length, aOffs[t], aRs, aCs, b == null ? -1 : b.length, bOffs[t],
                    bRs, bCs, c == null ? -1 : c.length, cOffs[t], ldc);
        }
        runBatch(batch, (long) m * n * k, (t, mayThread) -> dgemmChecked(m, n, k, alpha, a, aOffs[t], aRs, aCs,
                b, bOffs[t], bRs, bCs, beta, c, cOffs[t], ldc, mayThread));
    }

    /**
     * The definition of {@link #dgemm} as a triple loop, accumulating each dot product in
     * {@code double} in increasing k, without fused multiply-add.
     */
    public static void dgemmReference(int m, int n, int k, double alpha,
                                      double[] a, int aOff, int aRs, int aCs,
                                      double[] b, int bOff, int bRs, int bCs,
                                      double beta, double[] c, int cOff, int ldc) {
        checkShape(m, n, k, ldc);
        checkViews(m, n, k, a == null ? -1 : a.length, aOff, aRs, aCs, b == null ? -1 : b.length, bOff, bRs, bCs,
                c == null ? -1 : c.length, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                double scaledC = beta == 0d ? 0d : beta * c[at];
                if (alpha == 0d) {
                    c[at] = scaledC;
                    continue;
                }
                double sum = 0d;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                c[at] = alpha * sum + scaledC;
            }
        }
    }

    private static void dgemmChecked(int m, int n, int k, double alpha,
                                     double[] a, int aOff, int aRs, int aCs,
                                     double[] b, int bOff, int bRs, int bCs,
                                     double beta, double[] c, int cOff, int ldc, boolean mayThread) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0d) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work < SMALL_WORK || (m == 1 && bCs == 1)) {
            dgemmSimple(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc);
            return;
        }
        if (!mayThread || CpuThreads.count() == 1 || work < PARALLEL_WORK) {
            GemmBlocked.dgemm(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, bCs, beta, c, cOff, ldc);
            return;
        }
        splitAcrossThreads(m, n, NR_F64, (i0, i1, j0, j1) -> GemmBlocked.dgemm(i1 - i0, j1 - j0, k, alpha,
                a, aOff + i0 * aRs, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs, beta, c, cOff + i0 * ldc + j0, ldc));
    }

    private static void dgemmSimple(int m, int n, int k, double alpha,
                                    double[] a, int aOff, int aRs, int aCs,
                                    double[] b, int bOff, int bRs, int bCs,
                                    double beta, double[] c, int cOff, int ldc) {
        int lanes = F64.length();
        int vectorEnd = bCs == 1 ? n - n % lanes : 0;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            scale(1, n, beta, c, row, n);
            for (int p = 0; p < k; p++) {
                double scaledA = alpha * a[aOff + i * aRs + p * aCs];
                DoubleVector scaledAv = DoubleVector.broadcast(F64, scaledA);
                int bRow = bOff + p * bRs;
                int j = 0;
                for (; j < vectorEnd; j += lanes) {
                    DoubleVector.fromArray(F64, b, bRow + j)
                            .fma(scaledAv, DoubleVector.fromArray(F64, c, row + j))
                            .intoArray(c, row + j);
                }
                for (; j < n; j++) {
                    c[row + j] += scaledA * b[bRow + j * bCs];
                }
            }
        }
    }

    private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1d) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0d) {
                Arrays.fill(c, row, row + n, 0d);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Shared helpers
    // ---------------------------------------------------------------------------------------

    /** One item of a batch; {@code mayThread} false keeps it on the calling thread. */
    @FunctionalInterface
    private interface BatchItem {
        void run(int t, boolean mayThread);
    }

    /**
     * Runs a batch item by item across the threads when there are enough items to keep every
     * thread busy, or when one item is too small to be worth splitting; otherwise one item after
     * another, each split across the threads. Chunks of the batch carry at least
     * {@link #PARALLEL_WORK}.
     */
    private static void runBatch(int batch, long work, BatchItem item) {
        if (batch >= 2 * CpuThreads.count() || work < PARALLEL_WORK) {
            int grain = (int) Math.max(1, Math.min(Integer.MAX_VALUE, PARALLEL_WORK / Math.max(1, work)));
            CpuThreads.parallelFor(batch, grain, (from, to) -> {
                for (int t = from; t < to; t++) {
                    item.run(t, false);
                }
            });
        } else {
            for (int t = 0; t < batch; t++) {
                item.run(t, true);
            }
        }
    }

    /** A slab of C, rows {@code [i0, i1)} and columns {@code [j0, j1)}, for one thread. */
    @FunctionalInterface
    private interface Slab {
        void run(int i0, int i1, int j0, int j1);
    }

    /**
     * Splits the side of C with more micro-tiles (MR rows or {@code nr} columns) into one
     * contiguous slab per thread. Each thread packs its own blocks of the shared operand: a
     * little duplicated packing buys threads that never wait on each other. Slabs are whole
     * tiles, so two threads' parts of C meet at one boundary and share at most one cache line
     * per row there.
     */
    /** Whether C has more micro-tile rows than micro-tile columns, so threads should share its rows. */
    private static boolean splitsRows(int m, int n, int nr) {
        return (m + MR - 1) / MR > (n + nr - 1) / nr;
    }

    private static void splitAcrossThreads(int m, int n, int nr, Slab slab) {
        int nTiles = (n + nr - 1) / nr;
        int mTiles = (m + MR - 1) / MR;
        if (nTiles >= mTiles) {
            CpuThreads.parallelFor(nTiles, 1, (from, to) -> slab.run(0, m, from * nr, Math.min(n, to * nr)));
        } else {
            CpuThreads.parallelFor(mTiles, 1, (from, to) -> slab.run(from * MR, Math.min(m, to * MR), 0, n));
        }
    }

    private static void checkShape(int m, int n, int k, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "GEMM sizes must be non-negative, got m=" + m + " n=" + n + " k=" + k);
        }
        // Rows of C must not overlap: the kernels write them independently and in parallel.
        if (m > 1 && ldc < n) {
            throw new IllegalArgumentException("ldc=" + ldc + " is less than n=" + n);
        }
    }

    private static void checkBatch(int batch, int[] aOffs, int[] bOffs, int[] cOffs) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be non-negative, got " + batch);
        }
        Objects.requireNonNull(aOffs, "aOffs");
        Objects.requireNonNull(bOffs, "bOffs");
        Objects.requireNonNull(cOffs, "cOffs");
        if (aOffs.length < batch || bOffs.length < batch || cOffs.length < batch) {
            throw new IllegalArgumentException("offset arrays shorter than batch=" + batch);
        }
    }

    /** Checks A (m x k), B (k x n) and C (m x n, row stride ldc) against their arrays' lengths. */
    private static void checkViews(int m, int n, int k, int aLength, int aOff, int aRs, int aCs,
                                   int bLength, int bOff, int bRs, int bCs, int cLength, int cOff, int ldc) {
        checkView("A", aLength, aOff, m, k, aRs, aCs);
        checkView("B", bLength, bOff, k, n, bRs, bCs);
        checkView("C", cLength, cOff, m, n, ldc, 1);
    }

    /**
     * Checks that every element of a {@code rows x cols} view with the given offset and strides
     * lies inside an array of {@code length} elements ({@code -1} for a null array). An empty view
     * reads nothing and always passes. Computing in long also rules out int overflow in the
     * kernels' index arithmetic, since every index they form lies between these extremes.
     */
    private static void checkView(String name, int length, int offset, int rows, int cols,
                                  int rowStride, int colStride) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (length < 0) {
            throw new NullPointerException(name + " is null but has " + rows + "x" + cols + " elements");
        }
        long rowSpan = (long) (rows - 1) * rowStride;
        long colSpan = (long) (cols - 1) * colStride;
        long lowest = offset + Math.min(0, rowSpan) + Math.min(0, colSpan);
        long highest = offset + Math.max(0, rowSpan) + Math.max(0, colSpan);
        if (lowest < 0 || highest >= length) {
            throw new IndexOutOfBoundsException(name + " view (offset " + offset + ", " + rows + "x"
                    + cols + ", strides " + rowStride + "," + colStride + ") reaches elements ["
                    + lowest + ", " + highest + "] of an array of length " + length);
        }
    }
}
