package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the fast GEMM paths to the reference triple loop, over odd shapes, strided and transposed
 * operands, alpha/beta cases, the batched entry points and F64.
 *
 * <p>Tolerance. The fast path sums in a different order (blocked over k, fused multiply-add)
 * from the reference (left to right, separate multiply and add), so results differ by rounding.
 * The classic forward error bound for a dot product of length k computed in any order is
 * {@code |fl(x.y) - x.y| <= gamma_k * sum |x_p||y_p|} with {@code gamma_k ~ k * u} (u = 2^-24
 * for F32, 2^-53 for F64). Both results obey it, so they differ by at most twice that, plus a
 * few more roundings for alpha and beta. The check is therefore per element:
 * {@code |fast - ref| <= 2 (k + 3) u (|alpha| (|A||B|)_ij + |beta| |C_ij|)}, which is tight for
 * cancelling sums and loose only where the data are benign, and which any indexing or packing
 * bug (an O(1) error) breaks at once.
 */
class GemmTest {

    private static final int[] SIZES = {0, 1, 2, 3, 5, 7, 13, 17, 31, 64, 65, 127, 129, 300};
    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;

    /** How an operand's logical matrix is laid out in its flat array. */
    private enum Layout {
        ROW_MAJOR, TRANSPOSED, STRIDED;

        /** Offset, row stride and column stride for a {@code rows x cols} view. */
        int[] view(int rows, int cols) {
            switch (this) {
                case ROW_MAJOR:
                    return new int[] {3, cols, 1};
                case TRANSPOSED:
                    return new int[] {1, 1, rows};
                default:
                    // every other element, with a gap between rows
                    return new int[] {5, 2 * cols + 3, 2};
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // F32
    // ------------------------------------------------------------------------------------------

    @Test
    void sgemmMatchesReferenceOnAllOddShapes() {
        SplittableRandom random = new SplittableRandom(1);
        int checked = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    if ((long) m * n * k > 1_000_000) {
                        continue; // the largest corners are covered by the named shapes below
                    }
                    checkF32(random, m, n, k, 1f, 0f, Layout.ROW_MAJOR, Layout.ROW_MAJOR);
                    checked++;
                }
            }
        }
        assertTrue(checked > 2000);
    }

    @Test
    void sgemmLargeShapesCoverEveryBlockingAndThreadingPath() {
        SplittableRandom random = new SplittableRandom(2);
        int[][] shapes = {
            {300, 300, 300},   // threaded, split over rows, two k blocks
            {17, 600, 300},    // threaded, split over columns
            {600, 17, 300},    // threaded, split over rows with a partial column tile
            {1300, 40, 520},   // threaded over rows, B packed together: 12 row blocks, three k blocks
            {2100, 2050, 5},   // threaded over rows, two NC blocks of columns
            {600, 530, 1100},  // large C: deeper k blocks (three of 367)
            {129, 127, 65},
            {7, 33, 700},      // three k blocks
            {13, 4200, 3},     // more columns than one NC block
            {250, 5, 9},       // more rows than one MC block, tiny n
            {1, 515, 260},     // a single row (vector times matrix)
            {515, 1, 260},     // a single column (matrix times vector)
        };
        for (int[] s : shapes) {
            checkF32(random, s[0], s[1], s[2], 1f, 0f, Layout.ROW_MAJOR, Layout.ROW_MAJOR);
            checkF32(random, s[0], s[1], s[2], 0.75f, -1.5f, Layout.TRANSPOSED, Layout.TRANSPOSED);
        }
    }

