package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.autograd.Tensor;
import org.weft.tensor.random.Generator;

/**
 * Each initialiser draws from the distribution torch.nn.init's formulas give. Samples are
 * large, and every tolerance is six standard errors of the statistic for that sample size,
 * so a correct implementation fails with negligible probability while a wrong fan, gain or
 * bound (off by a factor like √2 or √3) fails for sure.
 */
class InitTest {

    private static final double SIGMAS = 6;

    /** Sample mean, variance, min and max. */
    private record Stats(double mean, double var, double min, double max, int n) {
        static Stats of(Tensor t) {
            double[] v = t.data().toDoubleArray();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = sum / v.length;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            return new Stats(mean, ss / (v.length - 1), min, max, v.length);
        }

        /**
         * Mean and variance match {@code wantMean} and {@code wantVar}; {@code kurtosis} (3 for a
         * normal, 1.8 for a uniform) sets the standard error of the sample variance,
         * σ²·√((κ − 1)/n).
         */
        void agreeWith(double wantMean, double wantVar, double kurtosis) {
            double meanTol = SIGMAS * Math.sqrt(wantVar / n);
            double varTol = SIGMAS * wantVar * Math.sqrt((kurtosis - 1) / n);
            assertEquals(wantMean, mean, meanTol, "sample mean of " + n);
            assertEquals(wantVar, var, varTol, "sample variance of " + n);
        }

        /** A uniform on [-bound, bound): inside it, reaching both ends, with variance bound²/3. */
        void uniformWithin(double bound) {
            assertTrue(min >= -bound && max <= bound, "values in [" + min + ", " + max + "] exceed ±" + bound);
            // With n draws the gap left at either end is about 2·bound/n; 50/n of the range is far wider.
            assertTrue(max > bound * (1 - 50.0 / n) && min < -bound * (1 - 50.0 / n),
                    "values in [" + min + ", " + max + "] do not reach ±" + bound);
            agreeWith(0, bound * bound / 3, 1.8);
        }
    }

    private static Tensor empty(int... shape) {
        return Tensor.zeros(shape);
    }

    @Test
    void gainsAreThoseOfCalculateGain() {
        assertEquals(1, Init.gain("linear", 0));
        assertEquals(1, Init.gain("conv2d", 0));
        assertEquals(1, Init.gain("sigmoid", 0));
        assertEquals(5.0 / 3, Init.gain("tanh", 0));
        assertEquals(Math.sqrt(2), Init.gain("relu", 0));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.gain("leaky_relu", 0.01));
        assertEquals(Math.sqrt(2 / (1 + 5.0)), Init.gain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.gain("selu", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.gain("swish", 0));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
    }

