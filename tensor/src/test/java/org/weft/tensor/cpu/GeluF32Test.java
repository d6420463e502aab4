package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.GeluGradient;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.UnaryOp;

/**
 * The vectorised F32 GELU and its gradient agree with the double reference: within one ulp
 * (the class comment of GeluF32 derives the bound) over a sweep of the whole float range, at
 * the special values, on odd sizes and on strided views.
 */
class GeluF32Test {

    private static final UnaryOp[] FORMS = {UnaryOp.GELU_ERF, UnaryOp.GELU_TANH};

    private static final float[] SPECIAL = {
        0.0f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-39f, -1e-39f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 3.0f, -3.0f, Math.nextDown(3.0f),
        -Math.nextDown(3.0f), 16.0f, -16.0f, -13.0f, -13.5f, -14.0f, -14.5f, -20.0f, 40.0f, -0.7518f,
        1.0f, -1.0f, 5.5f, -5.5f, -9.0f, -10.0f
    };

    private static void assertForwardMatches(UnaryOp form, float[] xs) {
        float[] out = new float[xs.length];
        GeluF32.forward(form, xs, 0, out, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            Ulps.assertWithin(GeluF32.forwardReference(form, xs[i]), out[i], 1, form + " at " + xs[i]);
        }
    }

    /**
     * The derivative's zero near x = -0.75 leaves no ulp bound there: each side is exact to
     * about 1e-16 absolute, so the slack is that times |grad|.
     */
    private static void assertBackwardMatches(UnaryOp form, float[] gs, float[] xs) {
        float[] out = new float[xs.length];
        GeluF32.backward(form, gs, 0, xs, 0, out, 0, xs.length);
        for (int i = 0; i < xs.length; i++) {
            float expected = GeluF32.backwardReference(form, gs[i], xs[i]);
            String what = form + " backward at x=" + xs[i] + ", grad=" + gs[i];
            if (Math.abs((double) out[i] - expected) <= 1e-14 * Math.abs(gs[i])) {
                continue;
            }
            Ulps.assertWithin(expected, out[i], 1, what);
        }
    }

    @Test
    void forwardIsWithinOneUlpOverTheWholeFloatRange() {
        // Every 4099th bit pattern: all exponents, both signs, subnormals, infinities and NaNs.
        int count = (int) ((1L << 32) / 4099) + 1;
        float[] xs = new float[count];
        for (int i = 0; i < count; i++) {
            xs[i] = Float.intBitsToFloat((int) (i * 4099L));
        }
        for (UnaryOp form : FORMS) {
            assertForwardMatches(form, xs);
        }
    }

    @Test
    void forwardIsWithinOneUlpWhereGeluBends() {
        // Densely over [-16, 16], where neither x nor 0 is the answer, and across the switch at |x| = 3.
        float[] xs = new float[2_000_003];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i % 3 == 0 ? (float) random.nextDouble(-16, 16) : (float) random.nextDouble(-3.2, 3.2);
        }
        for (UnaryOp form : FORMS) {
            assertForwardMatches(form, xs);
        }
    }

    @Test
    void specialValuesMatchTheReferenceIncludingTheSignOfZero() {
        for (UnaryOp form : FORMS) {
            float[] out = new float[SPECIAL.length];
            GeluF32.forward(form, SPECIAL, 0, out, 0, SPECIAL.length);
            for (int i = 0; i < SPECIAL.length; i++) {
                float expected = GeluF32.forwardReference(form, SPECIAL[i]);
                Ulps.assertWithin(expected, out[i], 1, form + " at " + SPECIAL[i]);
                if (expected == 0.0f) {
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]),
                            form + " at " + SPECIAL[i] + ": sign of zero");
                }
            }
            // gelu(-inf) is -inf * 0, NaN, as in PyTorch; gelu(+inf) is +inf.
            assertTrue(Float.isNaN(out[4]), form + " at -inf");
            assertEquals(Float.POSITIVE_INFINITY, out[3], form + " at +inf");
            float[] grads = new float[SPECIAL.length];
            java.util.Arrays.fill(grads, 1.5f);
            assertBackwardMatches(form, grads, SPECIAL);
        }
    }

    @Test
    void backwardIsWithinOneUlpOfTheReference() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 1_000_003;
        float[] xs = new float[n];
        float[] gs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i % 2 == 0 ? (float) random.nextDouble(-16, 16) : (float) random.nextGaussian();
            gs[i] = (float) random.nextGaussian();
        }
        for (UnaryOp form : FORMS) {
            assertBackwardMatches(form, gs, xs);
        }
        int count = (int) ((1L << 32) / 65537) + 1;
        float[] sweep = new float[count];
        float[] ones = new float[count];
        for (int i = 0; i < count; i++) {
            sweep[i] = Float.intBitsToFloat((int) (i * 65537L));
            ones[i] = 1.0f;
        }
        for (UnaryOp form : FORMS) {
            assertBackwardMatches(form, ones, sweep);
        }
    }

    @Test
    void oddSizesAndStridedViewsTakeTheFastPathCorrectly() {
        for (String approximate : new String[] {"none", "tanh"}) {
            UnaryOp form = approximate.equals("tanh") ? UnaryOp.GELU_TANH : UnaryOp.GELU_ERF;
            for (int n : new int[] {0, 1, 3, 5, 7, 9, 1023, 4097, 65_537}) {
                NDArray x = NDArray.randn(n).mul(3.0);
                NDArray g = NDArray.randn(n);
                checkArrays(form, approximate, x, g);
            }
            // Transposed, sliced with a step, and a view at an offset: strided rows.
            NDArray base = NDArray.randn(37, 129).mul(4.0);
            NDArray gBase = NDArray.randn(129, 37);
            checkArrays(form, approximate, base.t(), gBase);
            checkArrays(form, approximate, base.slice(1, 1, 128, 3), gBase.t().slice(1, 1, 128, 3));
            checkArrays(form, approximate, base.narrow(0, 5, 20), gBase.t().narrow(0, 5, 20).contiguous());
        }
    }

    /** NDArray.gelu and GeluGradient.backward, on whatever strides, against the reference per element. */
    private static void checkArrays(UnaryOp form, String approximate, NDArray x, NDArray g) {
        float[] xs = x.toFloatArray();
        float[] gs = g.toFloatArray();
        float[] y = x.gelu(approximate).toFloatArray();
        float[] dx = GeluGradient.backward(g, x, approximate).toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            Ulps.assertWithin(GeluF32.forwardReference(form, xs[i]), y[i], 1, form + " at " + xs[i]);
            float expected = GeluF32.backwardReference(form, gs[i], xs[i]);
            if (Math.abs((double) dx[i] - expected) > 1e-14 * Math.abs(gs[i])) {
                Ulps.assertWithin(expected, dx[i], 1, form + " backward at " + xs[i]);
            }
        }
        assertEquals(DType.F32, x.gelu(approximate).dtype());
    }
}
