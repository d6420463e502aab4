package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The vectorised F32 exp is within 2 ulp of {@code (float) Math.exp}: densely over [-105, 89]
 * (where results go from 0 through the subnormals to +inf), over a sample of every float bit
 * pattern, and exactly at the special values; its scalar form gives the same floats.
 * Softmax's shifted terms are the same values, flushed to zero below the normal range.
 */
class ExpF32Test {

    private static final float[] SPECIAL = {
        0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1.0f, -1.0f, 88.0f, 88.72283f, 88.72284f, 88.7229f,
        89.0f, 100.0f, -87.33654f, -87.3366f, -100.0f, -103.27893f, -103.972f, -103.973f, -104.0f, -105.0f,
        -106.0f, -1e30f, 1e30f, 0.34657359f, -0.34657359f, 1e-8f, -1e-8f
    };

    /** Vector and scalar forms on {@code xs}, both held against the reference. */
    private static void assertMatches(float[] xs) {
        float[] out = new float[xs.length];
        ExpF32.exp(xs, 0, out, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            float expected = ExpF32.reference(xs[i]);
            Ulps.assertWithin(expected, out[i], 2, "exp(" + xs[i] + ")");
            float scalar = ExpF32.exp(xs[i]);
            if (Float.floatToIntBits(scalar) != Float.floatToIntBits(out[i])) {
                fail("exp(" + xs[i] + "): vector " + out[i] + " but scalar " + scalar);
            }
        }
    }

    @Test
    void isWithinTwoUlpOverADenseSweepOfTheFiniteRange() {
        // Steps of 2^-16 from -105 to 89: 12.7 million arguments, every result regime.
        float step = 1f / 65536;
        int count = (int) ((89f + 105f) / step) + 1;
        int chunk = 1 << 20;
        float[] xs = new float[chunk];
        for (int start = 0; start < count; start += chunk) {
            int n = Math.min(chunk, count - start);
            for (int i = 0; i < n; i++) {
                xs[i] = -105f + (start + i) * step;
            }
            assertMatches(n == chunk ? xs : java.util.Arrays.copyOf(xs, n));
        }
    }

    @Test
    void isWithinTwoUlpOverASampleOfEveryFloat() {
        // Every 4099th bit pattern: all exponents, both signs, subnormals, infinities and NaNs.
        int count = (int) ((1L << 32) / 4099) + 1;
        float[] xs = new float[count];
        for (int i = 0; i < count; i++) {
            xs[i] = Float.intBitsToFloat((int) (i * 4099L));
        }
        assertMatches(xs);
    }

    @Test
    void specialValuesAreExact() {
        assertMatches(SPECIAL);
        float[] out = new float[SPECIAL.length];
        ExpF32.exp(SPECIAL, 0, out, 0, SPECIAL.length);
        for (int i = 0; i < SPECIAL.length; i++) {
            float x = SPECIAL[i];
            if (Float.isNaN(x)) {
                assertEquals(Float.NaN, out[i], "exp(NaN)");
            } else if (x == Float.NEGATIVE_INFINITY || x <= -104f) {
                assertEquals(0f, out[i], "exp(" + x + ")");
            } else if (x == Float.POSITIVE_INFINITY || x >= 88.7229f) {
                assertEquals(Float.POSITIVE_INFINITY, out[i], "exp(" + x + ")");
            } else if (x == 0f) {
                assertEquals(1f, out[i], "exp(" + x + ")");
            }
        }
    }

    /** Softmax's terms: exp where the argument is at least FLUSH, zero below it and for -inf, NaN kept. */
    @Test
    void softmaxTermsAreExpFlushedBelowTheNormalRange() {
        float[] xs = {-86.9f, -87f, -87.01f, -100f, -104f, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -1f, -50f, -86.99f};
        float[] out = new float[xs.length];
        float sum = ExpF32.expShifted(xs, 0, 0f, out, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] < ExpF32.FLUSH) {
                assertEquals(0f, out[i], "softmax term at " + xs[i]);
            } else {
                Ulps.assertWithin(ExpF32.reference(xs[i]), out[i], 2, "softmax term at " + xs[i]);
            }
        }
        assertEquals(Float.NaN, sum, "a NaN term makes the sum NaN");
        assertEquals(Float.NaN, ExpF32.sumExpShifted(xs, 0, 0f, xs.length));
        float finite = ExpF32.sumExpShifted(xs, 0, 0f, 6);
        assertEquals(ExpF32.reference(-86.9f) + ExpF32.reference(-87f), finite, 1e-44f);
    }

    @Test
    void raggedLengthsAndOffsetsAgree() {
        float[] xs = new float[37];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (i - 18) * 0.37f;
        }
        for (int n = 0; n <= 21; n++) {
            float[] out = new float[40];
            float sum = ExpF32.expShifted(xs, 3, 1.5f, out, 2, n);
            float expectedSum = ExpF32.sumExpShifted(xs, 3, 1.5f, n);
            double reference = 0;
            for (int i = 0; i < n; i++) {
                Ulps.assertWithin(ExpF32.reference(xs[3 + i] - 1.5f), out[2 + i], 2, "n=" + n + ", i=" + i);
                reference += out[2 + i];
            }
            assertEquals(0f, out[0]);
            assertEquals(0f, out[2 + n]);
            assertEquals(reference, sum, 1e-6 * reference, "sum, n=" + n);
            assertEquals(sum, expectedSum, 1e-6 * reference, "sumExpShifted, n=" + n);
        }
    }
}
