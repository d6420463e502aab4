package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** nll_loss and cross_entropy refuse bad targets and options with PyTorch's messages. */
class LossesErrorsTest {

    private static final NDArray LOGITS = NDArray.zeros(3, 5);

    private static NDArray targets(long... t) {
        return NDArray.of(t, t.length);
    }

    @Test
    void targetsOutsideTheClassesAreRejected() {
        var high = assertThrows(IndexOutOfBoundsException.class, () -> Losses.crossEntropy(LOGITS, targets(0, 7, 1),
                null, -100, "mean", 0));
        assertEquals("Target 7 is out of bounds.", high.getMessage());
        var negative = assertThrows(IndexOutOfBoundsException.class, () -> Losses.nllLoss(LOGITS, targets(0, -1, 1),
                null, -100, "mean"));
        assertEquals("Target -1 is out of bounds.", negative.getMessage());
    }

    @Test
    void theIgnoredIndexNeedNotBeAClass() {
        NDArray loss = Losses.crossEntropy(LOGITS, targets(-100, 2, -100), null, -100, "sum", 0);
        assertEquals(Math.log(5), loss.item(), 1e-6);
    }

    @Test
    void classIndicesMustBeI64() {
        NDArray t = NDArray.of(new int[] {0, 1, 1}, 3);
        var ce = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS, t, null, -100,
                "mean", 0));
        assertEquals("cross_entropy: expected a target of class indices of dtype I64 (or class probabilities of"
                + " the input's dtype F32), got I32", ce.getMessage());
        var nll = assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(LOGITS, t, null, -100, "mean"));
        assertEquals("nll_loss: expected a target of class indices of dtype I64, got I32", nll.getMessage());
    }

    @Test
    void theWeightMustHaveOneValuePerClass() {
        var e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS, targets(0, 1, 2),
                NDArray.ones(4), -100, "mean", 0));
        assertEquals("weight tensor should be defined either for all 5 classes or no classes but got weight tensor"
                + " of shape: [4]", e.getMessage());
        var nll = assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(LOGITS, targets(0, 1, 2),
                NDArray.ones(5, 1), -100, "mean"));
        assertTrue(nll.getMessage().endsWith("but got weight tensor of shape: [5, 1]"), nll.getMessage());
    }

    @Test
    void targetShapeMustMatchTheInput() {
        var batch = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS,
                targets(0, 1, 1, 2), null, -100, "mean", 0));
        assertEquals("Expected input batch_size (3) to match target batch_size (4).", batch.getMessage());
        NDArray spatial = NDArray.of(new long[8], 2, 4);
        var nd = assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(NDArray.zeros(2, 5, 3), spatial,
                null, -100, "mean"));
        assertEquals("Expected target size [2, 3], got [2, 4]", nd.getMessage());
        var probabilities = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS,
                NDArray.zeros(3, 4), null, -100, "mean", 0));
        assertEquals("cross_entropy: a target of class probabilities must have the input's shape [3, 5], got [3, 4]",
                probabilities.getMessage());
    }

    @Test
    void optionsAreChecked() {
        var reduction = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS,
                targets(0, 1, 2), null, -100, "avg", 0));
        assertEquals("avg is not a valid value for reduction", reduction.getMessage());
        var smoothing = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS,
                targets(0, 1, 2), null, -100, "mean", 1.5));
        assertEquals("label_smoothing must be between 0.0 and 1.0. Got: 1.5", smoothing.getMessage());
        var ignore = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(LOGITS,
                NDArray.zeros(3, 5), null, 1, "mean", 0));
        assertEquals("ignore_index is not supported for floating point target", ignore.getMessage());
    }

    @Test
    void aMeanOverNoCountedTargetIsNaN() {
        NDArray loss = Losses.crossEntropy(LOGITS, targets(-100, -100, -100), null, -100, "mean", 0.1);
        assertTrue(Double.isNaN(loss.item()));
    }
}
