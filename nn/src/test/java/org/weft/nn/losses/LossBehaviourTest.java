package org.weft.nn.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Autograd;
import org.weft.autograd.GradCheck;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.random.Generator;

/** The losses' properties that golden cases do not reach: closed forms, edge values, the module form. */
class LossBehaviourTest {

    private static Tensor grad(Tensor output, Tensor input) {
        return Autograd.grad(new Tensor[] {output}, new Tensor[] {input}, null, false, false, true)[0];
    }

    @Test
    void bceGradientAtZeroLogitIsSigmoidMinusTarget() {
        // d/dx at x = 0 is (p·y + 1 - y)·σ(0) - p·y: the softplus kink must not zero it.
        Tensor x = Tensor.zeros(DType.F64, 2).requiresGrad_(true);
        Tensor y = Tensor.of(new double[] {1, 0}, 2);
        Tensor pw = Tensor.of(new double[] {3}, 1);
        Tensor g = grad(Losses.binaryCrossEntropyWithLogits(x, y, null, pw, "sum"), x);
        assertArrayEquals(new double[] {3 * 0.5 - 3, 0.5}, g.toDoubleArray(), 1e-15);
    }

    @Test
    void bceStaysFiniteForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1e4f, -1e4f}, 2).requiresGrad_(true);
        Tensor y = Tensor.of(new float[] {0, 0}, 2);
        Tensor loss = Losses.binaryCrossEntropyWithLogits(x, y, null, null, "none");
        assertArrayEquals(new float[] {1e4f, 0}, loss.toFloatArray(), 1e-3f);
        assertArrayEquals(new float[] {0.5f, 0}, grad(loss.mean(), x).toFloatArray(), 1e-7f);
    }

    @Test
    void mmdBandwidthIsTheMeanDistanceOfDistinctPairs() {
        Tensor s = Tensor.randn(DType.F64, new Generator(3), 5, 4).add(10.0);
        Tensor t = Tensor.randn(DType.F64, new Generator(4), 3, 4).add(10.5);
        Tensor z = Tensor.cat(new Tensor[] {s, t}, 0);
        // The definition, from the full distance matrix (its diagonal is zero).
        double expected = z.pairwiseSquaredDistances(z).sum().item() / (8 * 7);
        assertEquals(expected, Mmd.jointMeanDistance(s, t).item(), 1e-12 * expected);
    }

    @Test
    void mmdOfCoincidentPointsIsZeroNotNaN() {
        Tensor s = Tensor.ones(3, 2).requiresGrad_(true);
        Tensor t = Tensor.ones(3, 2);
        for (Mmd.Estimator e : new Mmd.Estimator[] {Mmd.Estimator.BIASED, Mmd.Estimator.UNBIASED}) {
            Tensor loss = Losses.mmd(s, t, e, Mmd.Kernels.paper());
            assertEquals(0.0, loss.item(), 1e-6);
            assertArrayEquals(new float[6], grad(loss, s).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void linearMmdOfTwoPairsByHand() {
        // n = 2, one kernel exp(-d/2): h = k(s0,s1) + k(t0,t1) - k(s0,t1) - k(s1,t0).
        Tensor s = Tensor.of(new double[] {0, 1}, 2, 1);
        Tensor t = Tensor.of(new double[] {2, 4}, 2, 1);
        double h = Math.exp(-1 / 2.0) + Math.exp(-4 / 2.0) - Math.exp(-16 / 2.0) - Math.exp(-1 / 2.0);
        Tensor loss = Losses.mmd(s, t, Mmd.Estimator.LINEAR, Mmd.Kernels.fixedSigma(1));
        assertEquals(h, loss.item(), 1e-15);
    }

    @Test
    void weightConstraintModuleOwnsAAndBAndStartsAtZero() {
        Tensor source = Tensor.randn(3, 4).requiresGrad_(true);
        Tensor target = source.detach().copy().requiresGrad_(true);
        WeightConstraint lw = new WeightConstraint(List.of(source), List.of(target),
                WeightConstraint.Form.EXPONENTIAL);
        assertEquals(List.of("a", "b"), List.copyOf(lw.namedParameters().keySet()));
        assertArrayEquals(new float[] {1}, lw.a().toFloatArray());
        assertArrayEquals(new float[] {0}, lw.b().toFloatArray());
        Tensor loss = lw.compute();
        assertEquals(0.0, loss.item());
        loss.backward();
        assertTrue(lw.a().grad() != null && lw.b().grad() != null && source.grad() != null && target.grad() != null);
    }

    @Test
    void exponentialFormIsExactBelowTheThresholdAndFiniteFarAbove() {
        Tensor small = Tensor.of(new double[] {0.3}, 1).requiresGrad_(true);
        Tensor below = Tensor.zeros(DType.F64, 1);
        Tensor r = Losses.weightConstraint(List.of(small), List.of(below), Tensor.ones(DType.F64, 1),
                Tensor.zeros(DType.F64, 1), WeightConstraint.Form.EXPONENTIAL);
        assertEquals(Math.expm1(0.09), r.item(), 1e-15);
        assertEquals(Math.exp(0.09) * 2 * 0.3, grad(r, small).item(), 1e-14);

        // A whole layer 30 apart per weight: d = 1000·900 = 9·10^5, exp(d) is inf in any dtype.
        Tensor far = Tensor.full(30, DType.F32, 1000).requiresGrad_(true);
        Tensor near = Tensor.zeros(1000);
        Tensor huge = Losses.weightConstraint(List.of(far), List.of(near), Tensor.ones(1), Tensor.zeros(1),
                WeightConstraint.Form.EXPONENTIAL);
        double c = WeightConstraint.LINEAR_ABOVE;
        assertEquals(Math.exp(c) * (9e5 - c) + Math.expm1(c), huge.item(), 1e-5 * huge.item());
        for (float g : grad(huge, far).toFloatArray()) {
            assertEquals(Math.exp(c) * 2 * 30, g, 1e-5 * Math.exp(c) * 60);
        }
    }

    @Test
    void exponentialFormPassesGradcheckOnBothSidesOfTheThreshold() {
        for (double scale : new double[] {0.5, 4}) {
            Tensor a = Tensor.of(new double[] {1.1}, 1).requiresGrad_(true);
            Tensor b = Tensor.of(new double[] {-0.2}, 1).requiresGrad_(true);
            Tensor s = Tensor.randn(DType.F64, new Generator(7), 3, 2).requiresGrad_(true);
            Tensor t = Tensor.randn(DType.F64, new Generator(8), 3, 2).mul(scale).detach().requiresGrad_(true);
            GradCheck.gradcheckSingle(in -> WeightConstraint.loss(List.of(in[2]), List.of(in[3]), in[0], in[1],
                    WeightConstraint.Form.EXPONENTIAL), a, b, s, t);
        }
    }

    @Test
    void pairwiseConsistentDropoutDropsTheSameDimensionsOfBothImages() {
        // With one mask for both images the difference is mask ⊙ (f1 - f2): shifting both images by
        // the same amount changes nothing. Independent masks would let the shift through.
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6}, 2, 6);
        Tensor f1 = Tensor.randn(DType.F32, new Generator(1), 8, 6);
        Tensor f2 = Tensor.randn(DType.F32, new Generator(2), 8, 6);
        Tensor shift = Tensor.randn(DType.F32, new Generator(3), 8, 6).mul(5.0);
        Tensor plain = VerificationLoss.logits(f1, f2, w, null, 0.5, true, new Generator(9));
        Tensor shifted = VerificationLoss.logits(f1.add(shift), f2.add(shift), w, null, 0.5, true, new Generator(9));
        assertArrayEquals(plain.toFloatArray(), shifted.toFloatArray(), 1e-4f);
        // And dropout is active: some dimensions were dropped (the logits differ from evaluation).
        Tensor eval = VerificationLoss.logits(f1, f2, w, null, 0.5, false, null);
        assertTrue(!java.util.Arrays.equals(plain.toFloatArray(), eval.toFloatArray()));
    }

    @Test
    void distillationOfIdenticalLogitsIsZeroAndScalesWithTemperatureSquared() {
        Tensor x = Tensor.randn(DType.F64, new Generator(5), 4, 6);
        assertEquals(0.0, Losses.klDistillation(x, x, 3).item(), 1e-12);
        Tensor y = Tensor.randn(DType.F64, new Generator(6), 4, 6);
        // At T = 2 the loss is 4 · KL of the softened distributions, from kl_div directly.
        Tensor softened = Losses.klDiv(org.weft.autograd.Functional.logSoftmax(x.div(2.0), 1),
                org.weft.autograd.Functional.softmax(y.div(2.0), 1), "batchmean", false);
        assertEquals(4 * softened.item(), Losses.klDistillation(x, y, 2).item(), 1e-12);
    }

    @Test
    void facadeDelegatesCrossEntropyAndNll() {
        Tensor logits = Tensor.of(new double[] {0, 0, Math.log(3), 0}, 2, 2);
        Tensor target = Tensor.of(new long[] {0, 0}, 2);
        // Row 0: -log(1/2); row 1: -log(3/4).
        assertEquals((Math.log(2) + Math.log(4.0 / 3)) / 2, Losses.crossEntropy(logits, target).item(), 1e-15);
        assertEquals(-(Math.log(3) + 0) / 2, Losses.nllLoss(logits, target).item(), 1e-15);
    }
}
