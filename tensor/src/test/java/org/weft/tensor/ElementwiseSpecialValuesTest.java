package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Signed zeros and NaN through the ops whose result PyTorch defines exactly. The 2-norm of
 * the conformance suite cannot see the sign of a zero, so the values here are PyTorch 1.13's,
 * read off {@code torch.sign(torch.tensor([-0.0, nan]))} and the like. Arrays compare with
 * {@code Float.equals} semantics: -0.0 differs from 0.0 and NaN equals NaN.
 */
class ElementwiseSpecialValuesTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    private static NDArray f32(float... v) {
        return NDArray.of(v, v.length);
    }

    private static void assertBits(float[] want, NDArray got) {
        float[] g = got.toFloatArray();
        assertEquals(want.length, g.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(g[i]),
                    "element " + i + ": " + g[i] + " but PyTorch gives " + want[i]);
        }
    }

    @Test
    void signOfZeroAndNaNIsPositiveZero() {
        // PyTorch's sign is (0 < x) - (x < 0): no -0.0, and NaN gives 0.
        assertBits(new float[] {0f, 0f, 0f, 1f, -1f, -1f}, f32(-0f, 0f, NAN, INF, -INF, -2.5f).sign());
        assertBits(new float[] {0f, 0f}, NDArray.of(new double[] {-0.0, Double.NaN}, 2).sign().to(DType.F32));
    }

    @Test
    void reluKeepsNegativeZeroAndNaN() {
        assertBits(new float[] {-0f, 0f, NAN, INF, 0f, 0f, 2.5f}, f32(-0f, 0f, NAN, INF, -INF, -2.5f, 2.5f).relu());
    }

    @Test
    void absClearsTheSignOfZero() {
        assertBits(new float[] {0f, 0f, NAN, INF, INF}, f32(-0f, 0f, NAN, INF, -INF).abs());
    }

    @Test
    void roundingKeepsTheSignOfZero() {
        assertBits(new float[] {-0f, -0f, -0f, 2f, -2f}, f32(-0f, -0.5f, -0.4f, 2.5f, -2.5f).round());
        assertBits(new float[] {-0f, -1f, 0f}, f32(-0f, -0.5f, 0.5f).floor());
        assertBits(new float[] {-0f, -0f, 1f}, f32(-0f, -0.5f, 0.5f).ceil());
    }

    @Test
    void maximumAndMinimumReturnTheFirstOperandOnTiesAndPropagateNaN() {
        NDArray a = f32(-0f, 0f, NAN, 1f);
        NDArray b = f32(0f, -0f, 1f, NAN);
        assertBits(new float[] {-0f, 0f, NAN, NAN}, a.maximum(b));
        assertBits(new float[] {-0f, 0f, NAN, NAN}, a.minimum(b));
    }

    @Test
    void clampReturnsAnElementEqualToABoundUnchanged() {
        assertBits(new float[] {-0f, 0f}, f32(-0f, 0f).clampMin(0));
        assertBits(new float[] {-0f, 0f}, f32(-0f, 0f).clampMax(-0.0));
        assertBits(new float[] {-0f, 0f, NAN, 1f, -1f}, f32(-0f, 0f, NAN, INF, -INF).clamp(-1, 1));
        // Crossed bounds give the upper one everywhere.
        assertBits(new float[] {-1f, -1f, -1f}, f32(-5f, 0f, 5f).clamp(1, -1));
    }

    @Test
    void integerClampKeepsIntegersExactlyBeyondDoublePrecision() {
        long big = (1L << 60) + 1;
        assertArrayEquals(new long[] {big, 3}, NDArray.of(new long[] {big, 1}, 2).clampMin(3).toLongArray());
    }

    @Test
    void fractionalBoundsMakeAnIntegerClampFloat() {
        NDArray got = NDArray.of(new long[] {-3, 0, 2}, 3).clamp(-1.5, 0.5);
        assertEquals(DType.F32, got.dtype());
        assertArrayEquals(new float[] {-1.5f, 0f, 0.5f}, got.toFloatArray());
    }

    @Test
    void comparingIntegersWithAFractionalScalarHappensInFloat32() {
        // 16777217 is not a float; as float32 it is 16777216, which equals float32(16777216.5).
        assertArrayEquals(new boolean[] {false, true}, NDArray.of(new long[] {16777217, 3}, 2).lt(16777216.5).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, NDArray.of(new long[] {16777217, 3}, 2).ge(16777216.5).toBooleanArray());
    }

    /**
     * An infinite logit makes the whole lane NaN in PyTorch's log_softmax and cross_entropy
     * (x - max is inf - inf there), though logsumexp itself is +inf.
     */
    @Test
    void anInfiniteLogitMakesLogSoftmaxAndCrossEntropyNaNAsPyTorch() {
        NDArray x = NDArray.of(new float[] {1, INF, 2, 0, 1, 2}, 2, 3);
        float[] ls = Normalization.logSoftmax(x, 1).toFloatArray();
        assertBits(new float[] {NAN, NAN, NAN}, NDArray.of(java.util.Arrays.copyOf(ls, 3), 3));
        assertBits(new float[] {INF}, x.narrow(0, 0, 1).logsumexp(new int[] {1}, false));
        float[] ce = Losses.crossEntropy(x, NDArray.of(new long[] {0, 1}, 2), null, Losses.DEFAULT_IGNORE_INDEX,
                "none", 0).toFloatArray();
        assertEquals(NAN, ce[0]);
        assertEquals(1.4076059f, ce[1], 1e-6f);
    }
}
