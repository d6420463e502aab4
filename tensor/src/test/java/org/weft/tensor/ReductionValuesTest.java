package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Reductions against closed forms, where the answer is known exactly and a careless kernel
 * (float accumulation, one-pass variance, no shift in logsumexp, doubles for 64-bit integers)
 * would miss it. The comparisons with PyTorch are in the conformance suite.
 */
class ReductionValuesTest {

    @Test
    void f32SumsAccumulateInDouble() {
        // A million copies of 0.1f: a float accumulator drifts by about 1%; double keeps every digit.
        int n = 1_000_000;
        NDArray x = NDArray.full(0.1f, DType.F32, n);
        assertEquals((float) (n * (double) 0.1f), x.sum().item(), 0.0);
        assertEquals((float) (double) 0.1f, x.mean().item(), 0.0);
    }

    @Test
    void aFullSumOfTenMillionIsExact() {
        // Every partial sum of 0..n-1 is an integer below 2^53, so the total is exact in any order.
        int n = 10_000_000;
        NDArray x = NDArray.arange(0, n, 1, DType.F64);
        assertEquals((double) n * (n - 1) / 2, x.sum().item(), 0.0);
        NDArray halves = NDArray.full(0.5, DType.F32, n);
        assertEquals(n / 2.0, halves.sum().item(), 0.0);
    }

    @Test
    void integerSumsAreExactInLong() {
        long big = 1L << 62;
        NDArray x = NDArray.of(new long[] {big, 3, -big});
        assertEquals(3, x.sum().itemLong());
        assertEquals(DType.I64, NDArray.of(new int[] {1, 2}).sum().dtype());
        assertEquals(big, x.max().itemLong());
    }

    @Test
    void varianceIsTwoPassFarFromZero() {
        // 10000 + {0, 1, 2}: E[x^2] - E[x]^2 would cancel 8 digits away in F32; two passes give exactly 1.
        NDArray x = NDArray.of(new float[] {10000f, 10001f, 10002f});
        assertEquals(1.0, x.var(null, 1, false).item(), 0.0);
        assertEquals(2.0 / 3, x.var(null, 0, false).item(), 1e-7);
        assertEquals(1.0, x.std(null, 1, false).item(), 0.0);
    }

    @Test
    void logsumexpDoesNotOverflow() {
        NDArray x = NDArray.of(new double[] {1000, 1000});
        assertEquals(1000 + Math.log(2), x.logsumexp(null, false).item(), 1e-12);
        NDArray minusInf = NDArray.of(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
        assertEquals(Double.NEGATIVE_INFINITY, minusInf.logsumexp(null, false).item());
    }

    @Test
    void columnAndRowSchedulesAgreeWithAPlainLoop() {
        // [rows, cols] summed over rows folds columns side by side; over cols, each row alone.
        int rows = 3000;
        int cols = 37;
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919 % 1000) / 8.0; // exact in binary, so every order gives the same sums
        }
        NDArray x = NDArray.of(v, rows, cols);
        double[] byCol = new double[cols];
        double[] byRow = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                byCol[c] += v[r * cols + c];
                byRow[r] += v[r * cols + c];
            }
        }
        assertArrayEquals(byCol, x.sum(new int[] {0}, false).toDoubleArray(), 0.0);
        assertArrayEquals(byRow, x.sum(new int[] {1}, false).toDoubleArray(), 0.0);
        assertArrayEquals(byCol, x.t().sum(new int[] {1}, false).toDoubleArray(), 0.0);
        assertArrayEquals(byRow, x.t().contiguous().sum(new int[] {0}, false).toDoubleArray(), 0.0);
    }

    @Test
    void columnsLongerThanOneTaskAndSplitBlocksAgreeWithAPlainLoop() {
        // [2, 1500, 700] summed over dim 1: two lines of 700 outputs, each cut into tasks of
        // outputs side by side, and each block cut in parts that are merged afterwards.
        int a = 2;
        int b = 1500;
        int c = 700;
        double[] v = new double[a * b * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919 % 1000) / 8.0;
        }
        NDArray x = NDArray.of(v, a, b, c);
        double[] want = new double[a * c];
        double[] maxWant = new double[a * c];
        java.util.Arrays.fill(maxWant, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    double e = v[(i * b + j) * c + k];
                    want[i * c + k] += e;
                    maxWant[i * c + k] = Math.max(maxWant[i * c + k], e);
                }
            }
        }
        assertArrayEquals(want, x.sum(new int[] {1}, false).toDoubleArray(), 0.0);
        assertArrayEquals(maxWant, x.amax(new int[] {1}, false).toDoubleArray(), 0.0);
        assertArrayEquals(want, x.to(DType.F32).sum(new int[] {1}, true).toDoubleArray(), 0.0);
    }

    @Test
    void maxAlongADimReturnsTheFirstOfEqualValuesAndTheFirstNaN() {
        NDArray x = NDArray.of(new float[] {1, 3, 3, 2, 5, Float.NaN, 1, Float.NaN}, 2, 4);
        NDArray[] r = x.max(1, false);
        assertArrayEquals(new long[] {1, 1}, r[1].toLongArray());
        assertEquals(3f, r[0].toFloatArray()[0]);
        assertEquals(Float.NaN, r[0].toFloatArray()[1]);
        assertArrayEquals(new long[] {0, 1}, x.min(1, false)[1].toLongArray());
    }

    @Test
    void sortIsStableAndPutsNaNLast() {
        NDArray x = NDArray.of(new double[] {2, -0.0, Double.NaN, 0.0, 2, -1});
        assertArrayEquals(new long[] {5, 1, 3, 0, 4, 2}, x.argsort(0, false).toLongArray());
        assertArrayEquals(new long[] {2, 0, 4, 1, 3, 5}, x.argsort(0, true).toLongArray());
    }

    @Test
    void cumsumRunsBothWays() {
        NDArray x = NDArray.of(new long[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new long[] {1, 2, 4, 6}, x.cumsum(0).toLongArray());
        assertArrayEquals(new long[] {3, 2, 7, 4}, x.reverseCumsum(1).toLongArray());
    }
}