    @Test
    void sgemmAbsorbsStridedAndTransposedOperands() {
        SplittableRandom random = new SplittableRandom(3);
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {13, 17, 31}, {64, 65, 127}, {129, 31, 300}, {7, 129, 17}};
        for (Layout aLayout : Layout.values()) {
            for (Layout bLayout : Layout.values()) {
                for (int[] s : shapes) {
                    checkF32(random, s[0], s[1], s[2], 1f, 0f, aLayout, bLayout);
                }
            }
        }
    }

    @Test
    void sgemmAppliesAlphaAndBeta() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] alphaBeta = {{1f, 1f}, {-0.5f, 2f}, {3f, -1f}, {2f, 0f}, {0f, 0.5f}, {0f, 0f}, {1f, 0.25f}};
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {13, 17, 2}, {65, 64, 31}, {127, 129, 13}, {6, 16, 0}, {31, 17, 0}};
        for (float[] ab : alphaBeta) {
            for (int[] s : shapes) {
                checkF32(random, s[0], s[1], s[2], ab[0], ab[1], Layout.ROW_MAJOR, Layout.STRIDED);
            }
        }
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        int m = 37;
        int n = 41;
        int k = 19;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
        for (boolean reference : new boolean[] {false, true}) {
            float[] c = new float[m * n];
            Arrays.fill(c, Float.NaN);
            if (reference) {
                Gemm.sgemmReference(m, n, k, 1f, a, 0, k, 1, b, 0, n, 1, 0f, c, 0, n);
            } else {
                Gemm.sgemm(m, n, k, 1f, a, 0, k, 1, b, 0, n, 1, 0f, c, 0, n);
            }
            for (float v : c) {
                assertEquals(2f * k, v, "reference=" + reference);
            }
        }
        // alpha == 0 and k == 0 with beta == 0 also clear C without reading it (nor A and B).
        float[] poisonedA = new float[m * k];
        Arrays.fill(poisonedA, Float.NaN);
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        Gemm.sgemm(m, n, k, 0f, poisonedA, 0, k, 1, b, 0, n, 1, 0f, c, 0, n);
        for (float v : c) {
            assertEquals(0f, v);
        }
        Arrays.fill(c, Float.NaN);
        Gemm.sgemm(m, n, 0, 1f, a, 0, 0, 1, b, 0, n, 1, 0f, c, 0, n);
        for (float v : c) {
            assertEquals(0f, v);
        }
    }

    @Test
    void closedFormsAreExact() {
        // A times the identity is A, and all-ones matrices multiply to k, with no rounding at all:
        // each sum is exact in floating point, whatever the order.
        SplittableRandom random = new SplittableRandom(5);
        for (int[] s : new int[][] {{7, 13}, {64, 64}, {129, 300}, {300, 65}}) {
            int m = s[0];
            int k = s[1];
            float[] a = randomFloats(random, m * k);
            float[] identity = new float[k * k];
            for (int i = 0; i < k; i++) {
                identity[i * k + i] = 1f;
            }
            float[] c = new float[m * k];
            Gemm.sgemm(m, k, k, 1f, a, 0, k, 1, identity, 0, k, 1, 0f, c, 0, k);
            assertTrue(Arrays.equals(a, c), "A * I != A for " + m + "x" + k);
        }
        for (int[] s : new int[][] {{1, 1, 1}, {5, 3, 300}, {129, 65, 1000}, {200, 200, 200}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] ones = new float[Math.max(m, n) * k];
            Arrays.fill(ones, 1f);
            float[] c = new float[m * n];
            Gemm.sgemm(m, n, k, 1f, ones, 0, k, 1, ones, 0, n, 1, 0f, c, 0, n);
            for (float v : c) {
                assertEquals(k, v);
            }
            double[] onesD = new double[Math.max(m, n) * k];
            Arrays.fill(onesD, 1d);
            double[] cD = new double[m * n];
            Gemm.dgemm(m, n, k, 1d, onesD, 0, k, 1, onesD, 0, n, 1, 0d, cD, 0, n);
            for (double v : cD) {
                assertEquals(k, v);
            }
        }
    }

    @Test
    void referenceAgreesWithDoublePrecisionDefinition() {
        // Guards the guard: the reference itself against an independent double-precision sum.
        SplittableRandom random = new SplittableRandom(6);
        int m = 13;
        int n = 17;
        int k = 31;
        float[] a = randomFloats(random, m * k);
        float[] b = randomFloats(random, k * n);
        float[] c = randomFloats(random, m * n);
        float[] expected = c.clone();
        Gemm.sgemmReference(m, n, k, 1.5f, a, 0, k, 1, b, 0, n, 1, -0.5f, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + j];
                }
                double want = 1.5 * sum - 0.5 * expected[i * n + j];
                assertEquals(want, c[i * n + j], 1e-5, "C(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void sgemmBatchedMatchesPerItemReference() {
        SplittableRandom random = new SplittableRandom(7);
        // many small items (split across the batch), a few large ones (each split inside),
        // a single item, and an empty batch
        int[][] cases = {{16, 7, 13, 5}, {9, 33, 17, 65}, {3, 130, 140, 120}, {1, 64, 65, 31}, {0, 5, 5, 5}};
        for (int[] cs : cases) {
            int batch = cs[0];
            int m = cs[1];
            int n = cs[2];
            int k = cs[3];
            // A items transposed and interleaved with gaps, B row-major, C with a padded ldc.
            int aItem = m * k + 3;
            int bItem = k * n + 1;
            int ldc = n + 2;
            int cItem = m * ldc + 5;
            float[] a = randomFloats(random, batch * aItem + 1);
            float[] b = randomFloats(random, batch * bItem + 1);
            float[] c = randomFloats(random, batch * cItem + 1);
            int[] aOffs = new int[batch];
            int[] bOffs = new int[batch];
            int[] cOffs = new int[batch];
            for (int t = 0; t < batch; t++) {
                // reverse order for A, to show the offsets are honoured item by item
                aOffs[t] = (batch - 1 - t) * aItem + 1;
                bOffs[t] = t * bItem;
                cOffs[t] = t * cItem + 2;
            }
            float[] expected = c.clone();
            float alpha = 1.25f;
            float beta = -0.5f;
            for (int t = 0; t < batch; t++) {
                Gemm.sgemmReference(m, n, k, alpha, a, aOffs[t], 1, m, b, bOffs[t], n, 1,
                        beta, expected, cOffs[t], ldc);
            }
            float[] original = c.clone();
            Gemm.sgemmBatched(batch, m, n, k, alpha, a, aOffs, 1, m, b, bOffs, n, 1, beta, c, cOffs, ldc);
            for (int t = 0; t < batch; t++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int at = cOffs[t] + i * ldc + j;
                        double scale = Math.abs(alpha) * absProductF32(a, aOffs[t], 1, m, b, bOffs[t], n, 1, i, j, k)
                                + Math.abs(beta * original[at]);
                        double tolerance = 2 * (k + 3) * U32 * scale + Float.MIN_NORMAL;
                        if (Math.abs(c[at] - expected[at]) > tolerance) {
                            fail("batch item " + t + " C(" + i + "," + j + ") = " + c[at] + ", reference "
                                    + expected[at]);
                        }
                        expected[at] = c[at];
                    }
                }
            }
            // outside the items nothing changed
            assertTrue(Arrays.equals(expected, c), "batched GEMM wrote outside its C items");
        }
    }

    // ------------------------------------------------------------------------------------------
    // F64
    // ------------------------------------------------------------------------------------------

    @Test
    void dgemmMatchesReference() {
        SplittableRandom random = new SplittableRandom(8);
        int[] sizes = {0, 1, 2, 3, 5, 7, 13, 17, 64, 65, 129};
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : sizes) {
                    checkF64(random, m, n, k, 1d, 0d, Layout.ROW_MAJOR, Layout.ROW_MAJOR);
                }
            }
        }
        int[][] shapes = {{300, 300, 300}, {17, 600, 300}, {600, 17, 300}, {7, 33, 700}, {13, 2100, 3},
            {130, 9, 70}, {1, 300, 300}};
        for (int[] s : shapes) {
            checkF64(random, s[0], s[1], s[2], -0.75d, 0.5d, Layout.ROW_MAJOR, Layout.ROW_MAJOR);
        }
        for (Layout aLayout : Layout.values()) {
            for (Layout bLayout : Layout.values()) {
                checkF64(random, 65, 31, 129, 2d, 0d, aLayout, bLayout);
                checkF64(random, 7, 129, 17, 1d, 1d, aLayout, bLayout);
            }
        }
    }

    @Test
    void dgemmBatchedMatchesPerItemReference() {
        SplittableRandom random = new SplittableRandom(9);
        for (int[] cs : new int[][] {{12, 9, 11, 13}, {2, 130, 140, 120}}) {
            int batch = cs[0];
            int m = cs[1];
            int n = cs[2];
            int k = cs[3];
            double[] a = randomDoubles(random, batch * m * k);
            double[] b = randomDoubles(random, batch * k * n);
            double[] c = new double[batch * m * n];
            Arrays.fill(c, Double.NaN);
            int[] aOffs = new int[batch];
            int[] bOffs = new int[batch];
            int[] cOffs = new int[batch];
            for (int t = 0; t < batch; t++) {
                aOffs[t] = t * m * k;
                bOffs[t] = t * k * n;
                cOffs[t] = t * m * n;
            }
            double[] expected = new double[c.length];
            for (int t = 0; t < batch; t++) {
                Gemm.dgemmReference(m, n, k, 1d, a, aOffs[t], k, 1, b, bOffs[t], n, 1, 0d, expected, cOffs[t], n);
            }
            Gemm.dgemmBatched(batch, m, n, k, 1d, a, aOffs, k, 1, b, bOffs, n, 1, 0d, c, cOffs, n);
            for (int i = 0; i < c.length; i++) {
                assertEquals(expected[i], c[i], 4 * (k + 3) * U64 * k);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Argument checks
    // ------------------------------------------------------------------------------------------

    @Test
    void rejectsBadArguments() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(-1, 2, 2, 1f, x, 0, 2, 1, x, 0, 2, 1, 0f, new float[4], 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(2, 3, 2, 1f, x, 0, 2, 1, x, 0, 3, 1, 0f, new float[16], 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(4, 4, 4, 1f, x, 1, 4, 1, x, 0, 4, 1, 0f, new float[16], 0, 4));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(4, 4, 4, 1f, x, 0, 4, 1, x, 0, 4, 1, 0f, new float[15], 0, 4));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.dgemm(2, 2, 2, 1d, new double[4], 0, -2, 1, new double[4], 0, 2, 1, 0d,
                        new double[4], 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmBatched(2, 2, 2, 2, 1f, x, new int[1], 2, 1, x, new int[2], 2, 1, 0f,
                        x, new int[2], 2));
        // empty problems read nothing, so they accept empty arrays
        Gemm.sgemm(0, 0, 0, 1f, new float[0], 0, 0, 0, new float[0], 0, 0, 0, 0f, new float[0], 0, 0);
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /**
     * Lays random A, B and C out as asked, with NaN in every array element outside the views
     * (a stray read shows up as NaN in C) and sentinels around C's rows (a stray write shows up
     * as a changed sentinel), then compares sgemm with sgemmReference element by element.
     */
    private static void checkF32(SplittableRandom random, int m, int n, int k, float alpha, float beta,
                                 Layout aLayout, Layout bLayout) {
        int[] av = aLayout.view(m, k);
        int[] bv = bLayout.view(k, n);
        float[] a = stridedF32(random, m, k, av);
        float[] b = stridedF32(random, k, n, bv);
        int ldc = n + 3;
        int cOff = 2;
        float[] c = new float[cOff + m * ldc + 4];
        Arrays.fill(c, 12345f);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = beta == 0f ? Float.NaN : randomFloat(random);
            }
        }
        float[] original = c.clone();
        float[] expected = c.clone();
        Gemm.sgemmReference(m, n, k, alpha, a, av[0], av[1], av[2], b, bv[0], bv[1], bv[2], beta, expected, cOff, ldc);
        Gemm.sgemm(m, n, k, alpha, a, av[0], av[1], av[2], b, bv[0], bv[1], bv[2], beta, c, cOff, ldc);
        for (int at = 0; at < c.length; at++) {
            int i = (at - cOff) / ldc;
            int j = (at - cOff) - i * ldc;
            boolean inside = at >= cOff && i < m && j < n;
            if (!inside) {
                if (c[at] != 12345f) {
                    fail(describe(m, n, k, alpha, beta, aLayout, bLayout) + ": wrote outside C at " + at);
                }
                continue;
            }
            double scale = alpha == 0f ? 0
                    : Math.abs(alpha) * absProductF32(a, av[0], av[1], av[2], b, bv[0], bv[1], bv[2], i, j, k);
            if (beta != 0f) {
                scale += Math.abs(beta * original[at]);
            }
            double tolerance = 2 * (k + 3) * U32 * scale + Float.MIN_NORMAL;
            if (!(Math.abs(c[at] - expected[at]) <= tolerance)) {
                fail(describe(m, n, k, alpha, beta, aLayout, bLayout) + ": C(" + i + "," + j + ") = "
                        + c[at] + ", reference " + expected[at] + ", tolerance " + tolerance);
            }
        }
    }

    private static void checkF64(SplittableRandom random, int m, int n, int k, double alpha, double beta,
                                 Layout aLayout, Layout bLayout) {
        int[] av = aLayout.view(m, k);
        int[] bv = bLayout.view(k, n);
        double[] a = stridedF64(random, m, k, av);
        double[] b = stridedF64(random, k, n, bv);
        int ldc = n + 1;
        double[] c = new double[m * ldc + 1];
        Arrays.fill(c, -777d);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[i * ldc + j] = beta == 0d ? Double.NaN : random.nextDouble(-1, 1);
            }
        }
        double[] original = c.clone();
        double[] expected = c.clone();
        Gemm.dgemmReference(m, n, k, alpha, a, av[0], av[1], av[2], b, bv[0], bv[1], bv[2], beta, expected, 0, ldc);
        Gemm.dgemm(m, n, k, alpha, a, av[0], av[1], av[2], b, bv[0], bv[1], bv[2], beta, c, 0, ldc);
        for (int at = 0; at < c.length; at++) {
            int i = at / ldc;
            int j = at - i * ldc;
            if (i >= m || j >= n) {
                assertEquals(-777d, c[at], "wrote outside C");
                continue;
            }
            double scale = 0;
            for (int p = 0; p < k; p++) {
                scale += Math.abs(a[av[0] + i * av[1] + p * av[2]] * b[bv[0] + p * bv[1] + j * bv[2]]);
            }
            scale = Math.abs(alpha) * scale + (beta == 0d ? 0 : Math.abs(beta * original[at]));
            double tolerance = 2 * (k + 3) * U64 * scale + Double.MIN_NORMAL;
            if (!(Math.abs(c[at] - expected[at]) <= tolerance)) {
                fail(describe(m, n, k, alpha, beta, aLayout, bLayout) + " F64: C(" + i + "," + j + ") = "
                        + c[at] + ", reference " + expected[at]);
            }
        }
    }

    /** sum_p |A(i,p)| |B(p,j)| in double: the scale the rounding error is measured against. */
    private static double absProductF32(float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                                        int bCs, int i, int j, int k) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += Math.abs((double) a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs]);
        }
        return sum;
    }

    private static float[] stridedF32(SplittableRandom random, int rows, int cols, int[] view) {
        int length = rows == 0 || cols == 0 ? view[0]
                : view[0] + (rows - 1) * view[1] + (cols - 1) * view[2] + 1;
        float[] array = new float[length + 2];
        Arrays.fill(array, Float.NaN);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                array[view[0] + i * view[1] + j * view[2]] = randomFloat(random);
            }
        }
        return array;
    }

    private static double[] stridedF64(SplittableRandom random, int rows, int cols, int[] view) {
        int length = rows == 0 || cols == 0 ? view[0]
                : view[0] + (rows - 1) * view[1] + (cols - 1) * view[2] + 1;
        double[] array = new double[length + 2];
        Arrays.fill(array, Double.NaN);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                array[view[0] + i * view[1] + j * view[2]] = random.nextDouble(-1, 1);
            }
        }
        return array;
    }

    private static float randomFloat(SplittableRandom random) {
        return (float) random.nextDouble(-1, 1);
    }

    private static float[] randomFloats(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = randomFloat(random);
        }
        return values;
    }

    private static double[] randomDoubles(SplittableRandom random, int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextDouble(-1, 1);
        }
        return values;
    }

    private static String describe(int m, int n, int k, double alpha, double beta, Layout a, Layout b) {
        return "m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta + " A " + a + " B " + b;
    }
}
