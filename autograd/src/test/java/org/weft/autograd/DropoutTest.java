package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/** Inverted dropout: the mask, its reuse in backward, the scale, and the edge values of p. */
class DropoutTest {

    @Test
    void keptElementsAreScaledAndBackwardReusesTheMask() {
        Generator g = new Generator(10);
        Tensor x = Tensor.randn(DType.F64, g, 40, 25).requiresGrad_(true);
        Tensor y = Functional.dropout(x, 0.4, true, g);
        Tensor upstream = Tensor.randn(DType.F64, g, 40, 25);
        y.backward(upstream);
        double scale = 1 / (1 - 0.4);
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] us = upstream.toDoubleArray();
        double[] gs = x.grad().toDoubleArray();
        int kept = 0;
        for (int i = 0; i < xs.length; i++) {
            boolean keep = ys[i] != 0; // randn is never exactly zero here
            kept += keep ? 1 : 0;
            assertEquals(xs[i] * (keep ? scale : 0), ys[i], "output " + i); // x * 0 keeps the sign, as in PyTorch
            assertEquals(us[i] * (keep ? scale : 0), gs[i], "gradient " + i);
        }
        assertTrue(kept > 0 && kept < xs.length, "some elements are kept and some dropped");
    }

    @Test
    void expectationIsPreserved() {
        int n = 1_000_000;
        double p = 0.3;
        float[] y = Functional.dropout(Tensor.ones(n), p, true, new Generator(11)).toFloatArray();
        double sum = 0;
        int zeros = 0;
        for (float v : y) {
            sum += v;
            zeros += v == 0 ? 1 : 0;
        }
        // Each output is 0 or 1/(1-p): mean 1, variance p/(1-p); five standard errors.
        double meanBound = 5 * Math.sqrt(p / (1 - p) / n);
        assertEquals(1.0, sum / n, meanBound);
        assertEquals(p, (double) zeros / n, 5 * Math.sqrt(p * (1 - p) / n));
    }

    @Test
    void gradcheckWithTheGeneratorRestoredBeforeEachCall() {
        Generator g = new Generator(12);
        Generator.State state = g.getState();
        Tensor x = Tensor.randn(DType.F64, new Generator(13), 4, 5).requiresGrad_(true);
        GradCheck.gradcheckSingle(in -> Functional.dropout(in[0], 0.5, true, g.setState(state)), x);
        GradCheck.gradgradcheck(in -> new Tensor[] {Functional.dropout(in[0], 0.5, true, g.setState(state)).mul(in[0])},
                14, x);
    }

    @Test
    void gradcheckSeesADifferentMaskIfTheStateIsNotRestored() {
        Generator g = new Generator(12);
        Tensor x = Tensor.randn(DType.F64, new Generator(13), 4, 5).requiresGrad_(true);
        assertThrows(GradCheck.GradCheckFailure.class,
                () -> GradCheck.gradcheckSingle(in -> Functional.dropout(in[0], 0.5, true, g), x));
    }

    @Test
    void theSameStateGivesTheSameMask() {
        Generator g = new Generator(15);
        Generator.State s = g.getState();
        Tensor x = Tensor.ones(1000);
        float[] a = Functional.dropout(x, 0.5, true, g).toFloatArray();
        float[] b = Functional.dropout(x, 0.5, true, g).toFloatArray();
        float[] c = Functional.dropout(x, 0.5, true, g.setState(s)).toFloatArray();
        assertArrayEquals(a, c);
        assertFalse(java.util.Arrays.equals(a, b), "a second call draws a new mask");
    }

    @Test
    void maskIsBernoulliOfOneMinusPScaled() {
        // The mask is what bernoulli(1 - p) draws from the same state, divided by 1 - p.
        Generator g = new Generator(16);
        Generator.State s = g.getState();
        float[] y = Functional.dropout(Tensor.ones(101), 0.25, true, g).toFloatArray();
        float[] mask = NDArray.bernoulli(0.75, DType.F32, g.setState(s), 101).toFloatArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(mask[i] * (1 / 0.75f), y[i], "element " + i);
        }
    }

    @Test
    void pZeroAndEvaluationReturnTheInput() {
        Tensor x = Tensor.randn(3, 4).requiresGrad_(true);
        assertSame(x, Functional.dropout(x, 0, true));
        assertSame(x, Functional.dropout(x, 0.5, false));
    }

    @Test
    void pOneGivesZerosTimesTheInput() {
        Tensor x = Tensor.of(new double[] {1, -2, Double.POSITIVE_INFINITY, Double.NaN}, 4).requiresGrad_(true);
        Generator g = new Generator(17);
        Tensor y = Functional.dropout(x, 1, true, g);
        double[] ys = y.toDoubleArray();
        assertEquals(0.0, ys[0]);
        assertEquals(0.0, Math.abs(ys[1]));
        assertTrue(Double.isNaN(ys[2]) && Double.isNaN(ys[3]), "inf * 0 and NaN * 0 are NaN, as in PyTorch");
        y.sum().backward();
        assertArrayEquals(new double[4], x.grad().toDoubleArray());
        assertEquals(0, g.offset(), "p = 1 draws no numbers");
    }

    @Test
    void probabilityOutsideZeroOneIsAnError() {
        Tensor x = Tensor.ones(3);
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Functional.dropout(x, p, true));
            assertEquals("dropout probability has to be between 0 and 1, but got " + p, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout(Tensor.zeros(DType.I64, 3), 0.5, true));
        assertEquals("dropout: expected an F32 or F64 tensor, got I64", e.getMessage());
    }
}