    @Test
    void fansCountInputAndOutputMapsTimesTheReceptiveField() {
        assertEquals(4, Init.fanIn(empty(3, 4)));
        assertEquals(3, Init.fanOut(empty(3, 4)));
        assertEquals(4 * 3 * 5, Init.fanIn(empty(8, 4, 3, 5)));
        assertEquals(8 * 3 * 5, Init.fanOut(empty(8, 4, 3, 5)));
        assertEquals(6 * 7, Init.fanIn(empty(2, 6, 7)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fanIn(empty(5)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions") && e.getMessage().contains("[5]"),
                e.getMessage());
    }

    @Test
    void kaimingUniformBoundIsGainTimesRootThreeOverFan() {
        Generator g = new Generator(1);
        Tensor w = empty(256, 64, 3, 3); // fan_in 576, fan_out 2304
        Init.kaimingUniform_(w, 0, Init.FanMode.FAN_IN, "relu", g);
        Stats.of(w).uniformWithin(Math.sqrt(2) * Math.sqrt(3.0 / 576));
        Init.kaimingUniform_(w, 0.2, Init.FanMode.FAN_OUT, "leaky_relu", g);
        Stats.of(w).uniformWithin(Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 2304));
    }

    @Test
    void kaimingNormalStdIsGainOverRootFan() {
        Generator g = new Generator(2);
        Tensor w = empty(512, 128, 3, 3); // fan_in 1152, fan_out 4608
        Init.kaimingNormal_(w, 0, Init.FanMode.FAN_IN, "relu", g);
        Stats.of(w).agreeWith(0, 2.0 / 1152, 3);
        Init.kaimingNormal_(w, 0, Init.FanMode.FAN_OUT, "tanh", g);
        Stats.of(w).agreeWith(0, (25.0 / 9) / 4608, 3);
    }

    @Test
    void kaimingOfAZeroElementTensorIsANoOp() {
        Tensor w = empty(5, 0);
        Init.kaimingUniform_(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", null);
        Init.kaimingNormal_(w, Init.FanMode.FAN_IN, "relu");
        assertEquals(0, w.numel());
    }

    @Test
    void xavierUsesTheMeanOfTheFans() {
        Generator g = new Generator(3);
        Tensor w = empty(600, 400);
        Init.xavierUniform_(w, 1.5, g);
        Stats.of(w).uniformWithin(1.5 * Math.sqrt(6.0 / 1000));
        Init.xavierNormal_(w, 0.5, g);
        Stats.of(w).agreeWith(0, 0.25 * 2.0 / 1000, 3);
    }

    @Test
    void uniformNormalAndConstants() {
        Generator g = new Generator(4);
        Tensor w = empty(200_000);
        Init.uniform_(w, 2, 5, g);
        Stats s = Stats.of(w);
        assertTrue(s.min >= 2 && s.max <= 5);
        s.agreeWith(3.5, 9.0 / 12, 1.8);
        Init.normal_(w, -1, 0.3, g);
        Stats.of(w).agreeWith(-1, 0.09, 3);
        assertArrayEquals(new float[] {0.7f, 0.7f}, Init.constant_(empty(2), 0.7).data().toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Init.ones_(empty(2)).data().toFloatArray());
        assertArrayEquals(new float[] {0, 0}, Init.zeros_(Tensor.ones(2)).data().toFloatArray());
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        Tensor a = Init.kaimingUniform_(empty(4, 5), 0, Init.FanMode.FAN_IN, "relu", new Generator(9));
        Tensor b = Init.kaimingUniform_(empty(4, 5), 0, Init.FanMode.FAN_IN, "relu", new Generator(9));
        assertArrayEquals(a.data().toFloatArray(), b.data().toFloatArray());
    }

    // ---------------------------------------------------------------- truncated normal

    /** The standard normal density. */
    private static double phi(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    /** Its integral from -8 (where the mass left out is below 1e-15) to x, by Simpson's rule. */
    private static double bigPhi(double x) {
        int steps = 20_000;
        double lo = -8;
        double h = (x - lo) / steps;
        double sum = phi(lo) + phi(x);
        for (int i = 1; i < steps; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * phi(lo + i * h);
        }
        return sum * h / 3;
    }

    /** Draws N(mean, std²) truncated to [a, b] and checks bounds, mean and variance against the closed forms. */
    private static void checkTruncNormal(double mean, double std, double a, double b, long seed) {
        Tensor w = empty(400_000);
        Init.truncNormal_(w, mean, std, a, b, new Generator(seed));
        Stats s = Stats.of(w);
        assertTrue(s.min >= a && s.max <= b, "values in [" + s.min + ", " + s.max + "] leave [" + a + ", " + b + "]");
        double alpha = (a - mean) / std;
        double beta = (b - mean) / std;
        double z = bigPhi(beta) - bigPhi(alpha);
        double shift = (phi(alpha) - phi(beta)) / z;
        double wantMean = mean + std * shift;
        double wantVar = std * std * (1 + (alpha * phi(alpha) - beta * phi(beta)) / z - shift * shift);
        // A truncated normal's kurtosis is at most a normal's, so 3 bounds the variance's error.
        s.agreeWith(wantMean, wantVar, 3);
    }

    @Test
    void truncNormalHasTheTruncatedMomentsAndStaysInBounds() {
        checkTruncNormal(0.5, 1, -1, 1.5, 5);       // asymmetric bounds: the mean moves
        checkTruncNormal(0, 1, 2, 3, 6);            // only a tail: tests the inverse CDF far out
        checkTruncNormal(0, 0.02, -2, 2, 7);        // the ViT default: bounds far away, a plain normal
        checkTruncNormal(1, 2, -0.5, 0.5, 8);       // narrow: nearly uniform
    }

    @Test
    void truncNormalDefaultsAreAbsoluteBoundsOfTwo() {
        Tensor w = empty(100_000);
        Init.truncNormal_(w, 1.5, new Generator(10));
        Stats s = Stats.of(w);
        assertTrue(s.min >= -2 && s.max <= 2);
        assertTrue(s.min < -1.99 && s.max > 1.99, "a std of 1.5 fills the bounds ±2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.truncNormal_(empty(2), 0, 1, 1, -1, null));
        assertTrue(e.getMessage().contains("a < b"), e.getMessage());
    }

    // ---------------------------------------------------------------- layer defaults

    @Test
    void linearDefaultsAreUniformWithinOneOverRootFanIn() {
        Linear lin = new Linear(400, 1000);
        Stats.of(lin.weight()).uniformWithin(1 / Math.sqrt(400));
        Stats b = Stats.of(lin.bias());
        assertTrue(b.min >= -0.05 && b.max <= 0.05);
        assertTrue(b.max > 0.04 && b.min < -0.04, "1000 bias draws spread over ±1/√400");
    }

    @Test
    void conv2dDefaultsAreUniformWithinOneOverRootFanIn() {
        Conv2d conv = new Conv2d(16, 256, 5, 1, 0, 1, 2, true); // fan_in = 16/2 · 5 · 5 = 200
        Stats.of(conv.weight()).uniformWithin(1 / Math.sqrt(200));
        Stats b = Stats.of(conv.bias());
        double bound = 1 / Math.sqrt(200);
        assertTrue(b.min >= -bound && b.max <= bound && b.max > 0.8 * bound && b.min < -0.8 * bound);
    }
}
