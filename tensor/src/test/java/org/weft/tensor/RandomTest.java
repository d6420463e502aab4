package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.weft.tensor.random.Generator;
import org.weft.tensor.random.Philox;

/**
 * The random ops: the numbers are the documented function of (seed, offset, element), the
 * generator advances by exactly the counters an op reads, and the distributions are right.
 *
 * <p>The statistical tests use fixed seeds, so they are deterministic; their bounds are five
 * standard errors or a 0.1% critical value, which a correct generator passes for all but a
 * vanishing fraction of seeds while a wrong distribution fails by far.
 */
class RandomTest {

    private static final int MILLION = 1_000_000;

    // ------------------------------------------------------------ the specification, re-derived

    /** Word {@code k} of the stream of counters {@code offset, offset+1, ...}. */
    private static int word(long seed, long offset, long k) {
        int[] w = new int[4];
        Philox.block(seed, offset + k / 4, 0, w);
        return w[(int) (k % 4)];
    }

    private static double u24(int w) {
        return Integer.toUnsignedLong(w) / 256 / 16777216.0;
    }

    private static double u53(int hi, int lo) {
        BigInteger bits = BigInteger.valueOf(Integer.toUnsignedLong(hi)).shiftLeft(32)
                .or(BigInteger.valueOf(Integer.toUnsignedLong(lo)));
        return bits.shiftRight(11).doubleValue() / 9007199254740992.0;
    }

    private static double[] boxMuller(double u, double v) {
        double r = StrictMath.sqrt(-2 * StrictMath.log(1 - u));
        return new double[] {r * StrictMath.cos(2 * Math.PI * v), r * StrictMath.sin(2 * Math.PI * v)};
    }

    /** randint's element with its own counter, by exact integer arithmetic. */
    private static long randintElement(long seed, long counter, long low, long high) {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        BigInteger range = BigInteger.valueOf(high).subtract(BigInteger.valueOf(low));
        BigInteger threshold = two64.mod(range);
        int[] w = new int[4];
        for (int lane = 0; ; lane++) {
            Philox.block(seed, counter, lane, w);
            BigInteger x = BigInteger.valueOf(Integer.toUnsignedLong(w[0])).shiftLeft(32)
                    .or(BigInteger.valueOf(Integer.toUnsignedLong(w[1])));
            BigInteger m = x.multiply(range);
            if (m.mod(two64).compareTo(threshold) >= 0) {
                return BigInteger.valueOf(low).add(m.shiftRight(64)).longValueExact();
            }
        }
    }

