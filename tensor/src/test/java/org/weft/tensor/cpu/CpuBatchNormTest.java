package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * The F32 batch-norm kernels (one-pass shifted moments, in-place loops) agree with the
 * two-pass double references on odd sizes and on non-contiguous inputs: the normalisation
 * bit for bit given the same statistics, and everything computed from a sum to within what
 * a different summation order in double can change after rounding to float.
 */
class CpuBatchNormTest {

    /** Relative agreement for values rounded to F32 from double sums taken in another order. */
    private static final float SUM_TOLERANCE = 2e-6f;

    /**
     * {@code [N, C, S]} inputs: images (walked along S), a BN1d batch (S = 1, walked along N),
     * a permuted view (the lanes are strided) and a slice; {@code mean} shifts every value.
     */
    private static NDArray[] inputs(Random random, double mean) {
        return new NDArray[] {
            normal(random, mean, 3, 5, 7),
            normal(random, mean, 9, 2, 1),
            normal(random, mean, 4, 11, 3).permute(0, 2, 1),
            normal(random, mean, 5, 6, 13).slice(2, 1, 12, 2),
            normal(random, mean, 2, 3, 301)
        };
    }

    private static NDArray normal(Random random, double mean, int... dims) {
        double[] v = new double[dims[0] * dims[1] * dims[2]];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + random.nextGaussian();
        }
        return NDArray.of(v, dims).to(DType.F32);
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        float scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], SUM_TOLERANCE * Math.max(scale, 1e-30f), what + " at " + i);
        }
    }

    @Test
    void momentsMatchTwoPassReference() {
        Random random = new Random(3);
        // A mean far from zero next to a unit spread is where E[x^2] - E[x]^2 would fail.
        for (double mean : new double[] {0, 1e3}) {
            for (NDArray x : inputs(random, mean)) {
                int c = x.size(1);
                NDArray m = NDArray.zeros(DType.F32, x.device(), c);
                NDArray v = NDArray.zeros(DType.F32, x.device(), c);
                NDArray mr = NDArray.zeros(DType.F32, x.device(), c);
                NDArray vr = NDArray.zeros(DType.F32, x.device(), c);
                CpuBatchNorm.channelMoments(x, m, v);
                CpuBatchNorm.channelMomentsReference(x, mr, vr);
                assertClose(mr, m, "mean of " + x.shape() + " around " + mean);
                assertClose(vr, v, "variance of " + x.shape() + " around " + mean);
            }
        }
    }

    @Test
    void applyMatchesReferenceBitForBit() {
        Random random = new Random(5);
        for (NDArray x : inputs(random, 0.5)) {
            int c = x.size(1);
            NDArray mean = normal(random, 0, 1, 1, c).reshape(c);
            NDArray invstd = normal(random, 2, 1, 1, c).reshape(c);
            NDArray weight = normal(random, 0, 1, 1, c).reshape(c);
            NDArray bias = normal(random, 0, 1, 1, c).reshape(c);
            for (boolean affine : new boolean[] {true, false}) {
                NDArray fast = NDArray.zeros(DType.F32, x.device(), x.dims());
                NDArray reference = NDArray.zeros(DType.F32, x.device(), x.dims());
                CpuBatchNorm.apply(x, mean, invstd, affine ? weight : null, affine ? bias : null, fast);
                CpuBatchNorm.applyReference(x, mean, invstd, affine ? weight : null, affine ? bias : null, reference);
                assertArrayEquals(reference.toFloatArray(), fast.toFloatArray(), "normalised " + x.shape());
            }
        }
    }

    @Test
    void backwardMatchesReference() {
        Random random = new Random(9);
        for (NDArray x : inputs(random, 0.5)) {
            int c = x.size(1);
            NDArray mean = normal(random, 0.5, 1, 1, c).reshape(c);
            NDArray invstd = normal(random, 2, 1, 1, c).reshape(c);
            NDArray weight = normal(random, 0, 1, 1, c).reshape(c);
            // The upstream gradient contiguous, as in a network, and in a layout of its own:
            // transposed in its last two dimensions.
            NDArray[] grads = {
                normal(random, 0, x.dims()),
                normal(random, 0, x.size(0), x.size(2), c).permute(0, 2, 1)
            };
            for (NDArray grad : grads) {
                for (boolean training : new boolean[] {true, false}) {
                    NDArray[] fast = gradients(x);
                    NDArray[] reference = gradients(x);
                    CpuBatchNorm.backward(grad, x, mean, invstd, weight, training, fast[0], fast[1], fast[2]);
                    CpuBatchNorm.backwardReference(grad, x, mean, invstd, weight, training, reference[0],
                            reference[1], reference[2]);
                    String what = (training ? "training" : "eval") + " backward of " + x.shape()
                            + " with gradient strides " + Arrays.toString(grad.strides());
                    assertClose(reference[0], fast[0], what + ", input");
                    assertClose(reference[1], fast[1], what + ", weight");
                    assertClose(reference[2], fast[2], what + ", bias");
                }
            }
        }
    }

    private static NDArray[] gradients(NDArray x) {
        return new NDArray[] {
            NDArray.zeros(DType.F32, x.device(), x.dims()),
            NDArray.zeros(DType.F32, x.device(), x.size(1)),
            NDArray.zeros(DType.F32, x.device(), x.size(1))
        };
    }
}
