package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.random.Generator;

/**
 * Dropout (per element) and DropPath (per sample, torchvision's StochasticDepth "row") in
 * training: the dropped fraction is p within six binomial standard errors, kept values are
 * scaled by exactly 1/(1-p), and the gradient uses the same mask; in evaluation both are the identity.
 */
class DropoutTest {

    @BeforeEach
    void seed() {
        Generator.global().manualSeed(1234);
    }

    /** |observed − p| within six standard errors of a binomial proportion over {@code n} trials. */
    private static void assertFraction(double p, int dropped, int n) {
        double tol = 6 * Math.sqrt(p * (1 - p) / n);
        assertEquals(p, (double) dropped / n, tol, dropped + " of " + n + " dropped");
    }

    @Test
    void dropoutZeroesAFractionPAndScalesTheRest() {
        double p = 0.3;
        Dropout dropout = new Dropout(p);
        Tensor x = Tensor.ones(400, 500).requiresGrad_(true);
        Tensor y = dropout.call(x);
        y.sum().backward();
        float[] out = y.data().toFloatArray();
        float[] grad = x.grad().data().toFloatArray();
        float kept = (float) (1 / (1 - p));
        int dropped = 0;
        for (int i = 0; i < out.length; i++) {
            int at = i;
            if (out[i] == 0) {
                dropped++;
            } else {
                assertEquals(kept, out[i], 0, () -> "element " + at);
            }
            assertEquals(out[i], grad[i], 0, () -> "the gradient of element " + at + " uses the forward's mask");
        }
        assertFraction(p, dropped, out.length);
    }

    @Test
    void dropoutMasksDifferBetweenCalls() {
        Dropout dropout = new Dropout(0.5);
        Tensor x = Tensor.ones(1000);
        assertTrue(!java.util.Arrays.equals(dropout.call(x).data().toFloatArray(),
                dropout.call(x).data().toFloatArray()));
    }

    @Test
    void dropoutIsTheIdentityInEvalAndForPZero() {
        Tensor x = Tensor.ones(3, 4);
        Dropout dropout = new Dropout(0.5);
        dropout.eval();
        assertSame(x, dropout.call(x));
        assertSame(x, new Dropout(0).call(x));
    }

    @Test
    void dropoutWithPOneDropsEverythingAndPassesNoGradient() {
        Tensor x = Tensor.full(3, DType.F32, 5, 6).requiresGrad_(true);
        Tensor y = new Dropout(1).call(x);
        y.sum().backward();
        assertArrayEquals(new float[30], y.data().toFloatArray());
        assertArrayEquals(new float[30], x.grad().data().toFloatArray());
    }

    @Test
    void dropPathDropsWholeSamplesAndScalesTheKeptOnes() {
        double p = 0.25;
        int samples = 8000;
        DropPath dropPath = new DropPath(p);
        Tensor x = Tensor.ones(samples, 3, 2).requiresGrad_(true);
        Tensor y = dropPath.call(x);
        y.sum().backward();
        float[] out = y.data().toFloatArray();
        float[] grad = x.grad().data().toFloatArray();
        float kept = (float) (1 / (1 - p));
        int dropped = 0;
        for (int s = 0; s < samples; s++) {
            int sample = s;
            float first = out[s * 6];
            assertTrue(first == 0 || first == kept, () -> "sample " + sample + " holds " + first);
            for (int j = 0; j < 6; j++) {
                assertEquals(first, out[s * 6 + j], 0, () -> "sample " + sample + " is dropped or kept as a whole");
                assertEquals(first, grad[s * 6 + j], 0, () -> "the gradient of sample " + sample + " uses its mask");
            }
            if (first == 0) {
                dropped++;
            }
        }
        assertFraction(p, dropped, samples);
    }

    @Test
    void dropPathIsTheIdentityInEvalAndForPZeroAndZeroForPOne() {
        Tensor x = Tensor.ones(4, 3);
        DropPath dropPath = new DropPath(0.5);
        dropPath.eval();
        assertSame(x, dropPath.call(x));
        assertSame(x, new DropPath(0).call(x));
        assertArrayEquals(new float[12], new DropPath(1).call(x).data().toFloatArray());
    }

    @Test
    void dropPathKeepsTheInputsDType() {
        Tensor x = Tensor.ones(DType.F64, 50, 2);
        assertEquals(DType.F64, new DropPath(0.5).call(x).dtype());
    }
}
