package org.weft.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;

/** Bad arguments to the losses fail with PyTorch-style messages naming what was expected and what came. */
class LossArgumentsTest {

    private static String fails(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message '" + message + "' lacks '" + part + "'");
        }
    }

    private static Tensor randn(int... shape) {
        return Tensor.randn(shape);
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void unknownReductionsAreNamed() {
        Tensor x = randn(3, 4);
        assertEquals("avg is not a valid value for reduction",
                fails(() -> Losses.binaryCrossEntropyWithLogits(x, Tensor.rand(3, 4), null, null, "avg")));
        assertEquals("avg is not a valid value for reduction", fails(() -> Losses.mseLoss(x, x, "avg")));
        assertEquals("null is not a valid value for reduction", fails(() -> Losses.klDiv(x, x, null, false)));
        assertEquals("MEAN is not a valid value for reduction", fails(() -> Losses.klDistillation(x, x, 1, "MEAN")));
        assertEquals("avg is not a valid value for reduction",
                fails(() -> Losses.verificationLoss(x, x, randn(2, 4), null, Tensor.zeros(DType.I64, 3), "avg")));
    }

    @Test
    void batchMeanIsOnlyForDivergences() {
        Tensor x = randn(3, 4);
        assertEquals("batchmean is not a valid value for reduction", fails(() -> Losses.mseLoss(x, x, "batchmean")));
        assertEquals("batchmean is not a valid value for reduction",
                fails(() -> Losses.binaryCrossEntropyWithLogits(x, x, null, null, "batchmean")));
    }

    // ---------------------------------------------------------------- binary cross-entropy

    @Test
    void bceTargetMustHaveTheInputsSize() {
        assertEquals("binary_cross_entropy_with_logits: target size [3, 1] must be the same as input size [3, 4]",
                fails(() -> Losses.binaryCrossEntropyWithLogits(randn(3, 4), Tensor.rand(3, 1))));
    }

    @Test
    void bceWeightsMustBroadcastToTheInput() {
        String m = fails(() -> Losses.binaryCrossEntropyWithLogits(randn(3, 4), Tensor.rand(3, 4), null, randn(3),
                "mean"));
        assertContains(m, "binary_cross_entropy_with_logits", "pos_weight", "[3]", "[3, 4]");
        m = fails(() -> Losses.binaryCrossEntropyWithLogits(randn(3, 4), Tensor.rand(3, 4), randn(2, 3, 4), null,
                "mean"));
        assertContains(m, "weight", "[2, 3, 4]", "[3, 4]");
    }

    @Test
    void bceNeedsOneFloatingDtype() {
        Tensor x = randn(2, 3);
        assertContains(fails(() -> Losses.binaryCrossEntropyWithLogits(Tensor.zeros(DType.I64, 2, 3), x)),
                "input", "floating-point", "I64");
        assertContains(fails(() -> Losses.binaryCrossEntropyWithLogits(x, Tensor.rand(2, 3).to(DType.F64))),
                "target", "F32", "F64");
    }

    // ---------------------------------------------------------------- mse, kl_div, distillation

    @Test
    void mseShapesMustBroadcast() {
        assertContains(fails(() -> Losses.mseLoss(randn(3, 4), randn(3, 5))), "mse_loss", "[3, 4]", "[3, 5]");
    }

    @Test
    void klDivNeedsMatchingDtypesAndShapes() {
        assertContains(fails(() -> Losses.klDiv(randn(3, 4), randn(3, 4).to(DType.F64))), "kl_div", "F32", "F64");
        assertContains(fails(() -> Losses.klDiv(randn(3, 4), randn(2, 4))), "kl_div", "[3, 4]", "[2, 4]");
    }

    @Test
    void distillationChecksTemperatureAndShapes() {
        Tensor x = randn(3, 4);
        assertContains(fails(() -> Losses.klDistillation(x, x, 0)), "temperature", "0.0");
        assertContains(fails(() -> Losses.klDistillation(x, x, Double.NaN)), "temperature", "NaN");
        assertContains(fails(() -> Losses.klDistillation(x, randn(3, 5), 1)), "kl_distillation", "[3, 5]", "[3, 4]");
        assertContains(fails(() -> Losses.klDistillation(Tensor.scalar(1), Tensor.scalar(1), 1)), "0-d");
    }

    // ---------------------------------------------------------------- MMD

    @Test
    void mmdNeedsTwoMatrixBatchesWithOneFeatureSize() {
        assertContains(fails(() -> Losses.mmd(randn(4), randn(4))), "mmd", "[n, d]", "[4]");
        assertContains(fails(() -> Losses.mmd(randn(4, 3), randn(4, 2))), "[4, 3]", "[4, 2]");
        assertContains(fails(() -> Losses.mmd(randn(4, 3), randn(4, 3).to(DType.F64))), "target", "F32", "F64");
        assertContains(fails(() -> Losses.mmd(randn(0, 3), randn(4, 3))), "biased", "n=0, m=4");
    }

    @Test
    void unbiasedMmdNeedsTwoSamplesPerBatch() {
        String m = fails(() -> Losses.mmd(randn(1, 3), randn(4, 3), Mmd.Estimator.UNBIASED, Mmd.Kernels.paper()));
        assertEquals("mmd: the unbiased estimator needs at least 2 source and 2 target samples, got n=1, m=4", m);
    }

    @Test
    void linearMmdNeedsOneEvenBatchSize() {
        String m = fails(() -> Losses.mmd(randn(3, 2), randn(3, 2), Mmd.Estimator.LINEAR, Mmd.Kernels.paper()));
        assertEquals("mmd: the linear-time estimator needs source and target batches of one even size, got n=3, m=3",
                m);
        assertContains(fails(() -> Losses.mmd(randn(4, 2), randn(6, 2), Mmd.Estimator.LINEAR, Mmd.Kernels.paper())),
                "n=4, m=6");
    }

    @Test
    void mmdKernelsMustBePositive() {
        assertContains(fails(() -> Mmd.Kernels.jointMeanDistance()), "at least one kernel multiplier");
        assertContains(fails(() -> Mmd.Kernels.jointMeanDistance(1, -2)), "positive", "[1.0, -2.0]");
        assertContains(fails(() -> Mmd.Kernels.fixed(0, 1)), "fixed bandwidth", "0.0");
        assertContains(fails(() -> Mmd.Kernels.fixedSigma(-1)), "sigma", "-1.0");
    }

    // ---------------------------------------------------------------- weight constraint

    @Test
    void weightConstraintPairsLayersOfOneShape() {
        Tensor a = Tensor.ones(2);
        Tensor b = Tensor.zeros(2);
        assertContains(fails(() -> Losses.weightConstraint(List.of(randn(3)), List.of(randn(3), randn(2)), a, b,
                WeightConstraint.Form.SQUARED)), "1 source and 2 target");
        assertContains(fails(() -> Losses.weightConstraint(List.of(), List.of(), a, b,
                WeightConstraint.Form.SQUARED)), "at least one layer");
        assertContains(fails(() -> Losses.weightConstraint(List.of(randn(3, 4), randn(2)), List.of(randn(4, 3),
                randn(2)), a, b, WeightConstraint.Form.SQUARED)), "target weight 0", "[4, 3]", "[3, 4]");
        assertContains(fails(() -> Losses.weightConstraint(List.of(randn(3), randn(2)), List.of(randn(3), randn(2)),
                Tensor.ones(3), b, WeightConstraint.Form.EXPONENTIAL)), "a and b of shape [2]", "[3]");
        assertContains(fails(() -> new WeightConstraint(List.of(randn(3)), List.of(randn(3).to(DType.F64)),
                WeightConstraint.Form.SQUARED)), "target weight 0", "F32", "F64");
    }

    @Test
    void weightConstraintModuleTakesNoInput() {
        WeightConstraint lw = new WeightConstraint(List.of(randn(3)), List.of(randn(3)), WeightConstraint.Form.SQUARED);
        assertContains(fails(() -> lw.call(randn(3))), "takes no input", "compute()");
    }

    // ---------------------------------------------------------------- verification

    @Test
    void verificationChecksTheHeadAndTheLabels() {
        Tensor f = randn(4, 5);
        Tensor same = Tensor.zeros(DType.I64, 4);
        assertContains(fails(() -> Losses.verificationLoss(f, f, randn(3, 5), null, same, "mean")),
                "weight of shape [2, 5]", "[3, 5]");
        assertContains(fails(() -> Losses.verificationLoss(f, f, randn(2, 5), randn(3), same, "mean")),
                "bias of shape [2]", "[3]");
        assertContains(fails(() -> Losses.verificationLoss(f, randn(4, 6), randn(2, 5), null, same, "mean")),
                "second", "[4, 6]", "[4, 5]");
        assertContains(fails(() -> Losses.verificationLoss(f, f, randn(2, 5), null, Tensor.zeros(4), "mean")),
                "I64 labels of shape [4]", "F32");
        assertContains(fails(() -> Losses.verificationLoss(randn(4), randn(4), randn(2, 4), null, same, "mean")),
                "[pairs, D]");
    }
}