    @Test
    void randF32ElementIsTheTop24BitsOfWordI() {
        Generator g = new Generator(1234).setState(new Generator.State(1234, 77));
        float[] got = NDArray.rand(DType.F32, g, 1001).toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals((float) u24(word(1234, 77, i)), got[i], "element " + i);
        }
    }

    @Test
    void randF64ElementIsTheTop53BitsOfWords2iAnd2iPlus1() {
        Generator g = new Generator(-5).setState(new Generator.State(-5, 1L << 40));
        double[] got = NDArray.rand(DType.F64, g, 999).toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(u53(word(-5, 1L << 40, 2 * i), word(-5, 1L << 40, 2 * i + 1)), got[i], "element " + i);
        }
    }

    @Test
    void randnIsBoxMullerOnConsecutivePairs() {
        Generator g = new Generator(99);
        float[] f = NDArray.randn(DType.F32, g, 7).toFloatArray();
        for (int j = 0; j < 4; j++) {
            double[] z = boxMuller(u24(word(99, 0, 2 * j)), u24(word(99, 0, 2 * j + 1)));
            assertEquals((float) z[0], f[2 * j], "element " + 2 * j);
            if (2 * j + 1 < f.length) {
                assertEquals((float) z[1], f[2 * j + 1], "element " + (2 * j + 1));
            }
        }
        long offset = g.offset();
        double[] d = NDArray.randn(DType.F64, g, 5).toDoubleArray();
        for (int j = 0; j < 3; j++) {
            double[] z = boxMuller(u53(word(99, offset, 4 * j), word(99, offset, 4 * j + 1)),
                    u53(word(99, offset, 4 * j + 2), word(99, offset, 4 * j + 3)));
            assertEquals(z[0], d[2 * j], "element " + 2 * j);
            if (2 * j + 1 < d.length) {
                assertEquals(z[1], d[2 * j + 1], "element " + (2 * j + 1));
            }
        }
    }

    @Test
    void randintElementOwnsOneCounterAndRejectsExactly() {
        Generator g = new Generator(7);
        // A range of 3 * 2^62 rejects a quarter of the candidates, so the retry lanes are exercised.
        long low = Long.MIN_VALUE;
        long high = Long.MIN_VALUE + 3 * (1L << 62);
        long[] got = NDArray.randint(low, high, g, 2000).toLongArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(randintElement(7, i, low, high), got[i], "element " + i);
        }
        long[] small = NDArray.randint(-3, 4, g, 100).toLongArray();
        for (int i = 0; i < small.length; i++) {
            assertEquals(randintElement(7, 2000 + i, -3, 4), small[i], "element " + i);
        }
    }

    @Test
    void bernoulliIsAComparisonWithA53BitUniform() {
        Generator g = new Generator(3);
        double[] p = new double[501];
        for (int i = 0; i < p.length; i++) {
            p[i] = i / 500.0;
        }
        double[] got = NDArray.bernoulli(NDArray.of(p), g).toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            double u = u53(word(3, 0, 2 * i), word(3, 0, 2 * i + 1));
            assertEquals(u < p[i] ? 1.0 : 0.0, got[i], "element " + i);
        }
    }

    @Test
    void largeParallelFillsMatchTheElementwiseDefinition() {
        Generator g = new Generator(2024);
        float[] got = NDArray.rand(DType.F32, g, MILLION + 3).toFloatArray();
        int[] w = new int[4];
        for (int i = 0; i < got.length; i++) {
            if (i % 4 == 0) {
                Philox.block(2024, i / 4, 0, w);
            }
            if (got[i] != (float) u24(w[i % 4])) {
                throw new AssertionError("element " + i + ": " + got[i] + " vs " + u24(w[i % 4]));
            }
        }
    }

    // ------------------------------------------------------------ generator state

    @Test
    void sameSeedAndOffsetGiveTheSameNumbersAndTwoCallsDiffer() {
        Generator a = new Generator().manualSeed(42);
        Generator b = new Generator().manualSeed(42);
        float[] first = NDArray.rand(DType.F32, a, 100).toFloatArray();
        assertArrayEquals(first, NDArray.rand(DType.F32, b, 100).toFloatArray());
        float[] second = NDArray.rand(DType.F32, a, 100).toFloatArray();
        assertFalse(Arrays.equals(first, second), "a second call must draw fresh numbers");
        assertFalse(Arrays.equals(first, NDArray.rand(DType.F32, new Generator(43), 100).toFloatArray()),
                "another seed must give other numbers");
    }

    @Test
    void savedStateReplaysTheStream() {
        Generator g = new Generator(5);
        NDArray.randn(DType.F32, g, 13);
        Generator.State saved = g.getState();
        double[] x = NDArray.randn(DType.F64, g, 50).toDoubleArray();
        long[] k = NDArray.randint(0, 1000, g, 50).toLongArray();
        g.setState(saved);
        assertArrayEquals(x, NDArray.randn(DType.F64, g, 50).toDoubleArray());
        assertArrayEquals(k, NDArray.randint(0, 1000, g, 50).toLongArray());
    }

    @Test
    void manualSeedRewindsTheOffset() {
        Generator g = new Generator(8);
        float[] x = NDArray.rand(DType.F32, g, 10).toFloatArray();
        assertEquals(3, g.offset());
        g.manualSeed(8);
        assertEquals(0, g.offset());
        assertArrayEquals(x, NDArray.rand(DType.F32, g, 10).toFloatArray());
    }

    @Test
    void globalGeneratorIsSeedable() {
        Generator.global().manualSeed(11);
        float[] x = NDArray.rand(4, 5).toFloatArray();
        Generator.global().manualSeed(11);
        assertArrayEquals(x, NDArray.rand(4, 5).toFloatArray());
        assertArrayEquals(x, NDArray.rand(DType.F32, new Generator(11), 4, 5).toFloatArray());
    }

    @Test
    void eachOpAdvancesTheOffsetByTheCountersItReads() {
        Generator g = new Generator(1);
        assertAdvance(g, 3, () -> NDArray.rand(DType.F32, g, 10));
        assertAdvance(g, 5, () -> NDArray.rand(DType.F64, g, 9));
        assertAdvance(g, 2, () -> NDArray.randn(DType.F32, g, 5));
        assertAdvance(g, 3, () -> NDArray.randn(DType.F64, g, 5));
        assertAdvance(g, 7, () -> NDArray.randint(0, 3, g, 7));
        assertAdvance(g, 4, () -> NDArray.bernoulli(0.5, DType.F32, g, 7));
        assertAdvance(g, 1, () -> NDArray.bernoulli(NDArray.full(0.5, DType.F64, 2), g));
        assertAdvance(g, 0, () -> NDArray.rand(DType.F32, g, 0, 5));
        assertAdvance(g, 1, () -> NDArray.rand(DType.BF16, g, 3));
        assertAdvance(g, 3, () -> NDArray.zeros(DType.F64, 2, 3).uniform_(-1, 1, g));
        assertAdvance(g, 2, () -> NDArray.zeros(DType.F32, 7).normal_(0, 1, g));
    }

    private static void assertAdvance(Generator g, long counters, Runnable op) {
        long before = g.offset();
        op.run();
        assertEquals(before + counters, g.offset(), "counters read");
    }

    @Test
    void drawingNThenMEqualsDrawingNPlusMAndSplitting() {
        // n fills whole counters (4 F32 or 2 F64 elements each), so nothing is discarded between calls.
        assertSplits(DType.F32, 8, 13, (g, n) -> NDArray.rand(DType.F32, g, n).toDoubleArray());
        assertSplits(DType.F64, 6, 7, (g, n) -> NDArray.rand(DType.F64, g, n).toDoubleArray());
        assertSplits(DType.F32, 12, 9, (g, n) -> NDArray.randn(DType.F32, g, n).toDoubleArray());
        assertSplits(DType.F64, 4, 5, (g, n) -> NDArray.randn(DType.F64, g, n).toDoubleArray());
        assertSplits(DType.I64, 5, 6, (g, n) -> NDArray.randint(-100, 100, g, n).toDoubleArray());
        assertSplits(DType.F64, 10, 3, (g, n) -> NDArray.bernoulli(0.5, DType.F64, g, n).toDoubleArray());
    }

    private interface Draw {
        double[] of(Generator g, int n);
    }

    private static void assertSplits(DType what, int n, int m, Draw draw) {
        Generator g = new Generator(31337);
        double[] first = draw.of(g, n);
        double[] second = draw.of(g, m);
        double[] both = draw.of(new Generator(31337), n + m);
        assertArrayEquals(Arrays.copyOfRange(both, 0, n), first, what + " first part");
        assertArrayEquals(Arrays.copyOfRange(both, n, n + m), second, what + " second part");
    }

    @Test
    void inPlaceFillsFollowTheRowMajorOrderOfTheView() {
        NDArray base = NDArray.zeros(DType.F32, 3, 4);
        NDArray view = base.t();
        view.uniform_(0, 1, new Generator(6));
        assertArrayEquals(NDArray.rand(DType.F32, new Generator(6), 4, 3).toFloatArray(), view.toFloatArray());
        NDArray half = NDArray.zeros(DType.BF16, 5).normal_(2, 3, new Generator(6));
        assertArrayEquals(NDArray.randn(DType.F32, new Generator(6), 5).mul(3.0).add(2.0).to(DType.BF16)
                .toFloatArray(), half.toFloatArray());
    }

    @Test
    void inPlaceFillsBumpTheVersion() {
        NDArray a = NDArray.zeros(DType.F32, 4);
        int v = a.storage().version();
        a.uniform_(0, 1, new Generator(1));
        assertTrue(a.storage().version() > v);
    }

    @Test
    void uniformInPlaceScalesIntoTheRange() {
        double[] x = NDArray.zeros(DType.F64, 10_000).uniform_(-3, 5, new Generator(9)).toDoubleArray();
        double[] u = NDArray.rand(DType.F64, new Generator(9), 10_000).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(-3 + 8 * u[i], x[i]);
            assertTrue(x[i] >= -3 && x[i] < 5);
        }
    }

    // ------------------------------------------------------------ distributions

    @Test
    void randIsNeverOne() {
        float[] f = NDArray.rand(DType.F32, new Generator(77), MILLION).toFloatArray();
        double[] d = NDArray.rand(DType.F64, new Generator(77), MILLION).toDoubleArray();
        for (int i = 0; i < MILLION; i++) {
            assertTrue(f[i] >= 0 && f[i] < 1, "F32 element " + i + " is " + f[i]);
            assertTrue(d[i] >= 0 && d[i] < 1, "F64 element " + i + " is " + d[i]);
        }
        // The largest values the two conversions can make, from an all-ones word, stay below one.
        assertTrue((float) u24(-1) < 1f);
        assertTrue(u53(-1, -1) < 1.0);
    }

    @Test
    void uniformMomentsAndKolmogorovSmirnov() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double[] x = NDArray.rand(dtype, new Generator(100), MILLION).toDoubleArray();
            assertMoments(x, 0.5, 1.0 / 12, 1.0 / 80, dtype + " uniform");
            Arrays.sort(x);
            double[] cdf = x.clone(); // F(x) = x on [0, 1)
            assertKolmogorovSmirnov(x, cdf, dtype + " uniform");
        }
    }

    @Test
    void normalMomentsAndKolmogorovSmirnov() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double[] x = NDArray.randn(dtype, new Generator(200), MILLION).toDoubleArray();
            assertMoments(x, 0, 1, 3, dtype + " normal");
            Arrays.sort(x);
            // Phi(x) = (1 + erf(x / sqrt 2)) / 2, with the erf that the conformance suite holds against PyTorch.
            double[] cdf = NDArray.of(x).div(Math.sqrt(2)).erf().add(1.0).mul(0.5).toDoubleArray();
            assertKolmogorovSmirnov(x, cdf, dtype + " normal");
        }
    }

    @Test
    void normalInPlaceHasTheAskedMeanAndStd() {
        double[] x = NDArray.zeros(DType.F64, MILLION).normal_(3, 2, new Generator(4)).toDoubleArray();
        assertMoments(x, 3, 4, 3 * 16, "normal(3, 2)");
    }

    /**
     * Sample mean and variance within five standard errors: sigma^2 / n for the mean and
     * (mu4 - sigma^4) / n for the variance, mu4 being the fourth central moment.
     */
    private static void assertMoments(double[] x, double mean, double variance, double mu4, String what) {
        int n = x.length;
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double m = sum / n;
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        double var = ss / (n - 1);
        double meanBound = 5 * Math.sqrt(variance / n);
        double varBound = 5 * Math.sqrt((mu4 - variance * variance) / n);
        assertTrue(Math.abs(m - mean) < meanBound, what + ": mean " + m + " is not within " + meanBound + " of " + mean);
        assertTrue(Math.abs(var - variance) < varBound,
                what + ": variance " + var + " is not within " + varBound + " of " + variance);
    }

    /**
     * The one-sample Kolmogorov-Smirnov statistic of sorted samples with their model CDF values,
     * against the asymptotic 0.1% critical value 1.9495 / sqrt(n).
     */
    private static void assertKolmogorovSmirnov(double[] sorted, double[] cdf, String what) {
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            d = Math.max(d, Math.max((i + 1.0) / n - cdf[i], cdf[i] - (double) i / n));
        }
        double critical = 1.9495 / Math.sqrt(n);
        assertTrue(d < critical, what + ": KS statistic " + d + " exceeds the 0.1% critical value " + critical);
    }

    @Test
    void randintCoversEveryValueUniformly() {
        long[] x = NDArray.randint(-3, 7, new Generator(300), MILLION).toLongArray();
        long[] counts = new long[10];
        for (long v : x) {
            assertTrue(v >= -3 && v < 7, "value " + v + " outside [-3, 7)");
            counts[(int) (v + 3)]++;
        }
        assertChiSquare(counts, 27.877, "randint(-3, 7)"); // 9 degrees of freedom
    }

    @Test
    void randintIsUnbiasedWhereModuloAndPlainMultiplyAreNot() {
        // For range 3 * 2^62 a 64-bit candidate taken modulo the range gives the first third half
        // the mass, and taking floor(x * range / 2^64) without rejection gives values = low mod 3
        // half the mass; only exact rejection makes the residues mod 3 uniform.
        long low = Long.MIN_VALUE;
        long[] x = NDArray.randint(low, low + 3 * (1L << 62), new Generator(301), 300_000).toLongArray();
        long[] residues = new long[3];
        long[] thirds = new long[3];
        for (long v : x) {
            long k = v - low; // 0 .. 3 * 2^62 - 1, as an unsigned number
            residues[(int) Long.remainderUnsigned(k, 3)]++;
            thirds[(int) Long.divideUnsigned(k, 1L << 62)]++;
        }
        assertChiSquare(residues, 13.816, "residues mod 3");
        assertChiSquare(thirds, 13.816, "thirds of the range");
    }

    @Test
    void randintSpansTheWholeLongRange() {
        long[] x = NDArray.randint(Long.MIN_VALUE, Long.MAX_VALUE, new Generator(302), 100_000).toLongArray();
        long negative = 0;
        for (long v : x) {
            assertTrue(v != Long.MAX_VALUE);
            negative += v < 0 ? 1 : 0;
        }
        assertChiSquare(new long[] {negative, x.length - negative}, 10.828, "sign");
    }

    /** Pearson's chi-square against equal expected counts, below the given 0.1% critical value. */
    private static void assertChiSquare(long[] counts, double critical, String what) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double expected = (double) n / counts.length;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < critical, what + ": chi-square " + chi2 + " exceeds " + critical + " for counts "
                + Arrays.toString(counts));
    }

    @Test
    void bernoulliFrequencyMatchesP() {
        double[] x = NDArray.bernoulli(0.3, DType.F32, new Generator(400), MILLION).toDoubleArray();
        assertFrequency(x, 0, MILLION, 0.3);
        double[] p = new double[MILLION];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % 2 == 0 ? 0.1 : 0.85;
        }
        double[] y = NDArray.bernoulli(NDArray.of(p), new Generator(401)).toDoubleArray();
        double[] even = new double[MILLION / 2];
        double[] odd = new double[MILLION / 2];
        for (int i = 0; i < MILLION / 2; i++) {
            even[i] = y[2 * i];
            odd[i] = y[2 * i + 1];
        }
        assertFrequency(even, 0, even.length, 0.1);
        assertFrequency(odd, 0, odd.length, 0.85);
    }

    private static void assertFrequency(double[] x, int from, int to, double p) {
        double ones = 0;
        for (int i = from; i < to; i++) {
            assertTrue(x[i] == 0 || x[i] == 1, "bernoulli gave " + x[i]);
            ones += x[i];
        }
        int n = to - from;
        double bound = 5 * Math.sqrt(p * (1 - p) / n);
        assertTrue(Math.abs(ones / n - p) < bound, "frequency " + ones / n + " is not within " + bound + " of " + p);
    }

    @Test
    void bernoulliWithPZeroOrOneIsDeterministic() {
        NDArray p = NDArray.of(new float[] {0, 1, 1, 0, 1}, 5);
        assertArrayEquals(p.toFloatArray(), NDArray.bernoulli(p, new Generator(1)).toFloatArray());
        assertEquals(DType.F32, NDArray.bernoulli(p, new Generator(1)).dtype());
        NDArray half = NDArray.bernoulli(p.to(DType.BF16), new Generator(1));
        assertEquals(DType.BF16, half.dtype());
        assertArrayEquals(p.toFloatArray(), half.toFloatArray());
        assertArrayEquals(new double[6], NDArray.bernoulli(0, DType.F64, new Generator(2), 2, 3).toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, NDArray.bernoulli(1, DType.F64, new Generator(2), 3).toDoubleArray());
    }

    // ------------------------------------------------------------ errors

    @Test
    void badArgumentsAreRejectedWithWhatWasExpected() {
        Generator g = new Generator(1);
        assertMessage("rand: expected a floating-point dtype (F32, F64, BF16 or F16), got I64",
                () -> NDArray.rand(DType.I64, g, 3));
        assertMessage("randn: expected a floating-point dtype (F32, F64, BF16 or F16), got BOOL",
                () -> NDArray.randn(DType.BOOL, g, 3));
        assertMessage("randint: expects 'low' to be less than 'high', but got low=5 >= high=5",
                () -> NDArray.randint(5, 5, g, 3));
        assertMessage("bernoulli: expects p to be in [0, 1], but got p=1.5",
                () -> NDArray.bernoulli(1.5, DType.F32, g, 3));
        assertMessage("bernoulli: expects p to be in [0, 1], but got p=NaN",
                () -> NDArray.bernoulli(Double.NaN, DType.F32, g, 3));
        assertMessage("bernoulli: expected every probability to be in [0, 1], but 2 of the 4 are not",
                () -> NDArray.bernoulli(NDArray.of(new double[] {0.5, -0.1, Double.NaN, 1}), g));
        assertMessage("bernoulli: expected a floating-point dtype (F32, F64, BF16 or F16), got I64",
                () -> NDArray.bernoulli(NDArray.of(new long[] {0, 1}), g));
        assertMessage("uniform_: expects a finite range [low, high) with low <= high, but got low=2.0, high=1.0",
                () -> NDArray.zeros(3).uniform_(2, 1, g));
        assertMessage("normal_: expects a finite mean and a finite std >= 0, but got mean=0.0, std=-1.0",
                () -> NDArray.zeros(3).normal_(0, -1, g));
        assertEquals(0, g.offset(), "a rejected call reads no counters");
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(expected, e.getMessage());
    }
}
