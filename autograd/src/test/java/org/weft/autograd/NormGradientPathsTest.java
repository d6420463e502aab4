package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.weft.tensor.NDArray;

/**
 * The norms and losses compute first-order gradients with fused kernels, and build them from
 * tensor ops when a graph of the gradient is recorded (so second derivatives are exact). The
 * two must agree: a backward with {@code createGraph} gives the same values as one without.
 */
class NormGradientPathsTest {

    private final Random random = new Random(7);

    private Tensor randn(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return Tensor.of(NDArray.of(v, n).reshape(shape));
    }

    private Tensor positive(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 + random.nextDouble();
        }
        return Tensor.of(NDArray.of(v, n));
    }

    /** Gradients of {@code f} at {@code inputs} (those requiring grad) both ways, compared element by element. */
    private void fusedMatchesComposite(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor out = f.apply(inputs);
        Tensor seed = randn(out.dims());
        java.util.List<Tensor> wrt = new java.util.ArrayList<>();
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                wrt.add(t);
            }
        }
        Tensor[] w = wrt.toArray(Tensor[]::new);
        Tensor[] fused = Autograd.grad(new Tensor[] {f.apply(inputs)}, w, new Tensor[] {seed}, false);
        Tensor[] composite = Autograd.grad(new Tensor[] {f.apply(inputs)}, w, new Tensor[] {seed}, true);
        for (int k = 0; k < w.length; k++) {
            assertEquals(fused[k].shape(), composite[k].shape(), "shape of gradient " + k);
            assertArrayEquals(composite[k].toDoubleArray(), fused[k].toDoubleArray(), 1e-10, "gradient " + k);
        }
    }

    @Test
    void batchNormInTrainingAndEvaluation() {
        Tensor x = randn(4, 3, 5).requiresGrad_(true);
        Tensor w = positive(3).requiresGrad_(true);
        Tensor b = randn(3).requiresGrad_(true);
        Tensor mean = randn(3);
        Tensor var = positive(3);
        fusedMatchesComposite(in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), x, w, b);
        fusedMatchesComposite(in -> Functional.batchNorm(in[0], mean, var, in[1], in[2], false, 0.1, 1e-5), x, w, b);
        fusedMatchesComposite(in -> Functional.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), x);
    }

    @Test
    void layerNorm() {
        Tensor x = randn(2, 3, 4).requiresGrad_(true);
        Tensor w = randn(3, 4).requiresGrad_(true);
        Tensor b = randn(3, 4).requiresGrad_(true);
        fusedMatchesComposite(in -> Functional.layerNorm(in[0], new int[] {3, 4}, in[1], in[2], 1e-5), x, w, b);
        fusedMatchesComposite(in -> Functional.layerNorm(in[0], new int[] {4}, null, null, 1e-5), x);
    }

    @Test
    void crossEntropyAndNllWithEveryOption() {
        Tensor logits = randn(4, 5, 3).requiresGrad_(true);
        Tensor target = Tensor.of(NDArray.of(new long[] {0, 4, -100, 2, 2, 1, 3, -100, 0, 1, 4, 4}, 4, 3));
        Tensor weight = positive(5);
        Tensor probabilities = randn(4, 5, 3).requiresGrad_(true);
        for (String reduction : new String[] {"mean", "sum", "none"}) {
            fusedMatchesComposite(in -> Functional.crossEntropy(in[0], target, weight, -100, reduction, 0.2), logits);
            fusedMatchesComposite(in -> Functional.crossEntropy(in[0], in[1], weight, -100, reduction, 0.1), logits,
                    probabilities);
            fusedMatchesComposite(in -> Functional.nllLoss(in[0], target, weight, -100, reduction), logits);
        }
    }

    @Test
    void aMeanOverNoCountedTargetHasZeroGradient() {
        Tensor logits = randn(3, 4).requiresGrad_(true);
        Tensor ignored = Tensor.of(NDArray.of(new long[] {-100, -100, -100}, 3));
        fusedMatchesComposite(in -> Functional.crossEntropy(in[0], ignored, null, -100, "mean", 0.1), logits);
        fusedMatchesComposite(in -> Functional.nllLoss(in[0], ignored, null, -100, "mean"), logits);
        Tensor g = Autograd.grad(Functional.crossEntropy(logits, ignored), logits);
        assertArrayEquals(new double[12], g.toDoubleArray());
    }

    @Test
    void classWeightsHaveNoGradient() {
        Tensor logits = randn(3, 4).requiresGrad_(true);
        Tensor weight = positive(4).requiresGrad_(true);
        Tensor target = Tensor.of(NDArray.of(new long[] {0, 1, 3}, 3));
        Tensor loss = Functional.crossEntropy(logits, target, weight, -100, "mean", 0);
        var e = assertThrows(IllegalStateException.class, loss::backward);
        assertEquals("the derivative for 'weight' is not implemented.", e.getMessage());
    }

    @Test
    void evaluationLeavesRunningStatisticsAlone() {
        Tensor mean = randn(3);
        Tensor var = positive(3);
        double[] before = mean.toDoubleArray();
        Functional.batchNorm(randn(4, 3), mean, var, null, null, false, 0.1, 1e-5);
        assertArrayEquals(before, mean.toDoubleArray());
    }
}
